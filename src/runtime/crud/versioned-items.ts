import type { HttpResponseInit } from '@azure/functions';
import type { CrudContext } from '../data/context.js';
import { problemResponse } from '../http/response.js';
import { withLogNote } from '../http/log.js';
import { fillDefaults } from '../values/item-defaults.js';
import { SCHEMA_VERSION_FIELD, stripSystemFields } from '../values/system-fields.js';
import { TENANT_FIELD } from '../values/tenancy.js';

/** An item as a client sees it, or the problem that replaces it. */
export type Presented =
  | { readonly ok: true; readonly item: Record<string, unknown> }
  | { readonly ok: false; readonly response: HttpResponseInit };

/**
 * The version a stored item was written under: its hidden field, 1 when absent (written before versions) or
 * malformed (no client can write the field: body.ts drops it; a value outside 1…current is treated as 1 so the
 * whole chain runs rather than none).
 */
export function storedVersion(stored: Readonly<Record<string, unknown>>, current: number): number {
  const v = Object.hasOwn(stored, SCHEMA_VERSION_FIELD) ? stored[SCHEMA_VERSION_FIELD] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= current ? v : 1;
}

/**
 * A stored item in the current shape: system fields dropped, migrations from its version up to the entity's
 * `schemaVersion` applied in order, defaults filled (`select`: only those a `$select` names). Nothing is written
 * back. A migration that throws or returns no object turns into a 500 `migration-failed` naming the item and the
 * step; the cause goes to the request's log line only.
 *
 * @example
 * ```ts
 * const shown = await presentStored(ctx, stored);
 * if (!shown.ok) return shown.response;
 * ```
 */
export async function presentStored(
  ctx: Pick<CrudContext, 'entity' | 'migrations'>,
  stored: Readonly<Record<string, unknown>>,
  select?: readonly string[],
): Promise<Presented> {
  const current = ctx.entity.schemaVersion ?? 1;
  let item = stripSystemFields(stored);
  const from = current > 1 ? storedVersion(stored, current) : current;
  if (from < current) {
    const tenant = typeof stored[TENANT_FIELD] === 'string' ? stored[TENANT_FIELD] : undefined;
    for (let step = from + 1; step <= current; step++) {
      const migrate = ctx.migrations?.[step];
      try {
        if (!migrate) throw new Error(`no migration for version ${String(step)} is loaded`);
        const next: unknown = await migrate(item, { tenant });
        if (!next || typeof next !== 'object' || Array.isArray(next))
          throw new Error(`returned ${next === null ? 'null' : typeof next}, not an item`);
        item = stripSystemFields(next as Record<string, unknown>);
      } catch (e) {
        const id = String(stored['id']);
        const cause = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
        return {
          ok: false,
          response: withLogNote(
            problemResponse(
              'migration-failed',
              `${ctx.entity.entityName} "${id}" could not be migrated from version ` +
                `${String(step - 1)} to ${String(step)}.`,
              { item: id, step },
            ),
            `migration ${String(step)} of ${ctx.entity.componentId} failed on "${id}": ${cause}`,
          ),
        };
      }
    }
    // What identifies and confines the item is the stored one's, whatever a migration did to it.
    const owner = ctx.entity.ownerField ?? 'ownerId';
    for (const key of ['id', TENANT_FIELD, owner, ctx.entity.partitionKey.slice(1)])
      if (Object.hasOwn(stored, key)) item[key] = stored[key];
  }
  return { ok: true, item: fillDefaults(ctx.entity.schema, item, select) };
}

/**
 * A list query for a versioned entity selects whole items: a migration needs the whole item, so `$select` is
 * applied after it ({@link projected}) rather than in Cosmos DB.
 *
 * @example
 * ```ts
 * compileListQuery(fullItemsWhenVersioned(ctx, query), ctx.pkField);
 * ```
 */
export function fullItemsWhenVersioned<Q extends { readonly select?: readonly string[] }>(
  ctx: Pick<CrudContext, 'entity'>,
  query: Q,
): Q {
  if ((ctx.entity.schemaVersion ?? 1) <= 1 || query.select === undefined) return query;
  const { select: _dropped, ...rest } = query;
  return rest as Q;
}

/**
 * `item` cut down to a `$select` (plus `id` and the partition key, as the Cosmos projection keeps them) when the
 * entity is versioned; otherwise as it is (Cosmos DB projected it already).
 *
 * @example
 * ```ts
 * projected(ctx, { id: '1', a: 1, b: 2 }, ['a']); // { id: '1', a: 1 } on a versioned entity
 * ```
 */
export function projected(
  ctx: Pick<CrudContext, 'entity' | 'pkField'>,
  item: Record<string, unknown>,
  select: readonly string[] | undefined,
): Record<string, unknown> {
  if ((ctx.entity.schemaVersion ?? 1) <= 1 || select === undefined) return item;
  const keep = new Set(['id', ctx.pkField, ...select]);
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

/**
 * Stamp the entity's current schema version on an item about to be written (a copy): every write stores the
 * current shape, so its version is the current one. Entities without `schemaVersion` store nothing extra.
 *
 * @example
 * ```ts
 * ctx.container.items.create(withVersion(ctx, item));
 * ```
 */
export function withVersion<T extends Record<string, unknown>>(
  ctx: Pick<CrudContext, 'entity'>,
  item: T,
): T {
  const current = ctx.entity.schemaVersion;
  return current === undefined ? item : { ...item, [SCHEMA_VERSION_FIELD]: current };
}
