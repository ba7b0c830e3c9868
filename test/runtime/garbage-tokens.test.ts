/**
 * Tokens the API never issued are refused as such (400), not answered as if absent: a garbage `$after` /
 * `continuationToken` is no first page, a garbage If-Match no stale version (412).
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { userEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let users: Container;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('users', '/id');
});
afterAll(async () => cosmos?.stop());

describe('tokens the API never issued', () => {
  it('a garbage $after or continuationToken is 400 invalid-continuation-token; an issued one pages on', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    for (let i = 0; i < 3; i++)
      expect((await api.create({ id: `g${i}`, name: 'n' })).status).toBe(201);
    const first = await api.list({ query: { $first: '2' } });
    expect(first.status).toBe(200);
    const token = String(first.body.continuationToken);
    const next = await api.list({ query: { $first: '2', $after: token } });
    expect(next.status).toBe(200);
    expect(next.body.items.map((i: { id: string }) => i.id)).not.toContain(first.body.items[0].id);
    const garbage: Record<string, string>[] = [
      { $after: 'garbage' },
      { continuationToken: 'garbage' },
      { $after: 'atakora-count:3:garbage' },
      { $after: '{not json' },
    ];
    for (const query of garbage) {
      const r = await api.list({ query: { $first: '2', ...query } });
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(r.body.type).toBe('urn:atakora:problem:invalid-continuation-token');
    }
    const header = await api.list({ headers: { 'x-ms-continuation': 'garbage' } });
    expect(header.status).toBe(400);
  });

  it('If-Match: garbage is 400 invalid-if-match; a stale quoted tag stays 412, a bare issued one matches', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const etag = (await api.create({ id: 'm1', name: 'a' })).headers.get('etag')!;
    for (const ifMatch of ['garbage', 'W/garbage', '"a", nope']) {
      const r = await api.put('m1', { name: 'b' }, { headers: { 'if-match': ifMatch } });
      expect(r.status, ifMatch).toBe(400);
      expect(r.body.type).toBe('urn:atakora:problem:invalid-if-match');
      expect((await api.del('m1', { headers: { 'if-match': ifMatch } })).status).toBe(400);
    }
    expect(
      (await api.put('m1', { name: 'b' }, { headers: { 'if-match': '"stale"' } })).status,
    ).toBe(412);
    expect(
      (await api.put('m1', { name: 'b' }, { headers: { 'if-match': etag.slice(1, -1) } })).status,
    ).toBe(200);
  });
});
