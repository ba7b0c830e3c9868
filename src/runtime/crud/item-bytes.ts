import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { CrudRequest } from './context.js';
import type { CallerRequest } from '../pipeline/context.js';
import { limitedTenant, type LimitedTenant } from '../limits/limited-tenant.js';
import { type Held, holdStorage } from '../limits/storage-quota.js';
import { itemBytes, sharedBytesTenant } from '../usage/stored-size.js';
import { isIsolated } from '../values/tenancy.js';

/**
 * A CRUD write's bytes under the storage quota: `written` once the item is stored (its bytes counted for the
 * tenant they belong to, the reservation dropped), `failed` when nothing was (the reservation dropped). Either
 * ends it; the first call counts.
 */
export interface ItemWrite {
  written(): void;
  failed(): void;
}

/** A write's hold, or the 403 that refuses it. */
export type HeldWrite =
  | { readonly ok: true; readonly write: ItemWrite }
  | { readonly ok: false; readonly response: HttpResponseInit };

const UNMETERED_WRITE: HeldWrite = {
  ok: true,
  write: { written: () => undefined, failed: () => undefined },
};

type Entity = Pick<RuntimeEntity, 'partitionKey' | 'tenancy'>;

/**
 * Whose bytes an item is: an isolated entity's, the caller's tenant (`tenant`, the ledger's); a shared one's, its
 * creator's — nobody's for an item without a recorded creator (stored before it was recorded, or seeded as the
 * backend's own data): it is never credited to anyone, so no tenant's count can go below what it stores, and its
 * owner's first write adopts it whole (runtime/crud/creator-tenant.ts stamps the owner's directory).
 */
function ownerOf(
  entity: Entity,
  tenant: string,
  item: Readonly<Record<string, unknown>>,
): string | undefined {
  return isIsolated(entity) ? tenant : sharedBytesTenant(item);
}

/**
 * Before writing `next` over `previous` (absent: a create), hold what it adds to its tenant's stored bytes: the
 * 403 `storage-quota-exceeded` when that would pass the tenant's `storageMb` (runtime/limits/storage-quota.ts),
 * else the write's {@link ItemWrite}. Sizes are the ledger's (`itemBytes`); a shared item's bytes are its
 * creator's whoever writes it; a write adopting an item nobody's bytes counted for adds its whole size.
 *
 * @example
 * ```ts
 * const held = await holdItemWrite(ctx, next, stored.resource);
 * if (!held.ok) return held.response;
 * ```
 */
export function holdItemWrite(
  ctx: Pick<CrudRequest, 'entity' | 'limits'>,
  next: Readonly<Record<string, unknown>>,
  previous?: Readonly<Record<string, unknown>>,
): HeldWrite | Promise<HeldWrite> {
  const limited = ctx.limits ? limitedTenant(ctx.limits) : undefined;
  if (!limited) return UNMETERED_WRITE;
  const owner = ownerOf(ctx.entity, limited.tenant, next);
  const before = previous && ownerOf(ctx.entity, limited.tenant, previous);
  const size = itemBytes(next);
  const was = previous ? itemBytes(previous) : 0;
  const adding = before === owner ? size - was : size;
  const writeOf = (held: Held): HeldWrite =>
    held.ok
      ? {
          ok: true,
          write: {
            written: () => {
              held.hold.settle(adding);
              if (before !== undefined && before !== owner) credit(limited, before, was);
            },
            failed: () => {
              held.hold.release();
            },
          },
        }
      : held;
  const held = holdStorage(limited, owner, 'itemBytes', adding);
  return held instanceof Promise ? held.then(writeOf) : writeOf(held);
}

function credit(limited: LimitedTenant, tenant: string, bytes: number): void {
  limited.meter.bytes(tenant, { itemBytes: -bytes });
}

/**
 * An item `call` deleted (a DELETE, or a child a cascade removed): its bytes freed for the tenant they belong to —
 * the creator of a shared item, whoever deleted it; nobody for a shared item without a recorded creator. Nothing
 * for a request the ledger does not meter.
 *
 * @example
 * ```ts
 * itemRemoved(req.entity, req.call, stored.resource);
 * ```
 */
export function itemRemoved(
  entity: Entity,
  call: CallerRequest,
  stored: Readonly<Record<string, unknown>>,
): void {
  const usage = call.usage;
  if (usage === undefined) return;
  const owner = ownerOf(entity, usage.tenant, stored);
  if (owner !== undefined) usage.record({ itemBytes: -itemBytes(stored) }, owner);
}
