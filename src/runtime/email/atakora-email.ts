/**
 * The invitation e-mail's Azure Communication Services client: the official `@azure/communication-email` SDK (an
 * optional peer; a file of its own beside the package's `index.js`, packaging/esm-package.ts `EMAIL_FILE`), imported
 * by email-sender.ts only at an app's first send — an app without `tenants.email` never loads it.
 */
import { randomUUID } from 'node:crypto';
import { EmailClient, type EmailClientOptions } from '@azure/communication-email';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { EmailSendError, isEmailSendError, type EmailSender } from './email-types.js';
import { sendWatch } from './send-watch.js';

/** Where and as whom the SDK sends. */
export interface AcsEmailSenderOptions {
  /** The Communication Service's endpoint (or a loopback stand-in's). */
  readonly endpoint: string;
  /** The sender address (a sender username of a domain linked to the Communication Service). */
  readonly from: string;
  /** The identity holding the sending role (user-assigned); absent → `DefaultAzureCredential`. */
  readonly clientId?: string;
  /** Only for a loopback `http:` stand-in: a placeholder key (HMAC), with the SDK's insecure-connection option. */
  readonly accessKey?: string;
  readonly retryDelayMs?: number;
  readonly pollIntervalMs?: number;
}

/**
 * How long one send may take, queueing and polling together: an invitation request waits for it, and a send still
 * running after this is reported as what it is (`failed` with a reason; a resend tries again).
 */
const SEND_DEADLINE_MS = 30_000;

/**
 * An {@link EmailSender} through `EmailClient.beginSend` and the operation's poll (Learn, "Email - Send" and "Email -
 * Get Send Result", REST API 2025-09-01: `POST /emails:send` → 202 with `Operation-Location`, then the operation's
 * status until `Succeeded` or `Failed`). Entra auth with the app's managed identity (Learn, "Quickstart: Send email
 * using Microsoft Entra ID"). Each send carries its operation id (`options.operationId`, ACS's `Operation-Id` header;
 * a new UUID without one), so a queued e-mail sent again is the same operation.
 *
 * Azure's sending limits: a 429 to the send is never waited out inside the request — the SDK would retry it after
 * `Retry-After`, holding the invitation request for up to an hour (Azure/azure-sdk-for-js#25286) — but thrown at once
 * as an EmailThrottledError by a per-retry policy, as Learn's "Quickstart: Throw an exception when email sending
 * tier limit is reached" does (./send-watch.ts). Once ACS has accepted the e-mail (202), it went out as far as this
 * runtime can tell: a status poll that is throttled or outlasts the deadline is no failure (a resend would mail it
 * twice); only an operation that ends `Failed` is. A 4xx, or a 5xx after the SDK's retries, before acceptance is an
 * {@link EmailSendError}.
 *
 * @example
 * ```ts
 * const sender = acsEmailSender({ endpoint: 'https://acs-x.unitedstates.communication.azure.com', from: 'DoNotReply@x.azurecomm.net' });
 * ```
 */
export function acsEmailSender(options: AcsEmailSenderOptions): EmailSender {
  const watch = sendWatch();
  const clientOptions: EmailClientOptions = {
    ...(options.accessKey ? { allowInsecureConnection: true } : {}),
    additionalPolicies: [{ policy: watch.policy, position: 'perRetry' }],
    ...(options.retryDelayMs !== undefined
      ? {
          retryOptions: {
            retryDelayInMs: options.retryDelayMs,
            maxRetryDelayInMs: options.retryDelayMs * 4,
          },
        }
      : {}),
  };
  const credential = options.accessKey
    ? // A KeyCredential is `{ key }` (@azure/core-auth): the SDK signs each request with it (HMAC).
      { key: options.accessKey }
    : options.clientId
      ? new ManagedIdentityCredential({ clientId: options.clientId })
      : new DefaultAzureCredential();
  const client = new EmailClient(options.endpoint, credential, clientOptions);
  return {
    async send(mail, sendOptions) {
      const operationId = sendOptions?.operationId ?? randomUUID();
      const abortSignal = AbortSignal.timeout(SEND_DEADLINE_MS);
      try {
        const poller = await client.beginSend(
          {
            senderAddress: options.from,
            content: { subject: mail.subject, plainText: mail.text, html: mail.html },
            recipients: { to: [{ address: mail.to }] },
          },
          {
            abortSignal,
            operationId,
            ...(options.pollIntervalMs !== undefined
              ? { updateIntervalInMs: options.pollIntervalMs }
              : {}),
          },
        );
        const result = await poller.pollUntilDone({ abortSignal });
        if (result.status !== 'Succeeded')
          throw new EmailSendError(
            `the mail service reported ${result.status}${result.error?.code ? ` (${result.error.code})` : ''}`,
          );
      } catch (e) {
        if (isEmailSendError(e)) throw e;
        const reason = reasonOf(e);
        // Accepted, then the status could not be read (throttled, slow): the e-mail is on its way.
        if (watch.accepted(operationId) && !reason.startsWith(FAILED)) return;
        throw new EmailSendError(reason);
      } finally {
        watch.forget(operationId);
      }
    },
  };
}

const FAILED = 'the mail service reported Failed';

/** What a failed SDK call says, without anything secret: the HTTP status and the service's error code. */
function reasonOf(e: unknown): string {
  const err = e as { statusCode?: unknown; code?: unknown; name?: unknown; message?: unknown };
  if (typeof err.statusCode === 'number')
    return `the mail service answered ${String(err.statusCode)}${typeof err.code === 'string' ? ` (${err.code})` : ''}`;
  if (err.name === 'AbortError' || err.name === 'TimeoutError')
    return 'the mail service did not finish in time';
  const message = typeof err.message === 'string' ? err.message : String(e);
  // core-lro's error for an operation whose status came back Failed, the service's code and message after it.
  const failed = /^The long-running operation has failed\.\s*(.*)$/s.exec(message);
  if (failed) return `${FAILED}: ${(failed[1] ?? '').replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
  return `the mail service failed: ${message.replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
}
