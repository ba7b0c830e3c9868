import { TENANT_FIELD } from '../../runtime/values/tenancy.js';
import type { TenantTarget } from './connect.js';
import { requestFailed } from './tenant-items.js';
import { ownersOf } from './tenant-items.js';
import type { TenantEntity } from './targets.js';

/**
 * The users of a tenant whose items in shared entities are its data: the owners its isolated items record, less
 * any who also own isolated items of another tenant, plus the users the operator names (`--owner`, always kept).
 * Through the runtime, an isolated item's owner signed in from its tenant (an `oid` is one directory's), so an
 * owner found in two tenants came with a copy (`tenant import --tenant`, which keeps owners): the source
 * directory's user, whose shared items belong to the source — exporting or erasing them with the copy would hand
 * out, or delete, another tenant's data. Such owners are left out and reported through `progress`.
 *
 * @example
 * ```ts
 * const owners = await tenantUsers(target, 'contoso', read, ['u1'], (l) => process.stderr.write(l));
 * ```
 */
export async function tenantUsers(
  target: TenantTarget,
  tenant: string,
  read: readonly {
    readonly entity: TenantEntity;
    readonly items: readonly Record<string, unknown>[];
  }[],
  named: readonly string[] = [],
  progress: (line: string) => void = () => undefined,
): Promise<string[]> {
  const recorded = ownersOf(read).filter((o) => !named.includes(o));
  const elsewhere = new Set<string>();
  if (recorded.length > 0)
    for (const e of target.layout.entities.filter((x) => x.isolated))
      for (const owner of await ownedElsewhere(target, e, tenant, recorded)) elsewhere.add(owner);
  for (const owner of [...elsewhere].sort())
    progress(
      `tenant ${tenant}: the shared items of ${owner} are left out — ${owner} owns items of another tenant too ` +
        '(a copy keeps its owners); name them with --owner if they are this tenant’s user\n',
    );
  return [...new Set([...named, ...recorded.filter((o) => !elsewhere.has(o))])].sort();
}

/** Which of `owners` own an item of another tenant than `tenant` in one isolated entity's container. */
async function ownedElsewhere(
  target: TenantTarget,
  e: TenantEntity,
  tenant: string,
  owners: readonly string[],
): Promise<string[]> {
  try {
    const container = await target.container(e.endpoint, e.database, e.container);
    const { resources } = await container.items
      .query<unknown>({
        query:
          `SELECT VALUE c["${e.ownerField}"] FROM c WHERE c["${TENANT_FIELD}"] != @tenant ` +
          `AND ARRAY_CONTAINS(@owners, c["${e.ownerField}"])`,
        parameters: [
          { name: '@tenant', value: tenant },
          { name: '@owners', value: [...owners] },
        ],
      })
      .fetchAll();
    return resources.filter((v): v is string => typeof v === 'string');
  } catch (err) {
    throw requestFailed('reading', e, err);
  }
}
