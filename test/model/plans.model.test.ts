/**
 * The model-based test of plans: random plans (requestsPerMinute, perUser.requestsPerMinute, requestUnitsPerDay,
 * storageMb) for three tenants and random traffic of two callers each — lists, creates of random sizes, deletes,
 * the clock moving on — against the real runtime on the local Cosmos DB server, with the meter's and registry's
 * clock injected (no timer, no wall clock). `plans-reference.ts` predicts each answer from that tenant's and that
 * caller's own traffic only; after each request no other tenant's RU or stored bytes moved, a delete frees what
 * its create stored, and after `flush()` the ledger holds every request once (requests and refused per tenant).
 *
 * `ATAKORA_PLANS_SEED=<n>` replays a seed (printed by every run), `ATAKORA_MODEL_RUNS=<n>` runs more.
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest, RuntimeTenantPlan } from '../../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import type { HourItem } from '../../src/runtime/usage/usage-items.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { cosmosUsageStore } from '../../src/runtime/usage/usage-store.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { noteEntity } from '../runtime/support/entities.js';
import { invoke, type Reply } from '../runtime/support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import {
  BYTES_PER_MB,
  charged,
  freshTenant,
  type ModelPlan,
  type PlanOp,
  planAnswer,
  type TenantState,
} from './plans-reference.js';
import { registryAuth } from '../runtime/support/registry-auth.js';

const SEED = Number(process.env.ATAKORA_PLANS_SEED ?? 73);
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? 6);
const TENANTS = 3;
const USERS = 2;

interface Step {
  readonly tenant: number;
  readonly user: number;
  readonly op: PlanOp;
  readonly size: number;
  /** Milliseconds the clock moves on before the request. */
  readonly tick: number;
}

const planArb: fc.Arbitrary<ModelPlan> = fc.record(
  {
    requestsPerMinute: fc.integer({ min: 1, max: 8 }),
    requestUnitsPerDay: fc.integer({ min: 1, max: 14 }),
    // 300 to 1,500 bytes: a few notes.
    storageMb: fc.integer({ min: 300, max: 1500 }).map((bytes) => bytes / BYTES_PER_MB),
  },
  { requiredKeys: [] },
);
const stepArb: fc.Arbitrary<Step> = fc.record({
  tenant: fc.integer({ min: 0, max: TENANTS - 1 }),
  user: fc.integer({ min: 0, max: USERS - 1 }),
  op: fc.constantFrom<PlanOp>('list', 'list', 'create', 'create', 'delete'),
  size: fc.integer({ min: 0, max: 400 }),
  tick: fc.oneof(
    { weight: 6, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
    { weight: 1, arbitrary: fc.constant(60_000) },
  ),
});
const runArb = fc.record({
  plans: fc.array(planArb, { minLength: TENANTS, maxLength: TENANTS }),
  perUser: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 30 }),
});

let cosmos: LocalCosmos;
let registry: Container;
let usage: Container;
let notes: Container;
let now = 0;
let run = 0;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  registry = await cosmos.container('tenants', '/id');
  usage = await cosmos.container('usage', '/tenant');
  notes = await cosmos.container(noteEntity.componentId, '/tenantId');
}, 60_000);
afterAll(async () => cosmos?.stop());

/** The runtime of one run: its plans in the registry, its own ledger instance and clock. */
async function runtimeOf(plans: readonly ModelPlan[], perUser: number | undefined) {
  run++;
  const names = plans.map((_, i) => `r${run}-p${i}`);
  const tenants = plans.map((_, i) => `r${run}-t${i}`);
  const auth = callerPolicyOf({
    version: 1,
    backendId: 'plans',
    entities: [],
    auth: registryAuth('home-plans', {
      plans: Object.fromEntries(plans.map((p, i) => [names[i]!, p as RuntimeTenantPlan])),
      defaultPlan: names[0]!,
      ...(perUser !== undefined ? { perUser: { requestsPerMinute: perUser } } : {}),
    }),
  });
  for (const [i, id] of tenants.entries())
    await registry.items.upsert({
      id,
      plan: names[i],
      status: 'active',
      createdOn: '2026-01-01T00:00:00.000Z',
      updatedOn: '2026-01-01T00:00:00.000Z',
    });
  const manifest: RuntimeManifest = {
    version: 1,
    backendId: 'plans',
    entities: [noteEntity],
    auth,
  };
  const fns = new Map<string, HttpFunctionOptions>();
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: () => notes,
    caller: auth,
    tenantRegistry: { now: () => now },
    usageLedger: {
      store: cosmosUsageStore(usage),
      instance: `plans-${run}`,
      now: () => now,
      flushIntervalMs: 0,
      // A ledger call that fails here is a fault of the test's own server: seen, not absorbed.
      onError: (e) => {
        throw e;
      },
    },
  });
  const handler = (name: string) => fns.get(name)!.handler as HttpHandler;
  const collection = handler(`${noteEntity.componentId}-collection`);
  const item = handler(`${noteEntity.componentId}-item`);
  const headers = (t: number, u: number) =>
    principalHeader([
      ['tid', tenants[t]!],
      ['oid', `u${u}`],
    ]);
  return {
    tenants,
    meter: boundUsageMeter(auth.registry!)!,
    list: (t: number, u: number) =>
      invoke(collection, 'GET', noteEntity.route, { headers: headers(t, u) }),
    create: (t: number, u: number, size: number) =>
      invoke(collection, 'POST', noteEntity.route, {
        headers: headers(t, u),
        body: { title: 'x'.repeat(size) },
      }),
    remove: (t: number, u: number, id: string) =>
      invoke(item, 'DELETE', `${noteEntity.route}/${id}`, {
        headers: headers(t, u),
        params: { id },
      }),
  };
}

const code = (reply: Reply) => reply.body?.type?.replace('urn:atakora:problem:', '');
const SERVED = { list: 200, create: 201, delete: 204 } as const;

async function hours(tenant: string): Promise<HourItem[]> {
  const { resources } = await usage.items
    .query<HourItem>({
      query: "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'hour'",
      parameters: [{ name: '@t', value: tenant }],
    })
    .fetchAll();
  return resources;
}

describe('model: plans and the usage ledger', () => {
  it('each answer from its own tenant and caller alone; every request in the ledger once', async () => {
    console.log(`plans model: seed ${SEED}, ${RUNS} runs (ATAKORA_PLANS_SEED to replay)`);
    await fc.assert(
      fc.asyncProperty(runArb, async ({ plans, perUser, steps }) => {
        // A fresh UTC day per run, its middle: the clock moves on at most 30 × 60 s within it.
        now = Date.UTC(2026, 4, 1 + run, 8, 0, 0);
        const api = await runtimeOf(plans, perUser);
        const states: TenantState[] = plans.map(freshTenant);
        const created: { id: string; bytes: number }[][] = plans.map(() => []);
        const sent = plans.map(() => 0);
        const refused = plans.map(() => 0);
        const seen = async () =>
          Promise.all(
            api.tenants.map(async (t) => ({
              ru: await api.meter.dayRu(t),
              stored: await api.meter.storedBytes(t),
            })),
          );
        let before = await seen();
        for (const [n, step] of steps.entries()) {
          now += step.tick;
          const own = created[step.tenant]!;
          const op: PlanOp = step.op === 'delete' && own.length === 0 ? 'list' : step.op;
          const user = `u${step.user}`;
          const { answer, next } = planAnswer(
            states[step.tenant]!,
            plans[step.tenant]!,
            perUser,
            op,
            user,
            now,
          );
          const target = op === 'delete' ? own[0]! : undefined;
          const reply =
            op === 'list'
              ? await api.list(step.tenant, step.user)
              : op === 'create'
                ? await api.create(step.tenant, step.user, step.size)
                : await api.remove(step.tenant, step.user, target!.id);
          const where = `step ${n} (tenant ${step.tenant} ${user} ${op}) of ${JSON.stringify({ plans, perUser })}`;
          if (answer.served) expect(reply.status, where).toBe(SERVED[op]);
          else expect([reply.status, code(reply)], where).toEqual([answer.status, answer.code]);
          sent[step.tenant]!++;
          if (reply.status >= 400) refused[step.tenant]!++;
          const after = await seen();
          // No other tenant's RU or stored bytes moved.
          for (let t = 0; t < TENANTS; t++)
            if (t !== step.tenant) expect(after[t], `${where}: tenant ${t}`).toEqual(before[t]);
          const ru = after[step.tenant]!.ru - before[step.tenant]!.ru;
          const bytes = after[step.tenant]!.stored - before[step.tenant]!.stored;
          expect(ru, where).toBeGreaterThanOrEqual(0);
          if (answer.served && op === 'create') {
            expect(bytes, where).toBeGreaterThan(step.size);
            own.push({ id: reply.body.id as string, bytes });
          } else if (answer.served && op === 'delete') {
            // A delete frees exactly what its create stored.
            expect(bytes, where).toBe(-target!.bytes);
            own.shift();
          } else expect(bytes, where).toBe(0);
          states[step.tenant] = charged(next, ru, bytes);
          before = after;
        }
        await api.meter.flush();
        for (const [t, tenant] of api.tenants.entries()) {
          const items = await hours(tenant);
          const sum = (f: 'requests' | 'refused') => items.reduce((s, i) => s + i[f], 0);
          expect([sum('requests'), sum('refused')], `ledger of tenant ${t}`).toEqual([
            sent[t],
            refused[t],
          ]);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);
});
