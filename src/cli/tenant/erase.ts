import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TenantTarget } from './connect.js';
import { requestFailed } from './tenant-items.js';
import {
  deleteRegistryRecord,
  readRegistryRecord,
  tombstoneRegistryRecord,
} from './registry-record.js';
import { billingOf } from '../../contract/tenants.js';
import { subscriptionLifeOf, subscriptionLives } from '../../model/lives/subscription-life.js';
import { eraseMembersData } from './tenant-members-data.js';
import { CONCURRENCY, entityItemsOf, inParallel } from './tenant-items.js';
import { tenantUsers } from './tenant-users.js';
import { blobsToErase, filesFailed, servedFileTenant } from './tenant-files.js';
import { ledgerContainer, StoredBytesTally } from '../shared/ledger-bytes.js';
import { moveItemCount } from '../shared/item-count.js';
import { itemBytes, storedItemTenant } from '../../runtime/usage/stored-size.js';

/** How many deletes an erasure counts before it adds their bytes to the usage ledger. */
const FLUSH_EVERY = 100;

/** What an erasure removed: per CrudApi the items of the tenant found when it began, and the registry record. */
export interface EraseReceipt {
  readonly tenant: string;
  readonly backendId: string;
  readonly where: string;
  readonly items: Readonly<Record<string, number>>;
  /** Per FileStore the blobs of the tenant found when its turn began (files, staged uploads, upload records). */
  readonly files: Readonly<Record<string, number>>;
  readonly registryRecord: boolean;
  /** Tenants by membership: the organization's memberships and invitations deleted. */
  readonly members?: number;
  /**
   * Tenants by membership: the id of a Stripe subscription the record still held live — the CLI holds no Stripe key,
   * so the operator cancels it in Stripe (its events find a tombstone and change nothing).
   */
  readonly subscriptionLeft?: string;
  /** True when this run went on from a marker an interrupted run left. */
  readonly resumed: boolean;
  readonly finishedAt: string;
}

/** The progress marker of an erasure under way: enough to go on after a kill. */
interface EraseMarker {
  readonly version: 1;
  readonly tenant: string;
  /** The tenant's users when it began: the owners of its shared-entity items (its isolated items may be gone). */
  readonly owners: readonly string[];
  /** Items found per CrudApi when its turn began (the receipt's counts). */
  readonly found: Record<string, number>;
  /** Blobs found per FileStore when its turn began. */
  readonly foundFiles?: Record<string, number>;
  /** CrudApis whose items, and FileStores whose blobs, are all deleted. */
  readonly done: string[];
}

/** Options of {@link eraseTenant}. */
export interface EraseOptions {
  readonly owners?: readonly string[];
  readonly progress?: (line: string) => void;
  /** Where the marker is kept (default the working folder's `.atakora/`). */
  readonly cwd?: string;
  /** Stops taking new deletes (what a kill does, for tests): the marker stays for the next run. */
  readonly signal?: AbortSignal;
  /** Called after each item deleted. */
  readonly onDeleted?: (componentId: string, id: string) => void;
  readonly now?: () => Date;
  /** Where the bytes it frees are counted (default: the target's usage ledger, when it has a registry). */
  readonly tally?: StoredBytesTally;
}

/**
 * Where the marker of erasing `tenant` from this target lives: `.atakora/tenant-delete-<backend>-<where>-<hash>.json`
 * (the tenant id hashed: it may hold characters a file name cannot).
 *
 * @example
 * ```ts
 * eraseMarkerFile('/app', target, 'contoso'); // '/app/.atakora/tenant-delete-backend-local-<12 hex>.json'
 * ```
 */
export function eraseMarkerFile(
  cwd: string,
  target: Pick<TenantTarget, 'layout' | 'where'>,
  tenant: string,
): string {
  const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 12);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');
  return join(
    cwd,
    '.atakora',
    `tenant-delete-${safe(target.layout.backendId)}-${safe(target.where)}-${hash}.json`,
  );
}

/**
 * Erase everything of one tenant — the same set `atakora tenant export` writes: its items in isolated entities, its
 * users' items in shared entities, then its registry record last — resumably: a marker (its users and the counts
 * found) is written before the first delete and kept until the end, every delete is idempotent (404 is done), and a
 * run that finds the marker goes on from it. Returns the receipt; run again after the end, it erases nothing more.
 *
 * @example
 * ```ts
 * const receipt = await eraseTenant(target, 'contoso');
 * receipt.items; // { NoteApi: 12, TaskApi: 3 }
 * ```
 */
export async function eraseTenant(
  target: TenantTarget,
  tenant: string,
  options: EraseOptions = {},
): Promise<EraseReceipt> {
  const progress = options.progress ?? (() => undefined);
  const file = eraseMarkerFile(options.cwd ?? process.cwd(), target, tenant);
  const previous = readMarker(file, tenant);
  const { layout } = target;
  // The bytes each delete frees, for the tenant they counted for: added to the ledger every FLUSH_EVERY deletes,
  // after each component and when interrupted (a kill loses at most the deletes since the last flush).
  const ledger = await ledgerContainer(target);
  const tally = options.tally ?? new StoredBytesTally(ledger, progress);
  let unflushed = 0;
  const counted = async () => {
    if (++unflushed < FLUSH_EVERY) return;
    unflushed = 0;
    await tally.flush();
  };
  let marker: EraseMarker;
  if (previous) {
    marker = previous;
    progress(`tenant delete ${tenant}: going on from ${file}\n`);
  } else {
    // The users are found before anything is deleted: afterwards their isolated items are gone.
    const read = [];
    for (const e of layout.entities.filter((x) => x.isolated))
      read.push({ entity: e, items: await entityItemsOf(target, e, tenant, []) });
    const owners = await tenantUsers(target, tenant, read, options.owners, progress);
    marker = { version: 1, tenant, owners, found: {}, done: [] };
    writeMarker(file, marker);
  }
  for (const e of layout.entities) {
    if (marker.done.includes(e.componentId)) continue;
    const items = await entityItemsOf(target, e, tenant, marker.owners);
    if (marker.found[e.componentId] === undefined) {
      marker.found[e.componentId] = items.length;
      writeMarker(file, marker);
    }
    const container = await target.container(e.endpoint, e.database, e.container);
    const key = e.entity.partitionKey.slice(1);
    let deleted = 0;
    let removed = 0;
    // Flushed whatever happens: a delete that fails leaves the others counted.
    await inParallel(
      items,
      CONCURRENCY,
      async (item) => {
        const id = String(item['id']);
        try {
          await container.item(id, item[key] as string | number | boolean | undefined).delete();
          // Only the delete that removed it frees its bytes (a 404 was another's, counted there).
          tally.add(storedItemTenant(e.isolated, item), { itemBytes: -itemBytes(item) });
          removed++;
          await counted();
        } catch (err) {
          if ((err as { code?: unknown }).code !== 404) throw requestFailed('deleting', e, err);
        }
        deleted++;
        options.onDeleted?.(e.componentId, id);
      },
      options.signal,
    ).finally(async () => {
      await tally.flush();
      // A plan's item bound given back what it deleted, as the runtime's deletes give it back.
      await moveItemCount(target, ledger, tenant, e, -removed, progress);
    });
    if (options.signal?.aborted) return interrupted(target, tenant, marker);
    marker.done.push(e.componentId);
    writeMarker(file, marker);
    progress(`tenant delete ${tenant}: ${e.componentId} ${String(deleted)} item(s) deleted\n`);
  }
  const foundFiles = (marker as { foundFiles?: Record<string, number> }).foundFiles ?? {};
  for (const store of layout.fileStores) {
    const key = `files:${store.componentId}`;
    if (marker.done.includes(key)) continue;
    if (!target.files) {
      progress(
        `tenant delete ${tenant}: ${store.componentId} files left (${target.where} has no blob access)\n`,
      );
      continue;
    }
    try {
      const side = await target.files(store);
      const blobs = await blobsToErase(side, store, tenant, marker.owners);
      if (foundFiles[store.componentId] === undefined) {
        foundFiles[store.componentId] = blobs.length;
        writeMarker(file, { ...marker, foundFiles });
      }
      await inParallel(
        blobs,
        CONCURRENCY,
        async (blob) => {
          if (await side.remove(blob.name)) {
            tally.add(servedFileTenant(store, tenant, blob), { fileBytes: -blob.size });
            await counted();
          }
          options.onDeleted?.(store.componentId, blob.name);
        },
        options.signal,
      ).finally(() => tally.flush());
    } catch (err) {
      throw filesFailed('deleting', store, err);
    }
    if (options.signal?.aborted) return interrupted(target, tenant, marker);
    marker.done.push(key);
    writeMarker(file, { ...marker, foundFiles });
    progress(
      `tenant delete ${tenant}: ${store.componentId} ${String(foundFiles[store.componentId] ?? 0)} blob(s)\n`,
    );
  }
  // An organization's members and invitations, before its record (tenants by membership).
  const members = await eraseMembersData(target, tenant);
  const organization = target.layout.registry?.members !== undefined;
  const before = organization ? await readRegistryRecord(target, tenant) : undefined;
  const left = liveSubscription(before);
  // An organization's id is never given again: its record becomes a tombstone; a directory's record just goes.
  const registryRecord = organization
    ? await tombstoneRegistryRecord(target, tenant, options.now?.() ?? new Date())
    : await deleteRegistryRecord(target, tenant);
  const receipt: EraseReceipt = {
    tenant,
    backendId: layout.backendId,
    where: target.where,
    items: Object.fromEntries(
      layout.entities.map((e) => [e.componentId, marker.found[e.componentId] ?? 0]),
    ),
    files: Object.fromEntries(
      layout.fileStores.map((f) => [f.componentId, foundFiles[f.componentId] ?? 0]),
    ),
    registryRecord,
    ...(target.layout.registry?.members ? { members } : {}),
    ...(left !== undefined ? { subscriptionLeft: left } : {}),
    resumed: previous !== undefined,
    finishedAt: (options.now?.() ?? new Date()).toISOString(),
  };
  rmSync(file, { force: true });
  return receipt;
}

/** The error an interrupted erasure ends with: the marker stays, and the next run goes on from it. */
function interrupted(target: TenantTarget, tenant: string, marker: EraseMarker): never {
  const left = target.layout.entities
    .filter((e) => !marker.done.includes(e.componentId))
    .map((e) => e.componentId);
  throw Object.assign(
    new Error(
      `tenant delete ${tenant} was interrupted before ${left.join(', ')} were erased; run it again.`,
    ),
    { name: 'AbortError' },
  );
}

function readMarker(file: string, tenant: string): EraseMarker | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as EraseMarker;
    if (
      m.version === 1 &&
      m.tenant === tenant &&
      Array.isArray(m.owners) &&
      Array.isArray(m.done) &&
      m.found
    )
      return m;
  } catch {
    // A marker cut short by a kill while it was written: start over (every delete is idempotent).
  }
  return undefined;
}

function writeMarker(file: string, marker: EraseMarker): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.partial`;
  writeFileSync(tmp, `${JSON.stringify(marker, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The id of the live Stripe subscription a stored record holds, else undefined. */
function liveSubscription(
  record: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const sub = billingOf(record?.['billing'])?.subscription;
  return sub && subscriptionLives(subscriptionLifeOf(sub.status, sub.cancelAtPeriodEnd === true))
    ? sub.id
    : undefined;
}

/**
 * The receipt of an erasure, as printed: per CrudApi the items erased, the registry record, when.
 *
 * @example
 * ```ts
 * receiptText(receipt); // 'Erased tenant contoso from backend (local) at 2026-…:\n  NoteApi: 3 item(s)\n…'
 * ```
 */
export function receiptText(r: EraseReceipt): string {
  const lines = [
    `Erased tenant ${r.tenant} from ${r.backendId} (${r.where}) at ${r.finishedAt}${r.resumed ? ', resumed' : ''}:`,
  ];
  for (const [id, n] of Object.entries(r.items)) lines.push(`  ${id}: ${String(n)} item(s)`);
  for (const [id, n] of Object.entries(r.files)) lines.push(`  ${id}: ${String(n)} file blob(s)`);
  if (r.members !== undefined)
    lines.push(`  members and invitations: ${String(r.members)} item(s)`);
  lines.push(
    `  registry record: ${r.registryRecord ? (r.members !== undefined ? 'erased (a tombstone keeps its id: never given again)' : 'deleted') : 'none'}`,
  );
  if (r.subscriptionLeft !== undefined)
    lines.push(
      `  Stripe subscription ${r.subscriptionLeft} was live: cancel it in Stripe (Customers → the subscription → ` +
        'Cancel); its events change nothing here any more.',
    );
  const total = Object.values(r.items).reduce((s, n) => s + n, 0);
  lines.push(`  total: ${String(total)} item(s)`);
  return `${lines.join('\n')}\n`;
}
