import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { UsageMeter } from './usage-meter.js';
import { registryBinding } from '../values/process-binding.js';

// The process's usage meters, by the ledger they write: registered once at start (register-routes.ts), read once by
// what is built apart from the route registration (a FunctionsApp's gate: pipeline/services.ts `boundServices`) —
// never per request: a request's stages get their meter in the context.

const meters = registryBinding<'usage', UsageMeter>('atakora.runtime.usageMeters', 'usage');

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
  const before = meters.bind(registry, meter);
  if (before !== meter) before?.close();
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
export const boundUsageMeter = (
  registry: Pick<RuntimeTenantRegistry, 'database' | 'usage'>,
): UsageMeter | undefined => meters.bound(registry);
