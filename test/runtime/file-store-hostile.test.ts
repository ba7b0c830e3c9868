/**
 * A FileStore attacked as a hostile client would, against Azurite (whose SAS rules match Azure's): everything an
 * upload URL can write — bytes, properties, metadata — is tried, and none of it may decide what is listed or
 * served. Also: the per-caller pending limit, races (concurrent completes, concurrent deletes), names that
 * display as something else, expired uploads, and shared stores of a multi-tenant backend.
 */
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeFileStore } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import { createFileHandlers, type FileHandlers } from '../../src/runtime/files/handlers.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { principalHeader } from './support/built-app.js';
import { invoke } from './support/http.js';

const principal = (claims: Record<string, string>) => principalHeader(Object.entries(claims));
const ALICE = principal({ tid: 'tenant-a', oid: 'alice' });
const BOB = principal({ tid: 'tenant-a', oid: 'bob' });
const EVE = principal({ tid: 'tenant-b', oid: 'eve' });
const secure = callerPolicyOf({ version: 1, backendId: 'x', entities: [] });

const store = (over: Partial<RuntimeFileStore> = {}): RuntimeFileStore => ({
  componentId: 'Attachments',
  entityName: 'Attachment',
  route: 'attachments',
  maxSizeBytes: 4096,
  contentTypes: ['image/png', 'text/plain'],
  partitionKey: '/tenantId',
  settings: { endpoint: 'ATTACHMENTS_BLOB_ENDPOINT', container: 'ATTACHMENTS_FILES_CONTAINER' },
  ...over,
});

let azurite: LocalAzurite;
let service: BlobServiceClient;
let clock = Date.now();

async function apiOf(s: RuntimeFileStore, policy: RuntimeAuth = secure) {
  const name = s.route;
  await service.getContainerClient(name).createIfNotExists();
  const env = { [s.settings.endpoint]: azurite.blobEndpoint, [s.settings.container]: name };
  const blobs = createFileBlobsResolver(
    { version: 1, backendId: 'x', entities: [], fileStores: [s] },
    env,
    { credential: azuriteCredential() },
  )(s);
  const h: FileHandlers = createFileHandlers(s, blobs, { caller: policy, now: () => clock });
  const container: ContainerClient = service.getContainerClient(name);
  return {
    container,
    names: async () => {
      const out: string[] = [];
      for await (const b of container.listBlobsFlat()) out.push(b.name);
      return out.sort();
    },
    create: (body: unknown, headers = ALICE) =>
      invoke(h.collection, 'POST', s.route, { body, headers }),
    list: (headers = ALICE) => invoke(h.collection, 'GET', s.route, { headers }),
    get: (id: string, headers = ALICE) =>
      invoke(h.item, 'GET', `${s.route}/${id}`, { headers, params: { id } }),
    del: (id: string, headers = ALICE) =>
      invoke(h.item, 'DELETE', `${s.route}/${id}`, { headers, params: { id } }),
    complete: (id: string, headers = ALICE) =>
      invoke(h.complete, 'POST', `${s.route}/${id}/complete`, { headers, params: { id } }),
  };
}
type Api = Awaited<ReturnType<typeof apiOf>>;

const put = (url: string, body: string | Uint8Array, type: string) =>
  fetch(url, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': type },
    body: body as string | Uint8Array<ArrayBuffer>,
  });
/** Set Blob Metadata through an upload URL: `w` allows it (Learn: "create or write content, properties, metadata"). */
const setMetadata = (url: string, meta: Record<string, string>) =>
  fetch(`${url}&comp=metadata`, {
    method: 'PUT',
    headers: Object.fromEntries(Object.entries(meta).map(([k, v]) => [`x-ms-meta-${k}`, v])),
  });
/** Set Blob Properties through an upload URL. */
const setContentType = (url: string, type: string) =>
  fetch(`${url}&comp=properties`, { method: 'PUT', headers: { 'x-ms-blob-content-type': type } });
const ids = (reply: { body: { items: { id: string }[] } }) => reply.body.items.map((f) => f.id);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

async function declared(api: Api, text: string, type = 'text/plain', headers = ALICE) {
  const created = await api.create(
    { name: 'note.txt', contentType: type, size: Buffer.byteLength(text) },
    headers,
  );
  expect(created.status).toBe(201);
  return created.body as { id: string; uploadUrl: string };
}
async function uploaded(api: Api, text = 'hello', headers = ALICE) {
  const up = await declared(api, text, 'text/plain', headers);
  expect((await put(up.uploadUrl, text, 'text/plain')).status).toBe(201);
  expect((await api.complete(up.id, headers)).status).toBe(200);
  return up;
}

let files: Api;
let owned: Api;

beforeAll(async () => {
  azurite = await startAzurite();
  service = new BlobServiceClient(azurite.blobEndpoint, azuriteCredential());
  files = await apiOf(store());
  owned = await apiOf(
    store({ componentId: 'Owned', route: 'owned', access: [{ allow: 'owner' }] }),
  );
});
afterAll(async () => azurite?.stop());

describe('nothing the upload URL writes is believed', () => {
  it('skipping /complete: metadata saying complete (any owner, name, date) lists and serves nothing', async () => {
    const up = await declared(files, '<html><script>alert(1)</script></html>');
    expect(
      (await put(up.uploadUrl, '<html><script>alert(1)</script></html>', 'text/html')).status,
    ).toBe(201);
    // Storage takes these writes (the SAS has w) ...
    expect(
      (
        await setMetadata(up.uploadUrl, {
          state: 'complete',
          ownerid: 'alice',
          filename: 'invoice.pdf',
          createdon: '2020-01-01T00:00:00.000Z',
          mediatype: 'text/plain',
        })
      ).status,
    ).toBe(200);
    expect((await setContentType(up.uploadUrl, 'text/plain')).status).toBe(200);
    // ... and none of it is served.
    expect(ids(await files.list())).not.toContain(up.id);
    expect((await files.get(up.id)).status).toBe(404);
    expect(await files.names()).not.toContain(`tenant-a/${up.id}`);
  });

  it("a planted owner never reaches another user's owner-only list", async () => {
    const up = await declared(owned, 'mine', 'text/plain', BOB);
    await put(up.uploadUrl, 'mine', 'text/plain');
    await setMetadata(up.uploadUrl, { state: 'complete', ownerid: 'alice', filename: 'x.txt' });
    expect(ids(await owned.list(ALICE))).not.toContain(up.id);
    expect((await owned.get(up.id, ALICE)).status).toBe(404);
    // Nor can Alice complete Bob's upload into her list: the record is Bob's.
    expect((await owned.complete(up.id, ALICE)).status).toBe(404);
    expect(ids(await owned.list(BOB))).not.toContain(up.id);
  });

  it('after completion, writes through the old URL change nothing served: bytes, type, metadata', async () => {
    const up = await uploaded(files, 'hello');
    // The staged blob is gone once copied; the URL can create it again, which changes nothing served.
    expect(await files.names()).not.toContain(`~staging/tenant-a/${up.id}`);
    expect((await put(up.uploadUrl, '<html>evil</html>', 'text/html')).status).toBe(201);
    await setContentType(up.uploadUrl, 'text/html');
    await setMetadata(up.uploadUrl, { state: 'complete', ownerid: 'mallory', filename: 'x.html' });
    const got = await files.get(up.id);
    expect(got.body).toMatchObject({
      name: 'note.txt',
      contentType: 'text/plain',
      size: 5,
      ownerId: 'alice',
    });
    const download = await fetch(got.body.downloadUrl as string);
    expect(download.headers.get('content-type')).toBe('text/plain');
    expect(download.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(await download.text()).toBe('hello');
    expect(
      (await files.list()).body.items.find((f: { id: string }) => f.id === up.id),
    ).toMatchObject({
      size: 5,
      contentType: 'text/plain',
    });
  });

  it('a served file is unreachable by its upload URL: the URL signs the staging path only', async () => {
    const up = await uploaded(files, 'hello');
    const served = new URL(up.uploadUrl);
    served.pathname = served.pathname.replace('/~staging/', '/');
    expect((await put(served.href, 'overwrite', 'text/plain')).status).toBe(403);
    expect((await setMetadata(served.href, { ownerid: 'mallory' })).status).toBe(403);
    expect(await (await fetch((await files.get(up.id)).body.downloadUrl as string)).text()).toBe(
      'hello',
    );
  });

  it('bytes that contradict the declared type are refused at completion (the copy is sniffed)', async () => {
    const html = '<!DOCTYPE html><script>alert(1)</script>';
    for (const [type, body] of [
      ['image/png', html],
      ['text/plain', html],
      ['image/png', 'not a png at all'],
    ] as const) {
      const up = await declared(files, body, type);
      expect((await put(up.uploadUrl, body, type)).status).toBe(201);
      const done = await files.complete(up.id);
      expect(done.status, `${type}: ${body}`).toBe(415);
      expect(done.body.type).toBe('urn:atakora:problem:file-type-refused');
      expect((await files.names()).filter((n) => n.includes(up.id))).toEqual([]);
    }
    const png = await files.create({ name: 'p.png', contentType: 'image/png', size: PNG.length });
    await put(png.body.uploadUrl as string, PNG, 'image/png');
    expect((await files.complete(png.body.id as string)).status).toBe(200);
  });

  it('an over-size staged blob is refused even when its declaration was small', async () => {
    const up = await declared(files, 'tiny');
    expect((await put(up.uploadUrl, 'x'.repeat(5000), 'text/plain')).status).toBe(201);
    expect((await files.complete(up.id)).status).toBe(413);
    expect((await files.names()).filter((n) => n.includes(up.id))).toEqual([]);
  });
});

describe('sniffed as browsers sniff, and only what the checks vouch for is inline', () => {
  const html = '<html><script>alert(document.domain)</script></html>';
  // No contentTypes: the store accepts any declared type, so only the sniff and the inline list stand between
  // an upload and a page a browser would run.
  const anyType = () => {
    const { contentTypes: _any, ...open } = store({
      componentId: 'AnyType',
      route: 'anytype',
      maxSizeBytes: 16_384,
      maxPendingUploads: 50,
    });
    return apiOf(open);
  };
  const attempt = async (api: Api, type: string, body: Uint8Array | string) => {
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const up = await api.create({ name: 'f.bin', contentType: type, size });
    expect(up.status).toBe(201);
    expect((await put(up.body.uploadUrl as string, body, type)).status).toBe(201);
    return { id: up.body.id as string, done: await api.complete(up.body.id as string) };
  };

  it('600 spaces, BOMs, UTF-16 and SVG before the markup: refused, and nothing of it kept', async () => {
    const api = await anyType();
    const cases: [string, string, Uint8Array | string][] = [
      ['unknown/unknown', '600 spaces', `${' '.repeat(600)}${html}`],
      ['text/plain', '1,200 mixed whitespace bytes', `${'\r\n\t '.repeat(300)}${html}`],
      ['application/octet-stream', 'a UTF-8 BOM', `\ufeff\n${html}`],
      [
        'unknown/unknown',
        'a UTF-16LE BOM',
        Buffer.concat([Uint8Array.from([0xff, 0xfe]), Buffer.from(html, 'utf16le')]),
      ],
      ['text/plain', 'SVG', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'],
      ['image/png', 'SVG declared an image', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
      [
        'application/x-anything',
        'XML',
        '  <?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml"/>',
      ],
    ];
    for (const [type, what, body] of cases) {
      const { id, done } = await attempt(api, type, body);
      expect(done.status, `${type}: ${what}`).toBe(415);
      expect(done.body.type).toBe('urn:atakora:problem:file-type-refused');
      expect(
        (await api.names()).filter((n) => n.includes(id)),
        what,
      ).toEqual([]);
    }
  });

  it('a type outside the inline list is served as an attachment, its type fixed, whatever the store accepts', async () => {
    const api = await anyType();
    for (const [type, body, inline] of [
      ['unknown/unknown', 'just some bytes', false],
      ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>', false],
      ['text/html', '<p>hello</p>', false],
      ['application/x-made-up', 'data', false],
      ['text/plain', 'hello', true],
      ['image/png', PNG, true],
    ] as const) {
      const { id, done } = await attempt(api, type, body);
      expect(done.status, type).toBe(200);
      const got = await api.get(id);
      const download = await fetch(got.body.downloadUrl as string);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type'), type).toBe(type);
      expect(download.headers.get('content-disposition'), type).toMatch(
        inline ? /^inline; / : /^attachment; /,
      );
    }
  });
});

describe('names that display as something else', () => {
  it.each([
    ['invoice\u202Efdp.exe', 'U+202E', 8],
    ['a\u0085b.txt', 'U+0085', 2],
    ['line\u2028two.txt', 'U+2028', 5],
    ['\u2066x.txt', 'U+2066', 1],
    ['ok\u202A.txt', 'U+202A', 3],
    ['x\u2029.txt', 'U+2029', 2],
    ['😀\u009f.txt', 'U+009F', 2],
  ])('%j is refused with 400 naming %s at character %i', async (name, code, position) => {
    const reply = await files.create({ name, contentType: 'text/plain', size: 1 });
    expect(reply.status).toBe(400);
    expect(reply.body.type).toBe('urn:atakora:problem:invalid-file');
    expect(reply.body.detail).toContain(code);
    expect(reply.body.detail).toContain(`character ${String(position)}`);
  });
});

describe('bounded leftovers', () => {
  it('at most maxPendingUploads declared per caller; beyond it 429 with Retry-After; withdrawing frees one', async () => {
    const few = await apiOf(store({ componentId: 'Few', route: 'few', maxPendingUploads: 3 }));
    const carol = principal({ tid: 'tenant-a', oid: 'carol' });
    const made: { id: string; uploadUrl: string }[] = [];
    for (let i = 0; i < 3; i++) made.push(await declared(few, 'abc', 'text/plain', carol));
    const refused = await few.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, carol);
    expect(refused.status).toBe(429);
    expect(refused.body.type).toBe('urn:atakora:problem:too-many-uploads');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Someone else of the same tenant is not held back by carol's uploads.
    expect(
      (await few.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, BOB)).status,
    ).toBe(201);
    // Withdrawing a pending upload (DELETE) removes its staged bytes and frees its place.
    await put(made[0]!.uploadUrl, 'abc', 'text/plain');
    expect((await few.del(made[0]!.id, carol)).status).toBe(204);
    expect((await few.names()).filter((n) => n.includes(made[0]!.id))).toEqual([]);
    expect(
      (await few.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, carol)).status,
    ).toBe(201);
  });

  it('concurrent declarations never leave more than the limit standing', async () => {
    const racy = await apiOf(store({ componentId: 'Racy', route: 'racy', maxPendingUploads: 3 }));
    const dave = principal({ tid: 'tenant-a', oid: 'dave' });
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        racy.create({ name: 'n.txt', contentType: 'text/plain', size: 1 }, dave),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(
      (await racy.names()).filter((n) => n.startsWith('~pending/')).length,
    ).toBeLessThanOrEqual(3);
  });

  it('an expired upload cannot be completed and is removed, staged bytes first, when its caller declares again', async () => {
    const old = await apiOf(store({ componentId: 'Old', route: 'old', maxPendingUploads: 1 }));
    const erin = principal({ tid: 'tenant-a', oid: 'erin' });
    const up = await declared(old, 'abc', 'text/plain', erin);
    await put(up.uploadUrl, 'abc', 'text/plain');
    const saved = clock;
    try {
      clock += 2 * 60 * 60_000;
      expect((await old.complete(up.id, erin)).status).toBe(404);
      expect((await old.names()).filter((n) => n.includes(up.id))).toEqual([]);
      const again = await declared(old, 'abc', 'text/plain', erin);
      await put(again.uploadUrl, 'abc', 'text/plain');
      clock += 2 * 60 * 60_000;
      // Its place is free again once expired: the sweep on declaration removes it.
      expect(
        (await old.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, erin)).status,
      ).toBe(201);
      expect((await old.names()).filter((n) => n.includes(again.id))).toEqual([]);
    } finally {
      clock = saved;
    }
  });
});

describe('staged bytes are bounded whatever the caller does with old URLs', () => {
  // maxPendingUploads 3: a caller holds at most uploadUrlsPerCaller(3) = 6 upload URLs (docs/files.md).
  const bounded = (route: string) =>
    apiOf(store({ componentId: `Bounded${route}`, route, maxPendingUploads: 3 }));
  const stagedOf = async (api: Api, ids: readonly string[]) =>
    (await api.names()).filter(
      (n) => n.startsWith('~staging/') && ids.some((id) => n.endsWith(id)),
    );

  it('completing uploads one after another: at most 6 URLs, every old URL rewritten, at most 6 staged, then none', async () => {
    const api = await bounded('bounded-a');
    const frank = principal({ tid: 'tenant-a', oid: 'frank' });
    const urls: { id: string; uploadUrl: string }[] = [];
    let refused: Awaited<ReturnType<Api['create']>> | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const created = await api.create(
        { name: 'n.txt', contentType: 'text/plain', size: 3 },
        frank,
      );
      if (created.status !== 201) {
        refused = created;
        break;
      }
      const up = created.body as { id: string; uploadUrl: string };
      expect((await put(up.uploadUrl, 'abc', 'text/plain')).status).toBe(201);
      expect((await api.complete(up.id, frank)).status).toBe(200);
      urls.push(up);
    }
    // Nothing pending, yet the seventh URL in 15 minutes is refused: six URLs can still write.
    expect(urls).toHaveLength(6);
    expect(refused?.status).toBe(429);
    expect(refused?.body.type).toBe('urn:atakora:problem:too-many-uploads');
    expect(refused?.body.detail).toMatch(/upload URLs/);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(15 * 60);
    // The hostile part: every old URL still writes its staging path (Blob Storage cannot revoke a SAS) ...
    for (const up of urls)
      expect((await put(up.uploadUrl, 'x'.repeat(3000), 'text/plain')).status).toBe(201);
    // ... but never more staged blobs than the URLs the caller holds,
    const ids = urls.map((u) => u.id);
    expect((await stagedOf(api, ids)).length).toBeLessThanOrEqual(6);
    // and the caller's next step — even a refused declaration — deletes every finished upload's staged bytes.
    expect(
      (await api.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, frank)).status,
    ).toBe(429);
    expect(await stagedOf(api, ids)).toEqual([]);
    // What was served never changed.
    const got = await api.get(urls[0]!.id, frank);
    expect(await (await fetch(got.body.downloadUrl as string)).text()).toBe('abc');
  });

  it('a completed upload: what its URL writes afterwards is gone at the next completion', async () => {
    const api = await bounded('bounded-b');
    const gina = principal({ tid: 'tenant-a', oid: 'gina' });
    const first = await uploaded(api, 'one', gina);
    const second = await declared(api, 'two', 'text/plain', gina);
    // Written after the first completed, and after the second's declaration swept.
    expect((await put(first.uploadUrl, 'leftover', 'text/plain')).status).toBe(201);
    expect(await stagedOf(api, [first.id])).toHaveLength(1);
    await put(second.uploadUrl, 'two', 'text/plain');
    expect((await api.complete(second.id, gina)).status).toBe(200);
    expect(await stagedOf(api, [first.id, second.id])).toEqual([]);
  });

  it('a withdrawn upload: what its URL writes afterwards is gone at the next declaration', async () => {
    const api = await bounded('bounded-c');
    const hal = principal({ tid: 'tenant-a', oid: 'hal' });
    const up = await declared(api, 'abc', 'text/plain', hal);
    expect((await api.del(up.id, hal)).status).toBe(204);
    expect((await put(up.uploadUrl, 'after withdrawal', 'text/plain')).status).toBe(201);
    expect(await stagedOf(api, [up.id])).toHaveLength(1);
    await declared(api, 'abc', 'text/plain', hal);
    expect(await stagedOf(api, [up.id])).toEqual([]);
  });

  it('once the URLs have expired their records are freed: the caller uploads again, nothing of the old left', async () => {
    const api = await bounded('bounded-d');
    const ivy = principal({ tid: 'tenant-a', oid: 'ivy' });
    const done: string[] = [];
    for (let i = 0; i < 6; i++) done.push((await uploaded(api, 'abc', ivy)).id);
    expect(
      (await api.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, ivy)).status,
    ).toBe(429);
    const saved = clock;
    try {
      clock += 21 * 60_000; // 15 minutes of URL and the 5 of clock margin
      const again = await api.create({ name: 'n.txt', contentType: 'text/plain', size: 3 }, ivy);
      expect(again.status).toBe(201);
      const records = (await api.names()).filter((n) => n.startsWith('~urls/tenant-a/'));
      // Only the new URL's record is left of ivy's (other callers of this store have none).
      expect(records).toHaveLength(1);
      expect(await stagedOf(api, done)).toEqual([]);
    } finally {
      clock = saved;
    }
  });

  it('concurrent declarations never hold more URLs than the allowance', async () => {
    const api = await bounded('bounded-e');
    const jo = principal({ tid: 'tenant-a', oid: 'jo' });
    for (let i = 0; i < 5; i++) await uploaded(api, 'abc', jo);
    // Five URLs held, none pending: one more fits under 6, whatever the interleaving of four at once.
    const replies = await Promise.all(
      Array.from({ length: 4 }, () =>
        api.create({ name: 'n.txt', contentType: 'text/plain', size: 1 }, jo),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.every((st) => st === 201 || st === 429)).toBe(true);
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect((await api.names()).filter((n) => n.startsWith('~urls/')).length).toBeLessThanOrEqual(6);
  });
});

describe('races answer 4xx, never 5xx', () => {
  it('concurrent completes of one upload: 200s with one same result, or 409 upload-in-progress', async () => {
    const up = await declared(files, 'hello');
    await put(up.uploadUrl, 'hello', 'text/plain');
    const replies = await Promise.all(Array.from({ length: 5 }, () => files.complete(up.id)));
    const ok = replies.filter((r) => r.status === 200);
    expect(replies.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of ok) expect(r.body).toEqual(ok[0]!.body);
    for (const r of replies.filter((x) => x.status === 409))
      expect(r.body.type).toBe('urn:atakora:problem:upload-in-progress');
    // And again later: the same 200.
    expect((await files.complete(up.id)).body).toEqual(ok[0]!.body);
    expect(ids(await files.list()).filter((id) => id === up.id)).toHaveLength(1);
  });

  it('concurrent deletes of one file: one 204, the others 404 or 409 problems', async () => {
    const up = await uploaded(files);
    const replies = await Promise.all(Array.from({ length: 4 }, () => files.del(up.id)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.every((s) => [204, 404, 409].includes(s))).toBe(true);
    expect(statuses).toContain(204);
    expect((await files.get(up.id)).status).toBe(404);
  });

  it('a delete racing a completion never answers 5xx', async () => {
    const up = await declared(files, 'hello');
    await put(up.uploadUrl, 'hello', 'text/plain');
    const [done, gone] = await Promise.all([files.complete(up.id), files.del(up.id)]);
    expect(done.status).toBeLessThan(500);
    expect(gone.status).toBeLessThan(500);
  });
});

describe('deletion', () => {
  it('deleting a file removes the served blob, anything staged again for it, and its record', async () => {
    const up = await uploaded(files);
    await put(up.uploadUrl, 'again', 'text/plain');
    expect(await files.names()).toContain(`~staging/tenant-a/${up.id}`);
    expect((await files.del(up.id)).status).toBe(204);
    expect((await files.names()).filter((n) => n.includes(up.id))).toEqual([]);
  });
});

describe('shared stores of a multi-tenant backend', () => {
  it("hide the uploader's id from everyone but the uploader, as shared CrudApi items do", async () => {
    const multi: RuntimeAuth = { ...secure, allowedTenants: ['tenant-a', 'tenant-b'] };
    const shared = await apiOf(
      store({ componentId: 'Shared', route: 'shared', tenancy: 'shared', partitionKey: '/id' }),
      multi,
    );
    const up = await uploaded(shared, 'hello', ALICE);
    const hers = (await shared.list(ALICE)).body.items.find((f: { id: string }) => f.id === up.id);
    expect(hers.ownerId).toBe('alice');
    const seen = (await shared.list(EVE)).body.items.find((f: { id: string }) => f.id === up.id);
    expect(seen).toBeDefined();
    expect(seen).not.toHaveProperty('ownerId');
    expect((await shared.get(up.id, EVE)).body).not.toHaveProperty('ownerId');
    expect((await shared.get(up.id, BOB)).body).not.toHaveProperty('ownerId');
  });
});
