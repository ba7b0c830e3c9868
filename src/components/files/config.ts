import type { AccessRule } from '../../model/runtime-manifest.js';

/**
 * Configuration of a FileStore: files uploaded straight from the browser to Blob Storage through a short-lived
 * user-delegation SAS, confined to the caller's tenant (and, under owner rules, to their owner) like a CrudApi's items.
 *
 * @example
 * ```ts
 * const config: FileStoreConfig = {
 *   maxSizeMb: 10,
 *   contentTypes: ['image/png', 'image/jpeg', 'application/pdf'],
 *   access: [{ allow: 'owner' }],
 * };
 * ```
 */
export interface FileStoreConfig {
  /** Largest file accepted, in MiB (1 MiB = 1,048,576 bytes): at most 5000, a single Put Blob's limit. */
  readonly maxSizeMb: number;
  /**
   * Uploads one caller may have declared and not completed at a time (default 10, at most 1000); one more is 429
   * `too-many-uploads` with `Retry-After`. With `maxSizeMb` it bounds what a caller can leave staged
   * (docs/files.md, "What a caller can leave behind").
   */
  readonly maxPendingUploads?: number;
  /** Accepted media types (`image/png`, or `image/*` for a family); absent → any type. */
  readonly contentTypes?: readonly string[];
  /**
   * Who may do what, as a CrudApi's rules: `create` uploads (and completes), `read` gets one file (and its
   * download URL), `list` lists, `delete` deletes. Default `[{ allow: 'authenticated' }]`.
   */
  readonly access?: readonly AccessRule[];
  /** `'isolated'` (default): each tenant sees only its own files. `'shared'`: one set of files for every caller. */
  readonly tenancy?: 'isolated' | 'shared';
  /** Path under `api/`; default the id's plural, lower case (`Attachments` → `attachments`, `Avatar` → `avatars`). */
  readonly route?: string;
  /** Conflict priority of its requirements (default 10). */
  readonly priority?: number;
  /**
   * Who may upload and download from outside Azure (the browsers the SAS URLs are handed to): public IPv4
   * addresses or CIDR blocks. The files account admits only the ranges every FileStore on it admits
   * (`MERGE_NARROWED`); one whose ranges are disjoint gets an account of its own. Needs `networking: 'isolated'`
   * (`NETWORK_RULES_NEED_ISOLATION`): see docs/resource-types.md ("Network rules per component").
   */
  readonly allowedIpRanges?: readonly string[];
}
