import { checkComponentId } from '../component-id.js';
import { authOutput } from '../../kit/pure/entra.js';
import type { ComponentDefinition } from '../../model/component.js';
import { AtakoraError } from '../../model/errors.js';
import { builtInDefinition } from '../../kit/pure/component-definition.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import { settingName } from '../../kit/pure/names/terraform-names.js';
import type { ResourceRequirement } from '../../model/requirements.js';
import type { FunctionsRequirementConfig } from '../../resources/functions/requirement.js';
import type { StorageRequirementConfig } from '../../resources/storage/requirement.js';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import { DEFAULT_NODE_VERSION } from '../../resources/functions/type.js';
import { ref } from '../../resources/refs.js';
import { networkRanges } from '../network-ranges.js';
import { checkKnownKeys } from '../check-keys.js';
import { normalizeAccess } from '../crud/access.js';
import type { CrudApiConfig } from '../crud/config.js';
import { checkRoute, pluralize } from '../crud/normalize.js';
import {
  fileRoutes,
  MAX_FILE_SIZE_MB,
  MAX_PENDING_UPLOADS,
  MEDIA_TYPE,
} from '../../contract/files.js';
import type { FileStoreConfig } from './config.js';
import type { FileStoreHandle } from './handle.js';

/**
 * A FileStore definition; `TId` is the literal id so builder keys are typed.
 *
 * @example
 * ```ts
 * const files: FileStoreDefinition<'Attachments'> = FileStore.define('Attachments', { maxSizeMb: 10 });
 * ```
 */
export type FileStoreDefinition<TId extends string = string> = ComponentDefinition<
  TId,
  'FileStore',
  FileStoreConfig,
  FileStoreHandle
>;

const KEYS = [
  'maxSizeMb',
  'maxPendingUploads',
  'contentTypes',
  'access',
  'tenancy',
  'route',
  'priority',
  'allowedIpRanges',
] as const;

/**
 * Define a FileStore (phase 1: nothing is created). It asks for a container in the backend's data storage
 * account (`storage:files-…`, shared by every FileStore, never the Function App's host account), its routes
 * on the shared Function App's runtime, and its identity's two roles there (Storage Blob Data Contributor on
 * its container, Storage Blob Delegator on the account, for user-delegation SAS).
 *
 * @example
 * ```ts
 * const attachments = defineFileStore('Attachments', {
 *   maxSizeMb: 10,
 *   contentTypes: ['application/pdf', 'image/*'],
 *   access: [{ allow: 'owner' }],
 * });
 * ```
 */
export function defineFileStore<const TId extends string>(
  id: TId,
  config: FileStoreConfig,
): FileStoreDefinition<TId> {
  const checked = checkFileStoreConfig(id, config);
  const at = (...p: (string | number)[]) => ['components', id, 'config', ...p];
  const kebab = id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
  const route =
    config.route === undefined
      ? kebab.endsWith('s')
        ? kebab
        : pluralize(kebab)
      : checkRoute(id, config.route, at('route'));
  // Rules as a CrudApi's (the same checks and messages); files have no fields, so no partition key field to avoid.
  const access = normalizeAccess(id, { access: config.access } as CrudApiConfig, '/tenantId');
  const containerName = containerNameOf(kebab);
  const store = runtimeStoreOf(id, route, checked, access);
  const priority = config.priority ?? 10;
  const paths = fileRoutes(route);
  const routes = frozenPlainData([
    `api/${paths.collection}`,
    `api/${paths.item}`,
    `api/${paths.complete}`,
  ]);
  const { maxSizeMb, contentTypes } = checked;
  return builtInDefinition<FileStoreDefinition<TId>>({
    componentId: id,
    componentType: 'FileStore' as const,
    config,
    priority,
    requirements: fileStoreRequirements(id, priority, store, containerName, config.allowedIpRanges),
    outputs: (ctx) => {
      const func = ctx.resource('functions');
      const storage = ctx.resource('storage');
      const host = func ? `https://${func.name}.azurewebsites.net` : '';
      return {
        access: access.access,
        apiEndpoint: `${host}/api/${paths.collection}`,
        ...authOutput(ctx.config, host),
        blobEndpoint: storage ? `https://${storage.name}.blob.core.windows.net/` : '',
        containerName,
        contentTypes,
        functionAppName: func?.name ?? '',
        maxSizeMb,
        routes,
        storageAccountName: storage?.name ?? '',
      };
    },
  });
}

/** A FileStore's limits and tenancy, checked. */
interface CheckedFileStore {
  readonly maxSizeMb: number;
  readonly maxPendingUploads: number | undefined;
  readonly contentTypes: string[];
  readonly tenancy: 'isolated' | 'shared';
}

function checkFileStoreConfig(id: string, config: FileStoreConfig): CheckedFileStore {
  checkComponentId(id);
  const at = (...p: (string | number)[]) => ['components', id, 'config', ...p];
  if (!config || typeof config !== 'object')
    invalid(id, 'the config must be an object such as { maxSizeMb: 10 }.', at());
  checkKnownKeys(config, KEYS, at(), `FileStore ${id}`);
  const { maxSizeMb } = config;
  if (
    typeof maxSizeMb !== 'number' ||
    !Number.isFinite(maxSizeMb) ||
    maxSizeMb <= 0 ||
    maxSizeMb > MAX_FILE_SIZE_MB
  ) {
    invalid(
      id,
      `maxSizeMb ${JSON.stringify(maxSizeMb)} must be a number above 0 and at most ` +
        `${String(MAX_FILE_SIZE_MB)} (MiB; one Put Blob's limit).`,
      at('maxSizeMb'),
    );
  }
  const { maxPendingUploads } = config;
  if (
    maxPendingUploads !== undefined &&
    (typeof maxPendingUploads !== 'number' ||
      !Number.isSafeInteger(maxPendingUploads) ||
      maxPendingUploads < 1 ||
      maxPendingUploads > MAX_PENDING_UPLOADS)
  ) {
    invalid(
      id,
      `maxPendingUploads ${JSON.stringify(maxPendingUploads)} must be a whole number from 1 to ` +
        `${String(MAX_PENDING_UPLOADS)}.`,
      at('maxPendingUploads'),
    );
  }
  const contentTypes = checkContentTypes(id, config.contentTypes, at('contentTypes'));
  const tenancy = config.tenancy ?? 'isolated';
  if (tenancy !== 'isolated' && tenancy !== 'shared')
    invalid(
      id,
      `tenancy ${JSON.stringify(tenancy)} must be 'isolated' or 'shared'.`,
      at('tenancy'),
    );
  return { maxSizeMb, maxPendingUploads, contentTypes, tenancy };
}

/** The store as the runtime manifest carries it, plain and frozen. */
function runtimeStoreOf(
  id: string,
  route: string,
  { maxSizeMb, maxPendingUploads, contentTypes, tenancy }: CheckedFileStore,
  access: ReturnType<typeof normalizeAccess>,
): RuntimeFileStore {
  const settings = {
    endpoint: settingName(id, 'BLOB_ENDPOINT'),
    container: settingName(id, 'FILES_CONTAINER'),
  };
  const maxSizeBytes = Math.floor(maxSizeMb * 1024 * 1024);
  return frozenPlainData({
    componentId: id,
    entityName: /[^s]s$/.test(id) ? id.slice(0, -1) : id,
    route,
    maxSizeBytes,
    ...(maxPendingUploads !== undefined ? { maxPendingUploads } : {}),
    ...(contentTypes.length ? { contentTypes } : {}),
    partitionKey: tenancy === 'shared' ? '/id' : '/tenantId',
    ...(tenancy === 'shared' ? { tenancy: 'shared' as const } : {}),
    ...(access.explicit ? { access: access.access } : {}),
    settings,
  });
}

/** Its routes on the shared Function App, its container in the data account, and the app's host storage. */
function fileStoreRequirements(
  id: string,
  priority: number,
  store: RuntimeFileStore,
  containerName: string,
  allowedIpRanges: FileStoreConfig['allowedIpRanges'],
): ResourceRequirement[] {
  const functions: FunctionsRequirementConfig & { fileStores: RuntimeFileStore[] } = {
    runtime: 'node',
    version: DEFAULT_NODE_VERSION,
    crudRuntime: true,
    // Collection, item and complete.
    functionCount: 3,
    environmentVariables: {
      BLOB_ENDPOINT: ref('storage', 'blobEndpoint'),
      FILES_CONTAINER: containerName,
    },
    fileStores: [store],
  };
  const files: StorageRequirementConfig = {
    tier: 'Standard',
    replication: 'LRS',
    purpose: 'files',
    containers: [containerName],
    blobAccess: { [id]: containerName },
    ...networkRanges('FileStore', id, allowedIpRanges),
  };
  return [
    {
      resourceType: 'functions',
      requirementKey: `${id}-functions`,
      priority,
      config: { ...functions },
    },
    // The data account first: the component's `storage` (its outputs, its BLOB_ENDPOINT) is that one.
    { resourceType: 'storage', requirementKey: `${id}-files`, priority, config: { ...files } },
    // The Function App's host storage, asked for as a CrudApi does: a data account never hosts an app.
    {
      resourceType: 'storage',
      requirementKey: `${id}-storage`,
      priority,
      config: HOST_STORAGE as Record<string, unknown>,
    },
  ];
}

/**
 * `FileStore.define(id, config)`: the FileStore component's entry point.
 *
 * @example
 * ```ts
 * import { FileStore } from '@atakora/component/files';
 * const backend = defineBackend({
 *   attachments: FileStore.define('Attachments', { maxSizeMb: 10, contentTypes: ['image/*'] }),
 * });
 * ```
 */
export const FileStore = Object.freeze({ define: defineFileStore });

const HOST_STORAGE: StorageRequirementConfig = frozenPlainData({
  tier: 'Standard',
  replication: 'LRS',
});

function invalid(id: string, message: string, path: (string | number)[]): never {
  throw new AtakoraError('FILESTORE_CONFIG_INVALID', `FileStore ${id}: ${message}`, { path });
}

function checkContentTypes(id: string, given: unknown, path: (string | number)[]): string[] {
  if (given === undefined) return [];
  if (!Array.isArray(given) || given.length === 0)
    invalid(
      id,
      "contentTypes must be a non-empty list of media types such as ['image/png', 'image/*'] (leave it out " +
        'to accept any type).',
      path,
    );
  return [
    ...new Set(
      (given as unknown[]).map((t, i) => {
        if (typeof t !== 'string' || !MEDIA_TYPE.test(t.trim()))
          invalid(
            id,
            `contentTypes[${String(i)}] ${JSON.stringify(t)} is not a media type (type/subtype or type/*).`,
            [...path, i],
          );
        return t.trim().toLowerCase();
      }),
    ),
  ].sort();
}

/** A blob container name: 3–63 lowercase letters, digits and single hyphens, starting with a letter or digit. */
function containerNameOf(kebab: string): string {
  const slug = kebab
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return (slug.length >= 3 ? slug : `${slug}-files`).slice(0, 63).replace(/-$/, '');
}
