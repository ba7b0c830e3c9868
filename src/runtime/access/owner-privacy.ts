import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import { accessOf } from './rules.js';
import { isIsolated } from '../values/tenancy.js';

/**
 * Whether the entity's items must not show their owner to other callers: shared data of a multi-tenant backend,
 * which every customer's users read, and whose owner field holds a user id of the creator's directory — or of a
 * backend whose tenants are organizations (tenants by membership), whose shared data every organization reads.
 *
 * @example
 * ```ts
 * if (hidesOwners(entity, policy)) response = withoutOthersOwners(response, ownerField, callerId);
 * ```
 */
export function hidesOwners(entity: RuntimeEntity, policy: RuntimeAuth | undefined): boolean {
  return (
    !isIsolated(entity) &&
    (policy?.allowedTenants !== undefined || policy?.registry?.membership !== undefined)
  );
}

function strip(item: unknown, field: string, callerId: string | undefined): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const record = item as Record<string, unknown>;
  if (!Object.hasOwn(record, field) || (callerId !== undefined && record[field] === callerId))
    return item;
  const { [field]: _hidden, ...rest } = record;
  return rest;
}

/**
 * The response with the owner field left out of every item that is not the caller's own (an item, or a page's
 * `items`): one customer's user ids never reach another customer. The caller's own items keep it, so a creator
 * still sees they own what they made. Only successful JSON bodies are touched.
 *
 * @example
 * ```ts
 * withoutOthersOwners({ status: 200, body: '{"id":"p1","ownerId":"u9"}' }, 'ownerId', 'u1').body; // '{"id":"p1"}'
 * ```
 */
export function withoutOthersOwners(
  response: HttpResponseInit,
  field: string,
  callerId: string | undefined,
): HttpResponseInit {
  const status = response.status ?? 200;
  if (status < 200 || status >= 300 || typeof response.body !== 'string' || response.body === '')
    return response;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return response;
  }
  const page = body as { items?: unknown } | null;
  const out =
    page && typeof page === 'object' && Array.isArray(page.items)
      ? { ...page, items: page.items.map((i) => strip(i, field, callerId)) }
      : strip(body, field, callerId);
  return out === body ? response : { ...response, body: JSON.stringify(out) };
}

/**
 * The entity as list queries see it when owners are hidden: without its owner field, so `$filter=ownerId eq '…'`
 * (or `$orderby`, `$select` on it) is a 400 naming the field rather than a way to learn who created an item.
 *
 * @example
 * ```ts
 * readListParameters(withoutOwnerField(entity), request); // ownerId is an unknown field there
 * ```
 */
export function withoutOwnerField(entity: RuntimeEntity): RuntimeEntity {
  const { ownerField } = accessOf(entity);
  if (!Object.hasOwn(entity.schema, ownerField)) return entity;
  const { [ownerField]: _hidden, ...schema } = entity.schema;
  return { ...entity, schema };
}
