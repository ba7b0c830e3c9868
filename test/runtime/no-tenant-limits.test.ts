/**
 * The routes that act in no organization — `POST api/tenants`, `GET api/me/tenants`, `POST api/invitations/accept` —
 * under a per-user rate (`tenants.perUser.requestsPerMinute`, else 60 a minute) with the tenant routes' limiter and
 * its `RateLimit` / `RateLimit-Policy` / `Retry-After` headers, the operator never limited; against the real runtime
 * on the local Cosmos DB server, the meter's clock injected.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOIN_FUNCTIONS } from '../../src/contract/enterprise/joins.js';
import { MEMBERSHIP_FUNCTIONS } from '../../src/contract/members.js';
import { TENANTS_FUNCTIONS } from '../../src/contract/tenants.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { principalHeader } from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { membershipAuth } from './support/registry-auth.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const T0 = Date.UTC(2026, 2, 1, 14, 5, 30);
const policy = membershipAuth(
  'home-dir',
  { plans: { free: {} }, defaultPlan: 'free' },
  { createTenants: 'any-user', maxOrganizationsPerUser: 100 },
);
const bounded = { ...policy, registry: { ...policy.registry!, perUser: { requestsPerMinute: 3 } } };

let cosmos: LocalCosmos;
const handlers = new Map<string, Map<string, HttpHandler>>();
const as = (oid: string, roles: string[] = []) =>
  principalHeader([
    ['tid', oid === 'op' ? 'home-dir' : 'other-dir'],
    ['oid', oid],
    ...roles.map((r): [string, string] => ['roles', r]),
  ]);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  for (const [name, auth] of [
    ['default', policy],
    ['bounded', bounded],
  ] as const) {
    const db = `limits-${name}`;
    await cosmos.container('tenants', '/id', db);
    await cosmos.container('members', '/tenant', db);
    const usage = await cosmos.container('usage', '/tenant', db);
    const notes = await cosmos.container(noteEntity.componentId, '/tenantId', db);
    const fns = new Map<string, HttpFunctionOptions>();
    const manifest: RuntimeManifest = {
      version: 1,
      backendId: 'x',
      entities: [noteEntity],
      auth: { ...auth, registry: { ...auth.registry!, database: db } },
    };
    registerCrudRoutes({ http: (n, o) => fns.set(n, o) }, manifest, {
      containerFor: () => notes,
      caller: manifest.auth!,
      tenantRegistry: { now: () => T0 },
      usageLedger: {
        store: cosmosUsageStore(usage),
        instance: 'i-a',
        now: () => T0,
        flushIntervalMs: 0,
      },
    });
    handlers.set(name, new Map([...fns].map(([n, o]) => [n, o.handler as HttpHandler])));
  }
});
afterAll(async () => cosmos?.stop());

const call = (
  app: string,
  fn: string,
  method: string,
  route: string,
  who: string,
  body?: unknown,
) =>
  invoke(handlers.get(app)!.get(fn)!, method, route, {
    headers: as(who, who === 'op' ? ['TenantAdmin'] : []),
    ...(body === undefined ? {} : { body }),
  });

describe('no-tenant routes under a per-user rate', () => {
  it('the declared perUser bound: me/tenants, create and accept share it, with RateLimit headers; then 429', async () => {
    const me = () => call('bounded', MEMBERSHIP_FUNCTIONS.meTenants, 'GET', 'me/tenants', 'pat');
    const first = await me();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"user";q=3;w=60');
    expect(first.headers.get('ratelimit')).toBe('"user";r=2;t=30');
    expect(
      (await call('bounded', TENANTS_FUNCTIONS.collection, 'POST', 'tenants', 'pat', { name: 'P' }))
        .status,
    ).toBe(201);
    expect(
      (
        await call('bounded', MEMBERSHIP_FUNCTIONS.accept, 'POST', 'invitations/accept', 'pat', {
          token: 'x',
        })
      ).status,
    ).toBe(410);
    const over = await me();
    expect([over.status, over.body.type, over.body.policy]).toEqual([
      429,
      'urn:atakora:problem:rate-limited',
      'user',
    ]);
    expect(over.headers.get('retry-after')).toBe('30');
    // Another user has their own window; the operator is never limited.
    expect(
      (await call('bounded', MEMBERSHIP_FUNCTIONS.meTenants, 'GET', 'me/tenants', 'sam')).status,
    ).toBe(200);
    for (let i = 0; i < 5; i++)
      expect(
        (
          await call('bounded', TENANTS_FUNCTIONS.collection, 'POST', 'tenants', 'op', {
            name: `O${String(i)}`,
          })
        ).status,
      ).toBe(201);
  });

  it('joins by domain share the bound: me/joinable and tenants/{id}/join, then 429', async () => {
    const joinable = () => call('bounded', JOIN_FUNCTIONS.joinable, 'GET', 'me/joinable', 'lou');
    const first = await joinable();
    expect([first.status, first.headers.get('ratelimit-policy')]).toEqual([200, '"user";q=3;w=60']);
    const join = await invoke(
      handlers.get('bounded')!.get(JOIN_FUNCTIONS.join)!,
      'POST',
      'tenants/acme/join',
      {
        headers: as('lou'),
        params: { id: 'acme' },
      },
    );
    // Lou's token proves no e-mail: refused before anything is looked up, and still counted.
    expect(join.body.type).toBe('urn:atakora:problem:email-not-verified');
    expect((await joinable()).status).toBe(200);
    const over = await joinable();
    expect([over.status, over.body.type]).toEqual([429, 'urn:atakora:problem:rate-limited']);
  });

  it('without perUser: 60 a minute per user', async () => {
    const me = () => call('default', MEMBERSHIP_FUNCTIONS.meTenants, 'GET', 'me/tenants', 'kim');
    const first = await me();
    expect(first.headers.get('ratelimit-policy')).toBe('"user";q=60;w=60');
    for (let i = 1; i < 60; i++) expect((await me()).status).toBe(200);
    expect((await me()).status).toBe(429);
  });
});
