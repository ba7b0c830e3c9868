import type { EmailClientOptions } from '@azure/communication-email';
import { EmailThrottledError } from './email-types.js';

/** A pipeline policy as the SDK's client options take it (`additionalPolicies`, @azure/core-rest-pipeline). */
type Policy = NonNullable<EmailClientOptions['additionalPolicies']>[number]['policy'];

/** When ACS answers 429 without a usable `Retry-After`: a minute, the shortest window its limits count in. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/**
 * The e-mail client's own view of its sends, as a per-retry pipeline policy: a 429 to `POST /emails:send` thrown at
 * once as {@link EmailThrottledError} with ACS's `Retry-After` (Learn, "Quickstart: Throw an exception when email
 * sending tier limit is reached": a `catch429Policy` added with `position: "perRetry"`, so the SDK's retry policy
 * never waits it out; an error that is no RestError is not retried), a 429 to a status read likewise, and which sends
 * ACS accepted (a 202 to their `Operation-Id`) — what tells "never went out" from "went out, its status unread".
 *
 * @example
 * ```ts
 * const watch = sendWatch();
 * new EmailClient(endpoint, credential, { additionalPolicies: [{ policy: watch.policy, position: 'perRetry' }] });
 * ```
 */
export function sendWatch(): {
  readonly policy: Policy;
  accepted(operationId: string): boolean;
  forget(operationId: string): void;
} {
  const accepted = new Set<string>();
  const policy: Policy = {
    name: 'atakoraSendWatch',
    async sendRequest(request, next) {
      const response = await next(request);
      const path = new URL(request.url).pathname;
      // A status read past Azure's limit (Get Email Status has its own, 10 a minute on an Azure-managed domain):
      // not waited out either — the e-mail was accepted, and its status is only a report.
      if (
        response.status === 429 &&
        request.method === 'GET' &&
        path.includes('/emails/operations/')
      )
        throw Object.assign(new Error('the status of the e-mail could not be read (429)'), {
          name: 'EmailStatusThrottled',
        });
      const send = request.method === 'POST' && path.endsWith('/emails:send');
      if (!send) return response;
      const id = request.headers.get('Operation-Id');
      if (response.status === 202 && id) accepted.add(id.toLowerCase());
      if (response.status === 429)
        throw new EmailThrottledError(
          "the mail service answered 429: Azure's sending limit for the subscription is reached",
          retryAfterMs(response.headers.get('retry-after')),
        );
      return response;
    },
  };
  return {
    policy,
    accepted: (id) => accepted.has(id.toLowerCase()),
    forget: (id) => {
      accepted.delete(id.toLowerCase());
    },
  };
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110 §10.2.3), at least 1 s; absent or unreadable → a minute. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number {
  const text = header?.trim();
  if (!text) return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+$/.test(text)) return Math.max(1000, Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(1000, at - now) : DEFAULT_RETRY_AFTER_MS;
}
