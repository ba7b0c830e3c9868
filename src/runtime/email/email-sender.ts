import {
  DEFAULT_EMAIL_FROM,
  EMAIL_ENDPOINT_SETTING,
  EMAIL_SENDER_SETTING,
  OUTBOX_DIR_SETTING,
  type RuntimeEmail,
} from '../../model/email.js';
import type { EmailSender } from './email-types.js';
import { outboxSender } from './outbox.js';

export {
  EmailSendError,
  EmailThrottledError,
  isEmailSendError,
  throttledFor,
  type EmailSender,
  type OutgoingEmail,
  type SendOptions,
} from './email-types.js';

/** What {@link emailSenderOf} may be given besides the settings. */
export interface EmailSenderOptions {
  /** Where the outbox prints each e-mail's line (default: `console.log`). */
  readonly log?: (line: string) => void;
  /**
   * The client id of the user-assigned identity holding the sending role (the identity the runtime reads the
   * registry with); absent → `DefaultAzureCredential`.
   */
  readonly clientId?: string | undefined;
  /** The SDK's retry and poll pacing (tests make them short; Azure keeps the SDK's defaults). */
  readonly retryDelayMs?: number;
  readonly pollIntervalMs?: number;
}

/** A placeholder access key for a loopback stand-in (base64 of `atakora-stand-in`): never a real key. */
const STAND_IN_KEY = Buffer.from('atakora-stand-in').toString('base64');

/**
 * The sender `env` says: with {@link EMAIL_ENDPOINT_SETTING} the official `@azure/communication-email` SDK against
 * it — in Azure an `https:` endpoint with the app's managed identity (Entra auth, no key anywhere); a loopback
 * `http:` stand-in with a placeholder access key and the SDK's insecure-connection option, since the SDK refuses a
 * bearer token over `http:` — else the local outbox (`atakora dev`, tests). The SDK is imported only at the first
 * send, so an app without `tenants.email` never loads it and needs it not installed.
 *
 * @example
 * ```ts
 * const sender = emailSenderOf(email, process.env);
 * await sender.send({ to: 'bob@example.com', subject: 'Hi', text: 'Hi', html: '<p>Hi</p>' });
 * ```
 */
export function emailSenderOf(
  email: RuntimeEmail,
  env: Readonly<Record<string, string | undefined>>,
  options: EmailSenderOptions = {},
): EmailSender {
  const endpoint = env[EMAIL_ENDPOINT_SETTING]?.trim();
  const from = env[EMAIL_SENDER_SETTING]?.trim() || devSenderAddress(email);
  if (!endpoint) return outboxSender({ dir: env[OUTBOX_DIR_SETTING], from, log: options.log });
  let loaded: Promise<EmailSender> | undefined;
  const load = async (): Promise<EmailSender> => {
    const { acsEmailSender } = await import('./atakora-email.js');
    const clientId = options.clientId?.trim();
    const insecure = new URL(endpoint).protocol === 'http:';
    return acsEmailSender({
      endpoint,
      from,
      ...(insecure ? { accessKey: STAND_IN_KEY } : clientId ? { clientId } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    });
  };
  return {
    send: async (mail, sendOptions) => {
      loaded ??= load();
      await (await loaded).send(mail, sendOptions);
    },
  };
}

/** The sender address where no setting gives one (dev's outbox, a stand-in): the local part at the domain. */
function devSenderAddress(email: RuntimeEmail): string {
  const domain = email.domain === 'azure-managed' ? 'azure-managed.localhost' : email.domain;
  return `${email.from || DEFAULT_EMAIL_FROM}@${domain}`;
}
