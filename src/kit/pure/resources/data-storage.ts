/**
 * The compatibility key's prefix of the FileStores' data storage account: its resource key is `storage:files-…`.
 *
 * @example
 * ```ts
 * FILES_PURPOSE; // 'files'
 * ```
 */
export const FILES_PURPOSE = 'files';

/**
 * Whether a planned storage key is a data account (`storage:files-standard-lrs`): never a Function App's host.
 *
 * @example
 * ```ts
 * isDataStorageKey('storage:files-standard-lrs'); // true
 * isDataStorageKey('storage:shared');             // false
 * ```
 */
export function isDataStorageKey(key: string): boolean {
  return key.startsWith(`storage:${FILES_PURPOSE}-`);
}
