import type { StorageAccountBlobProperties } from '../../kit/cdktf/azurerm-types.js';
import { SECURE_STORAGE_ACCOUNT } from '../../kit/cdktf/secure-storage.js';
import type { MergedStorageConfig } from './type.js';

/**
 * The CORS rule of the files account's blob service: the origins the API admits (the backend's https sites and
 * `corsOrigins`, kit/pure/cors-origins.ts) for the SAS requests a FileStore hands out only — PUT (upload), GET/HEAD
 * (download), OPTIONS (preflight). No origin, no rule (same-origin needs none); `*` is never copied here.
 */
function filesCorsRules(origins: readonly string[]): StorageAccountBlobProperties['corsRule'] {
  const allowed = origins.filter((o) => o !== '*');
  if (allowed.length === 0) return undefined;
  // The provider takes at most 64 origins a rule: more origins, more rules of the same shape.
  const chunks: string[][] = [];
  for (let i = 0; i < allowed.length; i += CORS_ORIGINS_PER_RULE)
    chunks.push(allowed.slice(i, i + CORS_ORIGINS_PER_RULE));
  return chunks.map((chunk) => ({
    allowedOrigins: chunk,
    allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT'],
    allowedHeaders: [
      'content-type',
      'x-ms-blob-type',
      'x-ms-blob-content-type',
      'x-ms-client-request-id',
      'x-ms-version',
    ],
    exposedHeaders: ['content-length', 'content-type', 'etag', 'x-ms-request-id'],
    maxAgeInSeconds: 3600,
  }));
}

/** `cors_rule.allowed_origins` MaxItems (helpers/helpers.go@v4.55.0). */
const CORS_ORIGINS_PER_RULE = 64;

/**
 * A storage account's whole `blob_properties` block, composed once from everything that shares it: the secure
 * defaults every account gets (SECURE_STORAGE_ACCOUNT), the files account's retention (versioning off, its soft
 * delete; type.ts FilesRetention) and its CORS. One block, written once, because the provider writes it as one:
 * azurerm's `expandAccountBlobServiceProperties` starts from versioning off, delete retention off and no CORS rule,
 * fills in what the block says, and `SetServiceProperties` sends the result whole
 * (internal/services/storage/storage_account_resource.go@v4.55.0, create and `d.HasChange("blob_properties")`
 * on update; `cors_rule` is read by `expandAccountBlobPropertiesCors`, at most 5 rules of at most 64 origins,
 * helpers/helpers.go `SchemaStorageAccountCorsRule`). A second writer of the block — as CORS once was — replaces
 * every field the first one set.
 *
 * @example
 * ```ts
 * new StorageAccount(scope, id, { ...SECURE_STORAGE_ACCOUNT, blobProperties: blobPropertiesFor(config, origins) });
 * ```
 */
export function blobPropertiesFor(
  config: Pick<MergedStorageConfig, 'retention'>,
  filesOrigins: readonly string[],
): StorageAccountBlobProperties {
  const base = SECURE_STORAGE_ACCOUNT.blobProperties;
  if (!config.retention) return { ...base };
  const cors = filesCorsRules(filesOrigins);
  return {
    ...base,
    versioningEnabled: config.retention.versioning,
    deleteRetentionPolicy: { days: config.retention.deletedRetentionDays },
    ...(cors ? { corsRule: cors } : {}),
  };
}
