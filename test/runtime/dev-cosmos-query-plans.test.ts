/**
 * `atakora dev`'s local Cosmos DB server answers `@azure/cosmos`' query-plan requests as the gateway does, with a
 * plan and without running the query (src/cli/dev/cosmos/query-plan.ts): the SDK sends one beside every item query
 * and, against the local server, reads none, so each query used to run twice (once across every partition). A
 * plan-driven run (`forceQueryPlan`) answers exactly as a direct one.
 */
import { request } from 'node:https';
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalCosmos, startCosmos } from '../../src/cli/dev/cosmos/local-cosmos.js';
import { type LoopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { testCertificate } from '../support/test-certificate.js';

let tls: LoopbackCertificate;
let cosmos: LocalCosmos;
let notes: Container;
beforeAll(async () => {
  tls = testCertificate();
  cosmos = await startCosmos(tls);
  await cosmos.create('plans', 'notes', '/tenantId');
  notes = cosmos.client.database('plans').container('notes');
});
afterAll(async () => cosmos?.stop());

/** One POST to the server as the SDK sends its plan request (or, without `plan`, the query itself). */
function post(
  path: string,
  query: string,
  plan: boolean,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(path, cosmos.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: tls.cert,
        headers: {
          'content-type': 'application/query+json',
          'x-ms-documentdb-query-enablecrosspartition': 'true',
          ...(plan ? { 'x-ms-cosmos-is-query-plan-request': 'True' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query }));
  });
}

it("answers a query-plan request with the gateway's plan, not with the query's rows", async () => {
  for (const id of ['a', 'b', 'c']) await notes.items.upsert({ id, tenantId: 't1' });
  const plan = await post('/dbs/plans/colls/notes/docs', 'SELECT * FROM c', true);
  expect(plan.status).toBe(200);
  expect(plan.body['Documents']).toBeUndefined();
  expect(plan.body['queryRanges']).toEqual([
    { min: '', max: 'FF', isMinInclusive: true, isMaxInclusive: false },
  ]);
  expect(plan.body['queryInfo']).toMatchObject({ distinctType: 'None', aggregates: [] });
  // The same request without the header is the query itself, run by the server.
  const rows = await post('/dbs/plans/colls/notes/docs', 'SELECT * FROM c', false);
  expect(rows.status).toBe(200);
  expect((rows.body['Documents'] as unknown[]).length).toBe(3);
});

const QUERIES = [
  'SELECT * FROM c',
  'SELECT c.id, c.n FROM c WHERE c.n > 2 ORDER BY c.n DESC',
  'SELECT TOP 3 * FROM c ORDER BY c.id',
  'SELECT VALUE COUNT(1) FROM c',
  'SELECT VALUE MAX(c.n) FROM c WHERE c.tenantId = "t2"',
];

it('a plan-driven query (forceQueryPlan) answers as the direct one, across partitions and within one', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(
        fc.record({
          id: fc.stringMatching(/^[a-z]{1,6}$/),
          tenantId: fc.constantFrom('t1', 't2', 't3'),
          n: fc.integer({ min: 0, max: 9 }),
        }),
        { selector: (i) => i.id, minLength: 1, maxLength: 12 },
      ),
      fc.constantFrom(...QUERIES),
      fc.constantFrom(undefined, 't2'),
      async (items, query, partitionKey) => {
        const name = `p${String(Math.random()).slice(2, 10)}`;
        await cosmos.create('plans', name, '/tenantId');
        const c = cosmos.client.database('plans').container(name);
        for (const item of items) await c.items.create(item);
        const options = partitionKey === undefined ? {} : { partitionKey };
        const direct = (await c.items.query(query, options).fetchAll()).resources;
        const planned = (
          await c.items.query(query, { ...options, forceQueryPlan: true }).fetchAll()
        ).resources;
        expect(planned).toEqual(direct);
        await c.delete();
      },
    ),
    { numRuns: 12 },
  );
});
