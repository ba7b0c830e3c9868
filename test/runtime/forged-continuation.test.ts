/**
 * A continuation token this API never issued is 400 `invalid-continuation-token` whatever its shape — JSON objects
 * and arrays included, which Cosmos DB reads as much of as it can (a page served as if the token were real, or a
 * 400 that names no token) — on a collection, a children page and every way a token is sent ($after,
 * continuationToken, x-ms-continuation). Through the registered runtime on the local Cosmos DB server.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIssuedContinuation } from '../../src/runtime/values/continuation-shape.js';
import { customers, orders, principal, relationApp, relationAppOn } from '../relations/support.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const ALICE = principal('tenant-a', 'alice');
const INVALID = 'urn:atakora:problem:invalid-continuation-token';

let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;
/** A token the runtime issued for a page of orders. */
let issued: string;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await relationAppOn(cosmos, [customers, orders]);
  expect((await app.create(customers, { id: 'c1', name: 'Ada' }, ALICE)).status).toBe(201);
  for (let i = 0; i < 4; i++)
    expect(
      (await app.create(orders, { id: `o${i}`, customerId: 'c1', total: i }, ALICE)).status,
    ).toBe(201);
  const first = await app.list(orders, ALICE, { $first: '2' });
  expect(first.status).toBe(200);
  issued = String(first.body.continuationToken);
});
afterAll(async () => cosmos?.stop());

/** JSON of any shape, strings of any kind, and near misses of an issued token (one field changed). */
function forged(): fc.Arbitrary<string> {
  const near = fc
    .record({
      token: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
      range: fc.oneof(fc.record({ min: fc.string(), max: fc.string() }), fc.anything()),
    })
    .map((t) => JSON.stringify(t));
  const orderBy = fc
    .record({
      compositeToken: fc.string(),
      orderByItems: fc.array(fc.anything()),
      rid: fc.string(),
      skipCount: fc.anything(),
    })
    .map((t) => JSON.stringify(t));
  return fc
    .oneof(
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.array(fc.jsonValue(), { minLength: 1 }).map((v) => JSON.stringify(v)),
      fc.string({ minLength: 1 }),
      fc.string().map((s) => `+RID:${s}`),
      near,
      orderBy,
    )
    .filter((t) => t !== '' && !isIssuedContinuation(t));
}

describe('a forged continuation token of any shape', () => {
  it('the shapes the examples name are refused, the issued one pages on', async () => {
    expect(isIssuedContinuation(issued)).toBe(true);
    const next = await app.list(orders, ALICE, { $first: '2', $after: issued });
    expect(next.status).toBe(200);
    for (const t of [
      '{"a":1}',
      '[]',
      '{}',
      '[1,2]',
      '{"token":"x","range":{"min":"","max":"FF"}}',
      '{"token":"+RID:zzz","range":{"min":"","max":"FF"}}',
      '+RID:garbage',
      '-RID:',
      '{"compositeToken":"x","orderByItems":[]}',
    ]) {
      const r = await app.list(orders, ALICE, { $first: '2', $after: t });
      expect(r.status, t).toBe(400);
      expect(r.body.type, t).toBe(INVALID);
    }
  });

  it('is 400 invalid-continuation-token on a collection and a children page, however it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        forged(),
        fc.constantFrom('$after', 'continuationToken', 'header'),
        async (token, via) => {
          // A header's value reaches the runtime without its leading and trailing spaces and tabs (RFC 9110 §5.5;
          // the Fetch Standard's Headers normalize them): `+RID://// ` sent as a header is `+RID:////`, a token of
          // the service's shape the runtime passes on, and a blank one is no token at all (seed -1367464896, shrunk
          // to ["+RID://// ", "header"]: 200 where 400). So a header is judged by what arrives.
          const arrives = via === 'header' ? token.replace(/^[\t ]+|[\t ]+$/g, '') : token;
          fc.pre(arrives !== '' && !isIssuedContinuation(arrives));
          const query = via === 'header' ? {} : { [via]: token };
          const headers = via === 'header' ? { ...ALICE, 'x-ms-continuation': token } : ALICE;
          const listed = await app.list(orders, headers, { $first: '2', ...query });
          const children = await app.children(customers, 'orders', 'c1', headers, {
            $first: '2',
            ...query,
          });
          for (const r of [listed, children]) {
            expect(r.status, token).toBe(400);
            expect(r.body.type, token).toBe(INVALID);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
