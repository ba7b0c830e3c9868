import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import {
  COMPLETE,
  META,
  PENDING_PREFIX,
  STAGING_PREFIX,
  tenantFolder,
  URLS_PREFIX,
} from '../../runtime/files/layout.js';
import type { FileBlobSide, StoredBlob } from '../azure/file-blobs.js';
import { firstLine } from '../azure/errors.js';
import { toNdjson } from './export-format.js';
import type { StoredBytesTally } from '../shared/ledger-bytes.js';
import type { TenantFileStore } from './targets.js';

/** One file in `files/<StoreId>.ndjson`: its id, properties and metadata; its bytes in `files/<StoreId>/<id>`. */
export interface ExportedFile {
  readonly id: string;
  readonly contentType?: string;
  readonly size: number;
  readonly sha256: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The folder of a store's files for a tenant: its own folder when isolated, the shared one otherwise. */
const folderOf = (store: TenantFileStore, tenant: string) =>
  store.isolated ? tenantFolder({ id: tenant, source: '' }) : tenantFolder(undefined);

/**
 * The tenant's served files in one store: every complete file of its folder (isolated), or of the shared folder
 * those owned by its users (`owners`).
 *
 * @example
 * ```ts
 * const blobs = await tenantBlobs(side, attachments, 'contoso', owners);
 * ```
 */
export async function tenantBlobs(
  side: FileBlobSide,
  store: TenantFileStore,
  tenant: string,
  owners: readonly string[],
): Promise<StoredBlob[]> {
  const folder = `${folderOf(store, tenant)}/`;
  const blobs = await side.list(folder);
  return blobs.filter(
    (b) =>
      !b.name.slice(folder.length).includes('/') &&
      b.metadata[META.state] === COMPLETE &&
      (store.isolated || owners.includes(b.metadata[META.owner] ?? '')),
  );
}

/**
 * Write one store's files of the tenant under `dir`: `files/<StoreId>/<id>` (the bytes) and `files/<StoreId>.ndjson`
 * (one {@link ExportedFile} a line). Returns the NDJSON text (its hash goes into the manifest) and the count.
 *
 * @example
 * ```ts
 * const { text, files } = await exportStore(side, attachments, 'contoso', owners, './contoso');
 * ```
 */
export async function exportStore(
  side: FileBlobSide,
  store: TenantFileStore,
  tenant: string,
  owners: readonly string[],
  dir: string,
): Promise<{ text: string; files: number }> {
  const lines: ExportedFile[] = [];
  for (const b of await tenantBlobs(side, store, tenant, owners)) {
    const id = b.name.slice(b.name.lastIndexOf('/') + 1);
    const bytes = await side.read(b.name);
    writeWhole(join(dir, 'files', store.componentId, id), bytes);
    lines.push({
      id,
      ...(b.contentType ? { contentType: b.contentType } : {}),
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      metadata: b.metadata,
    });
  }
  const text = toNdjson(lines);
  writeWhole(join(dir, 'files', `${store.componentId}.ndjson`), text);
  return { text, files: lines.length };
}

/** An export's files of one store, read and checked: the lines and each file's bytes. */
export interface ReadStore {
  readonly files: readonly ExportedFile[];
  readonly bytes: ReadonlyMap<string, Buffer>;
}

/**
 * Read one store's exported files and check each against its SHA-256 (TENANT_EXPORT_INVALID): done for every
 * store before anything is written.
 *
 * @example
 * ```ts
 * const read = readStore(attachments, './contoso', text);
 * ```
 */
export function readStore(store: TenantFileStore, dir: string, text: string): ReadStore {
  const files: ExportedFile[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      files.push(JSON.parse(line) as ExportedFile);
    } catch {
      throw invalid(`files/${store.componentId}.ndjson holds a line that is not JSON.`);
    }
  }
  const bytes = new Map<string, Buffer>();
  for (const f of files) {
    if (typeof f.id !== 'string' || !/^[A-Za-z0-9._-]{1,200}$/.test(f.id) || /^\.+$/.test(f.id))
      throw invalid(
        `files/${store.componentId}.ndjson names a file id that is not one: ${JSON.stringify(f.id)}.`,
      );
    const file = join(dir, 'files', store.componentId, f.id);
    let b: Buffer;
    try {
      b = readFileSync(file);
    } catch {
      throw invalid(`${file} does not exist.`);
    }
    if (createHash('sha256').update(b).digest('hex') !== f.sha256)
      throw invalid(`${file} is not the file exported (its SHA-256 differs).`);
    bytes.set(f.id, b);
  }
  return { files, bytes };
}

/**
 * Load one store's checked files ({@link readStore}) into the tenant's folder (or the shared one), each created
 * unless a file of that id is there. Returns the ids created and those already there.
 *
 * @example
 * ```ts
 * await importStore(side, attachments, 'contoso-staging', read);
 * ```
 */
export async function importStore(
  side: FileBlobSide,
  store: TenantFileStore,
  tenant: string,
  read: ReadStore,
  tally?: StoredBytesTally,
): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  const folder = folderOf(store, tenant);
  for (const f of read.files) {
    const bytes = read.bytes.get(f.id) ?? Buffer.alloc(0);
    // A shared store's file is the importing tenant's (a copy's too), as a shared item is (import.ts).
    const metadata = store.isolated ? f.metadata : { ...f.metadata, [META.creator]: tenant };
    const made = await side.createIfAbsent(`${folder}/${f.id}`, bytes, f.contentType, metadata);
    (made ? created : existing).push(f.id);
    if (made) tally?.add(tenant, { fileBytes: bytes.length });
  }
  return { created, existing };
}

/**
 * Every blob of the tenant in one store: its served files, and its staged uploads and upload records (isolated);
 * its users' files of the shared folder (shared). What an erasure deletes.
 *
 * @example
 * ```ts
 * const names = await blobsToErase(side, attachments, 'contoso', owners);
 * ```
 */
export async function blobsToErase(
  side: FileBlobSide,
  store: TenantFileStore,
  tenant: string,
  owners: readonly string[],
): Promise<StoredBlob[]> {
  const folder = folderOf(store, tenant);
  if (!store.isolated)
    return (await side.list(`${folder}/`)).filter((b) =>
      owners.includes(b.metadata[META.owner] ?? ''),
    );
  const blobs: StoredBlob[] = [];
  for (const prefix of [
    folder,
    `${STAGING_PREFIX}/${folder}`,
    `${PENDING_PREFIX}/${folder}`,
    `${URLS_PREFIX}/${folder}`,
  ])
    blobs.push(...(await side.list(`${prefix}/`)));
  return blobs;
}

/**
 * The tenant whose stored bytes a blob of `store` counts for, as the runtime counted it (runtime/files/file-bytes.ts):
 * a served, complete file of the tenant's own folder its; a shared store's file its recorded creator's; nobody's
 * for anything else (staged uploads and records were never counted, nor a shared file without a creator).
 *
 * @example
 * ```ts
 * tally.add(servedFileTenant(attachments, 'contoso', blob), { fileBytes: -blob.size });
 * ```
 */
export function servedFileTenant(
  store: TenantFileStore,
  tenant: string,
  blob: StoredBlob,
): string | undefined {
  const folder = `${folderOf(store, tenant)}/`;
  const served =
    blob.name.startsWith(folder) &&
    !blob.name.slice(folder.length).includes('/') &&
    blob.metadata[META.state] === COMPLETE;
  if (!served) return undefined;
  return store.isolated ? tenant : blob.metadata[META.creator] || undefined;
}

/**
 * TENANT_REQUEST_FAILED for a Blob Storage call on one FileStore's container.
 *
 * @example
 * ```ts
 * throw filesFailed('reading', attachments, e);
 * ```
 */
export function filesFailed(doing: string, store: TenantFileStore, err: unknown): AtakoraError {
  if (err instanceof AtakoraError) return err;
  const code = (err as { statusCode?: unknown }).statusCode;
  return new AtakoraError(
    'TENANT_REQUEST_FAILED',
    `${doing} ${store.componentId}'s files in ${store.account}/${store.container} failed ` +
      `(${typeof code === 'number' ? String(code) : 'no status'}: ${firstLine(err)}).`,
    { path: ['components', store.componentId] },
  );
}

function invalid(message: string): AtakoraError {
  return new AtakoraError('TENANT_EXPORT_INVALID', `${message} Nothing was written.`, {
    path: ['tenant', 'import', '--from'],
  });
}

function writeWhole(file: string, bytes: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.partial`, bytes);
  renameSync(`${file}.partial`, file);
}
