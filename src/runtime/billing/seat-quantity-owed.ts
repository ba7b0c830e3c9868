import type { Container } from '@azure/cosmos';
import type { RoomStore } from '../usage/room-store.js';
import { keepSeatQuantity, type SeatQuantityScope } from './seat-quantity.js';

/**
 * The id of an organization's owed per-seat quantity in its partition of the usage container, beside its seat count
 * (`room|members`): `count` 1 while a join's or removal's quantity did not reach Stripe, 0 once the billing timer
 * found Stripe holding the members. A `kind: 'room'` document, which no ledger query reads.
 */
export const SEAT_QUANTITY_OWED_ID = 'room|seat-quantity';

/** How many times a mark is written again after a concurrent write of it. */
const MARK_ROUNDS = 4;

/**
 * Record that `tenant`'s per-seat quantity is owed: Stripe could not be reached (API reference, "Errors": "Codes in
 * the 5xx range indicate an error with Stripe's servers"; "Rate limits": "you might receive 429 error responses")
 * while a join or removal stood. The billing timer sets it again ({@link settleOwedSeatQuantities}).
 *
 * @example
 * ```ts
 * await oweSeatQuantity(rooms, 'acme', Date.now());
 * ```
 */
export async function oweSeatQuantity(
  rooms: RoomStore,
  tenant: string,
  now: number,
): Promise<void> {
  const mark = { id: SEAT_QUANTITY_OWED_ID, tenant, kind: 'room' as const, count: 1, holds: {} };
  for (let round = 0; round < MARK_ROUNDS; round++) {
    const found = await rooms.read(tenant, SEAT_QUANTITY_OWED_ID);
    if (found?.value.count === 1) return;
    const written = found
      ? await rooms.replace({ ...mark, changedAt: now }, found.etag)
      : await rooms.create({ ...mark, changedAt: now });
    if (written !== 'changed' && written !== 'exists') return;
  }
}

/**
 * Set `tenant`'s owed quantity again and clear the mark when Stripe holds the members: cleared only on the version
 * read before the write (a failure marked meanwhile stays owed for the next run). False when it stays owed (Stripe
 * still failing, no key).
 */
async function settleOne(scope: SeatQuantityScope, tenant: string, now: number): Promise<boolean> {
  const owed = await scope.rooms.read(tenant, SEAT_QUANTITY_OWED_ID);
  if (owed?.value.count !== 1) return true;
  const { onError: _ignored, ...throwing } = scope;
  if (!(await keepSeatQuantity(throwing, tenant))) return false;
  await scope.rooms.replace({ ...owed.value, count: 0, changedAt: now }, owed.etag);
  return true;
}

/**
 * The billing timer's pass over the owed quantities (billing-timer.ts): each organization `owed` lists set to its
 * members again; one Stripe still refuses stays owed for the next run, the others go on.
 *
 * @example
 * ```ts
 * await settleOwedSeatQuantities(scope, owedSeatTenants(usage), Date.now()); // { owed: 1, settled: 1 }
 * ```
 */
export async function settleOwedSeatQuantities(
  scope: SeatQuantityScope,
  owed: () => Promise<readonly string[]>,
  now: number,
): Promise<{ owed: number; settled: number }> {
  const tenants = await owed();
  let settled = 0;
  for (const tenant of tenants) {
    try {
      if (await settleOne(scope, tenant, now)) settled++;
    } catch (e) {
      scope.onError?.(e);
    }
  }
  return { owed: tenants.length, settled };
}

/**
 * The organizations whose quantity is owed: one cross-partition query of the usage container per timer run.
 *
 * @example
 * ```ts
 * await owedSeatTenants(db.container('usage'))(); // ['acme']
 * ```
 */
export function owedSeatTenants(usage: Container): () => Promise<readonly string[]> {
  return async () => {
    const { resources } = await usage.items
      .query<{ tenant: string }>({
        query: 'SELECT c.tenant FROM c WHERE c.id = @id AND c["count"] = 1',
        parameters: [{ name: '@id', value: SEAT_QUANTITY_OWED_ID }],
      })
      .fetchAll();
    return resources.map((r) => r.tenant).filter((t) => typeof t === 'string');
  };
}
