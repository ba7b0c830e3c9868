import type { ApiHandle } from '../api-handle.js';

/**
 * What a FileStore exposes once planned: its API (`apiEndpoint`, `routes`), where the files live
 * (`storageAccountName`, `containerName`, `blobEndpoint`) and the limits the runtime enforces.
 *
 * @example
 * ```ts
 * const files: FileStoreHandle = defineBackend({
 *   attachments: FileStore.define('Attachments', { maxSizeMb: 10 }),
 * }).components.attachments;
 * console.log(files.apiEndpoint); // 'https://func-backend-dev-….azurewebsites.net/api/attachments'
 * ```
 */
export interface FileStoreHandle extends ApiHandle {
  readonly componentType: 'FileStore';
  readonly maxSizeMb: number;
  /** Accepted media types; empty → any. */
  readonly contentTypes: readonly string[];
  /** The data account shared by the backend's FileStores (never the Function App's host storage). */
  readonly storageAccountName: string;
  readonly blobEndpoint: string;
  /** Phantom, never set: tells `createClient<typeof backend>()` this key is a FileStore. */
  readonly __files?: true;
}
