import type { Database } from '@azure/cosmos';
import type { InvocationContext, TimerFunctionOptions } from '@azure/functions';
import {
  BILLING_FUNCTION,
  DEFAULT_ENVIRONMENT,
  BILLING_SCHEDULE,
  STRIPE_API_BASE_SETTING,
  stripeKeyIn,
} from '../../model/billing.js';
import { AtakoraError } from '../../model/errors.js';
import type { RuntimeManifest, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { RuntimeEventLogger } from '../http/event-log.js';
import { cosmosBillingStore } from './billing-store.js';
import { type ExportInput, type ExportReport, exportUsage } from './export-usage.js';
import type { MeterEventSender } from './meter-sender.js';
import type { SubscriptionsStripe } from './subscriptions-port.js';

export { STRIPE_API_BASE_SETTING } from '../../model/billing.js';

/** What the timer needs besides the manifest: the app settings (the key's), and optionally its sender and clock. */
export interface BillingDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the official SDK (atakora-billing.ts) with the key and `STRIPE_API_BASE`. */
  readonly sender?: MeterEventSender;
  readonly now?: () => number;
  readonly pacing?: ExportInput['pacing'];
  /** Default: the official SDK with the key and `STRIPE_API_BASE` (stripe-subscriptions-sdk.ts). */
  readonly subscriptions?: SubscriptionsStripe;
}

/** The part of `@azure/functions`' `app` the timer needs. */
export interface TimerRegistrar {
  timer?(name: string, options: TimerFunctionOptions): void;
}

/**
 * What the app's services hand the timer (routes/app-services.ts): the tenant registry's database — the registry
 * and the usage ledger — through the client the composition root made for it, and the runtime's logger.
 */
export interface BillingServices {
  readonly registryDatabase?: Database | undefined;
  readonly log: RuntimeEventLogger;
  /**
   * With per-seat prices: the per-seat quantities a join or removal could not give Stripe, set again each run
   * (routes/seat-quantity-wiring.ts) — a removal while Stripe failed is billed no longer than until the next run.
   */
  readonly settleSeats?: () => Promise<{ owed: number; settled: number }>;
}

/** One line of the export's, through the runtime's logger. */
type ExportLog = (line: Record<string, unknown>) => void;

const exportLog =
  (log: RuntimeEventLogger, context: InvocationContext): ExportLog =>
  (line) => {
    // The export's own notes name an event (a tenant left out, a stop): that is their outcome.
    const outcome = typeof line['event'] === 'string' ? line['event'] : 'progress';
    log({ outcome, ...line, component: 'runtime', operation: 'billing-export' }, context);
  };

/**
 * The Stripe key from the app setting the config names (a Key Vault reference the platform resolved in Azure, the
 * environment variable under `atakora dev`); undefined when unset or unresolved — the rule the CLI reads it by too
 * (model/billing.ts `stripeKeyIn`).
 */
export function stripeKeyOf(
  billing: NonNullable<RuntimeTenantRegistry['billing']>,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return stripeKeyIn(env[billing.secret]);
}

/**
 * Run one export with the runtime's containers: the key read now (a rotated secret counts from the next run), the
 * SDK loaded now (a file of its own in the package: only an app with billing ever loads it). Resolves with the
 * report, or undefined when there is no key (logged once per run, never the value).
 *
 * @example
 * ```ts
 * await runBillingExport({ backendId: 'saas', environment: 'prod' }, registry, database, console.log);
 * ```
 */
export async function runBillingExport(
  { backendId, environment }: { readonly backendId: string; readonly environment: string },
  registry: RuntimeTenantRegistry,
  database: Database,
  logLine: ExportLog,
  deps: BillingDeps = {},
): Promise<ExportReport | undefined> {
  const billing = registry.billing;
  if (!billing) return undefined;
  const env = deps.env ?? process.env;
  let sender = deps.sender;
  if (!sender) {
    const key = stripeKeyOf(billing, env);
    if (!key) {
      logLine({
        outcome: 'key_missing',
        message:
          `The Stripe key is not set: app setting ${billing.secret} is empty or an unresolved Key Vault reference ` +
          `(atakora secret set <entry> ${billing.secret}). Nothing was sent; the next run sends every hour due.`,
      });
      return undefined;
    }
    const { stripeSender } = await import('./atakora-billing.js');
    sender = stripeSender({ key, apiBase: env[STRIPE_API_BASE_SETTING]?.trim() });
  }
  const report = await exportUsage({
    backendId,
    environment,
    billing,
    store: cosmosBillingStore(
      database.container(registry.container),
      database.container(registry.usage),
    ),
    sender,
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.pacing ? { pacing: deps.pacing } : {}),
    log: logLine,
  });
  logLine({ outcome: report.stopped === undefined ? 'done' : 'stopped', ...report });
  return report;
}

/** The run's pass over the owed per-seat quantities, apart from the export: one failing never stops the other. */
async function settleSeatsOnce(services: BillingServices, logLine: ExportLog): Promise<void> {
  if (!services.settleSeats) return;
  try {
    const { owed, settled } = await services.settleSeats();
    if (owed > 0) logLine({ outcome: 'seats-settled', owed, settled });
  } catch (e) {
    logLine({ outcome: 'seats-failed', message: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * Register the billing timer (`atakora-billing`, 10 minutes past every hour UTC) when the registry has billing and
 * the host takes timers: each run exports every hour due (runtime/billing/export-usage.ts) on the registry's
 * database the app's services hold, its lines through the runtime's logger. A run that fails is logged and ends; the
 * next one picks up where it stopped. Each run then sets the per-seat quantities marked owed (`settleSeats`).
 * `runOnStartup` stays off (a restart storm would be a run each), `useMonitor`
 * on: the host then fires a run missed while the app was down.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID` when the registry has billing but the app has no client for the
 *   registry's database (no CrudApi and no `RegisterDeps.registryDatabase`): refused at start, never skipped.
 * @example
 * ```ts
 * registerBillingTimer(app, manifest, registry, { registryDatabase, log: contextEventLogger }, { env: process.env });
 * ```
 */
export function registerBillingTimer(
  app: TimerRegistrar,
  manifest: RuntimeManifest,
  registry: RuntimeTenantRegistry | undefined,
  services: BillingServices,
  deps: BillingDeps = {},
): boolean {
  if (!registry?.billing || !app.timer) return false;
  const database = services.registryDatabase;
  if (!database)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `tenants.billing exports the usage ledger of ${registry.database}/${registry.usage} to Stripe, but the app has ` +
        'no Cosmos DB client for the registry database.',
      {
        path: ['auth', 'registry', 'database'],
        resolution:
          'Hand the registry database to the registration (RegisterDeps.registryDatabase), or declare a CrudApi on ' +
          "the registry's account (its identity holds a data role on the registry).",
      },
    );
  app.timer(BILLING_FUNCTION, {
    schedule: BILLING_SCHEDULE,
    runOnStartup: false,
    useMonitor: true,
    handler: async (_timer, context) => {
      const logLine = exportLog(services.log, context);
      try {
        const environment = manifest.environment ?? DEFAULT_ENVIRONMENT;
        await runBillingExport(
          { backendId: manifest.backendId, environment },
          registry,
          database,
          logLine,
          deps,
        );
      } catch (e) {
        logLine({ outcome: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
      await settleSeatsOnce(services, logLine);
    },
  });
  return true;
}
