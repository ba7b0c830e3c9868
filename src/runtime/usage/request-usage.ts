import { context } from '@opentelemetry/api';
import { chargeOf, type RequestCharge, withCharge } from '../telemetry/tracer.js';
import { requestTrace, traceRequest } from '../telemetry/request-trace.js';
import { recordBytes } from './usage-binding.js';

// The ledger's tenant of each request the registry stage placed, by the request object: weak, gone with it.
const tenants = new WeakMap<object, string>();

/**
 * The tenant the usage ledger counts `request` under (its directory, when the registry knows it or it is the home
 * directory); set once by the registry stage.
 *
 * @example
 * ```ts
 * markLedgerTenant(ctx.request, tid);
 * ```
 */
export function markLedgerTenant(request: object, tenant: string): void {
  tenants.set(request, tenant);
}

/**
 * The ledger's tenant of `request`; undefined for a caller of no directory the registry knows (the ledger counts
 * those under `anonymous`, so a stranger's tokens never add tenants to it).
 *
 * @example
 * ```ts
 * meter.request(ledgerTenantOf(request) ?? ANONYMOUS_TENANT, outcome);
 * ```
 */
export function ledgerTenantOf(request: object): string | undefined {
  return tenants.get(request);
}

/** The ledger's tenant of callers without a directory it knows. */
export const ANONYMOUS_TENANT = 'anonymous';

/**
 * Count bytes a request stored or freed under its ledger tenant; nothing for a request the ledger does not meter.
 *
 * @example
 * ```ts
 * recordRequestBytes(request, { itemBytes: sizeOf(created) });
 * ```
 */
export function recordRequestBytes(
  request: object,
  delta: { readonly itemBytes?: number; readonly fileBytes?: number },
): void {
  const tenant = tenants.get(request);
  if (tenant !== undefined) recordBytes(tenant, delta);
}

/** Whether `request` is metered (its bytes counted): the CRUD writes measure sizes only then. */
export function isMetered(request: object): boolean {
  return tenants.has(request);
}

/**
 * The RU tally of `request`'s Cosmos DB calls, whatever the trace sampling: the server span's when one is
 * recording, else one added to the request's trace context (or to the active one when untraced), which every
 * Cosmos DB call of the request reaches through `tracedPolicy` (runtime/telemetry/cosmos-span.ts adds to it).
 *
 * @example
 * ```ts
 * const charge = requestCharge(request);
 * // … the request's calls …
 * charge.ru; // 6.29
 * ```
 */
export function requestCharge(request: object): RequestCharge {
  const traced = requestTrace(request);
  const held = traced && chargeOf(traced);
  if (held) return held;
  const charge: RequestCharge = { ru: 0 };
  traceRequest(request, withCharge(traced ?? context.active(), charge));
  return charge;
}

/**
 * The bytes an item takes as JSON (UTF-8), what the ledger counts of an item stored or removed.
 *
 * @example
 * ```ts
 * jsonBytes({ id: 'a' }); // 10
 * ```
 */
export function jsonBytes(item: unknown): number {
  return item === undefined ? 0 : Buffer.byteLength(JSON.stringify(item));
}
