import type { Container } from '@azure/cosmos';
import type { TimerFunctionOptions } from '@azure/functions';
import { BILLING_SCHEDULE } from '../../model/billing.js';
import { MARKETPLACE_FUNCTIONS } from '../../model/marketplace.js';
import type { MarketplaceApi } from './marketplace-api.js';
import { exportMarketplaceUsage, type MeteringReport } from './metering-export.js';
import { cosmosMeteringStore } from './metering-store.js';

/** The part of `@azure/functions`' `app` the timer needs. */
export interface MeteringTimerRegistrar {
  timer?(name: string, options: TimerFunctionOptions): void;
}

/** A metering run's calls: each ≤ 20 s (no buyer waits; Marketplace may be slow under load). */
const METERING_CALL_MS = 20_000;

/**
 * Run one Marketplace metering export now with the app's containers (the timer's body, and `atakora usage export`'s
 * for a Marketplace offer): the fulfillment app's secret read now; undefined (logged) when it is unset.
 *
 * @example
 * ```ts
 * const report = await runMarketplaceMetering(api, usageContainer);
 * ```
 */
export async function runMarketplaceMetering(
  api: MarketplaceApi,
  usage: Container,
  options: { readonly now?: () => number; readonly closeOpenHour?: boolean } = {},
): Promise<MeteringReport | undefined> {
  const client = api.client(METERING_CALL_MS);
  if (!client) {
    api.log({
      outcome: 'secret_missing',
      message:
        `The fulfillment app's client secret is not set: app setting ${api.marketplace.secret} is empty or an ` +
        'unresolved Key Vault reference. Nothing was sent; the next run sends every hour still due.',
    });
    return undefined;
  }
  const report = await exportMarketplaceUsage({
    marketplace: api.marketplace,
    claims: api.claims,
    read: async (organization) => (await api.admin.read(organization))?.record,
    store: cosmosMeteringStore(usage),
    client,
    ...(options.now ? { now: options.now } : {}),
    ...(options.closeOpenHour ? { closeOpenHour: true } : {}),
    log: (line) => {
      api.log(line);
    },
  });
  api.log({ outcome: report.stopped === undefined ? 'done' : 'stopped', ...report });
  return report;
}

/**
 * Register the Marketplace metering timer (`atakora-marketplace-metering`, 10 minutes past every hour UTC, as the
 * Stripe export's: Marketplace takes an hour for 24 hours, so every hour is tried about twenty times before it is
 * lost) when the host takes timers. `useMonitor` on: a run missed while the app was down is fired; a run that fails is
 * logged and the next one picks up.
 *
 * @example
 * ```ts
 * registerMeteringTimer(app, api, usageContainer);
 * ```
 */
export function registerMeteringTimer(
  app: MeteringTimerRegistrar,
  api: MarketplaceApi,
  usage: Container,
): boolean {
  if (!app.timer) return false;
  app.timer(MARKETPLACE_FUNCTIONS.metering, {
    schedule: BILLING_SCHEDULE,
    runOnStartup: false,
    useMonitor: true,
    handler: async () => {
      try {
        await runMarketplaceMetering(api, usage);
      } catch (e) {
        api.log({ outcome: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    },
  });
  return true;
}
