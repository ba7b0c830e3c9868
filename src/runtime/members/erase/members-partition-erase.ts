import type { Container } from '@azure/cosmos';
import { DOMAIN_CLAIMS_PARTITION } from '../domains/domain-claim-store.js';
import { SCIM_EXTERNAL_PARTITION, SCIM_TOKENS_PARTITION } from '../scim/scim-items.js';

/**
 * The global partitions whose items an organization owns (`owner`): its verified domains' and linked directory's
 * claims, its SCIM tokens' lookups by hash, and its SCIM users' `externalId` lookups — each holding the person's
 * identifier in their directory (personal data, which an erasure takes with the organization).
 */
const OWNED_PARTITIONS = [
  DOMAIN_CLAIMS_PARTITION,
  SCIM_TOKENS_PARTITION,
  SCIM_EXTERNAL_PARTITION,
] as const;

/**
 * Delete everything of `tenant` in the `members` container — its partition (memberships, invitations open or not,
 * domains, join requests, SCIM tokens and users, the day's e-mail count) and the global items it owns: the claims
 * in {@link DOMAIN_CLAIMS_PARTITION} (its verified domains, its linked directory: a claim left behind would keep that
 * domain or directory from every other organization for good, 409 `domain-taken`, `directory-taken`) and its SCIM
 * tokens' and users' lookups ({@link SCIM_TOKENS_PARTITION}, {@link SCIM_EXTERNAL_PARTITION}: an `externalId` is a
 * person's id in their directory, which would otherwise outlive the organization for good). Idempotent (404 is
 * done), so a run cut short is finished by the next. Returns how many items of its partition were deleted. The one
 * erase of an organization's members data: the daily erase timer's and `atakora tenant delete`'s.
 *
 * @example
 * ```ts
 * await eraseMembersPartition(members, 'acme-k3x9qa'); // 4
 * ```
 */
export async function eraseMembersPartition(container: Container, tenant: string): Promise<number> {
  const own = await idsOf(container, 'SELECT c.id FROM c WHERE c.tenant = @t', tenant, tenant);
  let deleted = 0;
  for (const id of own) if (await deleted404(container, id, tenant)) deleted++;
  for (const partition of OWNED_PARTITIONS) {
    const owned = await idsOf(
      container,
      'SELECT c.id FROM c WHERE c.tenant = @p AND c.owner = @t',
      tenant,
      partition,
    );
    for (const id of owned) await deleted404(container, id, partition);
  }
  return deleted;
}

async function idsOf(
  container: Container,
  query: string,
  tenant: string,
  partition: string,
): Promise<string[]> {
  const { resources } = await container.items
    .query<{ id: string }>(
      {
        query,
        parameters: [
          { name: '@t', value: tenant },
          ...(query.includes('@p') ? [{ name: '@p', value: partition }] : []),
        ],
      },
      { partitionKey: partition },
    )
    .fetchAll();
  return resources.map((r) => r.id);
}

/** Delete one item: true when this call deleted it, false when it was gone already. */
async function deleted404(container: Container, id: string, partition: string): Promise<boolean> {
  try {
    await container.item(id, partition).delete();
    return true;
  } catch (e) {
    if ((e as { code?: unknown }).code !== 404) throw e;
    return false;
  }
}
