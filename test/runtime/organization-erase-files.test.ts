/**
 * The daily erase of a deleted organization takes its FileStore blobs too (local Cosmos DB for the registry and the
 * members, Azurite for the blobs, whose API is Azure's): an isolated store's served files, staged uploads and upload
 * records of its folder, a shared store's files it completed — through each store's own blob client, as the files
 * routes reach it — and nothing of another organization; a second run finds nothing more to delete.
 */
import type { Container } from '@azure/cosmos';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { HttpFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeFileStore, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createFileBlobsResolver } from '../../src/runtime/files/blobs.js';
import type { RuntimeEventEntry } from '../../src/runtime/http/event-log.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { azuriteCredential, type LocalAzurite, startAzurite } from '../support/azurite.js';
import { noteEntity } from './support/entities.js';
import { member, policy, record } from './support/organization-calls.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const store = (id: string, tenancy: 'isolated' | 'shared'): RuntimeFileStore => ({
  componentId: id,
  entityName: id,
  route: id.toLowerCase(),
  maxSizeBytes: 4096,
  contentTypes: ['text/plain'],
  partitionKey: tenancy === 'isolated' ? '/tenantId' : '/id',
  ...(tenancy === 'shared' ? { tenancy } : {}),
  settings: {
    endpoint: `${id.toUpperCase()}_BLOB_ENDPOINT`,
    container: `${id.toUpperCase()}_FILES`,
  },
});
const attachments = store('Attachments', 'isolated');
const gallery = store('Gallery', 'shared');

let cosmos: LocalCosmos;
let azurite: LocalAzurite;
let tenants: Container;
const blobs = new Map<string, ContainerClient>();
const timers = new Map<string, TimerFunctionOptions>();
const lines: RuntimeEventEntry[] = [];

beforeAll(async () => {
  [cosmos, azurite] = await Promise.all([startLocalCosmos(), startAzurite()]);
  const members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const service = new BlobServiceClient(azurite.blobEndpoint, azuriteCredential());
  const env: Record<string, string> = {};
  for (const s of [attachments, gallery]) {
    const name = `erase-${s.componentId.toLowerCase()}`;
    const c = service.getContainerClient(name);
    await c.createIfNotExists();
    blobs.set(s.componentId, c);
    env[s.settings.endpoint] = azurite.blobEndpoint;
    env[s.settings.container] = name;
  }
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'orgs',
    entities: [noteEntity],
    fileStores: [attachments, gallery],
    auth: policy,
  };
  for (const r of [
    { ...record('acme'), status: 'suspended', deleteOn: '2026-01-01T00:00:00.000Z' },
    record('globex'),
  ])
    await tenants.items.upsert(r);
  for (const t of ['acme', 'globex']) await members.items.upsert(member(t, 'ada', ['Owner']));
  const put = (s: string, name: string, metadata: Record<string, string> = {}) =>
    blobs.get(s)!.getBlockBlobClient(name).upload('x', 1, { metadata });
  for (const t of ['acme', 'globex']) {
    await put('Attachments', `${t}/f1`, { state: 'complete' });
    await put('Attachments', `~staging/${t}/f2`);
    await put('Attachments', `~pending/${t}/caller/f2`);
    await put('Attachments', `~urls/${t}/caller/f3`);
    await put('Gallery', `~shared/${t}-g`, { state: 'complete', creatortid: t });
  }
  // A shared file no organization completed: nobody's to erase.
  await put('Gallery', '~shared/unstamped', { state: 'complete' });
  registerCrudRoutes(
    {
      http: (_n: string, _o: HttpFunctionOptions) => undefined,
      timer: (name, o) => timers.set(name, o),
    },
    manifest,
    {
      containerFor: () => notes,
      caller: policy,
      blobsFor: createFileBlobsResolver(manifest, env, { credential: azuriteCredential() }),
      eventLogger: (entry) => lines.push(entry),
    },
  );
});
afterAll(async () => Promise.all([cosmos?.stop(), azurite?.stop()]));

const names = async (s: string) => {
  const out: string[] = [];
  for await (const b of blobs.get(s)!.listBlobsFlat()) out.push(b.name);
  return out.sort();
};
const run = async () => {
  const timer = timers.get('membership-organization-erase');
  await (timer?.handler as (t: unknown, c: unknown) => Promise<void>)({}, {});
  return lines.at(-1);
};

describe('the organization erase timer and FileStores', () => {
  it("deletes the organization's blobs in every store, and only its own", async () => {
    expect(await run()).toMatchObject({
      outcome: 'done',
      erased: [{ tenant: 'acme', items: { NoteApi: 0, Attachments: 4, Gallery: 1 } }],
    });
    expect(await names('Attachments')).toEqual([
      'globex/f1',
      '~pending/globex/caller/f2',
      '~staging/globex/f2',
      '~urls/globex/caller/f3',
    ]);
    expect(await names('Gallery')).toEqual(['~shared/globex-g', '~shared/unstamped']);
    expect(await run()).toMatchObject({ outcome: 'done', erased: [] });
  });
});
