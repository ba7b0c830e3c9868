/**
 * The invitation e-mail's Azure Communication Services client: the official `@azure/communication-email` SDK (an
 * optional peer; a file of its own beside the package's `index.js`, packaging/esm-package.ts `EMAIL_FILE`), imported
 * by email-sender.ts only at an app's first send — an app without `tenants.email` never loads it.
 */
import { EmailClient, type EmailClientOptions } from '@azure/communication-email';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { EmailSendError, type EmailSender } from './email-types.js';

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
 * using Microsoft Entra ID"); a failed operation, a 4xx or a 5xx after the SDK's retries rejects with
 * {@link EmailSendError}.
 *
 * @example
 * ```ts
 * const sender = acsEmailSender({ endpoint: 'https://acs-x.unitedstates.communication.azure.com', from: 'DoNotReply@x.azurecomm.net' });
 * ```
 */
export function acsEmailSender(options: AcsEmailSenderOptions): EmailSender {
  const clientOptions: EmailClientOptions = {
    ...(options.accessKey ? { allowInsecureConnection: true } : {}),
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
    async send(mail) {
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
        throw e instanceof EmailSendError ? e : new EmailSendError(reasonOf(e));
      }
    },
  };
}

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
  if (failed)
    return `the mail service reported Failed: ${(failed[1] ?? '').replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
  return `the mail service failed: ${message.replace(/[\r\n]+/g, ' ').slice(0, 200)}`;
}
