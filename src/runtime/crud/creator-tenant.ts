import type { CrudContext } from './context.js';
import { CREATOR_TENANT_FIELD } from '../values/system-fields.js';
import { isIsolated } from '../values/tenancy.js';

/**
 * An item of a shared entity about to be written, with the directory of the caller who created it
 * (`CREATOR_TENANT_FIELD`): on create the caller's (admitted) directory, on a replace the stored item's — never a
 * value from the body (body.ts drops hidden fields) and never changed by a later writer, so that a customer's
 * export and erasure find the shared items its users created even when they own nothing else. An item stored
 * before the field existed stays without it (its owner still makes it the customer's). Isolated entities carry
 * the tenant itself and get nothing.
 *
 * @example
 * ```ts
 * ctx.container.items.create(withCreatorTenant(ctx, item)); // { …item, _atakoraTid: '72f9…' }
 * ```
 */
export function withCreatorTenant<T extends Record<string, unknown>>(
  ctx: Pick<CrudContext, 'entity' | 'call'>,
  item: T,
  stored?: Readonly<Record<string, unknown>>,
): T {
  if (isIsolated(ctx.entity)) return item;
  const creator = stored === undefined ? ctx.call?.caller.directory : stored[CREATOR_TENANT_FIELD];
  return typeof creator === 'string' ? { ...item, [CREATOR_TENANT_FIELD]: creator } : item;
}
