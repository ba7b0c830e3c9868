// Its own file, so the facts and the lifecycle rules can name it without importing the type (which imports them).
/**
 * What the files account keeps of deleted and abandoned blobs, as the plan shows it. Versioning is off, so a
 * deleted or replaced file leaves no previous version that the FileStore's identity (Data Contributor, which has
 * no permanent-delete of versions) could never remove; soft delete keeps a deleted blob recoverable for
 * `deletedRetentionDays`, after which Azure removes it for good (Learn, "Soft delete for blobs":
 * https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview). A lifecycle rule removes what
 * uploads left behind: staged bytes `stagingDays` after creation, forgotten pending records after `pendingDays`
 * (Learn, "Lifecycle management overview": a policy runs about once a day, https://learn.microsoft.com/azure/storage/blobs/lifecycle-management-overview).
 */
export interface FilesRetention {
  readonly versioning: false;
  readonly deletedRetentionDays: number;
  readonly stagingDays: number;
  readonly pendingDays: number;
  /** Blob-name prefixes (`<container>/~staging/`) the rules apply to, sorted. */
  readonly stagingPrefixes: string[];
  readonly pendingPrefixes: string[];
}

/** See {@link FilesRetention}: soft delete's retention matches the host accounts' (SECURE_STORAGE_ACCOUNT). */
export const FILES_RETENTION = { deletedRetentionDays: 7, stagingDays: 1, pendingDays: 3 } as const;
