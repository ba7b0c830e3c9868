import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { UsageMeter } from './usage-meter.js';

// The process's usage meters, by the ledger they write: what the pipeline, the publisher and the file handlers
// count with, apart from the meter's own counting (usage-meter.ts).

// A registry symbol, not a module variable: the app's HTTP functions may load another copy of this module than the
// runtime that bound the meter (as the tenant registry's binding does).
const KEY = Symbol.for('atakora.runtime.usageMeters');

interface Bound {
  readonly byLedger: Map<string, UsageMeter>;
  current: UsageMeter | undefined;
  /** Counts the bindings of every copy of this module, so what a copy remembers of the last lookup can go stale. */
  bindings?: number;
}

// This copy's handle on the shared record: it never changes once made, so it is looked up once, not per request.
let mine: Bound | undefined;

function bound(): Bound {
  if (mine) return mine;
  const g = globalThis as { [KEY]?: Bound };
  return (mine = g[KEY] ??= { byLedger: new Map(), current: undefined });
}

// Each request asks for its registry's meter: the name is made once per registry object, not per request.
const names = new WeakMap<object, string>();
const ledgerName = (r: Pick<RuntimeTenantRegistry, 'database' | 'usage'>): string => {
  let name = names.get(r);
  if (name === undefined) names.set(r, (name = `${r.database}/${r.usage}`));
  return name;
};

/**
 * Bind the meter that counts the requests of every route whose registry names `registry`'s ledger (and what
 * {@link recordMessages} and {@link recordBytes} count): one per process.
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
  const b = bound();
  b.byLedger.get(ledgerName(registry))?.close();
  b.byLedger.set(ledgerName(registry), meter);
  b.current = meter;
  b.bindings = (b.bindings ?? 0) + 1;
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
  // Asked two or three times per request (the ledger, the limits, the bytes) for the same registry object.
  const b = bound();
  const bindings = b.bindings ?? 0;
  if (last && last.registry === registry && last.bindings === bindings) return last.meter;
  const meter = b.byLedger.get(ledgerName(registry));
  last = { registry, bindings, meter };
  return meter;
}

// The last answer of boundUsageMeter, good until a meter is bound again (by any copy of this module).
let last:
  | {
      readonly registry: object;
      readonly bindings: number;
      readonly meter: UsageMeter | undefined;
    }
  | undefined;

/**
 * Count `n` realtime messages sent to `tenant` (its directory id) in the usage ledger; nothing without a ledger.
 *
 * @example
 * ```ts
 * recordMessages('72f988bf-…', recipients.length);
 * ```
 */
export function recordMessages(tenant: string, n: number): void {
  bound().current?.messages(tenant, n);
}

/**
 * Count bytes `tenant` stored (positive) or freed (negative) in items and files in the usage ledger; nothing
 * without a ledger.
 *
 * @example
 * ```ts
 * recordBytes('72f988bf-…', { fileBytes: upload.size });
 * recordBytes('72f988bf-…', { fileBytes: -file.size });
 * ```
 */
export function recordBytes(
  tenant: string,
  delta: { readonly itemBytes?: number; readonly fileBytes?: number },
): void {
  bound().current?.bytes(tenant, delta);
}
