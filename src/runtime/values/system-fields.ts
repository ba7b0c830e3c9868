/**
 * The hidden field the runtime stamps with the write that produced an item's current version (`create`,
 * `replace`, `update`) on containers whose changes a change feed trigger delivers: the feed carries only the
 * item's latest version, never which operation made it (runtime/events/change-feed.ts). Never returned to a client
 * (it is one of {@link SYSTEM_FIELDS}) and never taken from a body (runtime/http/body.ts drops those).
 */
export const CHANGE_OPERATION_FIELD = '_atakoraOp';

/**
 * The hidden field holding the schema version an item was written under (`CrudApiConfig.schemaVersion`): reads
 * pass older items through the migrations, writes store the current version. Never returned, filterable,
 * sortable or settable (one of {@link SYSTEM_FIELDS}); absent means version 1.
 */
export const SCHEMA_VERSION_FIELD = '_atakoraV';

/**
 * The hidden field marking a parent whose delete is under way (runtime/relations/deleting.ts): the item is gone from
 * every read, list and reference check at once, and no child can be added under it, while its children are deleted.
 * Written by the runtime only (one of {@link SYSTEM_FIELDS}: never taken from a body, never returned).
 */
export const DELETING_FIELD = '_atakoraDeleting';

/**
 * The hidden field recording the directory (`tid`) of the caller who created an item of a shared entity: a shared
 * item has no tenant, and its owner field alone names a user, not the customer — this is what makes it that
 * customer's data for `atakora tenant export` and `delete`. Stamped on create, kept by every later write, never
 * returned, filterable or settable (one of {@link SYSTEM_FIELDS}).
 */
export const CREATOR_TENANT_FIELD = '_atakoraTid';

/**
 * The properties Cosmos DB adds to every item (Learn, "Azure Cosmos DB resource model", system-generated properties
 * of an item): never written back by a replace, never part of an export.
 */
export const COSMOS_SYSTEM_FIELDS: readonly string[] = [
  '_rid',
  '_self',
  '_etag',
  '_attachments',
  '_ts',
  '_lsn',
];

/** Properties Cosmos DB adds to every item, and the runtime's hidden one; never part of the API's contract. */
export const SYSTEM_FIELDS: readonly string[] = [
  ...COSMOS_SYSTEM_FIELDS,
  CHANGE_OPERATION_FIELD,
  SCHEMA_VERSION_FIELD,
  DELETING_FIELD,
  CREATOR_TENANT_FIELD,
];

/**
 * Set `key` as an own, enumerable data property. Plain assignment is not enough for untrusted keys:
 * `obj.__proto__ = v` replaces the prototype instead of storing a field.
 *
 * @example
 * ```ts
 * const item: Record<string, unknown> = {};
 * setOwn(item, '__proto__', { admin: true }); // Object.keys(item) → ['__proto__'], item.admin → undefined
 * ```
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  else target[key] = value;
}

/**
 * A copy of a stored item without Cosmos system properties (`id` is kept).
 *
 * @example
 * ```ts
 * stripSystemFields({ id: '1', _etag: '"x"', _ts: 1 }); // { id: '1' }
 * ```
 */
export function stripSystemFields(
  item: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (!SYSTEM_FIELDS.includes(key)) setOwn(out, key, value);
  }
  return out;
}
