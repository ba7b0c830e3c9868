/**
 * `file` relations against Azurite and the local Cosmos DB server: a reference must name a completed file of
 * that store the caller can read in its tenant; `$expand` embeds the file's metadata with a fresh downloadUrl.
 */
import type { Container } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeFileStore, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { invoke } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { customers, orders, principal, relationApp } from './support.js';

const ALICE = principal('tenant-a', 'alice');
const EVE = principal('tenant-b', 'eve');

const store: RuntimeFileStore = {
  componentId: 'InspectionFiles',
  entityName: 'InspectionFile',
  route: 'inspection-files',
  maxSizeBytes: 1024,
  partitionKey: '/tenantId',
  settings: { endpoint: 'FILES_BLOB_ENDPOINT', container: 'FILES_CONTAINER' },
};

let azurite: LocalAzurite;
let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;

beforeAll(async () => {
  [azurite, cosmos] = await Promise.all([startAzurite(), startLocalCosmos()]);
  await new BlobServiceClient(azurite.blobEndpoint, azuriteCredential())
    .getContainerClient('files')
    .create();
  const containers = new Map<string, Container>([
    ['CustomerApi', await cosmos.container('customers', '/tenantId')],
    ['OrderApi', await cosmos.container('orders', '/tenantId')],
  ]);
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'shop',
    entities: [customers, orders],
    fileStores: [store],
  };
  const blobs = createFileBlobsResolver(
    manifest,
    { FILES_BLOB_ENDPOINT: azurite.blobEndpoint, FILES_CONTAINER: 'files' },
    { credential: azuriteCredential() },
  );
  app = relationApp(manifest, containers, { blobsFor: blobs });
  await app.create(customers, { id: 'c1' }, ALICE);
});
afterAll(async () => Promise.all([azurite?.stop(), cosmos?.stop()]));

async function upload(who: Record<string, string>, complete = true): Promise<string> {
  const h = app.handlers.get('InspectionFiles-files')!;
  const text = 'photo';
  const created = await invoke(h, 'POST', store.route, {
    body: { name: 'p.txt', contentType: 'text/plain', size: text.length },
    headers: who,
  });
  expect(created.status).toBe(201);
  const put = await fetch(created.body.uploadUrl as string, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/plain' },
    body: text,
  });
  expect(put.status).toBe(201);
  const id = created.body.id as string;
  if (complete) {
    const done = await invoke(
      app.handlers.get('InspectionFiles-complete')!,
      'POST',
      `${store.route}/${id}/complete`,
      {
        headers: who,
        params: { id },
      },
    );
    expect(done.status).toBe(200);
  }
  return id;
}

describe('file references', () => {
  it('a completed file of the caller’s tenant is kept and expanded with a fresh downloadUrl', async () => {
    const photo = await upload(ALICE);
    const created = await app.create(orders, { id: 'o1', customerId: 'c1', photoId: photo }, ALICE);
    expect(created.status).toBe(201);
    const got = await app.item(orders, 'GET', 'o1', ALICE, {
      query: { $expand: 'photo,customer' },
    });
    expect(got.status).toBe(200);
    expect(got.body.photo).toMatchObject({ id: photo, name: 'p.txt', size: 5 });
    expect(got.body.customer.id).toBe('c1');
    const bytes = await fetch(got.body.photo.downloadUrl as string);
    expect(await bytes.text()).toBe('photo');
    const page = await app.list(orders, ALICE, { $expand: 'photo' });
    expect(page.body.items[0].photo.id).toBe(photo);
  });

  it('an upload not completed, another tenant’s file and a made-up id get the same 422', async () => {
    const pending = await upload(ALICE, false);
    const evesPhoto = await upload(EVE);
    const answers = [];
    for (const photoId of [
      pending,
      evesPhoto,
      '00000000-0000-4000-8000-000000000000',
      'not-a-uuid',
    ]) {
      const r = await app.create(orders, { customerId: 'c1', photoId }, ALICE);
      expect(r.status).toBe(422);
      answers.push({ type: r.body.type, field: r.body.field, detail: r.body.detail });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it('a file deleted since reads as null under $expand', async () => {
    const photo = await upload(ALICE);
    await app.create(orders, { id: 'o2', customerId: 'c1', photoId: photo }, ALICE);
    const del = await invoke(
      app.handlers.get('InspectionFiles-file')!,
      'DELETE',
      `${store.route}/${photo}`,
      {
        headers: ALICE,
        params: { id: photo },
      },
    );
    expect(del.status).toBe(204);
    const got = await app.item(orders, 'GET', 'o2', ALICE, { query: { $expand: 'photo' } });
    expect(got.body.photo).toBeNull();
    expect(got.body.photoId).toBe(photo);
  });
});
