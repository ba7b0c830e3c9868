import type { Container, FeedResponse } from '../azure/cosmos.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { ItemMigration } from '../../runtime/data/context.js';
import { type ChainFailure, migrationBudget } from '../../runtime/crud/migration-chain.js';
import { migrateStored, storedVersion } from '../../runtime/crud/versioned-items.js';
import { stampChange } from '../../runtime/events/change-feed.js';
import { CREATOR_TENANT_FIELD, SCHEMA_VERSION_FIELD } from '../../runtime/values/system-fields.js';

/** An item whose migration failed: left as stored, never written. */
export interface FailedItem {
  readonly id: string;
  /** The step (the version it produces) that failed, when known. */
  readonly step?: number;
  /** The fields a wrong result got wrong, when that is why. */
  readonly fields?: readonly string[];
  readonly detail: string;
}

/** What one query page of a run cost and did: what the bench and the progress line read. */
export interface BatchStats {
  /** Items the page held. */
  readonly items: number;
  /** Requests the page took: the query page itself, each replace, each re-read after a lost race. */
  readonly requests: number;
  /** Request units those requests were charged (the `x-ms-request-charge` of each response). */
  readonly requestUnits: number;
}

/** What a rewrite did (or, dry, would do). */
export interface RewriteSummary {
  /** Items seen per stored version (`1` also counts items without the hidden field). */
  readonly versions: Readonly<Record<number, number>>;
  /** Items rewritten to the current version by this run (a dry run: items it would rewrite). */
  readonly rewritten: number;
  /** Items a concurrent write brought to the current version first (left as that write stored them). */
  readonly overtaken: number;
  /** Items whose migration threw, did not settle or gave an item the schema refuses; left as they are. */
  readonly failed: readonly FailedItem[];
  /** Whether the run stopped at `stopAfter` with older items left (run again to finish). */
  readonly stopped: boolean;
  /** Requests and request units of the whole run (queries included). */
  readonly cost: { readonly requests: number; readonly requestUnits: number };
  /** A dry run: the average size (KB) of the migrated items it would write. */
  readonly averageKb?: number;
}

/** Options of {@link rewriteOlderItems}. */
export interface RewriteOptions {
  readonly container: Container;
  readonly entity: RuntimeEntity;
  readonly migrations: Readonly<Record<number, ItemMigration>>;
  /** Run every migration in memory on every older item and write nothing. */
  readonly dryRun?: boolean;
  /** Items per query page (default 100). */
  readonly batchSize?: number;
  /** Stop after this many rewrites (an interrupted run; the next run carries on). */
  readonly stopAfter?: number;
  /** Ids to leave alone (their migration failed in an earlier run: a checkpoint's `failed`). */
  readonly skip?: ReadonlySet<string>;
  /** How long one item's migrations may take (default 10 s): one that does not settle fails that item. */
  readonly migrationTimeoutMs?: number;
  /**
   * Called after each batch with the running totals (and, for a checkpoint, what the run has seen so far); awaited
   * before the next batch.
   */
  readonly onProgress?: (
    done: number,
    failed: number,
    sofar: Pick<RewriteSummary, 'versions' | 'overtaken' | 'failed'>,
    batch: BatchStats,
  ) => void | Promise<void>;
  /** Told of each item rewritten: `next` written over `stored` (its bytes counted in the ledger by the caller). */
  readonly onRewritten?: (
    next: Readonly<Record<string, unknown>>,
    stored: Readonly<Record<string, unknown>>,
  ) => void;
}

/** Items stored under an older version than `v` (no hidden field means version 1). */
export const olderItemsQuery = (v: number): string =>
  `SELECT * FROM c WHERE NOT IS_DEFINED(c["${SCHEMA_VERSION_FIELD}"]) OR c["${SCHEMA_VERSION_FIELD}"] < ${String(v)}`;

const charge = (r: { requestCharge?: number }) =>
  typeof r.requestCharge === 'number' && Number.isFinite(r.requestCharge) ? r.requestCharge : 0;

/** A failed chain as a summary line: the step, the reason, the fields, and the migration's own error. */
function failureOf(
  id: string,
  failure: ChainFailure & { readonly from: number },
  current: number,
): FailedItem {
  const fields = failure.errors ? [...new Set(failure.errors.map((e) => e.field))] : [];
  return {
    id,
    step: failure.step,
    ...(fields.length ? { fields } : {}),
    detail:
      `migration ${String(failure.step)} (version ${String(failure.from)} → ${String(current)}) failed` +
      (fields.length ? ` on ${fields.join(', ')}` : '') +
      `: ${failure.reason}` +
      (failure.cause ? ` (${failure.cause})` : ''),
  };
}

/**
 * Rewrite every item stored under an older schema version into the current one, through the same chain reads
 * use — checked against the current schema as a client's write is, so a wrong result is reported and never
 * stored — each write conditional on the ETag read (`If-Match`): a concurrent write wins, and the item is read
 * again and retried, or left alone when that write already stored the current version. Each rewrite is stamped
 * as the `migrate` operation, so `onChange` (the change feed) tells it from a user's change.
 *
 * One query of the older items, read page by page with its continuation token: each item is read once, so the
 * cost is linear in the items (a query restarted per batch would pass the rewritten ones again and again).
 * Idempotent: the query selects only older items, so a second run, or a run after an interrupted one,
 * rewrites only what is left. Items stored at a newer version than the entity's (a rollback) are never touched.
 *
 * A dry run counts the items per version, runs every migration in memory on every older item (listing each
 * failure as the real run would), measures the query's request units and the migrated items' size, and writes
 * nothing.
 *
 * @example
 * ```ts
 * const summary = await rewriteOlderItems({ container, entity, migrations: { 2: toV2 } });
 * ```
 */
export async function rewriteOlderItems(options: RewriteOptions): Promise<RewriteSummary> {
  const { container, entity } = options;
  const current = entity.schemaVersion ?? 1;
  const versions: Record<number, number> = {};
  const failed: FailedItem[] = [];
  const skip = new Set(options.skip ?? []);
  const cost = { requests: 0, requestUnits: 0 };
  let rewritten = 0;
  let overtaken = 0;
  let bytes = 0;
  const ctx = { entity, migrations: options.migrations };
  const pkField = entity.partitionKey.slice(1);
  const timeout = options.migrationTimeoutMs ?? 10_000;
  if (options.dryRun) {
    // Every item's version (a projection: only the hidden field travels).
    const all = container.items.query<Record<string, unknown>>(
      `SELECT c["${SCHEMA_VERSION_FIELD}"] FROM c`,
      { maxItemCount: 1000 },
    );
    while (all.hasMoreResults()) {
      const page = await all.fetchNext();
      cost.requests++;
      cost.requestUnits += charge(page);
      for (const r of page.resources) {
        const v = storedVersion(r);
        versions[v] = (versions[v] ?? 0) + 1;
      }
    }
    // Each `cost` below is what the real run's own query would cost: the same query, the same pages.
    cost.requests = 0;
    cost.requestUnits = 0;
  }
  const it = container.items.query<Record<string, unknown>>(olderItemsQuery(current), {
    maxItemCount: options.batchSize ?? 100,
  });
  while (it.hasMoreResults()) {
    const page: FeedResponse<Record<string, unknown>> = await it.fetchNext();
    const batch = { items: page.resources.length, requests: 1, requestUnits: charge(page) };
    for (let stored of page.resources) {
      if (options.stopAfter !== undefined && rewritten >= options.stopAfter) {
        cost.requests += batch.requests;
        cost.requestUnits += batch.requestUnits;
        return { versions, rewritten, overtaken, failed, stopped: true, cost };
      }
      const id = String(stored['id']);
      if (skip.has(id)) continue;
      if (!options.dryRun) {
        const v = storedVersion(stored);
        versions[v] = (versions[v] ?? 0) + 1;
      }
      for (;;) {
        const shown = await migrateStored(ctx, stored, migrationBudget(timeout));
        if (!shown.ok) {
          failed.push(failureOf(id, shown, current));
          skip.add(id);
          break;
        }
        const creator = stored[CREATOR_TENANT_FIELD];
        // The shared item's creating directory is kept: a migration changes the shape, not whose data it is.
        const next = stampChange(
          {
            ...shown.item,
            [SCHEMA_VERSION_FIELD]: current,
            ...(typeof creator === 'string' ? { [CREATOR_TENANT_FIELD]: creator } : {}),
          },
          'migrate',
        );
        if (options.dryRun) {
          bytes += Buffer.byteLength(JSON.stringify(next));
          rewritten++;
          break;
        }
        const etag = String(stored['_etag']);
        try {
          batch.requests++;
          const written = await container
            .item(id, stored[pkField] as string)
            .replace(next, { accessCondition: { type: 'IfMatch', condition: etag } });
          batch.requestUnits += charge(written);
          rewritten++;
          options.onRewritten?.(next, stored);
          break;
        } catch (e) {
          const code = (e as { code?: number }).code;
          if (code === 404) break; // deleted meanwhile: nothing to rewrite
          if (code !== 412) throw e;
          // A concurrent write won: read what it stored and start over from that.
          batch.requests++;
          const read = await container
            .item(id, stored[pkField] as string)
            .read<Record<string, unknown>>();
          batch.requestUnits += charge(read);
          const resource = read.resource;
          if (!resource) break;
          // Current (the runtime's write) or newer (a newer runtime's): never rewritten.
          if (storedVersion(resource) >= current && Object.hasOwn(resource, SCHEMA_VERSION_FIELD)) {
            overtaken++;
            break;
          }
          stored = resource;
        }
      }
    }
    cost.requests += batch.requests;
    cost.requestUnits += batch.requestUnits;
    await options.onProgress?.(rewritten, failed.length, { versions, overtaken, failed }, batch);
  }
  return {
    versions,
    rewritten,
    overtaken,
    failed,
    stopped: false,
    cost,
    ...(options.dryRun ? { averageKb: rewritten ? bytes / rewritten / 1024 : 0 } : {}),
  };
}
