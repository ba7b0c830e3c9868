/** One e-mail to send: a single recipient, a subject, plain text and HTML. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The one link the e-mail asks its reader to open (an invitation's accept link): what dev's outbox shows. */
  readonly link?: string;
}

/** How one send is told apart from every other. */
export interface SendOptions {
  /**
   * The send's operation id (a UUID, ACS's `Operation-Id` header): the same for every attempt of one e-mail — a
   * queued send tried again after a 429 — and another for each new e-mail.
   */
  readonly operationId?: string;
}

/**
 * How e-mail leaves the runtime: Azure Communication Services through the official SDK (atakora-email.ts), or
 * dev's local outbox (outbox.ts). `send` resolves once the mail service accepted the e-mail and rejects with an
 * {@link EmailSendError} when it refused it or could not be reached — an {@link EmailThrottledError} when it refused
 * it for now (Azure's sending limits: try again after `retryAfterMs`).
 */
export interface EmailSender {
  send(mail: OutgoingEmail, options?: SendOptions): Promise<void>;
}

/**
 * A send that did not go out: `reason` says why in words the invitation's `delivery.error` can show (never a key or
 * a token; the mail service's status and error code at most).
 *
 * @example
 * ```ts
 * throw new EmailSendError('the mail service answered 503');
 * ```
 */
export class EmailSendError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'EmailSendError';
  }
}

/**
 * A send the mail service refused for now: Azure's sending limits per subscription were reached and it answered 429
 * with `Retry-After` (Learn, "Service limits for Azure Communication Services", Email: "your requests are rejected.
 * You can attempt these requests again, when the Retry-After time has passed"). Nothing went out.
 *
 * @example
 * ```ts
 * throw new EmailThrottledError('the mail service answered 429 (sending limit reached)', 60_000);
 * ```
 */
export class EmailThrottledError extends EmailSendError {
  constructor(
    reason: string,
    readonly retryAfterMs: number,
  ) {
    super(reason);
    this.name = 'EmailThrottledError';
  }
}

/**
 * Whether `e` is an {@link EmailSendError} (or its throttled kind), by its name and reason rather than `instanceof`:
 * the ACS client is bundled into a file of its own (packaging/esm-package.ts `EMAIL_FILE`) with its own copy of
 * these classes, so its errors are no instances of the main bundle's.
 *
 * @example
 * ```ts
 * if (isEmailSendError(e)) return { status: 'failed', at, error: e.reason };
 * ```
 */
export function isEmailSendError(e: unknown): e is EmailSendError {
  const x = e as { name?: unknown; reason?: unknown } | null;
  return (
    typeof x?.reason === 'string' &&
    (x.name === 'EmailSendError' || x.name === 'EmailThrottledError')
  );
}

/**
 * When `e` is an {@link EmailThrottledError} (by name, as {@link isEmailSendError}): the wait ACS asked for, in ms.
 *
 * @example
 * ```ts
 * const wait = throttledFor(e); // 60000, or undefined for any other error
 * ```
 */
export function throttledFor(e: unknown): number | undefined {
  const x = e as { name?: unknown; retryAfterMs?: unknown } | null;
  return x?.name === 'EmailThrottledError' && typeof x.retryAfterMs === 'number'
    ? x.retryAfterMs
    : undefined;
}
