// bench/runtime.ts compares the CRUD runtime with a hand-written handler (bench/baseline/bare-crud-handler.ts)
// that must do the same parse/validate/respond for the bench's entity, or the ratio compares different work.
// Checked here against the real local Cosmos server: the same statuses for the same requests, the same stored
// and returned documents.
import azureFunctions, { type HttpResponseInit } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ENTITY, bareCrudHandlers } from '../../bench/baseline/bare-crud-handler.js';
import { createCrudHandlers } from '../../src/runtime/crud-handlers.js';
import { startLocalCosmos, type LocalCosmos } from '../runtime/support/local-cosmos.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const context = new InvocationContext({ invocationId: 'bare', functionName: 'bare', logHandler: () => {} });
const post = (body: string) => new HttpRequest({ method: 'POST', url: 'https://bench.local/api/docs', headers: { 'content-type': 'application/json' }, body: { string: body } });
const get = (id: string) => new HttpRequest({ method: 'GET', url: `https://bench.local/api/docs/${id}`, params: { id } });
const json = (r: HttpResponseInit) => JSON.parse(String(r.body)) as Record<string, unknown>;

let cosmos: LocalCosmos;
let bareContainer: Container;
let runtimeContainer: Container;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  bareContainer = await cosmos.container('bare', '/id');
  runtimeContainer = await cosmos.container('runtime', '/id');
});
afterAll(async () => cosmos.stop());

describe('the bare handler of the runtime benchmark does what the runtime does for its entity', () => {
  const cases: [string, string, number][] = [
    ['a valid document', '{"id":"a","name":"doc","n":3,"at":"2025-01-31T10:00:00Z"}', 201],
    ['only the required field', '{"id":"b","name":"doc"}', 201],
    ['the same id again', '{"id":"a","name":"again"}', 409],
    ['no JSON', '{"id":', 400],
    ['an array', '[1]', 400],
    ['an unknown field', '{"id":"c","name":"doc","extra":1}', 400],
    ['a missing required field', '{"id":"d"}', 400],
    ['a name over 100 characters', JSON.stringify({ id: 'e', name: 'x'.repeat(101) }), 400],
    ['a fractional integer', '{"id":"f","name":"doc","n":1.5}', 400],
    ['a timestamp that is not one', '{"id":"g","name":"doc","at":"yesterday"}', 400],
  ];
  it.each(cases)('create with %s: %i from both', async (_, body, status) => {
    const bare = await bareCrudHandlers(bareContainer).create(post(body));
    const runtime = await createCrudHandlers(BENCH_ENTITY, runtimeContainer).collection(post(body), context) as HttpResponseInit;
    expect([bare.status, runtime.status]).toEqual([status, status]);
    if (status === 201) expect(json(bare)).toEqual(json(runtime));
  });

  it('read: the same document (no system properties), an ETag, and 404 for a missing id', async () => {
    const bare = bareCrudHandlers(bareContainer);
    const runtime = createCrudHandlers(BENCH_ENTITY, runtimeContainer);
    const [b, r] = [await bare.read(get('a')), await runtime.item(get('a'), context) as HttpResponseInit];
    expect(json(b)).toEqual(json(r));
    expect(json(b)).toEqual({ id: 'a', name: 'doc', n: 3, at: '2025-01-31T10:00:00Z' });
    expect(Object.keys(b.headers ?? {})).toContain('ETag');
    expect([(await bare.read(get('zz'))).status, (await runtime.item(get('zz'), context) as HttpResponseInit).status]).toEqual([404, 404]);
  });
});
