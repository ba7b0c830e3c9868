import { randomBytes } from 'node:crypto';
import {
  MAX_ORGANIZATION_NAME,
  type Membership,
  membershipId,
  organizationIdFrom,
  OWNER_ROLE,
} from '../../contract/members.js';
import { newTenantRecord } from '../../contract/tenants.js';
import { recordAudit } from '../audit/record-audit.js';
import { seatMember } from '../members/seats/seats.js';
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
 * on the purchased one, the buyer its first Owner — as `POST api/tenants` creates one, audited the same
 * (`organization.created`), the buyer seated through `seatMember` as every door. Safe to run again (a landing page
 * stopped half-way, two of the buyer's tabs at once): an existing record is kept, an existing membership too (no
 * second seat). Only for an id the buyer's own claim names.
 *
 * @example
 * ```ts
 * await ensureBuyerOrganization(api, 'contoso-k3x9qa', 'Contoso', { userId: 'oid-1' });
 * ```
 */
export async function ensureBuyerOrganization(
  api: MarketplaceApi,
  id: string,
  name: string,
  buyer: Buyer,
  claimedOn: string,
): Promise<void> {
  const now = api.now().toISOString();
  const shown = name.trim().slice(0, MAX_ORGANIZATION_NAME) || id;
  const record = newTenantRecord(id, { name: shown }, api.registry.defaultPlan, now);
  const stored = await api.admin.create(record);
  // An organization older than the claim is somebody else's (an id that was free when checked): never joined.
  if (stored === 'exists' && ((await api.admin.read(id))?.record.createdOn ?? '') < claimedOn)
    return;
  const owner: Membership = {
    id: membershipId(id, buyer.userId),
    tenant: id,
    userId: buyer.userId,
    ...(buyer.email !== undefined ? { email: buyer.email } : {}),
    roles: [OWNER_ROLE],
    addedOn: now,
  };
  // The buyer's seat (members/seats/seats.ts), as every door that admits a person takes one: counted from the start,
  // so the plan's bound and a per-seat quantity hold for the organization's first member too. A reopened landing
  // finds the membership and takes none more.
  await seatMember(api.members, owner);
  api.members.cache.forget(id, buyer.userId);
  api.forget(id);
  if (stored === 'exists') return;
  await recordAudit(api, {
    tenant: id,
    actor: {
      id: buyer.userId,
      ...(buyer.email !== undefined ? { email: buyer.email } : {}),
      via: 'api',
    },
    action: 'organization.created',
    target: id,
    changes: { name: shown, plan: record.plan, status: record.status },
  });
}
