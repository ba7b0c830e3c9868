import { DEFAULT_OWNER_FIELD } from '../../model/runtime-manifest.js';
import type { CrudContext } from '../data/context.js';
import { CREATOR_TENANT_FIELD } from '../values/system-fields.js';
import { isIsolated } from '../values/tenancy.js';

/**
 * An item of a shared entity about to be written, with the directory of the caller who created it
 * (`CREATOR_TENANT_FIELD`): on create the caller's (admitted) directory, on a replace the stored item's — never a
 * value from the body (body.ts drops hidden fields) and never changed by a later writer, so that a customer's
 * export and erasure find the shared items its users created even when they own nothing else, and their bytes
 * count for that customer whoever writes them (crud/item-bytes.ts). An item stored before the field existed is
 * adopted by its owner's first write (the owner's directory is stamped: the directory it was created in); another
 * caller's write leaves it without (its owner still makes it the customer's). Isolated entities carry the tenant
 * itself and get nothing.
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
  const kept = stored?.[CREATOR_TENANT_FIELD];
  const caller = ctx.call?.caller;
  const creator =
    typeof kept === 'string'
      ? kept
      : stored === undefined ||
          (caller?.id !== undefined &&
            stored[ctx.entity.ownerField ?? DEFAULT_OWNER_FIELD] === caller.id)
        ? caller?.directory
        : undefined;
  return typeof creator === 'string' ? { ...item, [CREATOR_TENANT_FIELD]: creator } : item;
}
