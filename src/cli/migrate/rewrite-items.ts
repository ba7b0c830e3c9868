import type { Container } from '../azure/cosmos.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { ItemMigration } from '../../runtime/data/context.js';
import { presentStored, storedVersion } from '../../runtime/crud/versioned-items.js';
import { SCHEMA_VERSION_FIELD } from '../../runtime/values/system-fields.js';
import { logNoteOf } from '../../runtime/http/log.js';

/** What a rewrite did (or, dry, would do). */
export interface RewriteSummary {
  /** Items seen per stored version (`1` also counts items without the hidden field). */
  readonly versions: Readonly<Record<number, number>>;
  /** Items rewritten to the current version by this run. */
  readonly rewritten: number;
  /** Items a concurrent write brought to the current version first (left as that write stored them). */
  readonly overtaken: number;
  /** Items whose migration threw: id and the problem's detail; left as they are. */
  readonly failed: readonly { readonly id: string; readonly detail: string }[];
  /** Whether the run stopped at `stopAfter` with older items left (run again to finish). */
  readonly stopped: boolean;
}

/** Options of {@link rewriteOlderItems}. */
export interface RewriteOptions {
  readonly container: Container;
  readonly entity: RuntimeEntity;
  readonly migrations: Readonly<Record<number, ItemMigration>>;
  /** Count per version and write nothing. */
  readonly dryRun?: boolean;
  /** Items per query page (default 100). */
  readonly batchSize?: number;
  /** Stop after this many rewrites (an interrupted run; the next run carries on). */
  readonly stopAfter?: number;
  /** Ids to leave alone (their migration failed in an earlier run: a checkpoint's `failed`). */
  readonly skip?: ReadonlySet<string>;
  /** Called after each batch with the running totals (and, for a checkpoint, what the run has seen so far). */
  readonly onProgress?: (
    done: number,
    failed: number,
    sofar: Pick<RewriteSummary, 'versions' | 'overtaken' | 'failed'>,
  ) => void;
}

const OLDER = (v: number) =>
  `SELECT * FROM c WHERE NOT IS_DEFINED(c["${SCHEMA_VERSION_FIELD}"]) OR c["${SCHEMA_VERSION_FIELD}"] < ${String(v)}`;

/**
 * Rewrite every item stored under an older schema version into the current one, through the same chain reads
 * use (so a lazily read item and a rewritten one are the same item), each write conditional on the ETag read
 * (`If-Match`): a concurrent write wins, and the item is read again and retried, or left alone when that write
 * already stored the current version. Idempotent: the query selects only older items, so a second run, or a run
 * after an interrupted one, rewrites only what is left. Items whose migration throws are reported and skipped.
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
  const failed: { id: string; detail: string }[] = [];
  const skip = new Set(options.skip ?? []);
  let rewritten = 0;
  let overtaken = 0;
  if (options.dryRun) {
    const it = container.items.query<Record<string, unknown>>(
      `SELECT c["${SCHEMA_VERSION_FIELD}"] FROM c`,
      { maxItemCount: options.batchSize ?? 1000 },
    );
    while (it.hasMoreResults()) {
      const page = await it.fetchNext();
      for (const r of page.resources) {
        const v = storedVersion(r, current);
        versions[v] = (versions[v] ?? 0) + 1;
      }
    }
    return { versions, rewritten, overtaken, failed, stopped: false };
  }
  const ctx = { entity, migrations: options.migrations };
  const pkField = entity.partitionKey.slice(1);
  for (;;) {
    // A fresh query each round: rewritten items no longer match, so no continuation token goes stale.
    const it = container.items.query<Record<string, unknown>>(OLDER(current), {
      maxItemCount: options.batchSize ?? 100,
    });
    let todo = (await it.fetchNext()).resources.filter((r) => !skip.has(String(r['id'])));
    // A page of skipped items only (failed ones stay older): page on, or those would hide the rest.
    while (todo.length === 0 && it.hasMoreResults())
      todo = (await it.fetchNext()).resources.filter((r) => !skip.has(String(r['id'])));
    if (todo.length === 0) break;
    for (let stored of todo) {
      if (options.stopAfter !== undefined && rewritten >= options.stopAfter)
        return { versions, rewritten, overtaken, failed, stopped: true };
      const id = String(stored['id']);
      const v = storedVersion(stored, current);
      versions[v] = (versions[v] ?? 0) + 1;
      for (;;) {
        const shown = await presentStored(ctx, stored);
        if (!shown.ok) {
          const text = typeof shown.response.body === 'string' ? shown.response.body : '{}';
          const body = JSON.parse(text) as { detail?: string };
          // The log note adds the error itself (the operator's own code: no reason to hide it here).
          const note = logNoteOf(shown.response);
          failed.push({
            id,
            detail:
              (body.detail ?? `migration of "${id}" failed`) +
              (note === undefined ? '' : ` (${note})`),
          });
          skip.add(id);
          break;
        }
        const etag = String(stored['_etag']);
        try {
          await container
            .item(id, stored[pkField] as string)
            .replace(
              { ...shown.item, [SCHEMA_VERSION_FIELD]: current },
              { accessCondition: { type: 'IfMatch', condition: etag } },
            );
          rewritten++;
          break;
        } catch (e) {
          const code = (e as { code?: number }).code;
          if (code === 404) break; // deleted meanwhile: nothing to rewrite
          if (code !== 412) throw e;
          // A concurrent write won: read what it stored and start over from that.
          const { resource } = await container
            .item(id, stored[pkField] as string)
            .read<Record<string, unknown>>();
          if (!resource) break;
          if (
            storedVersion(resource, current) >= current &&
            Object.hasOwn(resource, SCHEMA_VERSION_FIELD)
          ) {
            overtaken++;
            break;
          }
          stored = resource;
        }
      }
    }
    options.onProgress?.(rewritten, failed.length, { versions, overtaken, failed });
  }
  return { versions, rewritten, overtaken, failed, stopped: false };
}
