import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { UsageMeter } from './usage-meter.js';

// The process's usage meters, by the ledger they write: registered once at start (register-routes.ts), read once by
// what is built apart from the route registration (a FunctionsApp's gate: pipeline/services.ts `boundServices`) —
// never per request: a request's stages get their meter in the context.

// A registry symbol, not a module variable: the app's HTTP functions may load another copy of this module than the
// runtime that bound the meter (as the tenant registry's binding does).
const KEY = Symbol.for('atakora.runtime.usageMeters');

function bound(): Map<string, UsageMeter> {
  const g = globalThis as { [KEY]?: Map<string, UsageMeter> };
  return (g[KEY] ??= new Map<string, UsageMeter>());
}

const ledgerName = (r: Pick<RuntimeTenantRegistry, 'database' | 'usage'>): string =>
  `${r.database}/${r.usage}`;

/**
 * Bind the meter that counts the requests of every route whose registry names `registry`'s ledger: one per
 * process (a meter bound before it is closed), what {@link boundUsageMeter} finds for routes built later.
 *
 * @example
 * ```ts
 * bindUsageMeter(manifest.auth.registry, new UsageMeter(cosmosUsageStore(container)));
 * ```
 */
export function bindUsageMeter(
  registry: Pick<RuntimeTenantRegistry, 'database' | 'usage'>,
  meter: UsageMeter,
): UsageMeter {
  const meters = bound();
  const before = meters.get(ledgerName(registry));
  if (before !== meter) before?.close();
  meters.set(ledgerName(registry), meter);
  return meter;
}

/**
 * The meter bound for `registry`'s ledger, or undefined (no ledger: nothing is counted, no limit applies).
 *
 * @example
 * ```ts
 * const meter = boundUsageMeter(policy.registry);
 * ```
 */
export function boundUsageMeter(
  registry: Pick<RuntimeTenantRegistry, 'database' | 'usage'>,
): UsageMeter | undefined {
  return bound().get(ledgerName(registry));
}
