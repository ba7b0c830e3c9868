import { context } from '@opentelemetry/api';
import { chargeOf, type RequestCharge, withCharge } from '../telemetry/tracer.js';
import { requestTrace, traceRequest } from '../telemetry/request-trace.js';
import { recordBytes } from './usage-binding.js';

/**
 * What the ledger knows of one request the registry stage placed: its tenant, and the limit headers its answer
 * carries (limit-headers.ts). One record per request, by the request object (weak, gone with it): one WeakMap
 * entry instead of one per concern, on the path of every request of a registry backend.
 */
export interface LedgerMark {
  tenant: string;
  limitHeaders: Readonly<Record<string, string>> | undefined;
}

const marks = new WeakMap<object, LedgerMark>();

/**
 * The ledger's record of `request`, undefined for a request the ledger does not meter.
 *
 * @example
 * ```ts
 * const mark = ledgerMark(request);
 * if (mark) mark.limitHeaders = headers;
 * ```
 */
export function ledgerMark(request: object): LedgerMark | undefined {
  return marks.get(request);
}

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
  const mark = marks.get(request);
  if (mark) mark.tenant = tenant;
  else marks.set(request, { tenant, limitHeaders: undefined });
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
  return marks.get(request)?.tenant;
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
  const mark = marks.get(request);
  if (mark) recordBytes(mark.tenant, delta);
}

/** Whether `request` is metered (its bytes counted): the CRUD writes measure sizes only then. */
export function isMetered(request: object): boolean {
  return marks.has(request);
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
