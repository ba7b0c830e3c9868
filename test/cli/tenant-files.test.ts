/**
 * `atakora tenant export | import | delete` with FileStores: files against Azurite (blob service over HTTPS, OAuth
 * on) beside the local Cosmos DB server. Two tenants' files in an isolated store, their users' files in a shared
 * one: exactly the tenant's files exported, erased (staged uploads and upload records too) and loaded back.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Container } from '@azure/cosmos';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { removeDevState } from '../../src/cli/shared/dev-state.js';
import { recordDevBlobs } from '../../src/cli/shared/dev-state.js';
import { main } from '../../src/cli/main.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { capturedIo } from '../support/captured-io.js';
import { startTlsCosmos, type TlsCosmos } from '../support/tls-cosmos.js';
import { localDevState } from './support/local-dev-state.js';

const entry = 'test/cli/fixtures/tenant-backend.ts';
// Tenant ids of this file alone: tenant-data.test.ts erases its own tenants of the same backend and environment at
// the same time, and an erase's resume marker (.atakora/tenant-delete-…) is named by backend, environment and tenant.
const A = '72f988bf-0000-4000-8000-0000000001aa';
const B = '72f988bf-0000-4000-8000-0000000001bb';
const D = '72f988bf-0000-4000-8000-0000000001dd';

const dir = mkdtempSync(join(tmpdir(), 'atakora-tenant-files-'));
const tls = loopbackCertificate(dir);
let local: TlsCosmos;
let notes: Container;
let azurite: LocalAzurite;
let attachments: ContainerClient;
let shared: ContainerClient;
let token: string;

const meta = (owner: string, name: string) => ({
  filename: name,
  ownerid: owner,
  createdon: '2026-11-01T00:00:00.000Z',
  state: 'complete',
  mediatype: 'text/plain',
});
const put = (c: ContainerClient, name: string, text: string, metadata: Record<string, string>) =>
  c.getBlockBlobClient(name).uploadData(Buffer.from(text), {
    metadata,
    blobHTTPHeaders: { blobContentType: 'text/plain' },
  });
const names = async (c: ContainerClient) => {
  const out: string[] = [];
  for await (const b of c.listBlobsFlat()) out.push(b.name);
  return out.sort();
};
const saved = { ...process.env };
const run = async (...args: string[]) => {
  process.env['ATAKORA_COSMOS_ENDPOINT'] = local.endpoint;
  process.env['ATAKORA_COSMOS_CA'] = tls.certFile;
  process.env['ATAKORA_ARM_TOKEN'] = token;
  process.env['ATAKORA_BLOB_ENDPOINT'] = azurite.blobEndpoint;
  process.env['TENANT_FIXTURE_FILES'] = '1';
  const io = capturedIo();
  const code = await main(['tenant', ...args], io.io);
  return { code, out: io.out, err: io.err };
};

beforeAll(async () => {
  local = await startTlsCosmos(tls);
  const make = (db: string, id: string, pk: string) => local.container(db, id, pk);
  notes = await make('note-db', 'note', '/tenantId');
  await make('task-db', 'task', '/id');
  await make('product-db', 'product', '/id');
  await make('atakora', 'tenants', '/id');
  await notes.items.create({
    id: 'n1',
    tenantId: A,
    ownerId: 'uA1',
    body: 'x',
    pinned: false,
    _atakoraV: 2,
  });
  await notes.items.create({
    id: 'n2',
    tenantId: B,
    ownerId: 'uB1',
    body: 'y',
    pinned: false,
    _atakoraV: 2,
  });
  azurite = await startAzurite();
  token = (await azuriteCredential().getToken('https://storage.azure.com/.default'))!.token;
  const service = new BlobServiceClient(
    azurite.blobEndpoint.replace(/\/$/, ''),
    azuriteCredential(),
  );
  attachments = service.getContainerClient('attachments');
  shared = service.getContainerClient('shared-docs');
  await attachments.create();
  await shared.create();
  await put(attachments, `${A}/f1`, 'file one of A', meta('uA1', 'one.txt'));
  await put(attachments, `${A}/f2`, 'file two of A', meta('uA1', 'two.txt'));
  await put(attachments, `~staging/${A}/f3`, 'staged by A', {});
  await put(attachments, `${B}/f9`, 'file of B', meta('uB1', 'b.txt'));
  await put(shared, '~shared/s1', 'shared by a user of A', meta('uA1', 's1.txt'));
  await put(shared, '~shared/s2', 'shared by a user of B', meta('uB1', 's2.txt'));
});
afterEach(() => {
  for (const k of [
    'ATAKORA_COSMOS_ENDPOINT',
    'ATAKORA_COSMOS_CA',
    'ATAKORA_ARM_TOKEN',
    'ATAKORA_BLOB_ENDPOINT',
    'TENANT_FIXTURE_FILES',
  ])
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
});
afterAll(async () => {
  await local.stop();
  await azurite.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('atakora tenant: files', () => {
  it('exports the tenant’s files and its users’ shared ones; erases them (staged uploads too); imports them back and as a copy', async () => {
    const out = join(dir, 'a');
    const exp = await run('export', entry, A, '--out', out, '--environment', 'test');
    expect(exp.err).toMatch(/Attachments 2 file\(s\)/);
    expect(exp.code).toBe(0);
    expect(readFileSync(join(out, 'files/Attachments/f1'), 'utf8')).toBe('file one of A');
    const lines = readFileSync(join(out, 'files/Attachments.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l['id'])).toEqual(['f1', 'f2']);
    expect(lines[0]).toMatchObject({
      contentType: 'text/plain',
      size: 13,
      sha256: createHash('sha256').update('file one of A').digest('hex'),
      metadata: meta('uA1', 'one.txt'),
    });
    const sharedLines = readFileSync(join(out, 'files/SharedDocs.ndjson'), 'utf8')
      .trim()
      .split('\n');
    expect(sharedLines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['s1']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as {
      fileStores: unknown;
    };
    expect(manifest.fileStores).toMatchObject({
      Attachments: { files: 2 },
      SharedDocs: { files: 1 },
    });

    const del = await run('delete', entry, A, '--environment', 'test', '--yes');
    expect(del.code).toBe(0);
    expect(del.out).toMatch(/Attachments: 3 file blob\(s\)\n {2}SharedDocs: 1 file blob\(s\)/);
    expect(await names(attachments)).toEqual([`${B}/f9`]);
    expect(await names(shared)).toEqual(['~shared/s2']);

    const imp = await run('import', entry, '--from', out, '--environment', 'test');
    expect(imp.code).toBe(0);
    expect(await names(attachments)).toEqual([`${A}/f1`, `${A}/f2`, `${B}/f9`]);
    expect(await names(shared)).toEqual(['~shared/s1', '~shared/s2']);
    const props = await attachments.getBlobClient(`${A}/f1`).getProperties();
    expect(props.metadata).toEqual(meta('uA1', 'one.txt'));
    expect(props.contentType).toBe('text/plain');
    expect((await run('import', entry, '--from', out, '--environment', 'test')).err).toMatch(
      /Attachments 0 file\(s\) created/,
    );

    const copy = await run('import', entry, '--from', out, '--tenant', D, '--environment', 'test');
    expect(copy.code).toBe(0);
    expect(await names(attachments)).toEqual([
      `${A}/f1`,
      `${A}/f2`,
      `${B}/f9`,
      `${D}/f1`,
      `${D}/f2`,
    ]);
    expect((await attachments.getBlobClient(`${B}/f9`).downloadToBuffer()).toString()).toBe(
      'file of B',
    );
  });

  it('--local reaches the running atakora dev’s Azurite (its state file): export, delete and import move files too', async () => {
    // Azurite here serves the certificate of @vercel/cosmosdb-server's package (test/support/azurite.ts).
    const ca = readFileSync(
      join(
        dirname(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/package.json')),
        'cert.pem',
      ),
      'utf8',
    );
    const file = localDevState(entry, local.endpoint, tls.cert);
    recordDevBlobs(process.cwd(), entry, { endpoint: azurite.blobEndpoint, ca });
    try {
      const out = join(dir, 'b-local');
      const exp = await run('export', entry, B, '--out', out, '--local');
      expect(exp.code).toBe(0);
      expect(exp.err).toMatch(/Attachments 1 file\(s\)/);
      expect(readFileSync(join(out, 'files/Attachments/f9'), 'utf8')).toBe('file of B');
      expect(readFileSync(join(out, 'files/SharedDocs.ndjson'), 'utf8')).toContain('"s2"');

      const del = await run('delete', entry, B, '--local', '--yes');
      expect(del.code).toBe(0);
      expect((await names(attachments)).filter((n) => n.startsWith(B))).toEqual([]);
      expect(await names(shared)).not.toContain('~shared/s2');

      const imp = await run('import', entry, '--from', out, '--local');
      expect(imp.code).toBe(0);
      expect((await attachments.getBlobClient(`${B}/f9`).downloadToBuffer()).toString()).toBe(
        'file of B',
      );
      expect(await names(shared)).toContain('~shared/s2');
    } finally {
      removeDevState(file);
    }
  });
});
