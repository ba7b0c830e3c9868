/**
 * Config of a `storage` requirement. Requirements with the same tier and replication share one account; the
 * blob containers and queues are unioned (and counted against `limits.maxContainersPerStorage`).
 *
 * @example
 * ```ts
 * const req: ResourceRequirement<StorageRequirementConfig> = {
 *   resourceType: 'storage',
 *   requirementKey: 'Uploads-storage',
 *   config: { containers: ['uploads'], queues: ['thumbnails'] },
 * };
 * ```
 */
export interface StorageRequirementConfig {
  /** Default `'Standard'`. Changing it recreates the account (data loss). */
  readonly tier?: 'Standard' | 'Premium';
  /** Default `'LRS'`. Changes in place. */
  readonly replication?: 'LRS' | 'ZRS' | 'GRS' | 'RAGRS' | 'GZRS' | 'RAGZRS';
  /** Blob container names to create. */
  readonly containers?: readonly string[];
  /** Queue names to create. */
  readonly queues?: readonly string[];
  /**
   * `'files'`: an account for application data (FileStores), never the Functions host's: part of the
   * compatibility key, so every FileStore of a backend shares one data account apart from the host's.
   */
  readonly purpose?: 'files';
  /** The blob container each component's identity may read and write (component id → container). */
  readonly blobAccess?: Readonly<Record<string, string>>;
  /** Public IPv4 ranges this component admits from outside Azure (canonical CIDR blocks); absent: any. */
  readonly allowedIpRanges?: readonly string[];
  /** Set by the planner: the network group of a component whose ranges are disjoint from the shared account's. */
  readonly networkGroup?: string;
}
