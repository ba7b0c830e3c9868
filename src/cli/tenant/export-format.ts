import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';

/** The folder layout of a tenant export (DESIGN, "A tenant's data has a lifecycle"). */
export const EXPORT_FILES = {
  manifest: 'manifest.json',
  items: (componentId: string) => join('items', `${componentId}.ndjson`),
  files: (storeId: string) => join('files', `${storeId}.ndjson`),
  /** Tenants by membership: the organization's memberships, then its open invitations (`kind: 'invitation'`). */
  members: 'members.ndjson',
  /** Tenants by membership: the organization's audit log, newest first (docs/tenants.md, "Audit log"). */
  audit: 'audit.ndjson',
} as const;

/** One CrudApi in an export's manifest. */
export interface ExportedComponent {
  /** The CrudApi's `schemaVersion` when exported (each item keeps the version it was stored at). */
  readonly schemaVersion: number;
  readonly items: number;
  /** SHA-256 (hex) of its `items/<ComponentId>.ndjson`. */
  readonly sha256: string;
  readonly tenancy: 'isolated' | 'shared';
}

/** `manifest.json` of a tenant export. */
export interface ExportManifest {
  readonly format: 1;
  readonly backendId: string;
  readonly environment: string;
  readonly tenant: string;
  readonly exportedAt: string;
  /** The tenant's users found (owners of its items, and `--owner`): whose shared-entity items are included. */
  readonly owners: readonly string[];
  readonly components: Readonly<Record<string, ExportedComponent>>;
  /** Per FileStore its files: count, and the SHA-256 of `files/<StoreId>.ndjson` (each file's own is in it). */
  readonly fileStores?: Readonly<
    Record<string, { readonly files: number; readonly sha256: string }>
  >;
  /** The tenant's registry record as stored (no Cosmos DB system field), when the backend has a registry. */
  readonly registry?: Readonly<Record<string, unknown>>;
  /**
   * Tenants by membership: counts of `members.ndjson`'s memberships and open invitations, and its SHA-256.
   */
  readonly members?: {
    readonly memberships: number;
    readonly invitations: number;
    readonly sha256: string;
  };
  /** Tenants by membership: how many audit log entries `audit.ndjson` holds, and its SHA-256. */
  readonly audit?: { readonly entries: number; readonly sha256: string };
}

/**
 * Items as NDJSON: one JSON object per line, each line ending in `\n`.
 *
 * @example
 * ```ts
 * toNdjson([{ id: 'a' }, { id: 'b' }]); // '{"id":"a"}\n{"id":"b"}\n'
 * ```
 */
export function toNdjson(items: readonly object[]): string {
  let out = '';
  for (const item of items) out += `${JSON.stringify(item)}\n`;
  return out;
}

/**
 * SHA-256 of a file's text, hex.
 *
 * @example
 * ```ts
 * sha256(''); // 'e3b0c442…'
 * ```
 */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Reading an export's folder: its manifest and its NDJSON files, each failure TENANT_EXPORT_INVALID before anything
// is written (import.ts checks the whole archive with these, then writes).

/**
 * The export's manifest, checked for the shape {@link ExportManifest} promises (TENANT_EXPORT_INVALID otherwise).
 *
 * @example
 * ```ts
 * readManifest('./contoso').tenant; // 'contoso'
 * ```
 */
export function readManifest(dir: string): ExportManifest {
  const file = join(dir, EXPORT_FILES.manifest);
  let m: ExportManifest;
  try {
    m = JSON.parse(readText(file)) as ExportManifest;
  } catch (e) {
    if (e instanceof AtakoraError) throw e;
    throw invalid(`${file} is not JSON.`);
  }
  const ok =
    m !== null &&
    typeof m === 'object' &&
    m.format === 1 &&
    typeof m.tenant === 'string' &&
    m.components !== null &&
    typeof m.components === 'object' &&
    Object.values(m.components).every(
      (c) => typeof c?.sha256 === 'string' && Number.isSafeInteger(c.items) && c.items >= 0,
    );
  if (!ok)
    throw invalid(`${file} is not the manifest of a tenant export (format 1, tenant, components).`);
  return m;
}

/** A file of the export as text (TENANT_EXPORT_INVALID when it is missing). */
export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw invalid(`${file} does not exist.`);
  }
}

/** An NDJSON file's lines, each an object with a string id (TENANT_EXPORT_INVALID naming the first that is not). */
export function parseLines(file: string, text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw invalid(`${file}, line ${String(i + 1)}: not JSON.`);
    }
    if (
      v === null ||
      typeof v !== 'object' ||
      Array.isArray(v) ||
      typeof (v as { id?: unknown }).id !== 'string'
    )
      throw invalid(`${file}, line ${String(i + 1)}: not an item (an object with a string id).`);
    out.push(v as Record<string, unknown>);
  }
  return out;
}

/** The error of an archive that is not an export, nothing written. */
export function invalid(message: string): AtakoraError {
  return new AtakoraError('TENANT_EXPORT_INVALID', `${message} Nothing was written.`, {
    path: ['tenant', 'import', '--from'],
  });
}
