import type { HttpResponseInit } from '@azure/functions';
import type { CrudStore } from './context.js';
import { problemResponse } from '../http/response.js';
import { withLogNote } from '../http/log.js';
import { fillDefaults } from '../values/item-defaults.js';
import { SCHEMA_VERSION_FIELD, stripSystemFields } from '../values/system-fields.js';
import {
  type ChainFailure,
  type MigrationBudget,
  migrationBudget,
  runChain,
} from './migration-chain.js';

/** An item as a client sees it, or the problem that replaces it. */
export type Presented =
  | {
      readonly ok: true;
      readonly item: Record<string, unknown>;
      /**
       * The stored version when it is newer than the entity's `schemaVersion` (what a rollback of the code leaves):
       * the item is shown as stored, and no write may touch it ({@link refuseAhead}).
       */
      readonly ahead?: number;
    }
  | { readonly ok: false; readonly response: HttpResponseInit };

/**
 * The version a stored item was written under: its hidden field, 1 when absent (written before versions) or
 * malformed (no client can write the field: body.ts drops it). A value above the entity's `schemaVersion` is
 * kept: the item is ahead of the code, never migrated down.
 *
 * @example
 * ```ts
 * storedVersion({ id: '1', _atakoraV: 3 }); // 3
 * storedVersion({ id: '1' });               // 1
 * ```
 */
export function storedVersion(stored: Readonly<Record<string, unknown>>): number {
  const v = Object.hasOwn(stored, SCHEMA_VERSION_FIELD) ? stored[SCHEMA_VERSION_FIELD] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : 1;
}

/**
 * The version of a stored item when it is newer than the entity's current `schemaVersion`, else `undefined`.
 *
 * @example
 * ```ts
 * versionAhead({ entity: { ...entity, schemaVersion: 2 } }, { id: '1', _atakoraV: 3 }); // 3
 * ```
 */
export function versionAhead(
  ctx: Pick<CrudStore, 'entity'>,
  stored: Readonly<Record<string, unknown>>,
): number | undefined {
  const v = storedVersion(stored);
  return v > (ctx.entity.schemaVersion ?? 1) ? v : undefined;
}

/**
 * A write (PUT, PATCH, a seed's replace) to an item stored at a version newer than the code: 409
 * `schema-version-ahead` naming both versions, since writing it would store the older shape under the older
 * version and lose what the newer code wrote. `undefined` when the item is not ahead.
 *
 * @example
 * ```ts
 * const refused = refuseAhead(ctx, stored.resource);
 * if (refused) return refused;
 * ```
 */
export function refuseAhead(
  ctx: Pick<CrudStore, 'entity'>,
  stored: Readonly<Record<string, unknown>>,
): HttpResponseInit | undefined {
  const ahead = versionAhead(ctx, stored);
  if (ahead === undefined) return undefined;
  const current = ctx.entity.schemaVersion ?? 1;
  const id = String(stored['id']);
  return problemResponse(
    'schema-version-ahead',
    `${ctx.entity.entityName} "${id}" is stored at schema version ${String(ahead)}, newer than this API's ` +
      `version ${String(current)} (the code was rolled back): it is served as stored and cannot be written ` +
      `until version ${String(ahead)} or later is deployed again.`,
    { item: id, storedVersion: ahead, currentVersion: current },
  );
}

/** A stored item brought to the current version (or shown as stored when ahead), or why it could not be. */
export type Migrated =
  | { readonly ok: true; readonly item: Record<string, unknown>; readonly ahead?: number }
  | (ChainFailure & { readonly from: number });

/**
 * The whole stored item in the current shape — what a read shows and what `atakora migrate` writes: system fields
 * dropped, defaults filled; an older item through the migrations from its version and checked against the
 * current schema (migration-chain.ts); an item stored at a newer version as stored (`ahead`). Nothing is written.
 *
 * @example
 * ```ts
 * const migrated = await migrateStored(ctx, stored, migrationBudget());
 * if (!migrated.ok) console.error(`step ${migrated.step}: ${migrated.reason}`);
 * ```
 */
export async function migrateStored(
  ctx: Pick<CrudStore, 'entity' | 'migrations'>,
  stored: Readonly<Record<string, unknown>>,
  budget: MigrationBudget,
): Promise<Migrated> {
  const current = ctx.entity.schemaVersion ?? 1;
  const from = storedVersion(stored);
  if (from > current) return { ok: true, item: stripSystemFields(stored), ahead: from };
  if (from === current)
    return { ok: true, item: fillDefaults(ctx.entity.schema, stripSystemFields(stored)) };
  const result = await runChain(ctx.entity, ctx.migrations, stored, from, budget);
  return result.ok ? result : { ...result, from };
}

/**
 * A stored item as a client sees it: {@link migrateStored}'s item (defaults only for the fields a `$select`
 * names), never migrated down when it is ahead of the code. A migration that throws, returns no item or a wrong
 * one, or does not settle within `budget` (the request's; one is started when none is given) is a 500
 * `migration-failed` naming the item, the step and the fields: a wrong value is never served. The migration's own
 * error goes to the request's log line only.
 *
 * @example
 * ```ts
 * const shown = await presentStored(ctx, stored);
 * if (!shown.ok) return shown.response;
 * ```
 */
export async function presentStored(
  ctx: Pick<CrudStore, 'entity' | 'migrations'> & {
    readonly cosmos?: { readonly timeoutMs: number };
  },
  stored: Readonly<Record<string, unknown>>,
  select?: readonly string[],
  budget?: MigrationBudget,
): Promise<Presented> {
  const current = ctx.entity.schemaVersion ?? 1;
  const from = storedVersion(stored);
  // The common case, a current item: only the defaults a `$select` asks for.
  if (from === current)
    return { ok: true, item: fillDefaults(ctx.entity.schema, stripSystemFields(stored), select) };
  const migrated = await migrateStored(
    ctx,
    stored,
    budget ?? migrationBudget(ctx.cosmos?.timeoutMs),
  );
  if (migrated.ok) return migrated;
  return { ok: false, response: migrationFailed(ctx.entity, stored, migrated) };
}

/** The 500 `migration-failed` of an item whose chain failed: item, step and fields for the client, cause logged. */
function migrationFailed(
  entity: CrudStore['entity'],
  stored: Readonly<Record<string, unknown>>,
  failure: ChainFailure & { readonly from: number },
): HttpResponseInit {
  const from = failure.from;
  const id = String(stored['id']);
  const current = entity.schemaVersion ?? 1;
  const fields = failure.errors ? [...new Set(failure.errors.map((e) => e.field))] : [];
  return withLogNote(
    problemResponse(
      'migration-failed',
      `${entity.entityName} "${id}" could not be migrated from version ${String(from)} to ` +
        `${String(current)}: migration ${String(failure.step)} failed (${failure.reason}).`,
      {
        item: id,
        step: failure.step,
        ...(fields.length ? { field: fields[0], errors: failure.errors } : {}),
      },
    ),
    `migration ${String(failure.step)} of ${entity.componentId} failed on "${id}": ${failure.reason}` +
      (failure.cause ? ` (${failure.cause})` : ''),
  );
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
  ctx: Pick<CrudStore, 'entity'>,
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
  ctx: Pick<CrudStore, 'entity' | 'pkField'>,
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
  ctx: Pick<CrudStore, 'entity'>,
  item: T,
): T {
  const current = ctx.entity.schemaVersion;
  return current === undefined ? item : { ...item, [SCHEMA_VERSION_FIELD]: current };
}
