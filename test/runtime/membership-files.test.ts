/**
 * FileStore routes with tenants by membership (Azurite, whose SAS rules match Azure's): a file uploaded in one
 * organization is listed and read by its other members, never by a member of another organization acting in theirs
 * (not listed, 404 by id), and a non-member naming the organization is refused before any blob is touched.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Membership } from '../../src/contract/members.js';
import type { RuntimeAuth, RuntimeFileStore } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import { createFileHandlers, type FileHandlers } from '../../src/runtime/files/handlers.js';
import { boundServices } from '../../src/runtime/pipeline/services.js';
import { bindMembers } from '../../src/runtime/members/members-binding.js';
import { MembershipCache } from '../../src/runtime/members/membership-cache.js';
import type { MemberStore } from '../../src/runtime/members/member-store.js';
import type { RegistryAdminStore } from '../../src/runtime/tenants/registry-admin-store.js';
import { bindTenantRegistry } from '../../src/runtime/tenants/registry-binding.js';
import type { TenantRecord } from '../../src/runtime/tenants/tenant-record.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';

const at = '2026-01-01T00:00:00.000Z';
const registry = {
  database: 'atakora',
  container: 'tenants-member-files',
  usage: '',
  plans: { free: {} },
  defaultPlan: 'free',
  signUp: 'invite' as const,
  membership: {
    container: 'members',
    roles: ['Admin', 'Member'],
    createTenants: 'operator' as const,
  },
};
const policy: RuntimeAuth = {
  required: true,
  tenantClaim: 'tid',
  trustTenantHeader: false,
  homeTenant: 'home-dir',
  registry,
};
const records: Record<string, TenantRecord> = {
  acme: { id: 'acme', plan: 'free', status: 'active', createdOn: at, updatedOn: at },
  globex: { id: 'globex', plan: 'free', status: 'active', createdOn: at, updatedOn: at },
};
const memberships: Membership[] = [
  { id: 'acme|ada', tenant: 'acme', userId: 'ada', roles: ['Owner'], addedOn: at },
  { id: 'acme|bob', tenant: 'acme', userId: 'bob', roles: ['Member'], addedOn: at },
  { id: 'globex|gus', tenant: 'globex', userId: 'gus', roles: ['Owner'], addedOn: at },
];
const store: RuntimeFileStore = {
  componentId: 'Attachments',
  entityName: 'Attachment',
  route: 'attachments',
  maxSizeBytes: 4096,
  contentTypes: ['text/plain'],
  partitionKey: '/tenantId',
  settings: { endpoint: 'ATTACHMENTS_BLOB_ENDPOINT', container: 'ATTACHMENTS_FILES_CONTAINER' },
};
const as = (oid: string, org: string) => ({
  ...principalHeader([
    ['tid', 'home-dir'],
    ['oid', oid],
  ]),
  'x-atakora-tenant': org,
});
const code = (r: { body?: { type?: string } }) => r.body?.type?.replace('urn:atakora:problem:', '');

let azurite: LocalAzurite;
let files: FileHandlers;

beforeAll(async () => {
  azurite = await startAzurite();
  const service = new BlobServiceClient(azurite.blobEndpoint, azuriteCredential());
  await service.getContainerClient('member-files').createIfNotExists();
  // The registry and the members are Cosmos DB containers in the runtime; here maps, as their stores allow.
  bindTenantRegistry(registry, {
    read: (id) => Promise.resolve(records[id]),
    create: (r) => Promise.resolve(r),
  });
  const members = {
    read: (tenant: string, userId: string) => {
      const m = memberships.find((x) => x.tenant === tenant && x.userId === userId);
      return Promise.resolve(m ? { value: m, etag: '"1"' } : undefined);
    },
    membershipsOf: (userId: string) =>
      Promise.resolve(memberships.filter((m) => m.userId === userId)),
  } as unknown as MemberStore;
  bindMembers(registry, {
    store: members,
    cache: new MembershipCache(members),
    registry,
    membership: registry.membership,
    admin: {} as RegistryAdminStore,
  });
  const blobs = createFileBlobsResolver(
    { version: 1, backendId: 'x', entities: [], fileStores: [store] },
    {
      ATTACHMENTS_BLOB_ENDPOINT: azurite.blobEndpoint,
      ATTACHMENTS_FILES_CONTAINER: 'member-files',
    },
    { credential: azuriteCredential() },
  )(store);
  // The test is the composition root: it hands the handlers the services this process bound.
  files = createFileHandlers(store, blobs, { caller: policy, services: boundServices(policy) });
});
afterAll(async () => azurite?.stop());

describe('FileStore routes with organizations', () => {
  it('a file of one organization reaches its members only', async () => {
    const created = await invoke(files.collection, 'POST', 'attachments', {
      headers: as('ada', 'acme'),
      body: { name: 'plan.txt', contentType: 'text/plain', size: 5 },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const put = await fetch(created.body.uploadUrl as string, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(put.status).toBe(201);
    const done = await invoke(files.complete, 'POST', `attachments/${id}/complete`, {
      headers: as('ada', 'acme'),
      params: { id },
    });
    expect(done.status).toBe(200);

    const listed = (who: string, org: string) =>
      invoke(files.collection, 'GET', 'attachments', { headers: as(who, org) });
    const read = (who: string, org: string) =>
      invoke(files.item, 'GET', `attachments/${id}`, { headers: as(who, org), params: { id } });
    expect((await listed('bob', 'acme')).body.items.map((f: { id: string }) => f.id)).toEqual([id]);
    expect((await read('bob', 'acme')).status).toBe(200);
    // Gus, of globex, in globex: nothing of acme's.
    expect((await listed('gus', 'globex')).body.items).toEqual([]);
    expect((await read('gus', 'globex')).status).toBe(404);
    // Gus naming acme: refused before any blob is read.
    expect(code(await listed('gus', 'acme'))).toBe('not-a-member');
    expect(code(await read('gus', 'acme'))).toBe('not-a-member');
  });
});
