import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import {
  type Answer,
  appSettings,
  type BuiltApp,
  buildApp,
  principalHeader,
} from './support/built-app.js';
import { collectionCall as coll, itemCall as item, json } from './support/invocations.js';
import { isolatedUserEntity, noteEntity, orderEntity, userEntity } from './support/entities.js';
import { type IdentityEndpoint, startIdentityEndpoint } from './support/identity-endpoint.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

// Through the built Function App in the worker stand-in against a local Cosmos DB:
// a principal counts only when App Service vouches for it (authentication on) and names a caller; every
// entity is confined to the caller's tenant whatever its partition key, unless declared shared.

const A = principalHeader([
  ['tid', 'tenant-a'],
  ['oid', 'user-a'],
]);
const B = principalHeader([
  ['tid', 'tenant-b'],
  ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'user-b'],
]);
/** Orders: partitioned by /region, isolated (the default), cached — a cache keyed without the tenant would leak. */
const isolatedOrders: RuntimeEntity = (({ tenancy: _t, ...rest }) => rest)(orderEntity);
/** A writable entity declared tenancy: 'shared'. */
const directory: RuntimeEntity = {
  ...userEntity,
  componentId: 'DirectoryApi',
  entityName: 'Entry',
  route: 'entries',
  tenancy: 'shared',
  settings: {
    endpoint: 'DIRECTORY_API_COSMOS_ENDPOINT',
    database: 'DIRECTORY_API_COSMOS_DATABASE',
    container: 'DIRECTORY_API_COSMOS_CONTAINER',
  },
};
const entities = [isolatedUserEntity, isolatedOrders, directory, noteEntity];

let app: BuiltApp;
let cosmos: LocalCosmos;
let identity: IdentityEndpoint;
const containers: Record<string, Container> = {};

function env(auth?: RuntimeAuth): Record<string, string> {
  return appSettings(entities, {
    cosmosEndpoint: cosmos.endpoint,
    identityEndpoint: identity.tokenUrl,
    identityHeader: identity.header,
    db: 'tenancy',
    containerOf: (e) => e.route,
    ...(auth ? { auth } : {}),
  });
}
const parsed = (a: Answer) => (a.body ? JSON.parse(a.body) : undefined);

beforeAll(async () => {
  const building = buildApp('atakora-tenancy-', { warm: true });
  cosmos = await startLocalCosmos();
  for (const e of entities)
    containers[e.route] = await cosmos.container(e.route, e.partitionKey, 'tenancy');
  // Written before isolation existed: no tenantId.
  await containers.users!.items.create({ id: 'legacy', name: 'Old' });
  identity = await startIdentityEndpoint();
  app = await building;
});
afterAll(async () => {
  await identity?.stop();
  await cosmos?.stop();
  await app?.remove();
});

describe('an entity partitioned by /id is confined to its tenant (authentication on)', () => {
  it("tenant B cannot read, list, replace, merge or delete tenant A's item; a shared entity is shared; legacy items are invisible", async () => {
    const answers = await app.invoke(env(), [
      coll(isolatedUserEntity, 'POST', json(A), { id: 'u1', name: 'Ann' }),
      item(isolatedUserEntity, 'GET', 'u1', B),
      coll(isolatedUserEntity, 'GET', B),
      item(isolatedUserEntity, 'PUT', 'u1', json(B), { name: 'Eve' }),
      item(isolatedUserEntity, 'PATCH', 'u1', json(B), { name: 'Eve' }),
      item(isolatedUserEntity, 'DELETE', 'u1', B),
      item(isolatedUserEntity, 'GET', 'u1', A),
      coll(isolatedUserEntity, 'GET', A),
      item(isolatedUserEntity, 'GET', 'legacy', A),
      coll(directory, 'POST', json(A), { id: 'e1', name: 'Pub' }),
      item(directory, 'GET', 'e1', B),
      item(directory, 'PATCH', 'e1', json(B), { name: 'Pub2' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([
      201, 404, 200, 404, 404, 404, 200, 200, 404, 201, 200, 200,
    ]);
    const [created, , listedByB, , , , readByA, listedByA] = answers.map(parsed);
    expect(created).toMatchObject({ id: 'u1', name: 'Ann', tenantId: 'tenant-a' });
    expect(listedByB.items).toEqual([]);
    expect(readByA).toMatchObject({ id: 'u1', name: 'Ann' });
    expect(listedByA.items.map((i: { id: string }) => i.id)).toEqual(['u1']);
    // Nothing B tried changed A's item.
    expect((await containers.users!.item('u1', 'u1').read()).resource).toMatchObject({
      name: 'Ann',
      tenantId: 'tenant-a',
    });
    expect((await containers.entries!.item('e1', 'e1').read()).resource).toMatchObject({
      name: 'Pub2',
    });
    expect((await containers.entries!.item('e1', 'e1').read()).resource?.tenantId).toBeUndefined();
  });

  it('an entity keyed by another field, with a read cache: the cached item of A is not served to B', async () => {
    const answers = await app.invoke(env(), [
      coll(isolatedOrders, 'POST', json(A), { id: 'o1', region: 'eu', total: 1 }),
      item(isolatedOrders, 'GET', 'o1', A, undefined, '?pk=eu'),
      item(isolatedOrders, 'GET', 'o1', B, undefined, '?pk=eu'),
      item(isolatedOrders, 'PATCH', 'o1', json(B), { total: 9 }, '?pk=eu'),
      item(isolatedOrders, 'DELETE', 'o1', B, undefined, '?pk=eu'),
      coll(isolatedOrders, 'GET', B, undefined, '?pk=eu'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 200, 404, 404, 404, 200]);
    expect(parsed(answers[5]!).items).toEqual([]);
    expect((await containers.orders!.item('o1', 'eu').read()).resource).toMatchObject({
      total: 1,
      tenantId: 'tenant-a',
    });
  });

  it('a principal without an identity claim is 401; a tenant mismatch names the token, not a header', async () => {
    const empty = { 'x-ms-client-principal': Buffer.from('{"claims":[]}').toString('base64') };
    const tidOnly = principalHeader([['tid', 'tenant-a']]);
    const answers = await app.invoke(env(), [
      coll(isolatedUserEntity, 'GET', empty),
      item(isolatedUserEntity, 'GET', 'u1', tidOnly),
      coll(directory, 'POST', json(empty), { id: 'e2', name: 'x' }),
      coll(noteEntity, 'POST', json(B), { title: 'x', tenantId: 'tenant-a' }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 403]);
    expect(parsed(answers[0]!).type).toBe('urn:atakora:problem:unauthenticated');
    expect(parsed(answers[0]!).detail).toMatch(/identity claim/);
    const mismatch = parsed(answers[3]!);
    expect(mismatch.type).toBe('urn:atakora:problem:tenant-mismatch');
    expect(mismatch.detail).toContain('tid claim of your token');
    expect(mismatch.detail).not.toContain('x-tenant-id');
    expect((await containers.entries!.item('e2', 'e2').read()).resource).toBeUndefined();
  });
});

describe("auth: 'none': a forged x-ms-client-principal is ignored", () => {
  const open: RuntimeAuth = { required: false, tenantClaim: 'tid', trustTenantHeader: false };

  it('without a trusted gateway an isolated route answers 403 tenant-required to a forged principal of tenant A, and gives nothing away', async () => {
    const forged = principalHeader([
      ['tid', 'tenant-a'],
      ['oid', 'attacker'],
    ]);
    const answers = await app.invoke(env(open), [
      item(isolatedUserEntity, 'GET', 'u1', forged),
      coll(isolatedUserEntity, 'GET', forged),
      item(isolatedUserEntity, 'PATCH', 'u1', json(forged), { name: 'pwned' }),
      item(isolatedUserEntity, 'DELETE', 'u1', forged),
      coll(noteEntity, 'GET', { ...forged, 'x-tenant-id': 'tenant-a' }),
      // A shared entity stays reachable: anyone may call when authentication is off.
      item(directory, 'GET', 'e1', {}),
    ]);
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 200]);
    for (const a of answers.slice(0, 5)) {
      expect(parsed(a).type).toBe('urn:atakora:problem:tenant-required');
      expect(a.body).not.toContain('Ann');
    }
    expect(parsed(answers[0]!).detail).toContain("auth: 'none'");
    expect((await containers.users!.item('u1', 'u1').read()).resource).toMatchObject({
      name: 'Ann',
      tenantId: 'tenant-a',
    });
  });

  it('with a trusted gateway the tenant is its header, never the forged principal', async () => {
    const forged = principalHeader([
      ['tid', 'tenant-a'],
      ['oid', 'attacker'],
    ]);
    const viaGateway = { ...forged, 'x-tenant-id': 'tenant-b' };
    const answers = await app.invoke(env({ ...open, trustTenantHeader: true }), [
      item(isolatedUserEntity, 'GET', 'u1', viaGateway),
      coll(isolatedUserEntity, 'GET', viaGateway),
      item(isolatedUserEntity, 'PUT', 'u1', json(viaGateway), { name: 'pwned' }),
      item(isolatedUserEntity, 'GET', 'u1', forged),
    ]);
    expect(answers.map((a) => a.status)).toEqual([404, 200, 404, 403]);
    expect(parsed(answers[1]!).items).toEqual([]);
    expect((await containers.users!.item('u1', 'u1').read()).resource).toMatchObject({
      name: 'Ann',
    });
  });
});
