/**
 * ETags are quoted strong entity-tags (RFC 9110 §8.8.3) whichever Cosmos DB server issued them, and a
 * tag sent back in that form (a list, `*`, or the bare legacy form) satisfies If-Match; a weak tag never does.
 * Against the local Cosmos DB protocol server, which issues bare tags (the case the round-4 probe found).
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { entityTag, ifMatchSatisfied, parseIfMatch } from '../../src/runtime/data/if-match.js';
import { userEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let users: Container;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('etag-users', '/id');
});
afterAll(async () => cosmos?.stop());

const QUOTED = /^"[^"]+"$/;

describe('ETags in the RFC 9110 form', () => {
  it('create, read, replace and merge answer a quoted strong ETag; the round trip in that form succeeds', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const created = await api.create({ id: 'e1', name: 'a' });
    const etag = created.headers.get('etag')!;
    expect(etag).toMatch(QUOTED);
    const read = await api.get('e1');
    expect(read.headers.get('etag')).toBe(etag);
    // The case: the quoted tag sent back, nothing changed in between → 200, not 412 "has changed".
    const put = await api.put('e1', { name: 'b' }, { headers: { 'if-match': etag } });
    expect(put.status).toBe(200);
    const etag2 = put.headers.get('etag')!;
    expect(etag2).toMatch(QUOTED);
    expect(etag2).not.toBe(etag);
    const patch = await api.patch('e1', { name: 'c' }, { headers: { 'if-match': etag2 } });
    expect(patch.status).toBe(200);
    expect(patch.headers.get('etag')).toMatch(QUOTED);
    // A cached read answers the same form.
    expect((await api.get('e1')).headers.get('etag')).toBe(
      (await api.get('e1')).headers.get('etag'),
    );
    expect((await api.get('e1')).headers.get('etag')).toMatch(QUOTED);
  });

  it('If-Match: the bare legacy form and lists match; a weak tag, a stale tag 412; * any stored item; absent item 404', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    let etag = (await api.create({ id: 'e2', name: 'a' })).headers.get('etag')!;
    const bare = etag.slice(1, -1);
    let r = await api.put('e2', { name: 'b' }, { headers: { 'if-match': bare } });
    expect(r.status).toBe(200);
    etag = r.headers.get('etag')!;
    expect(
      (await api.put('e2', { name: 'x' }, { headers: { 'if-match': `W/${etag}` } })).status,
    ).toBe(412);
    expect(
      (await api.patch('e2', { name: 'x' }, { headers: { 'if-match': `W/${etag}` } })).status,
    ).toBe(412);
    expect(
      (await api.put('e2', { name: 'x' }, { headers: { 'if-match': '"stale"' } })).status,
    ).toBe(412);
    r = await api.put('e2', { name: 'c' }, { headers: { 'if-match': `"stale", ${etag}` } });
    expect(r.status).toBe(200);
    etag = r.headers.get('etag')!;
    expect((await api.get('e2')).body).toMatchObject({ name: 'c' });
    expect((await api.put('e2', { name: 'd' }, { headers: { 'if-match': '*' } })).status).toBe(200);
    expect((await api.del('e2', { headers: { 'if-match': etag } })).status).toBe(412);
    expect(
      (await api.del('e2', { headers: { 'if-match': (await api.get('e2')).headers.get('etag')! } }))
        .status,
    ).toBe(204);
    expect((await api.del('e2', { headers: { 'if-match': '"whatever"' } })).status).toBe(404);
    expect((await api.del('e2', { headers: { 'if-match': 'W/"whatever"' } })).status).toBe(404);
  });

  it('entityTag and the strong comparison', () => {
    expect(entityTag('abc')).toBe('"abc"');
    expect(entityTag('"abc"')).toBe('"abc"');
    expect(ifMatchSatisfied(parseIfMatch('"abc"'), 'abc')).toBe(true);
    expect(ifMatchSatisfied(parseIfMatch('abc'), '"abc"')).toBe(true);
    expect(ifMatchSatisfied(parseIfMatch('W/"abc"'), '"abc"')).toBe(false);
    expect(ifMatchSatisfied(parseIfMatch('"x", "abc"'), 'abc')).toBe(true);
    expect(ifMatchSatisfied(parseIfMatch('*'), 'abc')).toBe(true);
    expect(ifMatchSatisfied(parseIfMatch('"abd"'), 'abc')).toBe(false);
  });
});
