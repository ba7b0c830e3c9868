import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** The folder layout of a tenant export (DESIGN, "A tenant's data has a lifecycle"). */
export const EXPORT_FILES = {
  manifest: 'manifest.json',
  items: (componentId: string) => join('items', `${componentId}.ndjson`),
  files: (storeId: string) => join('files', `${storeId}.ndjson`),
  /** Tenants by membership: the organization's memberships, then its open invitations (`kind: 'invitation'`). */
  members: 'members.ndjson',
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
