import type { HttpResponseInit } from '@azure/functions';
import { DEFAULT_OWNER_FIELD } from '../../model/runtime-manifest.js';
import { stampChange } from '../events/change-feed.js';
import { checkItemSize } from '../http/body.js';
import { problemResponse } from '../http/response.js';
import { validateItem } from '../http/schema-validator.js';
import { CREATOR_TENANT_FIELD } from '../values/system-fields.js';
import { isIsolated } from '../values/tenancy.js';
import type { CrudRequest } from './context.js';
import { withVersion } from './versioned-items.js';

/**
 * An item as every write stores it: stamped with its operation where a change feed reads the container
 * (events/change-feed.ts), at the current schema version (versioned-items.ts), and — on a shared entity — with
 * the directory of the caller who created it (`CREATOR_TENANT_FIELD`): on create the caller's (admitted)
 * directory, on a replace or merge the stored item's — never a value from the body (body.ts drops hidden fields)
 * and never changed by a later writer, so that a customer's export and erasure find the shared items its users
 * created even when they own nothing else, and their bytes count for that customer whoever writes them
 * (crud/item-bytes.ts). An item stored before the field existed is adopted by its owner's first write (the owner's
 * directory is stamped: the directory it was created in); another caller's write leaves it without (its owner
 * still makes it the customer's). Isolated entities carry the tenant itself and get no creator.
 *
 * @example
 * ```ts
 * ctx.container.items.create(storedForm(ctx, item, 'create')); // { …item, _atakoraTid: '72f9…' }
 * ```
 */
export function storedForm(
  ctx: Pick<CrudRequest, 'entity' | 'call' | 'stampsChanges'>,
  item: Record<string, unknown>,
  operation: 'create' | 'replace' | 'update',
  stored?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const versioned = withVersion(
    ctx,
    ctx.stampsChanges ? stampChange({ ...item }, operation) : item,
  );
  if (isIsolated(ctx.entity)) return versioned;
  const kept = stored?.[CREATOR_TENANT_FIELD];
  const caller = ctx.call.caller;
  const creator =
    typeof kept === 'string'
      ? kept
      : stored === undefined ||
          (caller.id !== undefined &&
            stored[ctx.entity.ownerField ?? DEFAULT_OWNER_FIELD] === caller.id)
        ? caller.directory
        : undefined;
  return typeof creator === 'string'
    ? { ...versioned, [CREATOR_TENANT_FIELD]: creator }
    : versioned;
}

/**
 * What every write checks of the item it would store, nothing read or written yet: the schema (400 `validation`
 * naming each field) and the size (413 `item-too-large`); undefined when it may be stored.
 *
 * @example
 * ```ts
 * const refused = refusedItem(ctx, item, 'The body');
 * if (refused) return refused;
 * ```
 */
export function refusedItem(
  ctx: Pick<CrudRequest, 'entity'>,
  item: Record<string, unknown>,
  subject: 'The body' | 'The merged item',
): HttpResponseInit | undefined {
  const errors = validateItem(ctx.entity, item);
  if (errors.length > 0)
    return problemResponse('validation', `${subject} is not a valid ${ctx.entity.entityName}.`, {
      errors,
    });
  return checkItemSize(item);
}
