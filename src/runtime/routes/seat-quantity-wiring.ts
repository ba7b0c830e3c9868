import type { Container } from '@azure/cosmos';
import { keepSeatQuantity, type SeatQuantityScope } from '../billing/seat-quantity.js';
import {
  oweSeatQuantity,
  owedSeatTenants,
  settleOwedSeatQuantities,
} from '../billing/seat-quantity-owed.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { RoomStore } from '../usage/room-store.js';
import type { SubscriptionsApi } from './subscriptions-wiring.js';

/** What the members' doors and the billing timer call to keep a per-seat quantity the members. */
export interface SeatQuantityWiring {
  /** After a join or removal: the quantity set; Stripe unreachable → marked owed (the membership change stands). */
  readonly seatsChanged: (tenant: string) => Promise<void>;
  /** The billing timer's pass: every owed quantity set again, its mark cleared once Stripe holds it. */
  readonly settleSeats?: () => Promise<{ owed: number; settled: number }>;
}

/**
 * With per-seat prices, a seat count and the registry: the quantity kept after each join or removal, and a failure
 * to reach Stripe converging on its own — marked owed in the usage container (seat-quantity-owed.ts) and set again by
 * the billing timer's next run — rather than billing a removed member until the next membership change.
 *
 * @example
 * ```ts
 * const seats = seatQuantityWiring(billed, rooms, admin, usageContainer);
 * await seats?.seatsChanged('acme');
 * ```
 */
export function seatQuantityWiring(
  billed: SubscriptionsApi | undefined,
  rooms: RoomStore | undefined,
  admin: RegistryAdminStore | undefined,
  usage: Container | undefined,
): SeatQuantityWiring | undefined {
  if (!billed || !rooms || !admin || (billed.subscriptions.perSeat?.length ?? 0) === 0)
    return undefined;
  const scope: Omit<SeatQuantityScope, 'onError'> = {
    billing: billed,
    rooms,
    record: async (t) => (await admin.read(t))?.record,
  };
  const warn = (tenant: string, e: unknown) => {
    process.emitWarning(`The per-seat quantity of ${tenant} was not set: ${String(e)}`);
  };
  return {
    async seatsChanged(tenant) {
      const held = await keepSeatQuantity(
        {
          ...scope,
          onError: (e) => {
            warn(tenant, e);
          },
        },
        tenant,
      );
      if (!held)
        await oweSeatQuantity(rooms, tenant, billed.now().getTime()).catch((e: unknown) => {
          warn(tenant, e);
        });
    },
    ...(usage
      ? {
          settleSeats: () =>
            settleOwedSeatQuantities(
              {
                ...scope,
                onError: (e) => {
                  warn('an organization', e);
                },
              },
              owedSeatTenants(usage),
              billed.now().getTime(),
            ),
        }
      : {}),
  };
}
