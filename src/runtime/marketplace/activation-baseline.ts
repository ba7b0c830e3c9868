import type { MeterKey } from '../../model/billing.js';
import type { UsageMeter } from '../usage/usage-meter.js';

const HOUR_MS = 3_600_000;

/**
 * What an organization's ledger holds of the hour of `at` so far, per counted meter: the baseline its Marketplace
 * activation at `at` is billed from (`MarketplaceLink.activationHourBaseline`). Undefined when there is no ledger.
 */
export type ActivationBaseline = (
  organization: string,
  at: Date,
) => Promise<Partial<Record<MeterKey, number>> | undefined>;

/**
 * The baseline as `meter` reads it: the ledger's `hour` items of the hour of `at` over every instance, this
 * instance's with what it has not written yet (UsageMeter.totals). The ledger lags the requests: each instance
 * writes its counts once per `flushIntervalMs` (1 s by default) — a request is counted when answered — so the
 * hour's counts are read two intervals after `at` (one for an instance's next write, one for that write to land):
 * every request answered before the activation on an instance whose writes succeed is in it, and so are those of the
 * two intervals after — never billed, the side the error falls on. Request units are rounded up (the ledger keeps
 * two decimals; the export bills whole units). An instance whose writes fail longer than that (the ledger
 * unavailable) adds its counts from before the activation late, and they are billed: the one way a baseline falls
 * short (docs/billing.md, "Azure Marketplace").
 *
 * @example
 * ```ts
 * const baseline = activationBaselineOf(services.meter);
 * await baseline?.('acme-k3x9qa', new Date()); // { requests: 60, requestUnits: 0, realtimeMessages: 0 }
 * ```
 */
export function activationBaselineOf(
  meter: UsageMeter | undefined,
): ActivationBaseline | undefined {
  if (!meter) return undefined;
  return async (organization, at) => {
    const wait = 2 * Math.max(0, meter.flushIntervalMs);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const start = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
    const c = await meter.totals(
      organization,
      new Date(start).toISOString(),
      new Date(start + HOUR_MS).toISOString(),
    );
    return {
      requests: Math.max(0, Math.round(c.requests)),
      requestUnits: Math.max(0, Math.ceil(c.ru - 1e-9)),
      realtimeMessages: Math.max(0, Math.round(c.messages)),
    };
  };
}
