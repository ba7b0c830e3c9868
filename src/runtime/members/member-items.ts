import type { Invitation, InvitationDelivery, Membership } from '../../contract/members.js';
import { isMembershipDoor } from '../../model/lives/membership-life.js';

/**
 * An invitation as the `members` container keeps it: the public fields, its organization, the SHA-256 of its token
 * (never the token) and, once accepted, by whom (an accepted invitation is deleted right after its membership is
 * written; the mark makes a retried acceptance by the same user safe).
 *
 * @example
 * ```ts
 * const stored: StoredInvitation = { ...invitation, tenant: 'acme-k3x9qa', tokenHash: '9f…' };
 * ```
 */
export interface StoredInvitation extends Invitation {
  readonly tenant: string;
  readonly tokenHash: string;
  readonly acceptedBy?: string;
  /** The sender's display name as their sign-in gave it (what the landing page says invited them). */
  readonly inviterName?: string;
  /**
   * The hashes of the tokens a resend voided (the last {@link MAX_VOID_TOKENS}): their preview answers 410, as an
   * accepted or revoked invitation's does, never 404 as a token this API never issued.
   */
  readonly voidTokenHashes?: readonly string[];
}

/** How many voided tokens of one invitation are remembered (older ones answer 404, as unknown tokens). */
export const MAX_VOID_TOKENS = 5;

/**
 * What is kept of an invitation once it was accepted or revoked (`kind: 'closed-invitation'`, item id
 * `<tenant>|closed|<id>`): its token's hash and why it closed — so the preview answers 410 for a used or revoked
 * token (and 404 only for one this API never issued), never saying anything more of it.
 *
 * @example
 * ```ts
 * const closed: ClosedInvitation = { tenant: 'acme-k3x9qa', id: 'k3x9qa7b2c1d', tokenHash: '9f…', reason: 'revoked', closedOn: '…' };
 * ```
 */
export interface ClosedInvitation {
  readonly tenant: string;
  readonly id: string;
  readonly tokenHash: string;
  readonly reason: 'accepted' | 'revoked';
  readonly closedOn: string;
}

/** The item id of a closed invitation's record. */
export const closedInvitationItemId = (tenant: string, id: string): string =>
  `${tenant}|closed|${id}`;

/**
 * A closed invitation's record as read from Cosmos DB; undefined for any other item.
 *
 * @example
 * ```ts
 * closedInvitationOf({ kind: 'closed-invitation', tenant: 'acme', id: 'acme|closed|k3x9', … })?.id; // 'k3x9'
 * ```
 */
export function closedInvitationOf(item: unknown): ClosedInvitation | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const tenant = text(o, 'tenant');
  const itemId = text(o, 'id');
  const tokenHash = text(o, 'tokenHash');
  const reason = o['reason'];
  if (o['kind'] !== 'closed-invitation' || !tenant || !itemId || !tokenHash) return undefined;
  if (reason !== 'accepted' && reason !== 'revoked') return undefined;
  const prefix = `${tenant}|closed|`;
  if (!itemId.startsWith(prefix)) return undefined;
  return {
    tenant,
    id: itemId.slice(prefix.length),
    tokenHash,
    reason,
    closedOn: text(o, 'closedOn') ?? '',
  };
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x): x is string => typeof x === 'string') ? v : undefined;
const text = (o: Record<string, unknown>, k: string): string | undefined => {
  const v = o[k];
  return typeof v === 'string' ? v : undefined;
};

/**
 * A membership as read from Cosmos DB, system fields dropped; undefined for an item that is no membership (an
 * invitation, or a malformed item: it grants nothing).
 *
 * @example
 * ```ts
 * membershipOf({ id: 'acme|u1', tenant: 'acme', userId: 'u1', roles: ['Owner'], addedOn: '…', _etag: '…' })?.roles;
 * // ['Owner']
 * ```
 */
export function membershipOf(item: unknown): Membership | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const [id, tenant, userId] = [text(o, 'id'), text(o, 'tenant'), text(o, 'userId')];
  const roles = strings(o['roles']);
  if (o['kind'] !== undefined || !id || !tenant || !userId || !roles) return undefined;
  // An item whose id is not its own tenant and user grants nothing: the id is what point reads find.
  if (id !== `${tenant}|${userId}`) return undefined;
  const email = text(o, 'email');
  const via = o['via'];
  return {
    id,
    tenant,
    userId,
    ...(email !== undefined ? { email } : {}),
    roles,
    addedOn: text(o, 'addedOn') ?? '',
    ...(isMembershipDoor(via) ? { via } : {}),
  };
}

/**
 * An invitation as read from Cosmos DB (`kind: 'invitation'`), its id the public one; undefined otherwise.
 *
 * @example
 * ```ts
 * invitationOf({ id: 'acme|invitation|k3x9', kind: 'invitation', tenant: 'acme', … })?.id; // 'k3x9'
 * ```
 */
export function invitationOf(item: unknown): StoredInvitation | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  if (o['kind'] !== 'invitation') return undefined;
  const tenant = text(o, 'tenant');
  const itemId = text(o, 'id');
  const prefix = `${tenant ?? ''}|invitation|`;
  const roles = strings(o['roles']);
  const fields = ['email', 'invitedBy', 'createdOn', 'expiresOn', 'tokenHash'].map((k) =>
    text(o, k),
  );
  const [email, invitedBy, createdOn, expiresOn, tokenHash] = fields;
  if (!tenant || !itemId?.startsWith(prefix) || !roles || fields.some((f) => f === undefined))
    return undefined;
  const acceptedBy = text(o, 'acceptedBy');
  const delivery = deliveryOf(o['delivery']);
  const inviterName = text(o, 'inviterName');
  const voided = strings(o['voidTokenHashes']);
  return {
    id: itemId.slice(prefix.length),
    tenant,
    email: email ?? '',
    roles,
    invitedBy: invitedBy ?? '',
    createdOn: createdOn ?? '',
    expiresOn: expiresOn ?? '',
    tokenHash: tokenHash ?? '',
    ...(acceptedBy !== undefined ? { acceptedBy } : {}),
    ...(delivery !== undefined ? { delivery } : {}),
    ...(inviterName !== undefined ? { inviterName } : {}),
    ...(voided !== undefined ? { voidTokenHashes: voided } : {}),
  };
}

/** An invitation's stored `delivery`, or undefined when there is none (or it is malformed: it is only a report). */
function deliveryOf(v: unknown): InvitationDelivery | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const status = o['status'];
  const at = text(o, 'at');
  if ((status !== 'sent' && status !== 'queued' && status !== 'failed') || at === undefined)
    return undefined;
  const error = text(o, 'error');
  const retryAt = text(o, 'retryAt');
  return {
    status,
    at,
    ...(error !== undefined ? { error } : {}),
    ...(retryAt !== undefined ? { retryAt } : {}),
  };
}

/** The invitation as `GET api/tenant/invitations` shows it: never its token's hash, its tenant or who accepted. */
export function publicInvitation(stored: StoredInvitation): Invitation {
  const { id, email, roles, invitedBy, createdOn, expiresOn, delivery } = stored;
  return { id, email, roles, invitedBy, createdOn, expiresOn, ...(delivery ? { delivery } : {}) };
}

/** The id of `tenant`'s invitation e-mail counter for UTC `day`. */
export const emailDayItemId = (tenant: string, day: string) => `${tenant}|email-day|${day}`;
