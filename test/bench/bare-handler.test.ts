// bench/runtime.ts compares the CRUD runtime with a hand-written handler (bench/baseline/bare-crud-handler.ts)
// that must do the same parse/validate/respond for the bench's entity, or the ratio compares different work.
// Checked here against the real local Cosmos server: the same statuses for the same requests, the same stored
// and returned documents.
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ENTITY, bareCrudHandlers } from '../../bench/baseline/bare-crud-handler.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { invoke } from '../runtime/support/http.js';
import { startLocalCosmos, type LocalCosmos } from '../runtime/support/local-cosmos.js';

// The body goes as is (a string is sent raw, malformed ones included); the id as the host's router would pass it.
const post = (handler: Parameters<typeof invoke>[0], body: string) =>
  invoke(handler, 'POST', 'docs', { body });
const get = (handler: Parameters<typeof invoke>[0], id: string) =>
  invoke(handler, 'GET', `docs/${id}`, { params: { id } });

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
  const cases: [string, number, string][] = [
    ['a valid document', 201, '{"id":"a","name":"doc","n":3,"at":"2025-01-31T10:00:00Z"}'],
    ['only the required field', 201, '{"id":"b","name":"doc"}'],
    ['the same id again', 409, '{"id":"a","name":"again"}'],
    ['no JSON', 400, '{"id":'],
    ['an array', 400, '[1]'],
    ['an unknown field', 400, '{"id":"c","name":"doc","extra":1}'],
    ['a missing required field', 400, '{"id":"d"}'],
    ['a name over 100 characters', 400, JSON.stringify({ id: 'e', name: 'x'.repeat(101) })],
    ['a fractional integer', 400, '{"id":"f","name":"doc","n":1.5}'],
    ['a timestamp that is not one', 400, '{"id":"g","name":"doc","at":"yesterday"}'],
  ];
  it.each(cases)('create with %s: %i from both', async (_, status, body) => {
    const bare = await post(bareCrudHandlers(bareContainer).create, body);
    const runtime = await post(createCrudHandlers(BENCH_ENTITY, runtimeContainer).collection, body);
    expect([bare.status, runtime.status]).toEqual([status, status]);
    if (status === 201) expect(bare.body).toEqual(runtime.body);
  });

  it('read: the same document (no system properties), an ETag, and 404 for a missing id', async () => {
    const bare = bareCrudHandlers(bareContainer);
    const runtime = createCrudHandlers(BENCH_ENTITY, runtimeContainer);
    const [b, r] = [await get(bare.read, 'a'), await get(runtime.item, 'a')];
    expect(b.body).toEqual(r.body);
    expect(b.body).toEqual({ id: 'a', name: 'doc', n: 3, at: '2025-01-31T10:00:00Z' });
    expect(b.headers.get('etag')).toBeTruthy();
    expect([(await get(bare.read, 'zz')).status, (await get(runtime.item, 'zz')).status]).toEqual([
      404, 404,
    ]);
  });
});
