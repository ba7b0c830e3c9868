import { CREATOR_TENANT_FIELD, stripSystemFields, SYSTEM_FIELDS } from '../values/system-fields.js';
import { TENANT_FIELD } from '../values/tenancy.js';

// What the usage ledger counts of an item, and whose bytes they are: one definition, which the runtime's writes,
// deletes and cascades and the CLI's import, erase, seed and migrate all use, so that what one adds the other
// removes to the byte (docs/tenants.md, "Stored bytes").

/**
 * The bytes an item takes as the ledger counts it: the UTF-8 JSON of its fields as stored, without the hidden
 * system fields (Cosmos DB's `_rid`, `_etag`, `_ts`, … and the runtime's own: schema version, creator, operation,
 * delete mark). Known before a write (the document it sends) and equal to what a read gives back afterwards, so a
 * write can reserve exactly what it will add and a delete frees exactly what was added.
 *
 * @example
 * ```ts
 * itemBytes({ id: 'a', title: 'x', _etag: '"0"', _atakoraV: 2 }); // 24, the size of {"id":"a","title":"x"}
 * ```
 */
export function itemBytes(item: Readonly<Record<string, unknown>>): number {
  // Without the fields' copy (every write and metered delete measures one): each present system member is
  // `"key":value` and one comma, as long as another member stays — `id` always does.
  if (!Object.hasOwn(item, 'id')) return jsonLength(stripSystemFields(item));
  let bytes = jsonLength(item);
  for (const key of SYSTEM_FIELDS) {
    if (!Object.hasOwn(item, key)) continue;
    const value = JSON.stringify(item[key]) as string | undefined;
    if (value === undefined) continue;
    bytes -= key.length + 2 + 1 + Buffer.byteLength(value) + 1;
  }
  return bytes;
}

const jsonLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

/**
 * The tenant whose stored bytes an item of a shared entity counts for: the directory that created it (the hidden
 * `_atakoraTid`), whoever writes or deletes it later; undefined for a shared item stored before that field existed
 * or seeded as the backend's own data — nobody's, until a write adopts it (runtime/crud/creator-tenant.ts). An
 * isolated entity's items are their tenant's (the caller's, whom they are confined to).
 *
 * @example
 * ```ts
 * sharedBytesTenant({ id: 'p1', _atakoraTid: 'contoso' }); // 'contoso'
 * sharedBytesTenant({ id: 'p0' });                          // undefined
 * ```
 */
export function sharedBytesTenant(item: Readonly<Record<string, unknown>>): string | undefined {
  const creator = item[CREATOR_TENANT_FIELD];
  return typeof creator === 'string' && creator !== '' ? creator : undefined;
}

/**
 * Whose bytes a stored item is, read from the item alone (what the CLI's import, erase, seed and migrate count
 * by): an isolated entity's item its tenant's (`tenantId`), a shared one's {@link sharedBytesTenant}. The runtime
 * counts an isolated item for the caller's tenant, which is the item's.
 *
 * @example
 * ```ts
 * storedItemTenant(true, { id: 'n1', tenantId: 'contoso' }); // 'contoso'
 * ```
 */
export function storedItemTenant(
  isolated: boolean,
  item: Readonly<Record<string, unknown>>,
): string | undefined {
  if (!isolated) return sharedBytesTenant(item);
  const tenant = item[TENANT_FIELD];
  return typeof tenant === 'string' ? tenant : undefined;
}
