import type { Container } from '../azure/cosmos.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { storedVersion } from '../../runtime/crud/versioned-items.js';
import { isIsolated, TENANT_FIELD } from '../../runtime/values/tenancy.js';
import { readOrMissing } from './read-item.js';

// How seed items reach a container (`atakora seed`, `seed --local`, dev's seeding): created where absent, never
// written over an item of another tenant. Cosmos DB keeps ids unique within a logical partition
// (https://learn.microsoft.com/azure/cosmos-db/resource-model#properties-of-an-item), so in a container keyed by
// `/id` (or by any field other than `/tenantId`) tenant B's item "x" and tenant A's seed item "x" are one
// document: an upsert there overwrote B's item and moved it to A. A create never overwrites (409 when the id is
// taken in that partition), and the item that holds the id is read to say whose it is.

/** What seeding one container did, by item id. */
export interface SeedWriteReport {
  /** Created: the id was free. */
  readonly created: string[];
  /** Already there in this tenant and left as it is (no `--replace`), or changed by someone meanwhile. */
  readonly existing: string[];
  /** Replaced in this tenant (`--replace`), under an If-Match of the item read. */
  readonly replaced: string[];
  /** Taken by an item of another tenant (or of no tenant): skipped, that item untouched. */
  readonly otherTenant: string[];
  /** This tenant's item is stored at a newer schema version than the code: never written over (`--replace`). */
  readonly ahead: string[];
}

/** Options of {@link writeSeedItems}. */
export interface SeedWriteOptions {
  /** The tenant the items are stamped for. */
  readonly tenant: string;
  /** Replace an item of the same id in the same tenant (default: leave it). Never another tenant's. */
  readonly replace?: boolean;
  /** Told of each item written: `item` created (`previous` undefined) or written over `previous`. */
  readonly stored?: (
    item: Readonly<Record<string, unknown>>,
    previous?: Readonly<Record<string, unknown>>,
  ) => void;
}

const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

/**
 * Create each stamped item in `container` unless its id is taken: by this tenant's item (left, or replaced with
 * `replace`, never when that item is ahead of the code) or by another tenant's (skipped and reported, never
 * touched). A failure other than a taken id is thrown with the item it concerns (`failed.item`).
 *
 * @example
 * ```ts
 * const report = await writeSeedItems(container, set.entity, items, { tenant: 'contoso' });
 * report.otherTenant; // ['t1']: tenant fabrikam's item t1 was left alone
 * ```
 */
export async function writeSeedItems(
  container: Container,
  entity: RuntimeEntity,
  items: readonly Record<string, unknown>[],
  options: SeedWriteOptions,
): Promise<SeedWriteReport> {
  const report: SeedWriteReport = {
    created: [],
    existing: [],
    replaced: [],
    otherTenant: [],
    ahead: [],
  };
  const keyField = entity.partitionKey.slice(1);
  const current = entity.schemaVersion ?? 1;
  for (const item of items) {
    const id = String(item['id']);
    try {
      // Twice at most: an item deleted between the 409 and the read frees its id for the second create.
      for (let round = 0; round < 2; round++) {
        const taken = await createUnlessTaken(container, item);
        if (!taken) {
          report.created.push(id);
          options.stored?.(item);
          break;
        }
        const key = item[keyField] as string | number | boolean | undefined;
        const resource = await readOrMissing(container, id, key);
        if (!resource) continue;
        const owner = resource[TENANT_FIELD];
        if (isIsolated(entity) && owner !== options.tenant) {
          report.otherTenant.push(id);
          break;
        }
        if (!options.replace) {
          report.existing.push(id);
          break;
        }
        if (storedVersion(resource) > current) {
          report.ahead.push(id);
          break;
        }
        const etag = resource._etag;
        const replaced = await container
          .item(id, key)
          .replace(item, { accessCondition: { type: 'IfMatch', condition: etag } })
          .then(
            () => true,
            (e: unknown) => {
              // Changed since it was read: that write is newer than the seed and wins.
              if (statusOf(e) === 412 || statusOf(e) === 404) return false;
              throw e;
            },
          );
        (replaced ? report.replaced : report.existing).push(id);
        if (replaced) options.stored?.(item, resource);
        break;
      }
    } catch (e) {
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { failedItem: item });
    }
  }
  return report;
}

/** Create the item; true when its id is taken in its partition (409), nothing written. */
async function createUnlessTaken(
  container: Container,
  item: Record<string, unknown>,
): Promise<boolean> {
  try {
    await container.items.create(item);
    return false;
  } catch (e) {
    if (statusOf(e) === 409) return true;
    throw e;
  }
}

/**
 * One line of a seed report: what was created, left, replaced, and each id skipped with why.
 *
 * @example
 * ```ts
 * seedReportLine('TaskApi', report, 'contoso', './seed/tasks.json');
 * // 'seed TaskApi: 2 created, 1 already there from ./seed/tasks.json (tenant contoso); skipped 1 id(s) held by
 * // another tenant, left untouched: t1'
 * ```
 */
export function seedReportLine(
  componentId: string,
  r: SeedWriteReport,
  tenant: string,
  file?: string,
): string {
  const parts = [`${String(r.created.length)} created`];
  if (r.existing.length > 0) parts.push(`${String(r.existing.length)} already there`);
  if (r.replaced.length > 0) parts.push(`${String(r.replaced.length)} replaced`);
  let line = `seed ${componentId}: ${parts.join(', ')}${file ? ` from ${file}` : ''} (tenant ${tenant})`;
  if (r.otherTenant.length > 0)
    line +=
      `; skipped ${String(r.otherTenant.length)} id(s) held by another tenant, left untouched: ` +
      r.otherTenant.join(', ');
  if (r.ahead.length > 0)
    line +=
      `; not replaced ${String(r.ahead.length)} item(s) stored at a newer schema version than this code: ` +
      r.ahead.join(', ');
  return line;
}
