import { tombstoneOf, type TenantTombstone } from '../../contract/tenants.js';
import { AtakoraError } from '../../model/errors.js';
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
  const resource = await rawRecord(target, tenant);
  return resource ? withoutCosmosFields(resource) : undefined;
}

/** The registry's item of `tenant` as stored (system fields included); undefined without a registry or an item. */
async function rawRecord(
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
  return resource;
}

/**
 * Write the tenant's registry record under `tenant` unless one is there (a copy keeps the target's own record) — over
 * a tombstone only for the organization's own archive (import.ts refuses any other into an erased id). Returns
 * whether it was written.
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
    if (statusOf(e) !== 409) throw e;
  }
  // An organization's own archive brings it back over its tombstone (import.ts checked that it is its own).
  const { resource } = await container.item(tenant, tenant).read<Record<string, unknown>>();
  if (!tombstoneOf(resource)) return false;
  await container
    .item(tenant, tenant)
    .replace(
      { ...record, id: tenant },
      { accessCondition: { type: 'IfMatch', condition: String(resource?.['_etag']) } },
    );
  return true;
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

/**
 * The refusal of a command on an erased organization's id (TENANT_ERASED): its tombstone says when, and the id is
 * never given again (DESIGN §2, "One life per organization…").
 *
 * @example
 * ```ts
 * throw erasedRefusal(target, tombstone, 'add');
 * ```
 */
export function erasedRefusal(
  target: TenantTarget,
  tombstone: TenantTombstone,
  command: string,
): AtakoraError {
  return new AtakoraError(
    'TENANT_ERASED',
    `atakora tenant ${command}: ${tombstone.id} is an organization erased on ${tombstone.erasedOn} in ` +
      `${target.backend.backendId} (${target.where}): its id is never given again, so nothing keyed by it (files, ` +
      'the ledger, the audit log, a Stripe customer) can reach a later holder. Nothing was written.',
    {
      path: ['tenant', command, '<tid>'],
      resolution: 'Choose another id for a new organization (atakora tenant add <entry> <new id>).',
    },
  );
}

/**
 * Refuse `command` on `tenant` when the registry holds its tombstone (TENANT_ERASED); nothing otherwise.
 *
 * @example
 * ```ts
 * await refuseErased(target, 'acme', 'import');
 * ```
 */
export async function refuseErased(
  target: TenantTarget,
  tenant: string,
  command: string,
): Promise<void> {
  const tombstone = tombstoneOf(await rawRecord(target, tenant));
  if (tombstone) throw erasedRefusal(target, tombstone, command);
}

/**
 * An organization's record replaced by its tombstone `{ id, status: 'erased', erasedOn }` (tenants by membership:
 * its id is never given again); true when there was a record.
 *
 * @example
 * ```ts
 * await tombstoneRegistryRecord(target, 'acme-k3x9qa', new Date());
 * ```
 */
export async function tombstoneRegistryRecord(
  target: TenantTarget,
  tenant: string,
  now: Date,
): Promise<boolean> {
  const r = target.layout.registry;
  if (!r) return false;
  const container = await target.container(r.endpoint, r.database, r.container);
  const before = await readRegistryRecord(target, tenant);
  const tombstone: TenantTombstone = { id: tenant, status: 'erased', erasedOn: now.toISOString() };
  // A tombstone already there (a run cut short after it) keeps its day.
  if (tombstoneOf(before)) return false;
  await container.items.upsert({ ...tombstone });
  return before !== undefined;
}
