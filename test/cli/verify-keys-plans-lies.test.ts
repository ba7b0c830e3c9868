/**
 * `atakora verify`'s per-plan key columns catch a runtime that lies about the `api-keys` gate (DESIGN §2
 * "Integrations": "Built-in features 'api-keys' and 'webhooks' gate both"; a key acts "as for a member of that
 * role"). No real runtime can be made to lie about its gate alone, so a loopback stand-in answers `GET api/tenant`
 * (a route that takes keys) as one would — the key of an organization on `free` (no `api-keys`) let through, or
 * refused with a 402 that names another feature; the key on `pro` refused — and the proof's own pieces judge it: the
 * per-plan matrix derived from the backend's rules (plan-rows.ts, its key cells and the column's gate) and the door
 * engine with the organization door. Each test shows the honest stand-in held first. Before the key's column gate,
 * the per-plan matrix gave the key columns their committed cells on every plan: no row differed for them, so no
 * per-plan row asked about a key at all (the first test failed on `undefined`, every other on "no tenant:read
 * row"). (The real runtime against the same rows: verify-keys-plans.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMatrices } from '../../src/access/matrix/plan-rows.js';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { MatrixPrincipal } from '../../src/access/matrix/types.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { type Ctx, type Made, proveDoor } from '../../src/cli/verify/door-engine.js';
import { ORGANIZATION_DOORS } from '../../src/cli/verify/doors-organization.js';
import { Proof } from '../../src/cli/verify/proof-context.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import { serveJsonOnLoopback } from '../support/loopback-server.js';

const plans = { free: { features: [] }, pro: { features: ['api-keys'] } };
const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: { type: 'string', required: true } },
      access: [{ allow: 'authenticated' }],
    }),
  },
  {
    backendId: 'keys-plans-lies',
    tenants: {
      by: 'membership',
      roles: ['Admin', 'Member'],
      plans,
      defaultPlan: 'free',
      apiKeys: {},
    },
  },
);
const plan = backend.plan();
const signIn = signInOf(
  {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    ...admissionPolicy(backend.config),
  },
  undefined,
  false,
);
const matrix = deriveAccessMatrix(plan, signIn, undefined);
const perPlan = planMatrices(plan, signIn, undefined, plans, matrix);
const setOf = (name: string) => {
  const m = perPlan.find((p) => p.set.plans.includes(name));
  if (!m) throw new Error(`no plan set of ${name}`);
  return m;
};
const column = (key: string): MatrixPrincipal => {
  const p = matrix.principals.find((x) => x.key === key);
  if (!p) throw new Error(`no ${key} column`);
  return p;
};
const KEY = 'atk_verify-plan-lie-test-key';

/** How the stand-in answers the key now, on each plan. */
type Answer = 'honest' | 'through' | 'wrong-feature' | 'refused';
let answer: Record<'free' | 'pro', Answer> = { free: 'honest', pro: 'honest' };
/** The plan of the organization the stand-in serves now. */
let onPlan: 'free' | 'pro' = 'free';
let base = '';
let close: () => Promise<void>;

const gate = (feature: string, named: string[]) => ({
  status: 402,
  value: { type: 'urn:atakora:problem:feature-not-in-plan', status: 402, feature, plans: named },
});

beforeAll(async () => {
  ({ base, close } = await serveJsonOnLoopback((req) => {
    if (String(req.headers.authorization) !== `Bearer ${KEY}` || req.url !== '/api/tenant')
      return { status: 500, value: { detail: `the stand-in serves no ${String(req.url)}` } };
    const org = { status: 200, value: { id: column('key:Member').organization, plan: onPlan } };
    const said = answer[onPlan];
    if (said === 'through') return org;
    if (said === 'wrong-feature') return gate('audit', []);
    if (said === 'refused') return gate('api-keys', ['pro']);
    return onPlan === 'free' ? gate('api-keys', ['pro']) : org;
  }));
});
afterAll(() => close());

/** `GET api/tenant`'s row of `name`'s plan set proven for the key column on the stand-in: `column: answer`. */
async function proveTenantRead(name: 'free' | 'pro'): Promise<string[]> {
  onPlan = name;
  const set = setOf(name);
  const row = set.rows.find((r) => r.operation === 'tenant:read');
  if (!row) throw new Error(`no tenant:read row on ${name}`);
  const key = column('key:Member');
  const proof = new Proof({ ...matrix, rows: [row] }, set.gates, { ...matrix, rows: set.rows });
  proof.bearers[key.key] = KEY;
  const ctx: Ctx = {
    proof,
    url: base,
    principals: [key],
    scratch: [key],
    ownerOf: () => column('home.role.Owner'),
    once: async <T>(_key: string, make: () => Promise<Made<T>>) => (await make()).value,
  };
  await proveDoor(ctx, row, ORGANIZATION_DOORS['tenant:read']!);
  expect(proof.report.proven.size + proof.report.divergences.length).toBe(1);
  return proof.report.divergences.map((d) => `${d.principal}: ${d.answer.slice(0, 3)}`);
}

describe('atakora verify catches a runtime that lies about the api-keys gate', () => {
  it('derives the cells: 402 naming api-keys and pro on free, the member’s on pro', () => {
    const cell = (name: string) =>
      setOf(name).rows.find((r) => r.operation === 'tenant:read')?.cells['key:Member'];
    expect(cell('free')).toBe(402);
    expect(cell('pro')).toBe('tenant');
    expect(setOf('free').gates['Organization tenant:read|key:Member']).toEqual({
      feature: 'api-keys',
      plans: ['pro'],
    });
    // The people who sign in are not gated on that row: the gate is the key's column alone.
    expect(setOf('free').gates['Organization tenant:read']).toBeUndefined();
    expect(setOf('free').rows.find((r) => r.operation === 'tenant:read')?.cells['home.other']).toBe(
      'tenant',
    );
  });

  it('a key let through on a plan without api-keys is ACCESS_DIVERGED', async () => {
    answer = { free: 'honest', pro: 'honest' };
    expect(await proveTenantRead('free')).toEqual([]);
    answer = { free: 'through', pro: 'honest' };
    expect(await proveTenantRead('free')).toEqual(['key:Member: 200']);
  });

  it('a 402 that names another feature than api-keys is ACCESS_DIVERGED', async () => {
    answer = { free: 'wrong-feature', pro: 'honest' };
    expect(await proveTenantRead('free')).toEqual(['key:Member: 402']);
  });

  it('a key refused on a plan with api-keys is ACCESS_DIVERGED', async () => {
    answer = { free: 'honest', pro: 'honest' };
    expect(await proveTenantRead('pro')).toEqual([]);
    answer = { free: 'honest', pro: 'refused' };
    expect(await proveTenantRead('pro')).toEqual(['key:Member: 402']);
  });
});
