/**
 * FileStore bytes in the usage ledger and under the plan's `storageMb` (Azurite for the blobs, the local Cosmos DB
 * server for the ledger): a completed upload adds its size once (a repeated completion adds nothing), a delete
 * frees it; an upload is refused at its declaration when the declared size would pass the quota, and at its
 * completion when the real one would (files completed meanwhile), and completes once space is freed; another
 * tenant on the same plan is unaffected; after a flush the ledger holds exactly the bytes stored. In a shared store
 * a file's bytes are the directory's that completed it (recorded in its metadata): another directory's delete
 * credits that one; parallel completions never pass the quota together.
 */
import { BlobServiceClient } from '@azure/storage-blob';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeFileStore } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import { createFileHandlers, type FileHandlers } from '../../src/runtime/files/handlers.js';
import { boundServices } from '../../src/runtime/pipeline/services.js';
import { BYTES_PER_MB } from '../../src/runtime/limits/storage-quota.js';
import { bindTenantRegistry } from '../../src/runtime/tenants/registry-binding.js';
import type { TenantRecord } from '../../src/runtime/tenants/tenant-record.js';
import { UsageMeter } from '../../src/runtime/usage/usage-meter.js';
import { bindUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { principalHeader } from './support/built-app.js';
import { invoke, type Reply } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { registryAuth } from './support/registry-auth.js';

const HOME = 'home-dir';
/** 64 bytes: a power-of-two fraction of a MiB, exact in floating point. */
const QUOTA_BYTES = 64;
const registry = {
  database: 'atakora',
  container: 'tenants-file-quota',
  usage: 'usage-file-quota',
  plans: { small: { storageMb: QUOTA_BYTES / BYTES_PER_MB } },
  defaultPlan: 'small',
  signUp: 'invite' as const,
};
const policy: RuntimeAuth = registryAuth(HOME, registry);
const at = '2026-01-01T00:00:00.000Z';
const record = (id: string): TenantRecord => ({
  id,
  plan: 'small',
  status: 'active',
  createdOn: at,
  updatedOn: at,
});
const records: Record<string, TenantRecord> = { acme: record('acme'), other: record('other') };
const store: RuntimeFileStore = {
  componentId: 'Quota',
  entityName: 'Attachment',
  route: 'quota-files',
  maxSizeBytes: 4096,
  contentTypes: ['text/plain'],
  partitionKey: '/tenantId',
  settings: { endpoint: 'QUOTA_BLOB_ENDPOINT', container: 'QUOTA_FILES_CONTAINER' },
};
const who = (tid: string) =>
  principalHeader([
    ['tid', tid],
    ['oid', `u-${tid}`],
  ]);
const code = (r: Reply) => r.body?.type?.replace('urn:atakora:problem:', '');

let azurite: LocalAzurite;
let cosmos: LocalCosmos;
let usage: Container;
let files: FileHandlers;
let sharedFiles: FileHandlers;
let meter: UsageMeter;

const sharedStore: RuntimeFileStore = {
  ...store,
  componentId: 'SharedQuota',
  route: 'shared-quota-files',
  partitionKey: '/id',
  tenancy: 'shared',
  settings: { endpoint: 'QUOTA_BLOB_ENDPOINT', container: 'SHARED_QUOTA_FILES_CONTAINER' },
};

const declare = (tid: string, size: number, on = files, s = store) =>
  invoke(on.collection, 'POST', s.route, {
    headers: who(tid),
    body: { name: 'f.txt', contentType: 'text/plain', size },
  });
const complete = (tid: string, id: string, on = files, s = store) =>
  invoke(on.complete, 'POST', `${s.route}/${id}/complete`, {
    headers: who(tid),
    params: { id },
  });
const remove = (tid: string, id: string, on = files, s = store) =>
  invoke(on.item, 'DELETE', `${s.route}/${id}`, { headers: who(tid), params: { id } });

/** A declared and uploaded file of `size` bytes, not completed: its id. */
async function staged(tid: string, size: number, on = files, s = store): Promise<string> {
  const created = await declare(tid, size, on, s);
  expect(created.status).toBe(201);
  const put = await fetch(created.body.uploadUrl as string, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/plain' },
    body: 'x'.repeat(size),
  });
  expect(put.status).toBe(201);
  return created.body.id as string;
}

beforeAll(async () => {
  [azurite, cosmos] = await Promise.all([startAzurite(), startLocalCosmos()]);
  const service = new BlobServiceClient(azurite.blobEndpoint, azuriteCredential());
  await service.getContainerClient('quota-files').createIfNotExists();
  await service.getContainerClient('shared-quota-files').createIfNotExists();
  usage = await cosmos.container('usage-file-quota', '/tenant');
  // The registry store is the Cosmos DB container in the runtime; here a map, as RegistryStore allows.
  bindTenantRegistry(registry, {
    read: (id) => Promise.resolve(records[id]),
    create: (r) => Promise.resolve(r),
  });
  meter = bindUsageMeter(
    registry,
    new UsageMeter(cosmosUsageStore(usage), { instance: 'files-1', flushIntervalMs: 0 }),
  );
  const resolve = createFileBlobsResolver(
    { version: 1, backendId: 'x', entities: [], fileStores: [store, sharedStore] },
    {
      QUOTA_BLOB_ENDPOINT: azurite.blobEndpoint,
      QUOTA_FILES_CONTAINER: 'quota-files',
      SHARED_QUOTA_FILES_CONTAINER: 'shared-quota-files',
    },
    { credential: azuriteCredential() },
  );
  // The test is the composition root: it hands the handlers the services this process bound.
  const services = boundServices(policy);
  files = createFileHandlers(store, resolve(store), { caller: policy, services });
  sharedFiles = createFileHandlers(sharedStore, resolve(sharedStore), { caller: policy, services });
});
afterAll(async () => {
  meter?.close();
  await Promise.all([azurite?.stop(), cosmos?.stop()]);
});

describe('FileStore bytes under a plan', () => {
  it('counts completed files once, frees deleted ones, refuses uploads past storageMb', async () => {
    // Declared past the quota: refused before any URL is signed.
    const big = await declare('acme', QUOTA_BYTES + 1);
    expect([big.status, code(big)]).toEqual([403, 'storage-quota-exceeded']);

    const a = await staged('acme', 40);
    expect((await complete('acme', a)).status).toBe(200);
    expect(await meter.storedBytes('acme')).toBe(40);
    // Completing it again answers the same file and adds nothing.
    expect((await complete('acme', a)).status).toBe(200);
    expect(await meter.storedBytes('acme')).toBe(40);

    // 40 + 30 > 64: refused at its declaration; 40 + 20 fits, twice (declared bytes are not stored yet).
    expect(code(await declare('acme', 30))).toBe('storage-quota-exceeded');
    const c = await staged('acme', 20);
    const d = await staged('acme', 20);
    expect((await complete('acme', c)).status).toBe(200);
    expect(await meter.storedBytes('acme')).toBe(60);
    // Its real size would now pass the quota: refused at completion, nothing counted, the upload kept declared.
    const late = await complete('acme', d);
    expect([late.status, code(late)]).toEqual([403, 'storage-quota-exceeded']);
    expect(await meter.storedBytes('acme')).toBe(60);

    // Another tenant on the same plan stores its own bytes.
    const o = await staged('other', 50);
    expect((await complete('other', o)).status).toBe(200);
    expect(await meter.storedBytes('other')).toBe(50);

    // Deleting frees the file's bytes (once: a second delete is a 404); the refused upload then completes.
    expect((await remove('acme', a)).status).toBe(204);
    expect((await remove('acme', a)).status).toBe(404);
    expect(await meter.storedBytes('acme')).toBe(20);
    expect((await complete('acme', d)).status).toBe(200);
    expect(await meter.storedBytes('acme')).toBe(40);

    // Withdrawing a declared upload never completed frees nothing (it added nothing).
    const w = await staged('acme', 10);
    expect((await remove('acme', w)).status).toBe(204);
    expect(await meter.storedBytes('acme')).toBe(40);

    await meter.flush();
    const { resources } = await usage.items
      .query<{ tenant: string; kind: string; fileBytes: number; itemBytes: number }>(
        "SELECT * FROM c WHERE c.kind = 'stored' OR c.kind = 'hour'",
      )
      .fetchAll();
    const of = (tenant: string, kind: string) =>
      resources.filter((r) => r.tenant === tenant && r.kind === kind).map((r) => r.fileBytes);
    expect(of('acme', 'stored')).toEqual([40]);
    expect(of('other', 'stored')).toEqual([50]);
    expect(of('acme', 'hour')).toEqual([40]);
  });

  it("a shared store's file is its completer's: another directory's delete credits it; parallel completions hold", async () => {
    const [a, b] = ['shared-a', 'shared-b'];
    records[a] = record(a);
    records[b] = record(b);
    const f = await staged(a, 30, sharedFiles, sharedStore);
    expect((await complete(a, f, sharedFiles, sharedStore)).status).toBe(200);
    expect(await meter.storedBytes(a)).toBe(30);
    // B may delete it (every signed-in caller may): A is credited, B never goes below zero.
    expect((await remove(b, f, sharedFiles, sharedStore)).status).toBe(204);
    expect(await meter.storedBytes(a)).toBe(0);
    expect(await meter.storedBytes(b)).toBe(0);
    // Three uploads of 30 bytes completed at once on a 64-byte plan: two fit, the third is refused.
    const ids = [
      await staged(a, 30, sharedFiles, sharedStore),
      await staged(a, 30, sharedFiles, sharedStore),
      await staged(a, 30, sharedFiles, sharedStore),
    ];
    const done = await Promise.all(ids.map((id) => complete(a, id, sharedFiles, sharedStore)));
    expect(done.map((r) => r.status).sort()).toEqual([200, 200, 403]);
    expect(await meter.storedBytes(a)).toBe(60);
  });
});
