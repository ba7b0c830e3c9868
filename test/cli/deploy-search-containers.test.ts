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
    arm.search.capabilities = [
      'EnableServerless',
      'EnableNoSQLVectorSearch',
      'EnableNoSQLFullTextSearch',
    ];
    const { plan } = targetsOf(SEARCH);
    arm.search.identities.set(componentIdentityName(plan, 'TicketApi'), 'principal-1');
  });

  it('creates the container with its policies at api-version 2025-04-15, then the data role on it', async () => {
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
        fullTextIndexes: [{ path: '/title' }, { path: '/body' }],
        excludedPaths: [{ path: '/embedding/*' }],
      },
    });
    const puts = arm.calls.filter((c) => c.method === 'PUT');
    expect(puts.every((c) => c.query['api-version'] === '2025-04-15')).toBe(true);
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

  it('is idempotent: a second deploy reads, finds everything equal, and writes nothing', async () => {
    const { targets } = targetsOf(SEARCH);
    await deploySearchContainers(session, targets, options);
    arm.calls.length = 0;
    const out = await deploySearchContainers(session, targets, options);
    expect(out[0]).toMatchObject({ action: 'unchanged', grants: 0 });
    expect(arm.calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

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

  it("a Resource Manager refusal (no capability on the account) is the step's error, naming the call", async () => {
    arm.search.capabilities = ['EnableServerless'];
    const e = await deploySearchContainers(session, targetsOf(SEARCH).targets, options).catch(
      (x: unknown) => x,
    );
    expect(String((e as Error).message)).toMatch(/EnableNoSQLVectorSearch|400/);
    expect(arm.search.containers.size).toBe(0);
  });
});
