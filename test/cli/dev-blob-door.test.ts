/**
 * `atakora dev`'s blob door (the plain-HTTP loopback proxy in front of Azurite) lets through only what the
 * runtime hands out: its own loopback Host, one blob, a blob SAS, no OAuth — a DNS-rebinding page or anything
 * on the machine with Azurite's unsigned-token OAuth cannot list or read every tenant's files through it. And
 * its hourly sweep does what the deployed lifecycle policy does.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalBlobs, startLocalBlobs } from '../../src/cli/dev/storage/azurite.js';
import { devIdentityToken } from '../../src/cli/dev/sign-in/identity.js';
import type { RuntimeFileStore } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';

let blobs: LocalBlobs;
let port: number;
let sign: (blob: string, permissions: 'cw' | 'r') => Promise<string>;
const previousTls = process.env['NODE_TLS_REJECT_UNAUTHORIZED'];

const store: RuntimeFileStore = {
  componentId: 'Attachments',
  entityName: 'Attachment',
  route: 'attachments',
  maxSizeBytes: 1024,
  partitionKey: '/tenantId',
  settings: { endpoint: 'E', container: 'C' },
};

/** A raw request to the door (fetch may not set Host). */
function send(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; nosniff?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        const nosniff = String(res.headers['x-content-type-options'] ?? '');
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, ...(nosniff ? { nosniff } : {}) }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}
const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

beforeAll(async () => {
  blobs = await startLocalBlobs(devIdentityToken);
  await blobs.container('attachments');
  port = Number(new URL(blobs.browserOrigin).port);
  // Off for the loopback emulator's self-signed certificate while this file runs (restored after).
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  const resolver = createFileBlobsResolver(
    { version: 1, backendId: 'x', entities: [], fileStores: [store] },
    { E: blobs.endpoint, C: 'attachments', ATAKORA_DEV_BLOB_ORIGIN: blobs.browserOrigin },
    {
      credential: {
        getToken: () =>
          Promise.resolve({
            token: devIdentityToken('https://storage.azure.com'),
            expiresOnTimestamp: Date.now() + 3_600_000,
          }),
      },
    },
  )(store);
  sign = async (blob, permissions) => (await resolver.sign(blob, { permissions, minutes: 5 })).url;
});
afterAll(async () => {
  await blobs?.stop();
  if (previousTls === undefined) delete process.env['NODE_TLS_REJECT_UNAUTHORIZED'];
  else process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = previousTls;
});

const upload = { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/plain' };

describe("atakora dev's blob door", () => {
  it('passes a SAS-signed upload and download of one blob on its own Host', async () => {
    const up = await sign('tenant-a/f1', 'cw');
    expect(new URL(up).origin).toBe(blobs.browserOrigin);
    const put = await send(pathOf(up), {
      method: 'PUT',
      headers: { ...upload, host: `127.0.0.1:${String(port)}` },
      body: 'hello',
    });
    expect(put.status).toBe(201);
    const down = await send(pathOf(await sign('tenant-a/f1', 'r')), {
      headers: { host: `localhost:${String(port)}` },
    });
    // nosniff on what the door forwards: Blob Storage cannot send it, the door can (files.md, sniffing).
    expect(down).toEqual({ status: 200, body: 'hello', nosniff: 'nosniff' });
  });

  it('refuses another Host (DNS rebinding) with 421, before anything reaches Azurite', async () => {
    const down = await send(pathOf(await sign('tenant-a/f1', 'r')), {
      headers: { host: `evil.example:${String(port)}` },
    });
    expect(down.status).toBe(421);
    expect(JSON.parse(down.body).type).toBe('urn:atakora:problem:misdirected-request');
    expect(down.body).not.toContain('hello');
  });

  it('refuses OAuth, listings, container and account operations, and unsigned requests', async () => {
    const host = { host: `127.0.0.1:${String(port)}` };
    const bearer = {
      ...host,
      authorization: `Bearer ${devIdentityToken('https://storage.azure.com')}`,
    };
    const signed = new URL(await sign('tenant-a/f1', 'r'));
    for (const [path, headers] of [
      ['/devstoreaccount1/attachments/tenant-a/f1', bearer],
      ['/devstoreaccount1/attachments?restype=container&comp=list', bearer],
      ['/devstoreaccount1/attachments?restype=container&comp=list', host],
      ['/devstoreaccount1/?comp=list', host],
      ['/devstoreaccount1/attachments/tenant-a/f1', host],
      [`/devstoreaccount1/attachments${signed.search}&restype=container&comp=list`, host],
      [`${signed.pathname}${signed.search.replace('sr=b', 'sr=c')}`, host],
    ] as const) {
      const reply = await send(path, { headers });
      expect(reply.status, path).toBe(403);
      expect(JSON.parse(reply.body).type, path).toBe('urn:atakora:problem:sas-required');
    }
  });
});

describe("atakora dev's sweep", () => {
  it('deletes staged uploads older than a day and pending records older than three, nothing served', async () => {
    for (const blob of ['~staging/tenant-a/s1', '~pending/tenant-a/k/0', 'tenant-a/kept']) {
      const up = await sign(blob, 'cw');
      expect(
        (
          await send(pathOf(up), {
            method: 'PUT',
            headers: { ...upload, host: `127.0.0.1:${String(port)}` },
            body: 'x',
          })
        ).status,
      ).toBe(201);
    }
    expect(await blobs.sweep(Date.now())).toEqual([]);
    expect(await blobs.sweep(Date.now() + 2 * 86_400_000)).toEqual([
      'attachments/~staging/tenant-a/s1',
    ]);
    expect(await blobs.sweep(Date.now() + 4 * 86_400_000)).toEqual([
      'attachments/~pending/tenant-a/k/0',
    ]);
    const kept = await send(pathOf(await sign('tenant-a/kept', 'r')), {
      headers: { host: `127.0.0.1:${String(port)}` },
    });
    expect(kept.status).toBe(200);
  });
});
