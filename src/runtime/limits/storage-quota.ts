import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { problemResponse } from '../http/response.js';
import { planLimits } from '../tenants/plan-limits.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import type { LimitedTenant } from './limited-tenant.js';

/** Bytes in the `storageMb` of a plan (MiB, as Cosmos DB and Blob Storage count storage). */
export const BYTES_PER_MB = 1024 * 1024;

/** Which of a tenant's stored bytes a write changes. */
export type StoredKind = 'itemBytes' | 'fileBytes';

/**
 * The bytes a write holds under its tenant's quota while it runs: ended once, by `settle` (it wrote: `bytes`, its
 * real change, counted in the ledger for the tenant and the reservation dropped in the same tick) or `release` (it
 * wrote nothing: the reservation dropped).
 */
export interface StorageHold {
  settle(bytes: number): void;
  release(): void;
}

/** A hold, or the 403 `storage-quota-exceeded` of a write whose bytes would pass the quota. */
export type Held =
  | { readonly ok: true; readonly hold: StorageHold }
  | { readonly ok: false; readonly response: HttpResponseInit };

// Bytes reserved per tenant by this instance's writes under way: the meter's own (usage-meter.ts `reserved`), so
// every route counting in one ledger sees the same reservations.
const reservedOf = (meter: UsageMeter): Map<string, number> => meter.reserved;

const NOTHING: StorageHold = { settle: () => undefined, release: () => undefined };

/**
 * Hold `adding` bytes of `owner`'s storage (the tenant the bytes belong to: the caller's for its own items, a shared
 * item's creator) for one write whose size is known before it runs. A write that adds bytes is refused (403
 * `storage-quota-exceeded`) when the owner's stored bytes — every instance's, as the ledger's view of the last
 * second holds them, plus this instance's exact count — and the bytes this instance's other writes hold would pass
 * the owner's `storageMb` with these; else they are reserved until the write ends, so concurrent writes on one
 * instance never pass the quota together. A write that adds nothing (a shrinking replace) is never refused, nor
 * is any write without a ledger, of no owner (a shared item nobody created), or of a tenant without a bound.
 * Synchronous while the view is fresh and the owner is the caller's tenant (almost every write): a promise only
 * when the ledger or the registry has to be read first.
 *
 * @example
 * ```ts
 * const held = await holdStorage(limitedTenant(ctx), 'contoso', 'itemBytes', 1843);
 * if (!held.ok) return held.response;
 * try { await write(); held.hold.settle(1843); } finally { held.hold.release(); }
 * ```
 */
export function holdStorage(
  limited: LimitedTenant | undefined,
  owner: string | undefined,
  kind: StoredKind,
  adding: number,
): Held | Promise<Held> {
  if (!limited || owner === undefined) return { ok: true, hold: NOTHING };
  const own = owner === limited.tenant;
  if (adding <= 0 || (own && limited.plan.storageMb === undefined))
    return { ok: true, hold: holding(limited.meter, owner, kind, 0) };
  if (own) return reserve(limited.meter, owner, kind, adding, limited.plan.storageMb, true);
  return ownerLimits(limited.registry, limited.records, owner).then((l) =>
    reserve(limited.meter, owner, kind, adding, l.storageMb, false),
  );
}

/** Reserve `adding` bytes of `owner` under `max` MB, in the tick that reads its count (after a read if stale). */
function reserve(
  meter: UsageMeter,
  owner: string,
  kind: StoredKind,
  adding: number,
  max: number | undefined,
  own: boolean,
): Held | Promise<Held> {
  if (max === undefined) return { ok: true, hold: holding(meter, owner, kind, 0) };
  const stored = meter.storedBytes(owner);
  if (typeof stored === 'number') return decide(meter, owner, kind, adding, max, own, stored);
  return (async () => {
    let count: number | Promise<number> = stored;
    // The view read, the count is taken again in the tick that decides (nothing settled in between is missed).
    for (let tries = 0; typeof count !== 'number'; tries++) {
      const read: number = await count;
      count = tries < 2 ? meter.storedBytes(owner) : read;
    }
    return decide(meter, owner, kind, adding, max, own, count);
  })();
}

function decide(
  meter: UsageMeter,
  owner: string,
  kind: StoredKind,
  adding: number,
  max: number,
  own: boolean,
  stored: number,
): Held {
  const reserved = reservedOf(meter);
  const held = reserved.get(owner) ?? 0;
  if (stored + held + adding > max * BYTES_PER_MB)
    return { ok: false, response: overQuota(own, stored, held, adding, max) };
  reserved.set(owner, held + adding);
  return { ok: true, hold: holding(meter, owner, kind, adding) };
}

/** The hold of `reserved` bytes of `owner` (0: a write that only counts what it changed). */
function holding(
  meter: UsageMeter,
  owner: string,
  kind: StoredKind,
  reserved: number,
): StorageHold {
  let open = true;
  const end = () => {
    if (!open) return false;
    open = false;
    if (reserved === 0) return true;
    const r = reservedOf(meter);
    const left = (r.get(owner) ?? 0) - reserved;
    if (left > 0) r.set(owner, left);
    else r.delete(owner);
    return true;
  };
  return {
    settle: (bytes) => {
      if (end()) meter.bytes(owner, { [kind]: bytes });
    },
    release: () => {
      end();
    },
  };
}

/** Another tenant's bounds: its record's plan (defaultPlan's for one undeclared, or for no record). */
async function ownerLimits(
  registry: RuntimeTenantRegistry,
  records: RegistryCache | undefined,
  owner: string,
) {
  const record = await records?.get(owner).catch(() => undefined);
  return planLimits(registry, record?.plan ?? registry.defaultPlan).limits;
}

function overQuota(
  own: boolean,
  stored: number,
  held: number,
  adding: number,
  max: number,
): HttpResponseInit {
  const whose = own ? 'Your directory' : 'The directory that created this item';
  const writing = held > 0 ? ` (${held} more being written)` : '';
  return problemResponse(
    'storage-quota-exceeded',
    `${whose} stores ${stored} bytes${writing} and this write adds ${adding}, more than its plan's ${max} MB: ` +
      'delete items or files, or write less, to write again.',
    { quota: 'storageMb' },
  );
}
