import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type {
  RuntimeEntity,
  RuntimeFileStore,
  RuntimeManifest,
} from '../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import type { FileBlobs } from '../../src/runtime/files/blobs.js';
import { type RegisterDeps, registerCrudRoutes } from '../../src/runtime/register-routes.js';
import type { CosmosCallPolicy } from '../../src/runtime/data/cosmos-policy.js';
import { settings } from '../runtime/support/entities.js';
import { type CallOptions, invoke, type Reply } from '../runtime/support/http.js';
import { principalHeader } from '../runtime/support/built-app.js';
import type { LocalCosmos } from '../runtime/support/local-cosmos.js';

const ALL = ['create', 'read', 'update', 'delete', 'list'] as const;

/** A signed-in caller as App Service authentication passes it (tid names the tenant, oid the user). */
export function principal(tid: string, oid: string): Record<string, string> {
  return principalHeader([
    ['tid', tid],
    ['oid', oid],
  ]);
}

const str = { type: 'string', required: false } as const;
const num = { type: 'number', required: false } as const;

/** Folders (tenant-wide) whose delete cascades into their `DocApi` documents (`folderId`). */
export const folders: RuntimeEntity = {
  componentId: 'FolderApi',
  entityName: 'Folder',
  route: 'folders',
  partitionKey: '/tenantId',
  schema: { id: str },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('FOLDERS'),
  relations: [
    { name: 'docs', kind: 'hasMany', target: 'DocApi', field: 'folderId', onDelete: 'cascade' },
  ],
};

export const customers: RuntimeEntity = {
  componentId: 'CustomerApi',
  entityName: 'Customer',
  route: 'customers',
  partitionKey: '/tenantId',
  schema: { id: str, name: str },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('CUSTOMERS'),
  relations: [{ name: 'orders', kind: 'hasMany', target: 'OrderApi', field: 'customerId' }],
};

export const orders: RuntimeEntity = {
  componentId: 'OrderApi',
  entityName: 'Order',
  route: 'orders',
  partitionKey: '/tenantId',
  schema: { id: str, customerId: str, total: num, photoId: str },
  operations: ALL,
  unknownFields: 'reject',
  sortable: [[{ field: 'total', order: 'ascending' }]],
  settings: settings('ORDERS'),
  relations: [
    { name: 'customer', kind: 'belongsTo', target: 'CustomerApi', field: 'customerId' },
    { name: 'photo', kind: 'file', target: 'InspectionFiles', field: 'photoId' },
  ],
};

/** Owner-only: each user reads their own vaults only. */
export const vaults: RuntimeEntity = {
  componentId: 'VaultApi',
  entityName: 'Vault',
  route: 'vaults',
  partitionKey: '/id',
  schema: { id: str, label: str },
  operations: ALL,
  unknownFields: 'reject',
  access: [{ allow: 'owner' }],
  settings: settings('VAULTS'),
  relations: [
    { name: 'entries', kind: 'hasMany', target: 'EntryApi', field: 'vaultId', onDelete: 'cascade' },
  ],
};

export const entries: RuntimeEntity = {
  componentId: 'EntryApi',
  entityName: 'Entry',
  route: 'entries',
  partitionKey: '/id',
  schema: { id: str, vaultId: str, text: str },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('ENTRIES'),
  relations: [
    { name: 'vault', kind: 'belongsTo', target: 'VaultApi', field: 'vaultId' },
    { name: 'notes', kind: 'hasMany', target: 'NoteApi', field: 'entryId' },
  ],
};

/** Children of entries under restrict: a cascade from a vault stops at an entry with notes. */
export const notes: RuntimeEntity = {
  componentId: 'NoteApi',
  entityName: 'Note',
  route: 'notes',
  partitionKey: '/tenantId',
  schema: { id: str, entryId: str },
  operations: ALL,
  unknownFields: 'reject',
  settings: settings('NOTES'),
  relations: [{ name: 'entry', kind: 'belongsTo', target: 'EntryApi', field: 'entryId' }],
};

/** Every registered route's handler, by function name, and a small client addressing them like the host. */
export function relationApp(
  manifest: RuntimeManifest,
  containers: ReadonlyMap<string, Container>,
  extra: {
    blobsFor?: (s: RuntimeFileStore) => FileBlobs;
    cosmos?: CosmosCallPolicy;
    cascadeQueue?: RegisterDeps['cascadeQueue'];
    cascadePolicy?: RegisterDeps['cascadePolicy'];
    changeHandlers?: RegisterDeps['changeHandlers'];
    migrations?: RegisterDeps['migrations'];
    /** Where the CrudApis' routes are recorded for in-process calls (`dataOf`). */
    inProcess?: RegisterDeps['inProcess'];
  } = {},
) {
  const handlers = new Map<string, HttpHandler>();
  registerCrudRoutes(
    {
      http: (name: string, options: HttpFunctionOptions) => {
        handlers.set(name, options.handler);
      },
    },
    manifest,
    {
      containerFor: (e) => containers.get(e.componentId)!,
      caller: callerPolicyOf(manifest),
      ...(extra.blobsFor ? { blobsFor: extra.blobsFor } : {}),
      ...(extra.cosmos ? { cosmos: extra.cosmos } : {}),
      ...(extra.cascadeQueue ? { cascadeQueue: extra.cascadeQueue } : {}),
      ...(extra.cascadePolicy ? { cascadePolicy: extra.cascadePolicy } : {}),
      ...(extra.changeHandlers ? { changeHandlers: extra.changeHandlers } : {}),
      ...(extra.migrations ? { migrations: extra.migrations } : {}),
      ...(extra.inProcess ? { inProcess: extra.inProcess } : {}),
    },
  );
  const h = (name: string) => {
    const found = handlers.get(name);
    if (!found) throw new Error(`no function ${name}`);
    return found;
  };
  return {
    handlers,
    create: (e: RuntimeEntity, body: unknown, who: Record<string, string>): Promise<Reply> =>
      invoke(h(`${e.componentId}-collection`), 'POST', e.route, { body, headers: who }),
    list: (e: RuntimeEntity, who: Record<string, string>, query: Record<string, string> = {}) =>
      invoke(h(`${e.componentId}-collection`), 'GET', e.route, { headers: who, query }),
    item: (
      e: RuntimeEntity,
      method: string,
      id: string,
      who: Record<string, string>,
      opts: CallOptions = {},
    ) =>
      invoke(h(`${e.componentId}-item`), method, `${e.route}/${encodeURIComponent(id)}`, {
        ...opts,
        headers: { ...who, ...opts.headers },
        params: { id },
      }),
    children: (
      e: RuntimeEntity,
      relation: string,
      id: string,
      who: Record<string, string>,
      query: Record<string, string> = {},
      method = 'GET',
    ) =>
      invoke(
        h(`${e.componentId}-${relation}`),
        method,
        `${e.route}/${encodeURIComponent(id)}/${relation}`,
        {
          headers: who,
          query,
          params: { id },
        },
      ),
  };
}

/**
 * The registered runtime of `entities` on the local Cosmos DB server, one container each (backend `shop`).
 *
 * @example
 * ```ts
 * const app = await relationAppOn(cosmos, [customers, orders]);
 * ```
 */
export async function relationAppOn(
  cosmos: LocalCosmos,
  entities: readonly RuntimeEntity[],
): Promise<ReturnType<typeof relationApp>> {
  const containers = new Map<string, Container>();
  for (const e of entities)
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey, undefined, e));
  return relationApp({ version: 1, backendId: 'shop', entities: [...entities] }, containers);
}
