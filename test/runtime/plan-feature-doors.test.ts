/**
 * The built-in features' doors of an organization (DESIGN §2, "Plans that package the product") through the request
 * pipeline against the local Cosmos DB server: on a plan without `domains`, `directory`, `scim` or `audit` each of
 * their routes is 402 `feature-not-in-plan` naming the feature and the plans that include it — the checkout route
 * named to an Owner only, where plans are sold — and SCIM's own endpoint answers it as a SCIM error; on a plan with
 * them the same calls pass; a move to a plan without them closes the doors on the next read of the registry, the
 * SCIM token issued before included; `GET api/tenant` lists the plan's features.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import {
  code,
  member,
  organizationCalls,
  record,
  reseed,
  who,
} from './support/organization-calls.js';
import { registerOrganizationsApp } from './support/organizations-app.js';
import { membershipAuth } from './support/registry-auth.js';

const ALL = ['audit', 'directory', 'domains', 'scim'];
const base = membershipAuth(
  'home-dir',
  {
    plans: { free: { features: [] }, team: { features: ['audit'] }, pro: { features: ALL } },
    defaultPlan: 'free',
  },
  { createTenants: 'any-user', audit: 'audit' },
);
// Plans sold through Stripe: a refusal names the checkout route to an Owner.
const policy: RuntimeAuth = {
  ...base,
  registry: {
    ...base.registry!,
    billing: {
      secret: 'STRIPE_KEY',
      meters: {},
      subscriptions: { webhookSecret: 'WH', prices: {}, onCanceled: 'default-plan' },
    },
  },
};

let cosmos: LocalCosmos;
let c: { members: Container; tenants: Container; audit: Container };
let now = Date.parse('2026-03-02T10:00:00.000Z');
const fns = new Map<string, HttpFunctionOptions>();
const { call } = organizationCalls(fns);

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  c = await registerOrganizationsApp(cosmos, fns, policy, { tenantRegistry: { now: () => now } });
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  now += 60_000;
  await reseed(
    c,
    [record('acme', 'free'), record('globex', 'pro'), record('initech', 'team')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'bob', ['Member']),
      member('globex', 'gus', ['Owner']),
      member('initech', 'ivy', ['Owner']),
    ],
  );
});

/** Each gated route of an organization: its function, method, path and feature. */
const DOORS = [
  ['membership-domains', 'GET', 'tenant/domains', 'domains'],
  ['membership-domains', 'POST', 'tenant/domains', 'domains'],
  // Approving a request admits by the domain; a decline stays open (test/model/plan-admissions.model.test.ts).
  ['membership-join-request-approve', 'POST', 'tenant/join-requests/kim/approve', 'domains'],
  ['tenant-directory', 'GET', 'tenant/directory', 'directory'],
  ['tenant-directory', 'PUT', 'tenant/directory', 'directory'],
  ['membership-scim-tokens', 'GET', 'tenant/scim-tokens', 'scim'],
  ['membership-scim-tokens', 'POST', 'tenant/scim-tokens', 'scim'],
  ['tenant-audit', 'GET', 'tenant/audit', 'audit'],
] as const;

describe('a plan without a built-in feature: its doors are 402, naming what allows them', () => {
  it.each(DOORS)('%s %s %s → 402 feature-not-in-plan (%s)', async (fn, method, path, feature) => {
    const body =
      method === 'GET'
        ? undefined
        : method === 'PUT'
          ? { tid: 'home-dir' }
          : { domain: 'acme.example' };
    // A route's own segment (a join request's id) as the host binds it.
    const params: Record<string, string> = path.includes('join-requests/') ? { id: 'kim' } : {};
    const opts = { ...(body ? { body } : {}), params };
    const owner = await call(fn, method, path, who('ada'), 'acme', opts);
    expect(owner.status).toBe(402);
    expect(code(owner)).toBe('feature-not-in-plan');
    expect(owner.body).toMatchObject({
      status: 402,
      feature,
      plans: feature === 'audit' ? ['pro', 'team'] : ['pro'],
      checkout: 'POST api/tenant/billing/checkout',
    });
    expect(String(owner.body.detail)).toContain('POST api/tenant/billing/checkout');
    // A member who is not an Owner cannot subscribe: the plans, never the checkout route.
    const plain = await call(fn, method, path, who('bob'), 'acme', opts);
    expect(plain.status).toBe(402);
    expect(plain.body.checkout).toBeUndefined();
    expect(plain.body.plans).toEqual(owner.body.plans);
  });

  it('the same calls pass on a plan with the features; a plan with only audit opens only that', async () => {
    expect(
      (await call('membership-domains', 'GET', 'tenant/domains', who('gus'), 'globex')).status,
    ).toBe(200);
    expect((await call('tenant-audit', 'GET', 'tenant/audit', who('gus'), 'globex')).status).toBe(
      200,
    );
    expect(
      (
        await call('membership-scim-tokens', 'POST', 'tenant/scim-tokens', who('gus'), 'globex', {
          body: {},
        })
      ).status,
    ).toBe(201);
    expect((await call('tenant-audit', 'GET', 'tenant/audit', who('ivy'), 'initech')).status).toBe(
      200,
    );
    const domains = await call(
      'membership-domains',
      'GET',
      'tenant/domains',
      who('ivy'),
      'initech',
    );
    expect(domains.status).toBe(402);
    expect(domains.body.feature).toBe('domains');
  });

  it('GET api/tenant lists the plan’s features (its limits without them)', async () => {
    const free = await call('tenant-self', 'GET', 'tenant', who('ada'), 'acme');
    expect(free.status).toBe(200);
    expect(free.body.features).toEqual([]);
    expect(free.body.limits).toEqual({});
    const pro = await call('tenant-self', 'GET', 'tenant', who('gus'), 'globex');
    expect(pro.body.features).toEqual(ALL);
  });
});

describe('SCIM on a plan that loses it', () => {
  it('the token issued on pro is 402 as a SCIM error once the organization moves to free', async () => {
    const issued = await call(
      'membership-scim-tokens',
      'POST',
      'tenant/scim-tokens',
      who('gus'),
      'globex',
      { body: {} },
    );
    expect(issued.status).toBe(201);
    const bearer = { authorization: `Bearer ${String(issued.body.token)}` };
    const before = await call('scim-users', 'GET', 'scim/v2/Users', bearer);
    expect(before.status).toBe(200);
    await c.tenants.items.upsert(record('globex', 'free'));
    // Past the registry's 30 s bound: the move holds on every instance.
    now += 31_000;
    const after = await call('scim-users', 'GET', 'scim/v2/Users', bearer);
    expect(after.status).toBe(402);
    expect(after.body.schemas).toEqual([SCIM_SCHEMAS.error]);
    expect(after.body.status).toBe('402');
    expect(String(after.body.detail)).toContain('feature-not-in-plan');
    expect(String(after.body.detail)).toContain('pro');
    // Nothing provisioned behind the refusal.
    const post = await call('scim-users', 'POST', 'scim/v2/Users', bearer, undefined, {
      body: { schemas: [SCIM_SCHEMAS.user], userName: 'kim@globex.example', active: true },
    });
    expect(post.status).toBe(402);
    await c.tenants.items.upsert(record('globex', 'pro'));
    now += 31_000;
    const back = await call('scim-users', 'GET', 'scim/v2/Users', bearer);
    expect(back.status).toBe(200);
    expect(back.body.totalResults).toBe(0);
  });
});
