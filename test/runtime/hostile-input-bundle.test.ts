import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { MAX_BODY_BYTES } from '../../src/runtime/http/body.js';
import {
  type Answer,
  appSettings,
  type BuiltApp,
  buildApp,
  type Invocation,
  principalHeader,
} from './support/built-app.js';
import {
  injectCosmosFaults,
  type CosmosHttpFaults,
  type HttpFault,
} from './support/cosmos-http-faults.js';
import { isolatedUserEntity, orderEntity } from './support/entities.js';
import { type IdentityEndpoint, startIdentityEndpoint } from './support/identity-endpoint.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

// Through the built Function App in the worker stand-in against a local Cosmos DB: values that would
// reach a header are checked first (400, never 500), nothing is stored behind an error, every Cosmos DB fault
// is one mapping (429 with the hint capped, 5xx/reset/truncated → 503 + Retry-After, unknown write outcome
// said), numbers JSON cannot carry are refused, media types are strict, nosniff everywhere, and the body
// limit is about what the client sent.

const A = principalHeader([
  ['tid', 'tenant-a'],
  ['oid', 'user-a'],
]);
const JSON_A = { ...A, 'content-type': 'application/json' };
const BASE = 'https://app.test/api';
const orders: RuntimeEntity = (({ tenancy: _t, ...rest }) => rest)(orderEntity);

/** A copy of the user entity served from its own container, which gets `fault`. */
function faulty(name: string): RuntimeEntity {
  const prefix = name.toUpperCase();
  return {
    ...isolatedUserEntity,
    componentId: `${name}Api`,
    entityName: name,
    route: name.toLowerCase(),
    settings: {
      endpoint: `${prefix}_COSMOS_ENDPOINT`,
      database: `${prefix}_COSMOS_DATABASE`,
      container: `${prefix}_COSMOS_CONTAINER`,
    },
  };
}
const FAULTS: Record<string, HttpFault> = {
  f500: { kind: 'status', status: 500 },
  f429: { kind: 'status', status: 429, retryAfterMs: 60_000 },
  f429long: { kind: 'status', status: 429, retryAfterMs: 90_000 },
  f429once: { kind: 'status', status: 429, retryAfterMs: 200, times: 1 },
  freset: { kind: 'reset-after' },
  ftrunc: { kind: 'truncate' },
};
const faultEntities = ['F500', 'F429', 'F429long', 'F429once', 'FReset', 'FTrunc'].map(faulty);
const entities = [isolatedUserEntity, orders, ...faultEntities];

let app: BuiltApp;
let cosmos: LocalCosmos;
let identity: IdentityEndpoint;
let faults: CosmosHttpFaults;
const containers: Record<string, Container> = {};

const env = () =>
  appSettings(entities, {
    cosmosEndpoint: cosmos.endpoint,
    identityEndpoint: identity.tokenUrl,
    identityHeader: identity.header,
    db: 'hostile',
    containerOf: (e) => e.route,
    timeoutMs: 3000,
  });
const post = (
  e: RuntimeEntity,
  body: string,
  headers: Record<string, string> = JSON_A,
): Invocation => ({
  function: `${e.componentId}-collection`,
  method: 'POST',
  url: `${BASE}/${e.route}`,
  headers,
  body,
});
const list = (
  e: RuntimeEntity,
  query: string,
  headers: Record<string, string> = A,
): Invocation => ({
  function: `${e.componentId}-collection`,
  method: 'GET',
  url: `${BASE}/${e.route}${query}`,
  headers,
});
const get = (e: RuntimeEntity, id: string): Invocation => ({
  function: `${e.componentId}-item`,
  method: 'GET',
  url: `${BASE}/${e.route}/${id}`,
  params: { id },
  headers: A,
});
const problem = (a: Answer) =>
  JSON.parse(a.body) as {
    type: string;
    detail: string;
    outcome?: string;
    id?: string;
    errors?: { field: string }[];
  };
const ids = async (route: string) =>
  (await containers[route]!.items.readAll().fetchAll()).resources.map((r) => r.id as string).sort();

beforeAll(async () => {
  const building = buildApp('atakora-hostile-', { warm: true });
  cosmos = await startLocalCosmos();
  for (const e of entities)
    containers[e.route] = await cosmos.container(e.route, e.partitionKey, 'hostile');
  await containers.ftrunc!.items.create({ id: 't1', name: 'x', tenantId: 'tenant-a' });
  faults = injectCosmosFaults(cosmos.server, FAULTS);
  identity = await startIdentityEndpoint();
  app = await building;
});
afterAll(async () => {
  faults?.remove();
  await identity?.stop();
  await cosmos?.stop();
  await app?.remove();
});

describe('client values that would reach a header or a URL: 400 before anything is written', () => {
  it('continuation tokens that are not printable ASCII are 400 (query and header), a token Cosmos DB issued still pages', async () => {
    const answers = await app.invoke(env(), [
      list(isolatedUserEntity, '?continuationToken=%E2%82%AC'),
      list(isolatedUserEntity, '?continuationToken=a%00b'),
      list(isolatedUserEntity, '?continuationToken=%C3%A9t%C3%A9'),
      list(isolatedUserEntity, '', { ...A, 'x-ms-continuation': 'caf\u00e9' }),
      list(isolatedUserEntity, `?continuationToken=${'a'.repeat(17 * 1024)}`),
      list(isolatedUserEntity, '?limit=1'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 200]);
    for (const a of answers.slice(0, 5))
      expect(problem(a).type).toBe('urn:atakora:problem:invalid-continuation-token');
  });

  it('an id or partition key value with a lone surrogate is 400 and nothing is stored; If-Match with non-ASCII is 400', async () => {
    const answers = await app.invoke(env(), [
      post(isolatedUserEntity, '{"id":"lone-\\ud800-surrogate","name":"x"}'),
      post(isolatedUserEntity, '{"id":"trail-\\udc00","name":"x"}'),
      post(orders, '{"id":"o-lone","region":"eu-\\ud800","total":1}'),
      post(isolatedUserEntity, '{"id":"pair-\\ud83d\\ude00","name":"ok"}'),
      {
        function: 'UserApi-item',
        method: 'PUT',
        url: `${BASE}/users/pair`,
        params: { id: 'pair-\ud83d\ude00' },
        headers: { ...JSON_A, 'if-match': '"caf\u00e9"' },
        body: '{"name":"y"}',
      },
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 201, 400]);
    expect(problem(answers[4]!).type).toBe('urn:atakora:problem:invalid-if-match');
    expect(answers[3]!.headers.Location).toBe('/api/users/pair-%F0%9F%98%80');
    expect(await ids('users')).toEqual(['pair-\ud83d\ude00']);
    expect(await ids('orders')).toEqual([]);
  });
});

describe('numbers, media types, nosniff and the body limit', () => {
  it('1e400 anywhere (a kept field, inside an object field) is 400 naming the field; nothing is stored as null', async () => {
    const answers = await app.invoke(env(), [
      post(orders, '{"id":"big","region":"eu","total":1,"big":1e400}'),
      post(isolatedUserEntity, '{"id":"deep","name":"x","profile":{"n":[1,-1e400]}}'),
      post(isolatedUserEntity, '{"id":"int","name":"x","age":9007199254740993}'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect(problem(answers[0]!).errors?.map((e) => e.field)).toEqual(['big']);
    expect(problem(answers[1]!).errors?.map((e) => e.field)).toEqual(['profile.n.1']);
    expect(problem(answers[2]!).errors?.map((e) => e.field)).toEqual(['age']);
    expect(await ids('orders')).toEqual([]);
    expect((await ids('users')).filter((id) => ['deep', 'int'].includes(id))).toEqual([]);
  });

  it('only JSON media types with a real subtype and a UTF-8 charset; nosniff on every answer', async () => {
    const body = '{"name":"m"}';
    const answers = await app.invoke(env(), [
      post(isolatedUserEntity, body, { ...A, 'content-type': 'application/+json' }),
      post(isolatedUserEntity, body, {
        ...A,
        'content-type': 'application/json; charset=iso-8859-1',
      }),
      post(isolatedUserEntity, body, { ...A, 'content-type': 'application/json; charset' }),
      post(isolatedUserEntity, body, {
        ...A,
        'content-type': 'application/vnd.atakora+json; charset="UTF-8"',
      }),
      post(isolatedUserEntity, body, { ...A, 'content-type': 'application/json;' }),
      get(isolatedUserEntity, 'missing'),
      list(isolatedUserEntity, '', {}),
    ]);
    expect(answers.map((a) => a.status)).toEqual([415, 415, 415, 201, 201, 404, 401]);
    for (const a of answers) expect(a.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('a body of exactly the limit is accepted although the server adds id and tenantId; one byte more is 413', async () => {
    const skeleton = '{"name":"x","profile":{"pad":""}}';
    const pad = 'p'.repeat(MAX_BODY_BYTES - skeleton.length);
    const exact = `{"name":"x","profile":{"pad":"${pad}"}}`;
    expect(Buffer.byteLength(exact)).toBe(MAX_BODY_BYTES);
    const answers = await app.invoke(env(), [
      post(isolatedUserEntity, exact),
      post(isolatedUserEntity, `{"name":"x","profile":{"pad":"${pad}p"}}`),
    ]);
    expect(answers.map((a) => a.status)).toEqual([201, 413]);
  });
});

describe('one mapping for Cosmos DB faults', () => {
  it('500 → 503 + Retry-After on reads and writes, the write saying its outcome is unknown', async () => {
    const [read, write] = await app.invoke(env(), [
      get(faultEntities[0]!, 'x'),
      post(faultEntities[0]!, '{"id":"w1","name":"x"}'),
    ]);
    expect([read!.status, write!.status]).toEqual([503, 503]);
    expect(read!.headers['Retry-After']).toBe('5');
    expect(write!.headers['Retry-After']).toBe('5');
    expect(problem(write!)).toMatchObject({
      type: 'urn:atakora:problem:database-unavailable',
      outcome: 'unknown',
      id: 'w1',
    });
    expect(write!.body).not.toContain('injected');
  });

  it("429 → 429 with the service's hint as Retry-After (capped at 60 s), nothing written; a short hint is waited out", async () => {
    const answers = await app.invoke(env(), [
      get(faultEntities[1]!, 'x'),
      post(faultEntities[2]!, '{"id":"w2","name":"x"}'),
      post(faultEntities[3]!, '{"id":"w3","name":"x"}'),
    ]);
    expect(answers.map((a) => a.status)).toEqual([429, 429, 201]);
    expect(answers[0]!.headers['Retry-After']).toBe('60');
    expect(answers[1]!.headers['Retry-After']).toBe('60');
    expect(problem(answers[1]!)).toMatchObject({
      type: 'urn:atakora:problem:throttled',
      outcome: 'not-applied',
      id: 'w2',
    });
    expect(await ids('f429long')).toEqual([]);
    expect(await ids('f429once')).toEqual(['w3']);
    expect(faults.hits.get('f429once')).toBe(1);
  });

  it('a reset after the server stored a create → 503 outcome unknown; the retry with the same id reads 409', async () => {
    const [first] = await app.invoke(env(), [post(faultEntities[4]!, '{"id":"r1","name":"x"}')]);
    expect(first!.status).toBe(503);
    expect(first!.headers['Retry-After']).toBe('5');
    expect(problem(first!)).toMatchObject({ outcome: 'unknown', id: 'r1' });
    expect(await ids('freset')).toEqual(['r1']);
    faults.remove();
    try {
      const [retry] = await app.invoke(env(), [post(faultEntities[4]!, '{"id":"r1","name":"x"}')]);
      expect(retry!.status).toBe(409);
    } finally {
      faults = injectCosmosFaults(cosmos.server, FAULTS);
    }
  });

  it('an answer cut short after its headers → 503 + Retry-After; for a create stored behind it, outcome unknown', async () => {
    const [read, write] = await app.invoke(env(), [
      get(faultEntities[5]!, 't1'),
      post(faultEntities[5]!, '{"id":"t2","name":"x"}'),
    ]);
    expect([read!.status, write!.status]).toEqual([503, 503]);
    expect(read!.headers['Retry-After']).toBe('5');
    expect(write!.headers['Retry-After']).toBe('5');
    expect(problem(write!)).toMatchObject({ outcome: 'unknown', id: 't2' });
    expect(await ids('ftrunc')).toEqual(['t1', 't2']);
  });
});
