import type { TenantTarget } from './connect.js';
import { withoutCosmosFields } from './tenant-items.js';

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * The tenant's record in the registry (`{ id, plan, status, … }`, Cosmos DB system fields left out), or undefined
 * when the backend has no registry or the tenant is not registered.
 *
 * @example
 * ```ts
 * await readRegistryRecord(target, 'contoso'); // { id: 'contoso', plan: 'free', status: 'active', … }
 * ```
 */
export async function readRegistryRecord(
  target: TenantTarget,
  tenant: string,
): Promise<Record<string, unknown> | undefined> {
  const r = target.layout.registry;
  if (!r) return undefined;
  const container = await target.container(r.endpoint, r.database, r.container);
  const { resource } = await container
    .item(tenant, tenant)
    .read<Record<string, unknown>>()
    .catch((e: unknown) => {
      if (statusOf(e) === 404) return { resource: undefined };
      throw e;
    });
  return resource ? withoutCosmosFields(resource) : undefined;
}

/**
 * Write the tenant's registry record under `tenant` unless one is there (a copy keeps the target's own record).
 * Returns whether it was created.
 *
 * @example
 * ```ts
 * await createRegistryRecord(target, 'fabrikam', manifest.registry);
 * ```
 */
export async function createRegistryRecord(
  target: TenantTarget,
  tenant: string,
  record: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  const r = target.layout.registry;
  if (!r) return false;
  const container = await target.container(r.endpoint, r.database, r.container);
  try {
    await container.items.create({ ...record, id: tenant });
    return true;
  } catch (e) {
    if (statusOf(e) === 409) return false;
    throw e;
  }
}

/**
 * Delete the tenant's registry record; true when there was one.
 *
 * @example
 * ```ts
 * await deleteRegistryRecord(target, 'contoso');
 * ```
 */
export async function deleteRegistryRecord(target: TenantTarget, tenant: string): Promise<boolean> {
  const r = target.layout.registry;
  if (!r) return false;
  const container = await target.container(r.endpoint, r.database, r.container);
  try {
    await container.item(tenant, tenant).delete();
    return true;
  } catch (e) {
    if (statusOf(e) === 404) return false;
    throw e;
  }
}
