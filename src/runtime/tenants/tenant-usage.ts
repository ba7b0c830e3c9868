import { roundRu } from '../usage/usage-items.js';
import type { UsageMeter } from '../usage/usage-meter.js';

/** A tenant's usage over a period as `GET api/tenant` reports it. */
export interface PeriodUsage {
  readonly requests: number;
  readonly ru: number;
  readonly messages: number;
}

/**
 * `GET api/tenant`'s `usage`: this UTC day's and this UTC month's requests, RU and realtime messages, the bytes
 * stored (items and files) and the live realtime connections — from the usage ledger, over every instance.
 *
 * @example
 * ```ts
 * const usage: TenantUsage = await tenantUsage(meter, 'contoso');
 * usage.today.requests; // 42
 * ```
 */
export interface TenantUsage {
  readonly today: PeriodUsage;
  readonly month: PeriodUsage;
  readonly storedBytes: number;
  readonly realtimeConnections: number;
}

/**
 * Read `tenant`'s {@link TenantUsage} from the ledger through `meter` (this instance's live counts included).
 *
 * @example
 * ```ts
 * const usage = await tenantUsage(meter, 'contoso');
 * ```
 */
export async function tenantUsage(meter: UsageMeter, tenant: string): Promise<TenantUsage> {
  const now = new Date(meter.clock()).toISOString();
  const month = await meter.totals(tenant, `${now.slice(0, 7)}-01T00:00:00.000Z`);
  const today = await meter.totals(tenant, `${now.slice(0, 10)}T00:00:00.000Z`);
  const [storedBytes, realtimeConnections] = await Promise.all([
    meter.storedBytes(tenant),
    meter.store.connections(tenant),
  ]);
  const period = (c: PeriodUsage): PeriodUsage => ({
    requests: c.requests,
    ru: roundRu(c.ru),
    messages: c.messages,
  });
  return { today: period(today), month: period(month), storedBytes, realtimeConnections };
}
