/** One e-mail to send: a single recipient, a subject, plain text and HTML. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The one link the e-mail asks its reader to open (an invitation's accept link): what dev's outbox shows. */
  readonly link?: string;
}

/**
 * How e-mail leaves the runtime: Azure Communication Services through the official SDK (atakora-email.ts), or
 * dev's local outbox (outbox.ts). `send` resolves once the mail service accepted the e-mail and rejects with an
 * {@link EmailSendError} when it refused it or could not be reached.
 */
export interface EmailSender {
  send(mail: OutgoingEmail): Promise<void>;
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
