/**
 * One Azurite blob service for the dev sessions of a process (src/cli/dev/storage/blob-host.ts: `atakora verify`'s
 * proof stacks, a test worker's): each session's FileStores get an account of their own on the one process, and
 * nothing of one account — containers, blobs, CORS — shows in another, nor in the next session lent the same
 * account. When every account is lent, a session starts an Azurite of its own, as without a host.
 */
import { BlobServiceClient, type StoragePipelineOptions } from '@azure/storage-blob';
import { afterAll, describe, expect, it } from 'vitest';
import { devIdentityToken, devStorageCredential } from '../../src/cli/azure/dev-credential.js';
import { type LocalBlobs, startLocalBlobs } from '../../src/cli/dev/storage/azurite.js';
import { blobHost } from '../../src/cli/dev/storage/blob-host.js';

const host = blobHost(2);
const started: LocalBlobs[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await host.stop();
});

const start = async () => {
  const blobs = await startLocalBlobs(devIdentityToken, host.tls, host);
  started.push(blobs);
  return blobs;
};
const stop = async (blobs: LocalBlobs) => {
  started.splice(started.indexOf(blobs), 1);
  await blobs.stop();
};
/** A client of `endpoint` as dev's own are: the dev identity, the host's certificate trusted, checks on. */
const client = (endpoint: string) =>
  new BlobServiceClient(endpoint, devStorageCredential(devIdentityToken), {
    tlsOptions: { ca: host.tls.cert },
  } as StoragePipelineOptions);
const containersOf = async (endpoint: string) => {
  const names: string[] = [];
  for await (const c of client(endpoint).listContainers()) names.push(c.name);
  return names;
};
const corsOf = async (endpoint: string) => (await client(endpoint).getProperties()).cors ?? [];

describe('blob host: one Azurite, an account per dev session', () => {
  it('two sessions share the process, each in an account that sees nothing of the other', async () => {
    const a = await start();
    const b = await start();
    expect(new URL(a.endpoint).port).toBe(new URL(b.endpoint).port);
    expect(new URL(a.endpoint).pathname).not.toBe(new URL(b.endpoint).pathname);

    await a.container('letters');
    await b.container('letters');
    await client(a.endpoint)
      .getContainerClient('letters')
      .getBlockBlobClient('t1/hello.txt')
      .upload('hello', 5);
    await a.cors(['http://127.0.0.1:5173']);

    const listed = async (endpoint: string) => {
      const names: string[] = [];
      for await (const blob of client(endpoint).getContainerClient('letters').listBlobsFlat())
        names.push(blob.name);
      return names;
    };
    expect(await listed(a.endpoint)).toEqual(['t1/hello.txt']);
    expect(await listed(b.endpoint)).toEqual([]);
    expect((await corsOf(a.endpoint)).map((r) => r.allowedOrigins)).toEqual([
      'http://127.0.0.1:5173',
    ]);
    expect(await corsOf(b.endpoint)).toEqual([]);

    // Both accounts lent: a third session gets an Azurite of its own, on devstoreaccount1.
    const c = await start();
    expect(new URL(c.endpoint).port).not.toBe(new URL(a.endpoint).port);
    expect(new URL(c.endpoint).pathname).toBe('/devstoreaccount1/');
    await stop(c);

    // a's account, given back, is lent again empty: no container, no CORS rule.
    await stop(a);
    const d = await start();
    expect(d.endpoint).toBe(a.endpoint);
    expect(await containersOf(d.endpoint)).toEqual([]);
    expect(await corsOf(d.endpoint)).toEqual([]);
    expect(await containersOf(b.endpoint)).toEqual(['letters']);
  });
});
