/**
 * The model-based test of the doors that admit a person by what a plan sells (DESIGN §2, "Plans that package the
 * product"): three organizations, each with a verified domain (`auto` or `request` join) and a linked Entra
 * directory — what a plan with `domains` and `directory` made — on random plans listing a random set of `domains`,
 * `directory` and `audit` (or none), and random steps against the real runtime on the local Cosmos DB server: a new
 * person asks what they may join and joins by their verified e-mail's domain, an Owner approves the oldest pending
 * request, a new user of the linked directory makes their first request naming the organization, and the operator
 * moves an organization to another plan (its 30 s registry bound passed on the run's clock). src/access/model/
 * plan-features.ts `admissionAnswer` predicts each answer — the person admitted (or their request pending) only on a
 * plan with the door's feature, else 402 `feature-not-in-plan` naming it and exactly the plans that include it — and
 * after each step the members container holds the person exactly when the model admitted them.
 *
 * `ATAKORA_ADMISSIONS_SEED=<n>` replays a seed, `ATAKORA_MODEL_RUNS=<n>` runs more.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  type AdmissionDoor,
  admissionAnswer,
  type FeatureAnswer,
} from '../../src/access/model/plan-features.js';
import { featuresOf } from '../../src/model/plans/plan-features.js';
import { cosmosDomainClaims } from '../../src/runtime/members/domains/domain-claim-store.js';
import { claimDomain } from '../../src/runtime/members/domains/domain-claims.js';
import { cosmosDomainStore } from '../../src/runtime/members/domains/domain-store.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { member, record, who } from '../runtime/support/organization-calls.js';
import {
  type OrganizationsContainers,
  registerOrganizationsApp,
} from '../runtime/support/organizations-app.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';

const SEED = Number(process.env.ATAKORA_ADMISSIONS_SEED ?? 59);
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? 6);
const ORGS = 3;

type Plan = { readonly features?: readonly string[] };
type Join = 'auto' | 'request';
type Step =
  | { readonly kind: 'join' | 'approve' | 'directory'; readonly org: number }
  | { readonly kind: 'move'; readonly org: number; readonly plan: number };

const planArb: fc.Arbitrary<Plan> = fc
  .option(fc.subarray(['domains', 'directory', 'audit']), { nil: undefined, freq: 4 })
  .map((features) => (features === undefined ? {} : { features }));
const org = fc.nat(ORGS - 1);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), org }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('approve' as const), org }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('directory' as const), org }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('move' as const), org, plan: fc.nat(ORGS - 1) }),
  },
);
const runArb = fc.record({
  plans: fc.array(planArb, { minLength: ORGS, maxLength: ORGS }),
  joins: fc.array(fc.constantFrom<Join>('auto', 'request'), { minLength: ORGS, maxLength: ORGS }),
  steps: fc.array(stepArb, { minLength: 3, maxLength: 14 }),
});

let cosmos: LocalCosmos;
let runs = 0;
let now = Date.parse('2026-03-02T10:00:00.000Z');
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
});
afterAll(async () => cosmos?.stop());

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const code = (r: Reply) => String(r.body?.type ?? '').replace('urn:atakora:problem:', '');

/** What differs between the reply and the model's answer (undefined: none). */
function difference(reply: Reply, expected: FeatureAnswer): string | undefined {
  const got = `${reply.status} ${code(reply)} ${reply.text.slice(0, 300)}`;
  if (expected.kind === 'served')
    return reply.status === expected.status ? undefined : `expected ${expected.status}, got ${got}`;
  if (expected.kind !== 'feature-not-in-plan') return `the model has no ${expected.kind} here`;
  return reply.status === 402 &&
    code(reply) === 'feature-not-in-plan' &&
    reply.body?.feature === expected.feature &&
    JSON.stringify(reply.body?.plans) === JSON.stringify(expected.plans)
    ? undefined
    : `expected 402 feature-not-in-plan ${expected.feature} [${expected.plans.join(', ')}], got ${got}`;
}

/** One run's app: its plans in the policy, its organizations seeded with a verified domain and a linked directory. */
async function runtimeOf(run: number, plans: readonly Plan[], joins: readonly Join[]) {
  const r = `r${pad(run, 4)}`;
  const planNames = plans.map((_, i) => `${r}-p${i}`);
  const orgs = plans.map((_, i) => `${r}-org${i}`);
  const domains = orgs.map((o) => `${o}.example`);
  const tids = orgs.map((_, i) => `00000000-0000-4000-8000-${pad(run * 10 + i, 12)}`);
  const policy = membershipAuth(
    'home-dir',
    {
      plans: Object.fromEntries(plans.map((p, i) => [planNames[i]!, p])),
      defaultPlan: planNames[0]!,
    },
    { createTenants: 'any-user', audit: 'audit', directorySignIn: true },
  );
  const fns = new Map<string, HttpFunctionOptions>();
  const c: OrganizationsContainers = await registerOrganizationsApp(cosmos, fns, policy, {
    tenantRegistry: { now: () => now },
  });
  const store = cosmosDomainStore(c.members);
  const directories = cosmosDomainClaims(c.members, undefined, 'directory');
  const at = '2026-01-01T00:00:00.000Z';
  for (const [i, id] of orgs.entries()) {
    const directory = { tid: tids[i]!, role: 'Member', requireDirectory: false };
    await c.tenants.items.upsert({ ...record(id, planNames[i]), directory });
    await c.members.items.upsert(member(id, 'owner', ['Owner']));
    await directories.claim(tids[i]!, id);
    await claimDomain(store, domains[i]!, id);
    await store.create({
      tenant: id,
      domain: domains[i]!,
      status: 'verified',
      txt: { name: `_atakora.${domains[i]!}`, value: 'atakora-verify=model' },
      join: joins[i]!,
      role: 'Member',
      createdOn: at,
      verifiedOn: at,
    });
  }
  const call = (
    name: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    params: Record<string, string> = {},
  ) => invoke(fns.get(name)!.handler as HttpHandler, method, path, { headers, params });
  const isMember = async (o: number, userId: string) =>
    (await c.members.item(`${orgs[o]!}|${userId}`, orgs[o]!).read()).resource !== undefined;
  const moveTo = (o: number, p: number) =>
    c.tenants.items.upsert({
      ...record(orgs[o]!, planNames[p]),
      directory: { tid: tids[o]!, role: 'Member', requireDirectory: false },
    });
  return { r, planNames, orgs, domains, tids, call, isMember, moveTo };
}

async function runModel(
  plans: readonly Plan[],
  joins: readonly Join[],
  steps: readonly Step[],
): Promise<void> {
  const run = ++runs;
  const app = await runtimeOf(run, plans, joins);
  const registry = Object.fromEntries(plans.map((p, i) => [app.planNames[i]!, p]));
  const on = plans.map((_, i) => i);
  const pending = plans.map((): string[] => []);
  const script: string[] = [];
  let people = 0;
  const fail = (wrong: string) => {
    throw new Error(
      `${wrong}\nplans: ${JSON.stringify(plans)} joins: ${JSON.stringify(joins)}\nscript:\n  ${script.join('\n  ')}`,
    );
  };
  const check = async (
    door: AdmissionDoor,
    o: number,
    reply: Reply,
    userId: string,
  ): Promise<boolean> => {
    const expected = admissionAnswer(door, plans[on[o]!], registry);
    const wrong = difference(reply, expected);
    if (wrong) fail(wrong);
    const admitted = expected.kind === 'served' && door !== 'request-join';
    if ((await app.isMember(o, userId)) !== admitted)
      fail(`${userId} is ${admitted ? 'not ' : ''}a member of ${app.orgs[o]!}`);
    return expected.kind === 'served';
  };
  for (const step of steps) {
    const o = step.org;
    const org = app.orgs[o]!;
    if (step.kind === 'move') {
      script.push(`move ${org} to p${step.plan}`);
      on[o] = step.plan;
      await app.moveTo(o, step.plan);
      // Past the registry's 30 s bound: every instance reads the new plan (DESIGN §2).
      now += 31_000;
      continue;
    }
    if (step.kind === 'approve') {
      const asked = pending[o]![0];
      if (asked === undefined) continue;
      script.push(`owner of ${org} approves ${asked}`);
      const reply = await app.call(
        'membership-join-request-approve',
        'POST',
        `tenant/join-requests/${asked}/approve`,
        { ...who('owner'), 'x-atakora-tenant': org },
        { id: asked },
      );
      if (await check('approve', o, reply, asked)) pending[o]!.shift();
      continue;
    }
    const userId = `${app.r}-u${pad(++people, 3)}`;
    if (step.kind === 'directory') {
      script.push(`${userId} of ${org}'s directory: first request`);
      const headers = principalHeader([
        ['oid', userId],
        ['tid', app.tids[o]!],
      ]);
      const reply = await app.call('membership-members', 'GET', 'tenant/members', {
        ...headers,
        'x-atakora-tenant': org,
      });
      await check('directory', o, reply, userId);
      continue;
    }
    script.push(`${userId}@${app.domains[o]!} joins ${org} (${joins[o]!})`);
    const person = who(userId, `${userId}@${app.domains[o]!}`);
    const listed = await app.call('membership-me-joinable', 'GET', 'me/joinable', person);
    const items = (listed.body?.items as { id: string }[] | undefined) ?? [];
    const open = featuresOf(plans[on[o]!], registry).has('domains');
    if (listed.status !== 200 || items.some((i) => i.id === org) !== open)
      fail(`expected ${org} ${open ? '' : 'not '}joinable, got ${listed.status} ${listed.text}`);
    const reply = await app.call('membership-tenant-join', 'POST', `tenants/${org}/join`, person, {
      id: org,
    });
    const door = joins[o] === 'auto' ? 'auto-join' : 'request-join';
    if ((await check(door, o, reply, userId)) && door === 'request-join') pending[o]!.push(userId);
  }
}

describe('admissions by what a plan sells (model)', () => {
  it(`random plans, downgrades and admissions answer as the model says (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(runArb, ({ plans, joins, steps }) => runModel(plans, joins, steps)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it('after a downgrade a verified domain and a linked directory admit nobody; an upgrade opens them again', async () => {
    await runModel(
      [{ features: ['domains', 'directory'] }, { features: ['audit'] }, {}],
      ['request', 'auto', 'auto'],
      [
        { kind: 'join', org: 0 },
        { kind: 'move', org: 0, plan: 1 },
        { kind: 'approve', org: 0 },
        { kind: 'join', org: 0 },
        { kind: 'directory', org: 0 },
        { kind: 'move', org: 0, plan: 0 },
        { kind: 'approve', org: 0 },
        { kind: 'directory', org: 0 },
        { kind: 'join', org: 0 },
      ],
    );
  });

  it('no plan lists features: every admission as before', async () => {
    await runModel(
      [{}, {}, {}],
      ['auto', 'request', 'auto'],
      [
        { kind: 'join', org: 0 },
        { kind: 'join', org: 1 },
        { kind: 'approve', org: 1 },
        { kind: 'directory', org: 2 },
      ],
    );
  });
});
