import type { UsageMeter } from './usage-meter.js';

/**
 * One request's entry in the usage ledger: the tenant it is counted under (the registry stage names it) and where
 * the bytes it stores or frees go. Only a request the ledger meters has one (`ctx.usage`): the CRUD writes measure
 * sizes only then.
 *
 * @example
 * ```ts
 * ctx.usage?.record({ itemBytes: jsonBytes(created) });
 * ```
 */
export interface RequestUsage {
  readonly tenant: string;
  /**
   * Count bytes the request stored (positive) or freed (negative), in items or files — for its tenant, or for
   * `owner`, the tenant they belong to (a shared item's creator).
   */
  record(delta: { readonly itemBytes?: number; readonly fileBytes?: number }, owner?: string): void;
}

/**
 * The ledger entry of a request counted under `tenant` on `meter`.
 *
 * @example
 * ```ts
 * const usage = requestUsage(services.meter, 'contoso');
 * ```
 */
export function requestUsage(meter: UsageMeter, tenant: string): RequestUsage {
  return Object.freeze({
    tenant,
    record: (
      delta: { readonly itemBytes?: number; readonly fileBytes?: number },
      owner: string = tenant,
    ) => {
      meter.bytes(owner, delta);
    },
  });
}

/** The ledger's tenant of callers without a directory it knows. */
export const ANONYMOUS_TENANT = 'anonymous';

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
