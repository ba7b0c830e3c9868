import type { HttpRequest } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { isWellFormed } from './text-checks.js';

/**
 * Header (or `?pk=` query) carrying the partition key value for other partition key paths, so an item can
 * be read without a cross-partition query.
 *
 * @example
 * ```ts
 * // partitionKey '/region'
 * const apiEndpoint = 'https://func-backend-prod-k3x9a1.azurewebsites.net/api/stores';
 * const request = new Request(`${apiEndpoint}/42`, { headers: { [PARTITION_HEADER]: 'eu' } }); // same as GET …/42?pk=eu
 * ```
 */
export const PARTITION_HEADER = 'x-partition-key';

/** A partition key value as Cosmos accepts it for a single-path key. */
export type PartitionValue = string | number | boolean;

/**
 * The item property that holds the partition key (`/tenantId` → `tenantId`). The manifest loader only
 * admits single-segment paths, so this is always a top-level field.
 *
 * @example
 * ```ts
 * partitionField({ partitionKey: '/tenantId' } as RuntimeEntity); // 'tenantId'
 * ```
 */
export function partitionField(entity: RuntimeEntity): string {
  return entity.partitionKey.slice(1);
}

/**
 * Whether the entity is multi-tenant: partitioned by `/tenantId`, every request scoped by the caller's tenant.
 *
 * @example
 * ```ts
 * isTenantScoped({ partitionKey: '/tenantId' } as RuntimeEntity); // true
 * ```
 */
export function isTenantScoped(entity: RuntimeEntity): boolean {
  return entity.partitionKey === '/tenantId';
}

/** Longest partition key value Cosmos accepts (in bytes, for hash v2); also caps tenant ids. */
export const MAX_KEY_LENGTH = 2048;

/**
 * The partition key value the client passed out of band (`?pk=` or `x-partition-key`), converted to the
 * schema's type for the field so that a numeric key matches a numeric stored value.
 *
 * @example
 * ```ts
 * // GET /api/orders/42?pk=eu  with partitionKey '/region'
 * explicitPartitionValue(entity, request); // 'eu'
 * ```
 */
export function explicitPartitionValue(
  entity: RuntimeEntity,
  request: HttpRequest,
): PartitionValue | undefined {
  const raw = request.query.get('pk') ?? request.headers.get(PARTITION_HEADER) ?? undefined;
  if (raw === undefined || raw === '' || raw.length > MAX_KEY_LENGTH || !isWellFormed(raw))
    return undefined;
  const type = entity.schema[partitionField(entity)]?.type;
  if (type === 'number' || type === 'integer') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/**
 * Whether a value can serve as a partition key value (Cosmos: string, number or boolean).
 *
 * @example
 * ```ts
 * isPartitionValue('eu'); // true
 * isPartitionValue({});   // false
 * ```
 */
export function isPartitionValue(value: unknown): value is PartitionValue {
  return (
    (typeof value === 'string' &&
      value.length > 0 &&
      value.length <= MAX_KEY_LENGTH &&
      isWellFormed(value)) ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    typeof value === 'boolean'
  );
}
