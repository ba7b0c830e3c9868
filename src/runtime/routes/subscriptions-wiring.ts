import type { Container } from '@azure/cosmos';
import { STRIPE_API_BASE_SETTING, stripeKeyIn } from '../../model/billing.js';
import type { RuntimeSubscriptions, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { SubscriptionsStripe } from '../billing/subscriptions-port.js';
import { loadSubscriptionsStripe } from '../billing/subscriptions-loader.js';
import { meteredLineItems } from '../billing/metered-prices.js';
import type { AuditLog } from '../audit/record-audit.js';
import type { RoomStore } from '../usage/room-store.js';

/** What the subscription routes and the webhook share: the registry, its store, Stripe, the secret, the cache. */
export interface SubscriptionsApi {
  readonly registry: RuntimeTenantRegistry;
  readonly subscriptions: RuntimeSubscriptions;
  readonly admin: RegistryAdminStore;
  /** The ids of the records whose `billing.stripeCustomerId` is `customer` (one cross-partition query). */
  byCustomer(customer: string): Promise<string[]>;
  /** Stripe through the key (undefined when the key is unset or unresolved). */
  stripe(): Promise<SubscriptionsStripe | undefined>;
  /** The webhook's signing secret (undefined when unset or unresolved). */
  webhookSecret(): string | undefined;
  /** The metered prices a checkout adds beside the plan's: one per meter the usage export sends (kept 5 minutes). */
  readonly metered: ReturnType<typeof meteredLineItems>;
  /** Forget `tenant` in this instance's registry cache (the others hold at most 30 s). */
  forget(tenant: string): void;
  now(): Date;
  /** The audit log the webhook's changes are recorded in (`via: 'webhook'`); none → nothing recorded. */
  readonly audit?: AuditLog;
  /** The seat counts (usage/room-store.ts): a per-seat Checkout opens with the members as its quantity. */
  readonly rooms?: RoomStore;
  /** The members an organization has, from the data (a seat count never kept yet). */
  readonly countMembers?: (tenant: string) => Promise<number>;
}

/**
 * The records of one customer, by a query of the registry container.
 *
 * @example
 * ```ts
 * const ids = await customerRecords(container)('cus_123'); // ['contoso']
 * ```
 */
export const customerRecords =
  (container: Container) =>
  async (customer: string): Promise<string[]> => {
    const { resources } = await container.items
      .query<{ id: string }>({
        query: 'SELECT c.id FROM c WHERE c.billing.stripeCustomerId = @c',
        parameters: [{ name: '@c', value: customer }],
      })
      .fetchAll();
    return resources.map((r) => r.id);
  };

/**
 * The subscriptions' wiring at start, or undefined without `billing.subscriptions`: the key and the signing secret
 * read from the app settings on each use (a rotated secret holds from the next request), the SDK loaded on the first
 * (its own file of the package), `stripe` a test's own.
 *
 * @example
 * ```ts
 * const api = subscriptionsApiOf({ registry, admin, byCustomer: customerRecords(container), forget: (t) => cache.forget(t) });
 * ```
 */
export function subscriptionsApiOf(w: {
  readonly registry: RuntimeTenantRegistry;
  readonly admin: RegistryAdminStore;
  readonly byCustomer: (customer: string) => Promise<string[]>;
  readonly forget: (tenant: string) => void;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stripe?: SubscriptionsStripe;
  readonly now?: () => Date;
  readonly audit?: AuditLog;
}): SubscriptionsApi | undefined {
  const billing = w.registry.billing;
  const subscriptions = billing?.subscriptions;
  if (!billing || !subscriptions) return undefined;
  const env = w.env ?? process.env;
  let loaded: { key: string; client: SubscriptionsStripe } | undefined;
  const now = w.now ?? (() => new Date());
  const eventNames = Object.values(billing.meters).filter(
    (n): n is string => typeof n === 'string',
  );
  return {
    metered: meteredLineItems(eventNames, () => now().getTime()),
    registry: w.registry,
    subscriptions,
    admin: w.admin,
    byCustomer: w.byCustomer,
    forget: w.forget,
    now,
    ...(w.audit ? { audit: w.audit } : {}),
    webhookSecret: () => stripeKeyIn(env[subscriptions.webhookSecret]),
    async stripe() {
      if (w.stripe) return w.stripe;
      const key = stripeKeyIn(env[billing.secret]);
      if (!key) return undefined;
      if (loaded?.key !== key) {
        loaded = {
          key,
          client: await loadSubscriptionsStripe(key, env[STRIPE_API_BASE_SETTING]?.trim()),
        };
      }
      return loaded.client;
    },
  };
}
