/**
 * A FileStore's routes against Azurite (blob service, HTTPS, OAuth on): uploads go through a user-delegation SAS
 * for one blob, create/write only and short-lived; completion checks the stored bytes against the limits and
 * keeps nothing that breaks them; tenants and owners are confined as a CrudApi's items are.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeFileStore } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import type { FileHandlers } from '../../src/runtime/files/handlers.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { fileStoreApi, putBlob, testFileStore, uploadedTo } from './support/file-store-api.js';
import { HttpRequest } from '@azure/functions';
import { createClient } from '../../src/client/create-client.js';
import type { FileClient } from '../../src/client/types.js';
import { makeContext } from './support/http.js';

function principal(claims: Record<string, string>): Record<string, string> {
  const value = {
    auth_typ: 'aad',
    claims: Object.entries(claims).map(([typ, val]) => ({ typ, val })),
  };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(value)).toString('base64') };
}
const ALICE = principal({ tid: 'tenant-a', oid: 'alice' });
const BOB = principal({ tid: 'tenant-a', oid: 'bob' });
const EVE = principal({ tid: 'tenant-b', oid: 'eve' });
const secure = callerPolicyOf({ version: 1, backendId: 'x', entities: [] });

const store = testFileStore;

let azurite: LocalAzurite;
const handlersOf = new Map<string, FileHandlers>();
let container: ContainerClient;
let files: ReturnType<typeof apiOf>;
let owned: ReturnType<typeof apiOf>;

function apiOf(s: RuntimeFileStore, name: string) {
  const api = fileStoreApi(s, {
    blobEndpoint: azurite.blobEndpoint,
    container: name,
    caller: secure,
  });
  handlersOf.set(s.route, api.handlers);
  return {
    create: (body: unknown, headers = ALICE) => api.create(body, headers),
    list: (headers = ALICE) => api.list(headers),
    get: (id: string, headers = ALICE) => api.get(id, headers),
    del: (id: string, headers = ALICE) => api.del(id, headers),
    complete: (id: string, headers = ALICE) => api.complete(id, headers),
  };
}

const put = putBlob;
const names = async () => {
  const out: string[] = [];
  for await (const b of container.listBlobsFlat()) out.push(b.name);
  return out.sort();
};
const minutesLeft = (url: string) =>
  (Date.parse(new URL(url).searchParams.get('se')!) - Date.now()) / 60_000;

beforeAll(async () => {
  azurite = await startAzurite();
  const service = new BlobServiceClient(azurite.blobEndpoint, azuriteCredential());
  container = service.getContainerClient('attachments');
  await container.create();
  await service.getContainerClient('owned').create();
  files = apiOf(store(), 'attachments');
  owned = apiOf(
    store({ componentId: 'Owned', route: 'owned', access: [{ allow: 'owner' }] }),
    'owned',
  );
});
afterAll(async () => azurite?.stop());

const uploaded = (api = files, text = 'hello', type = 'text/plain', headers = ALICE) =>
  uploadedTo(api, headers, text, type);

describe('FileStore on Azurite', () => {
  it('uploads through the SAS URL, completes, lists and reads the file back', async () => {
    const created = await files.create({
      name: 'notes — été.txt',
      contentType: 'text/plain',
      size: 5,
    });
    expect(created.status).toBe(201);
    const { id, uploadUrl, expiresOn } = created.body as {
      id: string;
      uploadUrl: string;
      expiresOn: string;
    };
    expect(new URL(uploadUrl).pathname).toBe(
      `/devstoreaccount1/attachments/~staging/tenant-a/${id}`,
    );
    expect(Date.parse(expiresOn) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect((await put(uploadUrl, 'hello', 'text/plain')).status).toBe(201);
    const done = await files.complete(id);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id,
      name: 'notes — été.txt',
      contentType: 'text/plain',
      size: 5,
      ownerId: 'alice',
    });
    const list = await files.list();
    expect(list.body.items.map((f: { id: string }) => f.id)).toContain(id);
    const got = await files.get(id);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe('notes — été.txt');
    const download = await fetch(got.body.downloadUrl as string);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello');
    expect(download.headers.get('content-type')).toBe('text/plain');
    // The pending record is gone once completed.
    expect((await names()).filter((n) => n.startsWith('~pending/'))).not.toContain(
      `~pending/tenant-a/${id}`,
    );
  });

  it('SAS URLs: upload is create/write only, download read only, each for one blob and short-lived', async () => {
    const created = await files.create({ name: 'a.txt', contentType: 'text/plain', size: 3 });
    const uploadUrl = created.body.uploadUrl as string;
    const sp = new URL(uploadUrl).searchParams;
    expect(sp.get('sp')).toBe('cw');
    expect(sp.get('sr')).toBe('b');
    expect(sp.get('skoid')).toBeTruthy(); // signed with a user-delegation key
    expect(minutesLeft(uploadUrl)).toBeLessThanOrEqual(15);
    // Not readable with the upload URL.
    expect((await fetch(uploadUrl)).status).toBe(403);
    // The same signature replayed for another path is refused, and nothing is written there.
    const other = new URL(uploadUrl);
    other.pathname = other.pathname.replace(/[^/]+$/, '00000000-0000-4000-8000-000000000000');
    expect((await put(other.href, 'abc', 'text/plain')).status).toBe(403);
    other.pathname = other.pathname.replace('tenant-a', 'tenant-b');
    expect((await put(other.href, 'abc', 'text/plain')).status).toBe(403);
    expect((await names()).some((n) => n.endsWith('00000000-0000-4000-8000-000000000000'))).toBe(
      false,
    );
    const id = await uploaded();
    const downloadUrl = (await files.get(id)).body.downloadUrl as string;
    expect(new URL(downloadUrl).searchParams.get('sp')).toBe('r');
    expect(minutesLeft(downloadUrl)).toBeLessThanOrEqual(5);
    expect((await put(downloadUrl, 'overwrite', 'text/plain')).status).toBe(403);
    expect(await (await fetch(downloadUrl)).text()).toBe('hello');
  });

  it("another tenant's user cannot read, list, complete, delete or overwrite the file", async () => {
    const id = await uploaded();
    expect((await files.get(id, EVE)).status).toBe(404);
    expect((await files.del(id, EVE)).status).toBe(404);
    expect((await files.complete(id, EVE)).status).toBe(404);
    expect((await files.list(EVE)).body.items.map((f: { id: string }) => f.id)).not.toContain(id);
    // Eve's own upload of the same id lands in her tenant's folder, never over Alice's file.
    const hers = await files.create({ name: 'x.txt', contentType: 'text/plain', size: 1 }, EVE);
    expect(new URL(hers.body.uploadUrl as string).pathname).toContain('/tenant-b/');
    expect(await (await fetch((await files.get(id)).body.downloadUrl as string)).text()).toBe(
      'hello',
    );
  });

  it('under an owner rule another owner of the same tenant sees nothing', async () => {
    const id = await uploaded(owned);
    expect((await owned.get(id)).status).toBe(200);
    expect((await owned.get(id, BOB)).status).toBe(404);
    expect((await owned.del(id, BOB)).status).toBe(404);
    expect((await owned.list(BOB)).body.items).toEqual([]);
    expect((await owned.list()).body.items.map((f: { id: string }) => f.id)).toContain(id);
    expect((await owned.del(id)).status).toBe(204);
    expect((await owned.get(id)).status).toBe(404);
  });

  it('refuses over-limit and refused types at creation (4xx, nothing stored)', async () => {
    const before = await names();
    const big = await files.create({ name: 'big.png', contentType: 'image/png', size: 1025 });
    expect(big.status).toBe(413);
    expect(big.body.type).toBe('urn:atakora:problem:file-too-large');
    const html = await files.create({ name: 'x.html', contentType: 'text/html', size: 10 });
    expect(html.status).toBe(415);
    expect(html.body.type).toBe('urn:atakora:problem:file-type-refused');
    for (const body of [
      { name: '', contentType: 'text/plain', size: 1 },
      { name: 'a', contentType: 'nope', size: 1 },
      { name: 'a', contentType: 'text/plain', size: -1 },
      { name: 'a', contentType: 'text/plain', size: 1, tenantId: 'tenant-b' },
    ]) {
      expect((await files.create(body)).status).toBe(400);
    }
    expect(await names()).toEqual(before);
  });

  it('refuses at completion what breaks the limits, and keeps neither bytes nor record', async () => {
    for (const [declared, sent, type, status] of [
      [5, 'x'.repeat(2000), 'text/plain', 413],
      [5, 'hello', 'text/html', 415],
      [5, 'hello!!', 'text/plain', 409],
    ] as const) {
      const created = await files.create({
        name: 'f.txt',
        contentType: 'text/plain',
        size: declared,
      });
      expect((await put(created.body.uploadUrl as string, sent, type)).status).toBe(201);
      const done = await files.complete(created.body.id as string);
      expect(done.status).toBe(status);
      expect((await names()).filter((n) => n.includes(created.body.id as string))).toEqual([]);
      expect((await files.get(created.body.id as string)).status).toBe(404);
    }
  });

  it('a missing blob at completion is 409, an unknown upload 404, no principal 401', async () => {
    const created = await files.create({ name: 'f.txt', contentType: 'text/plain', size: 5 });
    const id = created.body.id as string;
    const done = await files.complete(id);
    expect(done.status).toBe(409);
    expect(done.body.type).toBe('urn:atakora:problem:upload-missing');
    expect((await names()).filter((n) => n.startsWith('tenant-a/') && n.endsWith(id))).toEqual([]);
    expect((await files.complete('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await files.list({})).status).toBe(401);
    expect((await files.create({ name: 'a', contentType: 'text/plain', size: 1 }, {})).status).toBe(
      401,
    );
  });
});

describe('the typed client', () => {
  /** The app's routes through the handlers (as the host would route them), everything else (the SAS URLs) to Azurite. */
  const appFetch: typeof fetch = async (input, init) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    if (url.host !== 'app.test') return fetch(input, init);
    const [, , route, id, complete] = url.pathname.split('/');
    const h = handlersOf.get(route!)!;
    const handler = complete ? h.complete : id ? h.item : h.collection;
    const request = new HttpRequest({
      method: init?.method ?? 'GET',
      url: url.href,
      params: id ? { id } : {},
      headers: { ...ALICE, ...(init?.headers as Record<string, string>) },
      ...(typeof init?.body === 'string' ? { body: { string: init.body } } : {}),
    });
    const r = await handler(request, makeContext());
    return new Response((r as { body?: string }).body ?? null, {
      status: r.status ?? 200,
      headers: r.headers as Record<string, string>,
    });
  };

  it('upload(file) with progress, list, get (downloadUrl) and delete', async () => {
    const client = createClient<unknown>({
      baseUrls: { attachments: 'https://app.test/api/attachments' },
      getToken: () => undefined,
      fetch: appFetch,
    });
    const files = (client as unknown as { attachments: FileClient }).attachments;
    const progress: number[] = [];
    const meta = await files.upload(new File(['hi there'], 'hi.txt', { type: 'text/plain' }), {
      onProgress: (sent) => progress.push(sent),
    });
    expect(meta).toMatchObject({ name: 'hi.txt', contentType: 'text/plain', size: 8 });
    expect(progress).toEqual([0, 8]);
    const got = await files.get(meta.id);
    expect(await (await fetch(got.downloadUrl)).text()).toBe('hi there');
    expect((await files.list().page()).items.map((f) => f.id)).toContain(meta.id);
    await files.delete(meta.id);
    await expect(files.get(meta.id)).rejects.toMatchObject({ status: 404 });
    // Refused types never reach storage: the declaration is refused first.
    await expect(files.upload(new Blob(['<b>x</b>'], { type: 'text/html' }))).rejects.toMatchObject(
      { status: 415 },
    );
  });
});

describe('the manifest', () => {
  it('refuses a FileStore entry the runtime could not serve, or one sharing a route with an entity', async () => {
    const { parseManifest } = await import('../../src/runtime/manifest-loader.js');
    const ok = store();
    const base = { version: 1, backendId: 'x', entities: [] as unknown[] };
    expect(parseManifest(JSON.stringify({ ...base, fileStores: [ok] })).fileStores).toHaveLength(1);
    for (const bad of [
      { ...ok, route: '../x' },
      { ...ok, maxSizeBytes: 0 },
      { ...ok, route: 'health' },
      { ...ok, settings: {} },
      { ...ok, access: [] },
    ]) {
      expect(() => parseManifest(JSON.stringify({ ...base, fileStores: [bad] }))).toThrow(
        expect.objectContaining({ code: 'RUNTIME_CONFIG_INVALID' }),
      );
    }
    const entity = {
      componentId: 'NoteApi',
      entityName: 'Note',
      route: 'attachments',
      partitionKey: '/id',
      schema: {},
      operations: ['read'],
      unknownFields: 'reject',
      settings: { endpoint: 'A', database: 'B', container: 'C' },
    };
    expect(() =>
      parseManifest(JSON.stringify({ ...base, entities: [entity], fileStores: [ok] })),
    ).toThrow(/duplicate route/);
  });
});

describe("atakora dev's browser origin (ATAKORA_DEV_BLOB_ORIGIN)", () => {
  const s = store();
  const resolver = (origin: string) =>
    createFileBlobsResolver(
      { version: 1, backendId: 'x', entities: [], fileStores: [s] },
      {
        [s.settings.endpoint]: azurite.blobEndpoint,
        [s.settings.container]: 'attachments',
        ATAKORA_DEV_BLOB_ORIGIN: origin,
      },
      { credential: azuriteCredential() },
    );

  it('puts the loopback door in the SAS URLs it signs, with the same path and signature parameters', async () => {
    const signed = await resolver('http://127.0.0.1:4711')(s).sign('tenant-a/f1', {
      permissions: 'r',
      minutes: 5,
    });
    const url = new URL(signed.url);
    expect(url.origin).toBe('http://127.0.0.1:4711');
    expect(url.pathname).toBe('/devstoreaccount1/attachments/tenant-a/f1');
    expect(url.searchParams.get('sp')).toBe('r');
    expect(url.searchParams.get('sr')).toBe('b');
  });

  it('refuses anything but a loopback http origin, so uploads never go elsewhere', () => {
    for (const bad of [
      'https://evil.example',
      'http://10.0.0.5:80',
      'http://127.0.0.1:80/path',
      'http://localhost:80',
    ]) {
      expect(() => resolver(bad), bad).toThrow(
        expect.objectContaining({
          code: 'RUNTIME_CONFIG_INVALID',
          path: ['appSettings', 'ATAKORA_DEV_BLOB_ORIGIN'],
        }),
      );
    }
  });
});
