import type { Container } from '@azure/cosmos';
import { HttpRequest, type HttpHandler, type HttpResponseInit } from '@azure/functions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers, type CrudHandlers } from '../../src/runtime/crud/handlers.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { principalHeader } from './support/built-app.js';
import { isolatedUserEntity, noteEntity, orderEntity } from './support/entities.js';
import { makeContext } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

// Fuzz pass: hostile ids, partition keys, continuation tokens, query strings and JSON bodies
// against every route of three entities (keyed by /id, by another field with a cache, by /tenantId), with
// the deployed caller policy, on a local Cosmos DB. Promise: never a 5xx, and nothing stored behind an
// error response. Bounded: at most RUNS cases and TIME_BUDGET_MS.

const RUNS = 200;
const TIME_BUDGET_MS = 60_000;
const orders: RuntimeEntity = (({ tenancy: _t, ...rest }) => rest)(orderEntity);
const entities = [isolatedUserEntity, orders, noteEntity];
const PRINCIPALS = [
  principalHeader([
    ['tid', 'tenant-a'],
    ['oid', 'a'],
  ]),
  principalHeader([
    ['tid', 'tenant-b'],
    ['oid', 'b'],
  ]),
];

let cosmos: LocalCosmos;
const containers: Container[] = [];
const handlers: CrudHandlers[] = [];

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  const caller = callerPolicyOf({ version: 1, backendId: 'fuzz', entities: [] });
  for (const e of entities) {
    const c = await cosmos.container(`fuzz-${e.route}`, e.partitionKey);
    containers.push(c);
    handlers.push(
      createCrudHandlers(e, c, { caller, cosmos: { timeoutMs: 5000, retryAfterSeconds: 1 } }),
    );
  }
  // Something to find, change and page through.
  for (const [i, tenant] of ['tenant-a', 'tenant-b'].entries()) {
    await containers[0]!.items.create({ id: `u${i}`, name: 'n', tenantId: tenant });
    await containers[1]!.items.create({ id: `o${i}`, region: 'eu', total: 1, tenantId: tenant });
    await containers[2]!.items.create({ id: `n${i}`, title: 't', tenantId: tenant });
  }
});
afterAll(async () => cosmos?.stop());

// Header values reach the app as Latin-1 at most (a ByteString); bodies, ids and query values carry any UTF-16.
const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const id = fc.oneof(
  anyText,
  fc.constantFrom(
    'u0',
    'u1',
    'o0',
    'n0',
    '.',
    '..',
    'a/b',
    ' x',
    'x'.repeat(300),
    'lone-\ud800',
    '\udc00',
    '€',
    'a\u0000b',
  ),
);
const token = fc.oneof(
  anyText,
  latin1,
  fc.constantFrom(
    '€',
    'a\u0000b',
    '{"token":"x","range":{"min":"","max":"FF"}}',
    '[]',
    '{}',
    'null',
  ),
);
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        id,
        name: anyText,
        title: anyText,
        region: fc.oneof(anyText, fc.integer()),
        total: fc.double(),
        tenantId: fc.constantFrom('tenant-a', 'tenant-b', 'x'),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{"name":1e400}',
    '{"total":-1e999,"region":"eu"}',
    '{"profile":{"a":[1e400]}}',
    '{"id":"lone-\\ud800","name":"x"}',
    '{"region":"\\udc00","total":1}',
    '{"__proto__":{}}',
    '{',
    '',
  ),
  anyText,
);
const request = fc.record({
  entity: fc.integer({ min: 0, max: entities.length - 1 }),
  route: fc.constantFrom('collection', 'item'),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
  id,
  principal: fc.integer({ min: 0, max: 1 }),
  query: fc.record(
    {
      pk: fc.oneof(anyText, fc.constant('eu')),
      continuationToken: token,
      limit: fc.oneof(anyText, fc.integer({ min: -5, max: 2000 }).map(String)),
    },
    { requiredKeys: [] },
  ),
  headers: fc.record(
    {
      'content-type': fc.oneof(
        latin1,
        fc.constantFrom(
          'application/json',
          'application/+json',
          'application/merge-patch+json',
          'application/json; charset=utf-16',
          'text/plain',
        ),
      ),
      'if-match': fc.oneof(latin1, fc.constantFrom('*', '"x"', '"a", "b"', 'W/"x"')),
      'x-ms-continuation': latin1,
      'x-partition-key': latin1,
      'x-tenant-id': latin1,
    },
    { requiredKeys: [] },
  ),
  body: fc.option(jsonish, { nil: undefined }),
});

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(handler: HttpHandler, r: FuzzRequest): Promise<HttpResponseInit> {
  const e = entities[r.entity]!;
  const url = new URL(`https://app.test/api/${e.route}${r.route === 'item' ? '/item' : ''}`);
  for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, v);
  const http = new HttpRequest({
    method: r.method,
    url: url.toString(),
    headers: { ...r.headers, ...PRINCIPALS[r.principal] },
    // The host drops a GET's body (with a warning): only other methods carry one.
    params: r.route === 'item' ? { id: r.id } : {},
    ...(r.body === undefined || r.method === 'GET' ? {} : { body: { string: r.body } }),
  });
  return (await handler(http, makeContext())) as HttpResponseInit;
}

// A handler holds its own entity's container and no other (beforeAll): only that one can be written behind an
// error, so only it is read before and after (a third of the reads of all three, the same proof).
const snapshot = async (entity: number) => JSON.stringify(await allItems(containers[entity]!));

describe('fuzz: hostile requests never get a 5xx and never write behind an error', () => {
  it(
    `${RUNS} random requests (at most ${TIME_BUDGET_MS / 1000} s)`,
    async () => {
      let ran = 0;
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          ran++;
          const h = handlers[r.entity]!;
          const before = await snapshot(r.entity);
          const response = await send(r.route === 'item' ? h.item : h.collection, r);
          const status = response.status ?? 200;
          expect(status, JSON.stringify(response.body)).toBeLessThan(500);
          expect((response.headers as Record<string, string>)['X-Content-Type-Options']).toBe(
            'nosniff',
          );
          if (status >= 400) expect(await snapshot(r.entity)).toBe(before);
        }),
        {
          numRuns: RUNS,
          interruptAfterTimeLimit: TIME_BUDGET_MS,
          markInterruptAsFailure: false,
          seed: Number(process.env.FUZZ_SEED ?? 24),
        },
      );
      expect(ran).toBeGreaterThan(20);
    },
    TIME_BUDGET_MS + 30_000,
  );
});
