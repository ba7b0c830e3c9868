import type { HttpResponseInit } from '@azure/functions';
import type { InvitationDelivery } from '../../contract/members.js';
import type { RuntimeEmail } from '../../model/email.js';
import { problemResponse } from '../http/response.js';
import { isEmailSendError, throttledFor, type EmailSender } from './email-sender.js';
import { invitationMessage } from './invitation-message.js';

/**
 * Invitation e-mail as the membership routes use it (`tenants.email`): the configuration and the sender.
 *
 * @example
 * ```ts
 * const mailer: InvitationMailer = { email: membership.email, sender: emailSenderOf(membership.email, process.env) };
 * ```
 */
export interface InvitationMailer {
  readonly email: RuntimeEmail;
  readonly sender: EmailSender;
  /**
   * How a queued e-mail waits out ACS's `Retry-After` before it is tried again: `run` after `ms` (default: a timer
   * that never keeps the process alive). A test gives its own clock's, so a whole-second `Retry-After` — HTTP's
   * smallest — costs it no second of wall time (test/runtime/invitation-email.test.ts).
   */
  readonly later?: (ms: number, run: () => Promise<void>) => void;
}

/** What one invitation e-mail says and where it goes. */
export interface InvitationMail {
  readonly to: string;
  readonly organization: string;
  readonly inviter: string;
  readonly roles: readonly string[];
  readonly expiresOn: string;
  readonly acceptUrl: string;
}

/**
 * Send the invitation e-mail and say how it went: `sent` once the mail service accepted it; `queued` with `retryAt`
 * when Azure's sending limits refused it for now (a 429: nothing went out, the caller sends it again then, with the
 * same `operationId`); `failed` with the reason otherwise. Never throws: a mail outage is reported on the
 * invitation, which stays open (never a 5xx).
 *
 * @example
 * ```ts
 * const delivery = await sendInvitation(mailer, mail, () => new Date(), { operationId }); // { status: 'sent', at: '…' }
 * ```
 */
export async function sendInvitation(
  mailer: InvitationMailer,
  mail: InvitationMail,
  now: () => Date,
  options: { readonly operationId?: string } = {},
): Promise<InvitationDelivery> {
  const message = invitationMessage(mail);
  try {
    await mailer.sender.send({ to: mail.to, ...message }, options);
    return { status: 'sent', at: now().toISOString() };
  } catch (e) {
    const at = now();
    const wait = throttledFor(e);
    if (wait !== undefined)
      return {
        status: 'queued',
        at: at.toISOString(),
        retryAt: new Date(at.getTime() + wait).toISOString(),
      };
    const error = isEmailSendError(e) ? e.reason : 'the e-mail could not be sent';
    return { status: 'failed', at: at.toISOString(), error };
  }
}

/** `YYYY-MM-DD` of `at` in UTC: the day the daily bound counts in. */
export const utcDayOf = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * The 429 of an organization that sent its day's invitation e-mails: `invitation-limit`, `Retry-After` the seconds
 * until the next UTC day begins.
 *
 * @example
 * ```ts
 * if (!(await api.store.claimEmail(tenant, utcDayOf(now), bound))) return invitationLimit(tenant, bound, now);
 * ```
 */
export function invitationLimit(tenant: string, bound: number, now: Date): HttpResponseInit {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const seconds = Math.max(1, Math.ceil((next - now.getTime()) / 1000));
  return problemResponse(
    'invitation-limit',
    `Organization ${tenant} sent its ${String(bound)} invitation e-mails of this UTC day ` +
      '(tenants.email.invitationsPerDay); try again tomorrow.',
    { headers: { 'Retry-After': String(seconds) }, limit: bound },
  );
}
