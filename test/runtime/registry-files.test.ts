/**
 * FileStore routes behind the tenant registry: the registry stage refuses an unregistered or suspended directory
 * before any blob is touched, and serves an active one (Azurite, whose SAS rules match Azure's).
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeFileStore } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import { createFileHandlers, type FileHandlers } from '../../src/runtime/files/handlers.js';
import { boundServices } from '../../src/runtime/pipeline/services.js';
import { bindTenantRegistry } from '../../src/runtime/tenants/registry-binding.js';
import type { TenantRecord } from '../../src/runtime/tenants/tenant-record.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';
import { registryAuth } from './support/registry-auth.js';

const HOME = 'home-dir';
const who = (tid: string) =>
  principalHeader([
    ['tid', tid],
    ['oid', `u-${tid}`],
  ]);
const registry = {
  database: 'atakora',
  container: 'tenants-files',
  usage: 'usage',
  plans: { free: {} },
  defaultPlan: 'free',
  signUp: 'invite' as const,
};
const policy: RuntimeAuth = registryAuth(HOME, registry);
const at = '2026-01-01T00:00:00.000Z';
const records: Record<string, TenantRecord> = {
  active: { id: 'active', plan: 'free', status: 'active', createdOn: at, updatedOn: at },
  paused: { id: 'paused', plan: 'free', status: 'suspended', createdOn: at, updatedOn: at },
};
const store: RuntimeFileStore = {
  componentId: 'Attachments',
  entityName: 'Attachment',
  route: 'attachments',
  maxSizeBytes: 4096,
  contentTypes: ['text/plain'],
  partitionKey: '/tenantId',
  settings: { endpoint: 'ATTACHMENTS_BLOB_ENDPOINT', container: 'ATTACHMENTS_FILES_CONTAINER' },
};

let azurite: LocalAzurite;
let files: FileHandlers;
let blobs: ReturnType<ReturnType<typeof createFileBlobsResolver>>;
const code = (r: { body?: { type?: string } }) => r.body?.type?.replace('urn:atakora:problem:', '');

beforeAll(async () => {
  azurite = await startAzurite();
  const service = new BlobServiceClient(azurite.blobEndpoint, azuriteCredential());
  await service.getContainerClient('attachments').createIfNotExists();
  // The registry store is the Cosmos DB container in the runtime; here a map, as RegistryStore allows.
  bindTenantRegistry(registry, {
    read: (id) => Promise.resolve(records[id]),
    create: (r) => Promise.resolve(r),
  });
  const env = {
    ATTACHMENTS_BLOB_ENDPOINT: azurite.blobEndpoint,
    ATTACHMENTS_FILES_CONTAINER: 'attachments',
  };
  blobs = createFileBlobsResolver(
    { version: 1, backendId: 'x', entities: [], fileStores: [store] },
    env,
    { credential: azuriteCredential() },
  )(store);
  // The test is the composition root: it hands the handlers the services this process bound.
  files = createFileHandlers(store, blobs, { caller: policy, services: boundServices(policy) });
});
afterAll(async () => azurite?.stop());

describe('FileStore routes behind the tenant registry', () => {
  it('refuse unregistered and suspended directories; serve active and home', async () => {
    const declare = (tid: string) =>
      invoke(files.collection, 'POST', 'attachments', {
        headers: who(tid),
        body: { name: 'a.txt', contentType: 'text/plain', size: 5 },
      });
    const stranger = await declare('stranger');
    expect([stranger.status, code(stranger)]).toEqual([403, 'tenant-not-registered']);
    const paused = await declare('paused');
    expect([paused.status, code(paused)]).toEqual([403, 'tenant-suspended']);
    expect((await declare('active')).status).toBe(201);
    expect((await declare(HOME)).status).toBe(201);
    const list = await invoke(files.collection, 'GET', 'attachments', { headers: who('paused') });
    expect(code(list)).toBe('tenant-suspended');
  });

  it('built without services, the handlers read none the process bound: closed to all but the home directory', async () => {
    // The registry bound above admits `active`; handlers not handed it must not find it (the timing fault).
    const alone = createFileHandlers(store, blobs, { caller: policy });
    const declare = (tid: string) =>
      invoke(alone.collection, 'POST', 'attachments', {
        headers: who(tid),
        body: { name: 'b.txt', contentType: 'text/plain', size: 5 },
      });
    const active = await declare('active');
    expect([active.status, code(active)]).toEqual([403, 'tenant-not-registered']);
    expect((await declare(HOME)).status).toBe(201);
  });
});
