/**
 * A cross-origin request's answer names the headers a page may read (`Access-Control-Expose-Headers`), on every
 * route the pipeline serves — refusals included, where `Retry-After` and the RateLimit pair matter most; a request
 * without `Origin` gets none. (The browser reading them under `atakora dev`: test/packaging/dev-cors-browser.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_HEADERS } from '../../src/runtime/http/cors-expose.js';
import { customers, orders, principal, relationApp, relationAppOn } from '../relations/support.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const ALICE = principal('tenant-a', 'alice');
const ORIGIN = { origin: 'https://portal.contoso.com' };

let cosmos: LocalCosmos;
let app: ReturnType<typeof relationApp>;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await relationAppOn(cosmos, [customers, orders]);
});
afterAll(async () => cosmos?.stop());

describe('Access-Control-Expose-Headers', () => {
  it('names ETag, Location, Retry-After, RateLimit, RateLimit-Policy and the page token', () => {
    expect(EXPOSED_HEADERS.split(', ')).toEqual([
      'ETag',
      'Location',
      'Retry-After',
      'RateLimit',
      'RateLimit-Policy',
      'x-ms-continuation',
    ]);
  });

  it('is on the answers to a cross-origin request, successes and refusals, and only on those', async () => {
    const created = await app.create(customers, { id: 'c1', name: 'Ada' }, { ...ALICE, ...ORIGIN });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS);
    const missing = await app.item(customers, 'GET', 'nope', { ...ALICE, ...ORIGIN });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS);
    const children = await app.children(customers, 'orders', 'c1', { ...ALICE, ...ORIGIN });
    expect(children.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS);
    const anonymous = await app.list(customers, ORIGIN);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-expose-headers')).toBe(EXPOSED_HEADERS);
    const sameOrigin = await app.item(customers, 'GET', 'c1', ALICE);
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers.get('access-control-expose-headers')).toBeNull();
  });
});
