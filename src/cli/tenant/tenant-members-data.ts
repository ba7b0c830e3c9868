import { eraseMembersPartition } from '../../runtime/members/erase/members-partition-erase.js';
import { invitationItemId, membershipId } from '../../contract/members.js';
import { invitationOf, membershipOf } from '../../runtime/members/member-items.js';
import type { TenantTarget } from './connect.js';
import { withoutCosmosFields } from './tenant-items.js';

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * An organization's members and open invitations as an export keeps them (tenants by membership): the `members`
 * container's items of its partition, Cosmos DB system fields left out — memberships, and invitations neither
 * accepted nor expired (their tokens' hashes only: a token is never stored).
 */
export interface MembersData {
  readonly memberships: readonly Record<string, unknown>[];
  readonly invitations: readonly Record<string, unknown>[];
}

async function membersContainer(target: TenantTarget) {
  const r = target.layout.registry;
  return r?.members ? target.container(r.endpoint, r.database, r.members) : undefined;
}

/**
 * The organization's memberships and open invitations (tenants by membership), or undefined for a backend whose
 * tenants are directories.
 *
 * @example
 * ```ts
 * const data = await readMembersData(target, 'acme-k3x9qa'); // { memberships: [...], invitations: [...] }
 * ```
 */
export async function readMembersData(
  target: TenantTarget,
  tenant: string,
  now: Date = new Date(),
): Promise<MembersData | undefined> {
  const container = await membersContainer(target);
  if (!container) return undefined;
  const { resources } = await container.items
    .query<Record<string, unknown>>(
      { query: 'SELECT * FROM c WHERE c.tenant = @t', parameters: [{ name: '@t', value: tenant }] },
      { partitionKey: tenant },
    )
    .fetchAll();
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    String(a['id']) < String(b['id']) ? -1 : 1;
  const memberships = resources
    .filter((r) => membershipOf(r) !== undefined)
    .map(withoutCosmosFields)
    .sort(byId);
  const invitations = resources
    .filter((r) => {
      const inv = invitationOf(r);
      return inv && inv.acceptedBy === undefined && Date.parse(inv.expiresOn) > now.getTime();
    })
    .map(withoutCosmosFields)
    .sort(byId);
  return { memberships, invitations };
}

/**
 * Load an export's members into `tenant`: memberships (their tenant and id rewritten for a copy), and — into the same
 * organization only — its open invitations (a token names its organization, so a copy's would never be accepted;
 * they are left out and counted). What exists is left as it is. Returns what was created and left out.
 *
 * @example
 * ```ts
 * await writeMembersData(target, 'acme-copy', data, 'acme-k3x9qa'); // { memberships: 3, invitations: 0, skippedInvitations: 1 }
 * ```
 */
export async function writeMembersData(
  target: TenantTarget,
  tenant: string,
  data: MembersData,
  exportedTenant: string,
): Promise<{ memberships: number; invitations: number; skippedInvitations: number }> {
  const container = await membersContainer(target);
  const copy = tenant !== exportedTenant;
  const out = {
    memberships: 0,
    invitations: 0,
    skippedInvitations: copy ? data.invitations.length : 0,
  };
  if (!container) return { ...out, skippedInvitations: data.invitations.length };
  const create = async (item: Record<string, unknown>): Promise<boolean> => {
    try {
      await container.items.create(item);
      return true;
    } catch (e) {
      if (statusOf(e) === 409) return false;
      throw e;
    }
  };
  for (const m of data.memberships) {
    const membership = membershipOf(m);
    if (!membership) continue;
    const item = { ...m, tenant, id: membershipId(tenant, membership.userId) };
    if (await create(item)) out.memberships++;
  }
  if (!copy)
    for (const i of data.invitations) {
      const invitation = invitationOf(i);
      if (!invitation) continue;
      if (await create({ ...i, tenant, id: invitationItemId(tenant, invitation.id) }))
        out.invitations++;
    }
  return out;
}

/**
 * Delete every item of the organization's partition of `members` — memberships, and invitations open or not — and
 * the global items it owns (the domains and directory it claims, its SCIM tokens' and users' lookups), idempotently
 * (404 is done): the runtime's own erase
 * (runtime/members/erase/members-partition-erase.ts). Returns how many items of its partition were deleted; 0 for
 * a backend whose tenants are directories.
 *
 * @example
 * ```ts
 * await eraseMembersData(target, 'acme-k3x9qa'); // 4
 * ```
 */
export async function eraseMembersData(target: TenantTarget, tenant: string): Promise<number> {
  const container = await membersContainer(target);
  return container ? eraseMembersPartition(container, tenant) : 0;
}
