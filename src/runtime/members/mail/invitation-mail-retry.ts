import { createHash } from 'node:crypto';
import type { InvitationDelivery } from '../../../contract/members.js';
import { sendInvitation, type InvitationMail } from '../../email/invitation-delivery.js';
import { nowOf, type MembersApi } from '../members-api.js';

/**
 * How many times a queued invitation e-mail is tried again before it is recorded `failed`: Azure's hourly limit can
 * ask for up to an hour each time, so a day of tries at most.
 */
export const MAX_EMAIL_ATTEMPTS = 24;

/** Which e-mail a queued send is: its invitation, and the token it carries (a resend makes another e-mail). */
export interface QueuedInvitationEmail {
  readonly tenant: string;
  readonly id: string;
  readonly tokenHash: string;
  readonly mail: InvitationMail;
}

/**
 * The ACS operation id of one invitation e-mail (its `Operation-Id`, a UUID): a name-based UUID of the invitation
 * and its token's hash (RFC 9562 version 8, from SHA-256), so every try of the same e-mail is the same operation and
 * a resend — a new token — another one. Nothing of the token itself is in it.
 *
 * @example
 * ```ts
 * invitationOperationId('acme-k3x9qa', 'k3x9qa7b2c1d', hash); // '5f0c…-…'
 * ```
 */
export function invitationOperationId(tenant: string, id: string, tokenHash: string): string {
  const h = createHash('sha256').update(`${tenant}\n${id}\n${tokenHash}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Send a queued invitation e-mail again once ACS's `Retry-After` has passed, in this instance, with the same
 * operation id (nothing went out the first time: a 429 is a refusal), and record how it went on the invitation:
 * `sent`, `failed`, or `queued` again with the next `retryAt` (up to {@link MAX_EMAIL_ATTEMPTS} tries, then
 * `failed`). It sends only while the invitation is still open with the same token: accepted, revoked or resent
 * meanwhile, the queued e-mail is dropped (a resend mailed its own). An instance that stops meanwhile takes its
 * queue with it: the invitation stays `queued` with a `retryAt` long past, and a resend mails it (docs/tenants.md).
 * The wait is the mailer's `later` when it has one (a test's clock), else a timer.
 *
 * @example
 * ```ts
 * if (delivery.status === 'queued') retryQueuedEmail(api, queued, delivery, 1);
 * ```
 */
export function retryQueuedEmail(
  api: MembersApi,
  queued: QueuedInvitationEmail,
  delivery: InvitationDelivery,
  attempt: number,
): void {
  const waitMs = Math.max(0, Date.parse(delivery.retryAt ?? '') - nowOf(api).getTime()) || 0;
  const run = () => tryAgain(api, queued, attempt).catch(() => undefined);
  const later = api.mailer?.later;
  if (later) {
    later(waitMs, run);
    return;
  }
  const timer = setTimeout(() => void run(), waitMs);
  // A queued e-mail never keeps a process alive on its own (dev's stop, a test's end).
  timer.unref();
}

async function tryAgain(
  api: MembersApi,
  queued: QueuedInvitationEmail,
  attempt: number,
): Promise<void> {
  const mailer = api.mailer;
  const open = await api.store.readInvitation(queued.tenant, queued.id);
  if (!mailer || !stillOpen(open?.value, queued)) return;
  let delivery = await sendInvitation(mailer, queued.mail, () => nowOf(api), {
    operationId: invitationOperationId(queued.tenant, queued.id, queued.tokenHash),
  });
  if (delivery.status === 'queued' && attempt + 1 >= MAX_EMAIL_ATTEMPTS)
    delivery = {
      status: 'failed',
      at: delivery.at,
      error: `Azure's sending limit refused it ${String(MAX_EMAIL_ATTEMPTS)} times; resend the invitation later`,
    };
  // Recorded at the version read now: a write meanwhile (an acceptance) keeps what it wrote.
  const now = await api.store.readInvitation(queued.tenant, queued.id);
  if (now && stillOpen(now.value, queued))
    await api.store.replaceInvitation({ ...now.value, delivery }, now.etag);
  if (delivery.status === 'queued') retryQueuedEmail(api, queued, delivery, attempt + 1);
}

const stillOpen = (
  v: { tokenHash: string; acceptedBy?: unknown } | undefined,
  q: QueuedInvitationEmail,
): boolean => v !== undefined && v.acceptedBy === undefined && v.tokenHash === q.tokenHash;
