import { CosmosClient } from '@azure/cosmos';
import type { TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { componentIdentitySetting } from '../../src/kit/pure/names/component-identity.js';
import type { RuntimeEntity, RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { type Answer, type BuiltApp, buildApp, type Invocation } from './support/built-app.js';
import { type DataPlaneRbac, enforceDataPlaneRbac, tokenFor } from './support/data-plane-rbac.js';
import { catalogEntity, noteEntity, userEntity } from './support/entities.js';
import { type IdentityEndpoint, startIdentityEndpoint } from './support/identity-endpoint.js';
import { type LocalCosmos, startLocalCosmos, testAgent } from './support/local-cosmos.js';
import { healthBudgetMs } from '../../src/runtime/health.js';
import { COSMOS_TIMEOUT_SETTING } from '../../src/runtime/data/cosmos-policy.js';
import { deadline } from '../support/patience.js';

// The built Function App against a Cosmos DB that enforces data-plane RBAC the way Azure does for the roles
// apply assigns: each component's user-assigned identity holds its role on its own container only, so a
// database read with its token is refused (403) while its container's metadata and items are not.

/**
 * Health's own per-check budget, token acquisition included: 5 s, or the app's Cosmos DB deadline when that is
 * shorter (src/runtime/health.ts `healthBudgetMs`). The hung probe sets that deadline to 1 s on a quiet machine
 * (scaled by the machine's slowness, up to health's 5 s), so it waits out one second, not five, and still proves the
 * budget: every check is cut by it ('timeout'), after at least the budget, and the three started together.
 */
const HEALTH_BUDGET_MS = healthBudgetMs({ timeoutMs: deadline(1000) });

/** Each component as provision.ts writes it into the manifest: its client id comes from its own app setting. */
const withIdentity = (e: RuntimeEntity): RuntimeEntity => ({
  ...e,
  settings: { ...e.settings, clientId: componentIdentitySetting(e.componentId) },
});
const entities = [userEntity, noteEntity, catalogEntity].map(withIdentity);
const manifest: RuntimeManifest = { version: 1, backendId: 'shop', entities };
// Where each component's data lives, and the client id of the identity that holds its (only) data role.
const placement: Record<string, { db: string; coll: string; clientId: string; pk: string }> = {
  UserApi: { db: 'app', coll: 'users', clientId: 'client-users', pk: '/id' },
  NoteApi: { db: 'app', coll: 'notes', clientId: 'client-notes', pk: '/tenantId' },
  CatalogApi: { db: 'catalog', coll: 'products', clientId: 'client-catalog', pk: '/id' },
};
const principal = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'tid', val: 't1' },
      { typ: 'oid', val: 'u1' },
    ],
  }),
).toString('base64');

let cosmos: LocalCosmos;
let rbac: DataPlaneRbac;
let identity: IdentityEndpoint;
let app: BuiltApp | undefined;
/** Load the built app in a fresh worker stand-in with only the app settings as environment (support/built-app.ts). */
const host = (env: Record<string, string>, requests: readonly Invocation[]): Promise<Answer[]> =>
  app!.invoke(env, requests);

/** The app settings apply writes, pointing at the local servers. */
function appSettings(identityEndpoint: string): Record<string, string> {
  const s: Record<string, string> = {
    ATAKORA_MANIFEST: JSON.stringify(manifest),
    IDENTITY_ENDPOINT: identityEndpoint,
    IDENTITY_HEADER: identity.header,
  };
  for (const e of entities) {
    const p = placement[e.componentId]!;
    s[e.settings.endpoint] = `${cosmos.endpoint}/`;
    s[e.settings.database] = p.db;
    s[e.settings.container] = p.coll;
    s[e.settings.clientId!] = p.clientId;
  }
  return s;
}

const health: Invocation = {
  function: 'health',
  method: 'GET',
  url: 'https://app.test/api/health',
};

beforeAll(async () => {
  const build = buildApp('atakora-health-rbac-').then((built) => {
    app = built;
  });
  cosmos = await startLocalCosmos();
  for (const p of Object.values(placement)) await cosmos.container(p.coll, p.pk, p.db);
  await cosmos.client
    .database('catalog')
    .container('products')
    .items.create({ id: 'p1', name: 'Lamp' });
  // From here on, Entra tokens are held to their identity's container, as Cosmos DB does.
  rbac = enforceDataPlaneRbac(
    cosmos.server,
    Object.fromEntries(
      Object.values(placement).map((p) => [p.clientId, { db: p.db, coll: p.coll }]),
    ),
  );
  identity = await startIdentityEndpoint();
  await build;
});
afterAll(async () => {
  await identity?.stop();
  rbac?.remove();
  await cosmos?.stop();
  await app?.remove();
});

describe('GET api/health with container-scoped data roles (built app, managed identity endpoint, RBAC-enforcing Cosmos DB)', () => {
  it("the policy layer bites: a database read with a component identity's token is 403, its own container is readable, another component's is 403", async () => {
    const credential: TokenCredential = {
      getToken: async () => ({
        token: tokenFor('client-users'),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const aad = new CosmosClient({
      endpoint: cosmos.endpoint,
      aadCredentials: credential,
      agent: testAgent(),
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    try {
      // What health did before (database.read()): Cosmos DB refuses it for a container-scoped role.
      await expect(aad.database('app').read()).rejects.toMatchObject({
        code: 403,
        substatus: 5301,
        body: {
          code: 'Forbidden',
          message: expect.stringContaining('does not have required RBAC permissions'),
        },
      });
      expect((await aad.database('app').container('users').read()).resource?.id).toBe('users');
      await expect(aad.database('app').container('notes').read()).rejects.toMatchObject({
        code: 403,
      });
      expect(rbac.refused.map((r) => r.path)).toEqual(['/dbs/app', '/dbs/app/colls/notes']);
    } finally {
      aad.dispose();
      rbac.refused.length = 0;
    }
  });

  it('health is 200 with every container ok, and CRUD works, each component through its own identity', async () => {
    const tenant = { 'x-ms-client-principal': principal };
    const json = { ...tenant, 'content-type': 'application/json' };
    const answers = await host(appSettings(identity.tokenUrl), [
      health,
      {
        function: 'NoteApi-collection',
        method: 'POST',
        url: 'https://app.test/api/notes',
        headers: json,
        body: '{"title":"hello"}',
      },
      {
        function: 'NoteApi-collection',
        method: 'GET',
        url: 'https://app.test/api/notes',
        headers: tenant,
      },
      {
        function: 'UserApi-collection',
        method: 'POST',
        url: 'https://app.test/api/users',
        headers: json,
        body: '{"id":"u1","name":"Ann"}',
      },
      {
        function: 'UserApi-item',
        method: 'GET',
        url: 'https://app.test/api/users/u1',
        params: { id: 'u1' },
        headers: tenant,
      },
      {
        function: 'CatalogApi-collection',
        method: 'GET',
        url: 'https://app.test/api/products',
        headers: tenant,
      },
      health,
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 201, 200, 201, 200, 200, 200]);
    const [first, created, listed, , user, products, again] = answers.map((a) => ({
      ...a,
      json: JSON.parse(a.body),
    }));
    expect(first!.json).toEqual({
      status: 'ok',
      checks: [1, 2, 3].map((n) => ({
        name: `container-${n}`,
        status: 'ok',
        durationMs: expect.any(Number),
      })),
    });
    // Each check 'ok' is each answered within the budget: a check over it is 'unavailable' with reason 'timeout'
    // (src/runtime/health.ts), which the hung endpoint below shows — no wall-clock bound that a loaded machine fails.
    for (const secret of [
      '127.0.0.1',
      String(new URL(cosmos.endpoint).port),
      'app',
      'catalog',
      'users',
      'notes',
      'products',
    ]) {
      expect(first!.body).not.toContain(secret);
    }
    expect(again!.json.status).toBe('ok');
    expect(created!.json).toMatchObject({ title: 'hello', tenantId: 't1' });
    expect(listed!.json.items).toEqual([
      expect.objectContaining({ title: 'hello', tenantId: 't1' }),
    ]);
    expect(user!.json).toMatchObject({ id: 'u1', name: 'Ann' });
    expect(products!.json.items).toEqual([expect.objectContaining({ id: 'p1', name: 'Lamp' })]);
    // Nothing the app did was refused (no database-level read, no other component's container) ...
    expect(rbac.refused).toEqual([]);
    // ... and every component's calls carried its own identity's token.
    for (const p of Object.values(placement))
      expect(rbac.allowed.get(p.clientId) ?? 0, p.clientId).toBeGreaterThan(0);
    const asked = identity.requests.filter((r) => r.path === '/msi/token');
    expect(new Set(asked.map((r) => r.clientId))).toEqual(
      new Set(Object.values(placement).map((p) => p.clientId)),
    );
    // The account scope (`https://<account>/.default`) as the App Service endpoint's `resource`.
    for (const r of asked)
      expect(r).toMatchObject({
        headerOk: true,
        apiVersion: '2019-08-01',
        resource: cosmos.endpoint,
      });
    // The items really are where the components' identities were allowed to write them.
    const { resources } = await cosmos.client
      .database('app')
      .container('notes')
      .items.readAll()
      .fetchAll();
    expect(resources).toEqual([expect.objectContaining({ title: 'hello', tenantId: 't1' })]);
  });

  it('identity endpoint hung: health answers 503 within its budget, naming nothing', async () => {
    const started = performance.now();
    const [answer] = await host(
      { ...appSettings(identity.hangingUrl), [COSMOS_TIMEOUT_SETTING]: String(HEALTH_BUDGET_MS) },
      [health],
    );
    const wall = performance.now() - started;
    expect(answer!.status).toBe(503);
    expect(answer!.headers['Retry-After']).toBe(String(Math.ceil(HEALTH_BUDGET_MS / 1000)));
    const body = JSON.parse(answer!.body);
    expect(body.status).toBe('unavailable');
    expect(body.checks).toEqual(
      [1, 2, 3].map((n) =>
        expect.objectContaining({
          name: `container-${n}`,
          status: 'unavailable',
          reason: 'timeout',
        }),
      ),
    );
    // The checks run in parallel: the whole probe takes one budget, not three.
    expect(answer!.ms).toBeGreaterThanOrEqual(HEALTH_BUDGET_MS - 100);
    // In parallel, not one after another: the three checks asked for their tokens together, where a sequential
    // probe asks for the next only after giving up on the previous, a whole budget later. A spread under one budget
    // (typically a few ms) holds on any load, unlike the probe's total time, which a slow host stretches.
    const asked = identity.requests.filter((r) => r.path === '/hang/token').map((r) => r.at);
    expect(
      new Set(identity.requests.filter((r) => r.path === '/hang/token').map((r) => r.clientId))
        .size,
    ).toBe(3);
    expect(Math.max(...asked) - Math.min(...asked)).toBeLessThan(HEALTH_BUDGET_MS);
    expect(wall).toBeGreaterThanOrEqual(answer!.ms);
    expect(answer!.body).not.toMatch(/127\.0\.0\.1|catalog|users|notes|products/);
    expect(identity.requests.some((r) => r.path === '/hang/token')).toBe(true);
  });
});
