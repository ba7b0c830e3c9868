import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { ArmSession } from '../../src/cli/azure/cosmos-accounts.js';
import { searchContainersOf } from '../../src/cli/azure/search/container-body.js';
import { deploySearchContainers } from '../../src/cli/azure/search/containers.js';
import { componentIdentityName } from '../../src/kit/pure/names/component-identity.js';
import { type CosmosArmStandIn, startCosmosArmStandIn } from '../support/cosmos-arm-standin.js';

const schema = { id: 'string', title: 'string', body: 'string', embedding: 'array' } as const;
const ticket = (search: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema,
    operations: ['read', 'list', 'create'],
    ...extra,
    search: search as never,
  });
const SEARCH = { text: ['title', 'body'], vector: { path: 'embedding', dimensions: 1536 } };
const targetsOf = (search: Record<string, unknown>, extra?: Record<string, unknown>) => {
  const plan = defineBackend({ tickets: ticket(search, extra) }, { environment: 'prod' }).plan();
  return { plan, targets: searchContainersOf(plan, 'rg-app') };
};

describe('atakora deploy: search containers through Resource Manager', () => {
  let arm: CosmosArmStandIn;
  let session: ArmSession;
  const log: string[] = [];
  const options = { log: (l: string) => void log.push(l), pollMs: 1 };

  beforeAll(async () => {
    arm = await startCosmosArmStandIn('http://127.0.0.1:1');
    session = { endpoint: arm.endpoint, token: 't', subscriptionId: 'sub' };
  });
  afterAll(() => arm.stop());
  beforeEach(() => {
    arm.calls.length = 0;
    arm.search.containers.clear();
    arm.search.assignments.clear();
    arm.search.capabilities = ['EnableServerless', 'EnableNoSQLVectorSearch'];
    const { plan } = targetsOf(SEARCH);
    arm.search.identities.set(componentIdentityName(plan, 'TicketApi'), 'principal-1');
  });

  it('creates the container with its policies at api-version 2025-10-15, then the data role on it', async () => {
    const { targets } = targetsOf(SEARCH);
    expect(targets.map((t) => t.container.name)).toEqual(['ticket']);
    const out = await deploySearchContainers(session, targets, options);
    expect(out).toEqual([
      { container: expect.stringMatching(/\/ticket-db\/ticket$/), action: 'created', grants: 1 },
    ]);
    const [live] = [...arm.search.containers.values()];
    expect(live).toMatchObject({
      partitionKey: { paths: ['/id'] },
      vectorEmbeddingPolicy: {
        vectorEmbeddings: [
          { path: '/embedding', dimensions: 1536, distanceFunction: 'cosine', dataType: 'float32' },
        ],
      },
      fullTextPolicy: { defaultLanguage: 'en-US' },
      indexingPolicy: {
        vectorIndexes: [{ path: '/embedding', type: 'diskANN' }],
        // Made: the version declares them (Resource Manager drops what its version does not know).
        fullTextIndexes: [{ path: '/title' }, { path: '/body' }],
        excludedPaths: [{ path: '/embedding/*' }, { path: '/"_etag"/?' }],
      },
      uniqueKeyPolicy: { uniqueKeys: [] },
    });
    const puts = arm.calls.filter((c) => c.method === 'PUT');
    expect(puts.every((c) => c.query['api-version'] === '2025-10-15')).toBe(true);
    // The account had the capability: no write to it.
    expect(arm.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
    // Read-write operations: Built-in Data Contributor, scoped to this container only.
    const [assignment] = [...arm.search.assignments.values()];
    expect(assignment).toMatchObject({
      principalId: 'principal-1',
      roleDefinitionId: expect.stringMatching(
        /sqlRoleDefinitions\/00000000-0000-0000-0000-000000000002$/,
      ),
      scope: expect.stringMatching(/\/dbs\/ticket-db\/colls\/ticket$/),
    });
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>?]>([
    ['text and vector', SEARCH],
    ['text alone', { text: ['title'] }],
    ['a diskANN vector', { vector: { path: 'embedding', dimensions: 1536, index: 'diskANN' } }],
    [
      'a quantizedFlat vector',
      { vector: { path: 'embedding', dimensions: 8, index: 'quantizedFlat' } },
    ],
    ['unique keys and a TTL', SEARCH, { uniqueKeys: ['/title'], ttl: 60 }],
  ])(
    'is idempotent against what Resource Manager echoes (%s): a second deploy reads, finds it equal, writes nothing',
    async (_, search, extra) => {
      const { targets } = targetsOf(search, extra);
      await deploySearchContainers(session, targets, options);
      arm.calls.length = 0;
      const out = await deploySearchContainers(session, targets, options);
      expect(out[0]).toMatchObject({ action: 'unchanged', grants: 0 });
      expect(arm.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    },
  );

  it('updates a mutable change in place (a TTL)', async () => {
    await deploySearchContainers(session, targetsOf(SEARCH).targets, options);
    const out = await deploySearchContainers(
      session,
      targetsOf(SEARCH, { ttl: 3600 }).targets,
      options,
    );
    expect(out[0]!.action).toBe('updated');
    expect([...arm.search.containers.values()][0]!['defaultTtl']).toBe(3600);
  });

  it('refuses an immutable change with the migration it needs, and changes nothing', async () => {
    await deploySearchContainers(session, targetsOf(SEARCH).targets, options);
    const before = JSON.stringify([...arm.search.containers.values()]);
    arm.calls.length = 0;
    const changed = { ...SEARCH, vector: { path: 'embedding', dimensions: 3072 } };
    const e = await deploySearchContainers(session, targetsOf(changed).targets, options).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({
      code: 'SEARCH_CONTAINER_IMMUTABLE',
      message: expect.stringMatching(/vectorEmbeddingPolicy/),
      resolution: expect.stringMatching(/containerName/),
    });
    expect(arm.calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(JSON.stringify([...arm.search.containers.values()])).toBe(before);
  });

  it('enables vector search on an existing account in place (its capabilities kept), then creates the container', async () => {
    arm.search.capabilities = ['EnableServerless'];
    const out = await deploySearchContainers(session, targetsOf(SEARCH).targets, options);
    expect(out[0]).toMatchObject({ action: 'created' });
    const [patch, ...more] = arm.calls.filter((c) => c.method === 'PATCH');
    expect(more).toEqual([]);
    // Database Accounts - Update at azurerm's api-version; the list replaces the account's, so EnableServerless is sent too.
    expect(patch).toMatchObject({
      path: expect.stringMatching(/\/databaseAccounts\/cosmos-[^/]+$/),
      query: { 'api-version': '2024-08-15' },
      body: {
        properties: {
          capabilities: [{ name: 'EnableServerless' }, { name: 'EnableNoSQLVectorSearch' }],
        },
      },
    });
    expect(arm.search.capabilities).toEqual(['EnableServerless', 'EnableNoSQLVectorSearch']);
    const patchAt = arm.calls.indexOf(patch!);
    expect(arm.calls.findIndex((c) => c.method === 'PUT')).toBeGreaterThan(patchAt);
    expect(log.join('')).toMatch(/enabling EnableNoSQLVectorSearch/);
  });

  it('full text alone asks the account for nothing: generally available, it needs no capability', async () => {
    arm.search.capabilities = ['EnableServerless'];
    const out = await deploySearchContainers(
      session,
      targetsOf({ text: ['title'] }).targets,
      options,
    );
    expect(out[0]).toMatchObject({ action: 'created' });
    expect(arm.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(arm.search.capabilities).toEqual(['EnableServerless']);
  });

  it("a Resource Manager refusal right after the capability was enabled says to deploy again, naming Azure's answer", async () => {
    arm.search.capabilities = ['EnableServerless'];
    // The account accepts the Update but the capability is not active yet (Learn: up to 15 minutes).
    arm.behaviour.patchIgnored = true;
    const e = await deploySearchContainers(session, targetsOf(SEARCH).targets, options).catch(
      (x: unknown) => x,
    );
    arm.behaviour.patchIgnored = false;
    expect(e).toMatchObject({
      code: 'SEARCH_CONTAINER_DEPLOY_FAILED',
      message: expect.stringMatching(/EnableNoSQLVectorSearch[\s\S]*400/),
      resolution: expect.stringMatching(/15 minutes[\s\S]*again/),
    });
    expect(arm.search.containers.size).toBe(0);
  });
});
