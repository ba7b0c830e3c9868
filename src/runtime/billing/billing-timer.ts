import type { Container, Database } from '@azure/cosmos';
import type { TimerFunctionOptions } from '@azure/functions';
import {
  BILLING_FUNCTION,
  BILLING_SCHEDULE,
  STRIPE_API_BASE_SETTING,
} from '../../model/billing.js';
import type {
  RuntimeAuth,
  RuntimeEntity,
  RuntimeManifest,
  RuntimeTenantRegistry,
} from '../../model/runtime-manifest.js';
import { cosmosBillingStore } from './billing-store.js';
import { type ExportInput, type ExportReport, exportUsage } from './export-usage.js';
import type { MeterEventSender } from './meter-sender.js';

export { STRIPE_API_BASE_SETTING } from '../../model/billing.js';

/** What the timer needs besides the manifest: the app settings (the key's), and optionally its sender and clock. */
export interface BillingDeps {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the official SDK (atakora-billing.ts) with the key and `STRIPE_API_BASE`. */
  readonly sender?: MeterEventSender;
  readonly now?: () => number;
  readonly pacing?: ExportInput['pacing'];
}

/** The part of `@azure/functions`' `app` the timer needs. */
export interface TimerRegistrar {
  timer?(name: string, options: TimerFunctionOptions): void;
}

const logLine = (line: Record<string, unknown>) => {
  console.log(JSON.stringify({ component: 'runtime', operation: 'billing-export', ...line }));
};

/**
 * The Stripe key from the app setting the config names (a Key Vault reference the platform resolved in Azure, the
 * environment variable under `atakora dev`); undefined when unset or unresolved (a reference still as written: the
 * app's identity cannot read the secret, or it has no value yet).
 */
export function stripeKeyOf(
  billing: NonNullable<RuntimeTenantRegistry['billing']>,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const key = env[billing.secret]?.trim();
  return key && !key.startsWith('@Microsoft.KeyVault(') ? key : undefined;
}

/**
 * Run one export with the runtime's containers: the key read now (a rotated secret counts from the next run), the
 * SDK loaded now (a file of its own in the package: only an app with billing ever loads it). Resolves with the
 * report, or undefined when there is no key (logged once per run, never the value).
 *
 * @example
 * ```ts
 * await runBillingExport('saas', registry, database, { env: process.env });
 * ```
 */
export async function runBillingExport(
  backendId: string,
  registry: RuntimeTenantRegistry,
  database: Database,
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

/** What the registration reads of the routes' dependencies: the caller policy and the entities' containers. */
export interface BillingRegistration {
  readonly caller?: RuntimeAuth | undefined;
  containerFor(entity: RuntimeEntity): Container;
  readonly billing?: BillingDeps | undefined;
}

/**
 * Register the billing timer (`atakora-billing`, 10 minutes past every hour UTC) when the registry has billing and
 * the host takes timers: each run exports every hour due (runtime/billing/export-usage.ts) on the registry's
 * database, through the first entity's client (its identity holds a data role there). A run that fails is logged and
 * ends; the next one picks up where it stopped. `runOnStartup` stays off (a restart storm would be a run each),
 * `useMonitor` on: the host then fires a run missed while the app was down.
 *
 * @example
 * ```ts
 * registerBillingTimer(app, manifest, { caller, containerFor, billing: { env: process.env } });
 * ```
 */
export function registerBillingTimer(
  app: TimerRegistrar,
  manifest: RuntimeManifest,
  routes: BillingRegistration,
): boolean {
  const registry = routes.caller?.registry ?? manifest.auth?.registry;
  const first = manifest.entities[0];
  if (!registry?.billing || !app.timer || !first) return false;
  const deps = routes.billing ?? {};
  const database = (): Database =>
    routes.containerFor(first).database.client.database(registry.database);
  app.timer(BILLING_FUNCTION, {
    schedule: BILLING_SCHEDULE,
    runOnStartup: false,
    useMonitor: true,
    handler: async () => {
      try {
        await runBillingExport(manifest.backendId, registry, database(), deps);
      } catch (e) {
        logLine({ outcome: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    },
  });
  return true;
}
