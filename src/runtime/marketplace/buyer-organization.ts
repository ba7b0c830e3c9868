import { randomBytes } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import {
  MAX_ORGANIZATION_NAME,
  type Membership,
  organizationIdFrom,
  OWNER_ROLE,
} from '../../contract/members.js';
import { newTenantRecord, type TenantRecord } from '../../contract/tenants.js';
import { recordAudit } from '../audit/record-audit.js';
import {
  admits,
  admittedMembership,
  barredMeanwhile,
  memberBarred,
} from '../members/life/member-life.js';
import {
  closedMeanwhile,
  organizationClosed,
  organizationOpen,
} from '../members/life/organization-open.js';
import { ownerBound } from '../members/owners/owner-bound.js';
import { isFull, type Seated, seatMember } from '../members/seats/seats.js';
import type { MarketplaceApi } from './marketplace-api.js';

/** The buyer, as the landing page's sign-in names them. */
export interface Buyer {
  readonly userId: string;
  readonly email?: string;
}

/** Random lower-case letters and digits (a new organization id's suffix, as `POST api/tenants` makes them). */
const suffix = (): string =>
  [...randomBytes(6)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

/**
 * A fresh organization id for a purchase named `name` (the id is claimed for the purchase before the organization is
 * created, so two landing pages of one purchase never make two organizations).
 *
 * @example
 * ```ts
 * await newOrganizationId(api, 'Contoso Cloud Solution'); // 'contoso-cloud-solution-k3x9qa'
 * ```
 */
export async function newOrganizationId(api: MarketplaceApi, name: string): Promise<string> {
  let id = organizationIdFrom(name, suffix());
  for (let i = 0; i < 4 && (await api.admin.read(id)); i++) id = organizationIdFrom(name, suffix());
  return id;
}

/**
 * Whether `userId` is an Owner of `tenant` (the landing page links a purchase only to an organization its buyer owns).
 *
 * @example
 * ```ts
 * await ownsOrganization(api, 'acme-k3x9qa', 'oid-1'); // true
 * ```
 */
export async function ownsOrganization(
  api: MarketplaceApi,
  tenant: string,
  userId: string,
): Promise<boolean> {
  const m = await api.members.store.read(tenant, userId);
  return m?.value.roles.includes(OWNER_ROLE) === true;
}

/**
 * The buyer's new organization `id` (named as they named the purchase), on the default plan until activation puts it
 * on the purchased one, the buyer its first Owner — as `POST api/tenants` creates one: the membership made by
 * `admittedMembership` through the door `created`, audited the same (`organization.created`, `member.added`), the
 * buyer seated through `seatMember` as every door, counted against `maxOrganizationsPerUser` (owner-bound.ts, the
 * room held for this id). Safe to run again (a landing page stopped half-way, two of the buyer's tabs at once): an
 * existing record is kept, an existing membership too (no second seat, no second audit). Only for an id the buyer's
 * own claim names. The door `created` admits the organization's first Owner and nobody after: reopened, the landing
 * asks the buyer's life there (model/lives/membership-life.ts) — an Owner removed them: 403 `member-barred`; the
 * organization has Owners and they are none of them (they left): nothing written — and never into an organization
 * deleted or erased; it asks again after its write (a removal or a deletion that raced it stands). The refusal, or
 * undefined.
 *
 * @example
 * ```ts
 * await ensureBuyerOrganization(api, 'contoso-k3x9qa', 'Contoso', { userId: 'oid-1' }, claimedOn);
 * ```
 */
export async function ensureBuyerOrganization(
  api: MarketplaceApi,
  id: string,
  name: string,
  buyer: Buyer,
  claimedOn: string,
): Promise<HttpResponseInit | undefined> {
  const now = api.now().toISOString();
  const shown = name.trim().slice(0, MAX_ORGANIZATION_NAME) || id;
  const record = newTenantRecord(id, { name: shown }, api.registry.defaultPlan, now);
  const stored = await api.admin.create(record);
  const members = api.members;
  if (stored === 'exists') {
    const found = (await api.admin.read(id))?.record;
    // An organization older than the claim is somebody else's (an id that was free when checked): never joined.
    if ((found?.createdOn ?? '') < claimedOn) return undefined;
    if (await members.store.read(id, buyer.userId)) return undefined;
    const refused = await reopenedRefusal(api, id, buyer, found);
    if (refused !== 'admit') return refused;
  }
  // The purchase created the organization, the buyer its first Owner: the door `POST api/tenants`'s creator comes in
  // by (`created`). Written without one, it read back as lifeOf's default (`invitation`): a door never taken.
  const owner = admittedMembership(
    { tenant: id, userId: buyer.userId, email: buyer.email, roles: [OWNER_ROLE], addedOn: now },
    'created',
  );
  const over = await ownerBound(members, buyer.userId, true, id);
  if (over) return over;
  // The buyer's seat (members/seats/seats.ts), as every door that admits a person takes one: counted from the start,
  // so the plan's bound and a per-seat quantity hold for the organization's first member too. A reopened landing
  // finds the membership and takes none more.
  const seated = await seatMember(api.members, owner);
  members.cache.forget(id, buyer.userId);
  api.forget(id);
  if (typeof seated === 'object' && 'etag' in seated) {
    // Asked again after the write: a removal or the Owner's delete that raced this landing stands.
    if (await barredMeanwhile(members, seated.value, seated.etag, { door: 'created' }))
      return memberBarred(id);
    if (await closedMeanwhile(members, seated.value, seated.etag)) return organizationClosed(id);
  }
  await audited(api, id, buyer, stored === 'exists' ? undefined : record, seated, owner);
  return undefined;
}

/**
 * Whether a reopened landing (the organization exists, the buyer no member) may still make the buyer its first
 * Owner: `'admit'` while it has no Owner (a landing stopped before the membership), else the refusal — 403
 * `member-barred` for a buyer an Owner removed, undefined (nothing written) for one who left; never into an
 * organization deleted or erased.
 */
async function reopenedRefusal(
  api: MarketplaceApi,
  id: string,
  buyer: Buyer,
  record: TenantRecord | undefined,
): Promise<HttpResponseInit | 'admit' | undefined> {
  if ((await admits(api.members, id, buyer, { door: 'created' })) === 'barred')
    return memberBarred(id);
  if ((await api.members.store.owners(id)).length > 0) return undefined;
  return organizationOpen(record) ? 'admit' : organizationClosed(id);
}

/** The new organization and the creator's membership, audited by the landing that wrote each (never twice). */
async function audited(
  api: MarketplaceApi,
  id: string,
  buyer: Buyer,
  created: TenantRecord | undefined,
  seated: Seated,
  owner: Membership,
): Promise<void> {
  const actor = {
    id: buyer.userId,
    ...(buyer.email !== undefined ? { email: buyer.email } : {}),
    via: 'api',
  } as const;
  if (created)
    await recordAudit(api, {
      tenant: id,
      actor,
      action: 'organization.created',
      target: id,
      changes: { name: created.name, plan: created.plan, status: created.status },
    });
  // The creator's membership, audited by its door as `POST api/tenants` audits it (tenant events' `member.added`):
  // only by the landing that wrote it, so a reopened one records nothing twice.
  if (seated !== 'exists' && !isFull(seated))
    await recordAudit(api, {
      tenant: id,
      actor,
      action: 'member.added',
      target: buyer.userId,
      changes: { roles: { to: owner.roles }, via: owner.via },
    });
}
