/**
 * A tenant's data in the reference model (DESIGN §2 "A tenant's data has a lifecycle"): what `atakora tenant
 * export` writes, what `tenant delete` erases and what `tenant import` loads, as pure functions over the model's
 * state.
 * - a tenant's data: its items in isolated entities (`tenantId` is the tenant), and the items its users own in
 *   shared entities; its registry record;
 * - erase: exactly that set gone, the record last; nothing of another tenant touched;
 * - import (into the tenant exported, or another: a copy): each item as a create of that tenant stores it now —
 *   brought to the current shape (`current`: the migrations, the defaults), stamped with the target tenant when
 *   isolated, its owner kept — unless its (partition, id) is taken, by anyone: then skipped, the holder untouched;
 *   the record copied when the target has none.
 */
import { type AccessBackend, isolated } from './backend.js';
import { current, entityAt, type Item, itemKey, type ModelState } from './reference-model.js';
import { type RegistryRecord, withRecord } from './tenant-registry.js';

/** One item of a tenant's data: its entity and the item as stored. */
export interface TenantItem {
  readonly entity: number;
  readonly item: Item;
}

/** An export as the model sees it: the items and the registry record (when the tenant had one). */
export interface TenantExport {
  readonly tenant: string;
  readonly items: readonly TenantItem[];
  readonly record?: RegistryRecord;
}

/**
 * Whether `atakora tenant export` refuses the tenant as unknown (TENANT_NOT_FOUND, nothing written): it has no
 * record and no item (a mistyped id). A restore exports such a tenant anyway (`allowEmpty`).
 *
 * @example
 * ```ts
 * exportRefused(exported(b, s, 'nobody', [])); // true
 * ```
 */
export function exportRefused(data: TenantExport): boolean {
  return data.record === undefined && data.items.length === 0;
}

/** Whether a stored item is part of `tenant`'s data (`users`: the `oid`s of its users). */
function ofTenant(
  b: AccessBackend,
  v: TenantItem,
  tenant: string,
  users: readonly string[],
): boolean {
  const e = entityAt(b, v.entity);
  return isolated(e) ? v.item.tenantId === tenant : users.includes(v.item.ownerId ?? '');
}

/**
 * Everything of `tenant`: its isolated items, its users' shared items, its record — what its export holds.
 *
 * @example
 * ```ts
 * exported(b, s, eve.tid, ['eve', 'evan']).items.length;
 * ```
 */
export function exported(
  b: AccessBackend,
  s: ModelState,
  tenant: string,
  users: readonly string[],
): TenantExport {
  const items = [...s.items.values()].filter((v) => ofTenant(b, v, tenant, users));
  const record = s.registry?.get(tenant);
  return { tenant, items, ...(record ? { record } : {}) };
}

/**
 * The state after `tenant` is erased: its data (as {@link exported} finds it) and its record gone, the rest as it
 * was.
 *
 * @example
 * ```ts
 * const after = erased(b, s, eve.tid, ['eve', 'evan']);
 * ```
 */
export function erased(
  b: AccessBackend,
  s: ModelState,
  tenant: string,
  users: readonly string[],
): ModelState {
  const items = new Map([...s.items].filter(([, v]) => !ofTenant(b, v, tenant, users)));
  return withRecord({ ...s, items }, tenant, undefined);
}

/**
 * The state after `data` is imported into `tenant` (its own id, or another: a copy), and the keys of the items
 * created. The record written is the archive's without its Stripe customer, back into the same tenant as into a
 * copy: an archive never bills anyone again (the operator sets the customer where the tenant is billed).
 *
 * @example
 * ```ts
 * const { state, created } = imported(b, s, exportOfEve, mal.tid); // a copy of Eve's directory for Mal's
 * ```
 */
export function imported(
  b: AccessBackend,
  s: ModelState,
  data: TenantExport,
  tenant: string,
): { readonly state: ModelState; readonly created: readonly string[] } {
  const items = new Map(s.items);
  const created: string[] = [];
  for (const { entity, item } of data.items) {
    const e = entityAt(b, entity);
    const now: Record<string, string> = { ...current(e, item) };
    if (isolated(e)) now.tenantId = tenant;
    const id = now.id ?? '';
    const key = e.key === 'id' ? id : e.key === 'tenantId' ? tenant : (now[e.key] ?? '');
    const k = itemKey(entity, key, id);
    if (items.has(k)) continue;
    items.set(k, { entity, item: now });
    created.push(k);
  }
  const next = { ...s, items };
  const record = data.record === undefined ? undefined : unbilled(data.record);
  const state = record && !s.registry?.has(tenant) ? withRecord(next, tenant, record) : next;
  return { state, created };
}

/** A record as an import writes it: the archive's, its Stripe customer left out. */
function unbilled({ customer: _left, ...record }: RegistryRecord): RegistryRecord {
  return record;
}
