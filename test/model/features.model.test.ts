/**
 * The model-based test of plan features (DESIGN §2, "Plans that package the product"): three tenants on random plans
 * — each listing a random set of `search`, `mcp`, `realtime` and the application's `reports`, or no features at all — and random
 * steps of their callers against the real runtime on the local Cosmos DB server: searches, lists and creates through
 * REST, an MCP tool call and `dataOf`, the MCP endpoint's `tools/list`, and the operator moving a tenant to another
 * plan (the registry's record, its 30 s cache bound passed on the run's clock). The tenants' notes are readable by
 * everyone and creatable only on plans with `reports` (`{ allow: 'authenticated', operations: ['create'], feature:
 * 'reports' }`). src/access/model/plan-features.ts predicts each answer from the one rule (`featuresOf`) and the
 * doors each built-in gates: 402 `feature-not-in-plan` naming the feature and exactly the plans that include it —
 * an HTTP 402 at the MCP endpoint, a tool error for a gated tool, the problem through `dataOf`, realtime's negotiate
 * (the tenants' notes are realtime, a loopback hub beside) on plans without `realtime` — a search tool listed only on
 * plans with `search`, and when no plan lists features, every door as before.
 *
 * `ATAKORA_FEATURES_SEED=<n>` replays a seed, `ATAKORA_MODEL_RUNS=<n>` runs more.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeHub, startRealtimeHub } from '../../src/cli/dev/realtime/hub.js';
import { REALTIME_HUB } from '../../src/model/runtime-manifest.js';
import {
  type FeatureAnswer,
  type FeatureDoor,
  featureAnswer,
} from '../../src/access/model/plan-features.js';
import { crudToolName } from '../../src/model/mcp-tool-names.js';
import type { Reply } from '../runtime/support/http.js';
import type { ModelPlan } from './plans-reference.js';
import { plansFile, plansRuntime, type PlansRuntime, problemCode } from './plans-app.js';

const SEED = Number(process.env.ATAKORA_FEATURES_SEED ?? 59);
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? 8);
const TENANTS = 3;
const ACCESS = [
  { allow: 'authenticated' as const, operations: ['read' as const, 'list' as const] },
  { allow: 'authenticated' as const, operations: ['create' as const], feature: 'reports' },
];

type Plan = { readonly features?: readonly string[] };
type Step =
  | { readonly kind: 'door'; readonly tenant: number; readonly door: FeatureDoor }
  | { readonly kind: 'move'; readonly tenant: number; readonly plan: number };

const planArb: fc.Arbitrary<Plan> = fc
  .option(fc.subarray(['search', 'mcp', 'reports', 'realtime']), { nil: undefined, freq: 3 })
  .map((features) => (features === undefined ? {} : { features }));
const via = fc.constantFrom('rest' as const, 'mcp' as const, 'data' as const);
const doorArb: fc.Arbitrary<FeatureDoor> = fc.oneof(
  fc.record({ op: fc.constantFrom('search' as const, 'list' as const, 'create' as const), via }),
  fc.constant({ op: 'tools/list' as const }),
  fc.constant({ op: 'negotiate' as const }),
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('door' as const),
      tenant: fc.nat(TENANTS - 1),
      door: doorArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('move' as const),
      tenant: fc.nat(TENANTS - 1),
      plan: fc.nat(TENANTS - 1),
    }),
  },
);
const runArb = fc.record({
  plans: fc.array(planArb, { minLength: TENANTS, maxLength: TENANTS }),
  steps: fc.array(stepArb, { minLength: 4, maxLength: 18 }),
});

const containers = plansFile();
// Realtime's loopback hub (atakora dev's): the tenants' notes are realtime, so every plan meets negotiate.
let hub: RealtimeHub;
beforeAll(async () => {
  hub = await startRealtimeHub({ hub: REALTIME_HUB });
});
afterAll(async () => hub?.close());
let runs = 0;
let now = Date.parse('2026-03-02T10:00:00.000Z');

/** The step as sent, for a failure's script. */
const described = (s: Step) =>
  s.kind === 'move'
    ? `move t${s.tenant} to p${s.plan}`
    : `t${s.tenant} ${s.door.op}${'via' in s.door ? ` via ${s.door.via}` : ''}`;

/** One door's request through the run's app. */
function send(api: PlansRuntime, t: number, door: FeatureDoor): Promise<Reply> {
  if (door.op === 'tools/list') return api.mcpMessage(t, 0, 'tools/list');
  if (door.op === 'negotiate') return api.negotiate(t, 0);
  if (door.op === 'search') return api.search('own', t, 0, door.via);
  if (door.op === 'list') return api.list('own', t, 0, door.via);
  return api.create('own', t, 0, api.nextId('own'), 4, door.via);
}

/** What differs between the reply and the model's answer (undefined: none). */
function difference(reply: Reply, expected: FeatureAnswer): string | undefined {
  const body = reply.body as Record<string, unknown> | undefined;
  const got = `${reply.status} ${problemCode(reply) ?? ''} ${reply.text.slice(0, 300)}`;
  switch (expected.kind) {
    case 'served': {
      if (reply.status !== expected.status) return `expected ${expected.status}, got ${got}`;
      if (expected.searchListed === undefined) return undefined;
      const tools = ((body?.result as { tools?: { name: string }[] } | undefined)?.tools ?? []).map(
        (t) => t.name,
      );
      const listed = tools.includes(crudToolName('Note', 'search'));
      return listed === expected.searchListed
        ? undefined
        : `expected the search tool ${expected.searchListed ? '' : 'not '}listed, got [${tools.join(', ')}]`;
    }
    case 'feature-not-in-plan':
      return reply.status === 402 &&
        problemCode(reply) === 'feature-not-in-plan' &&
        body?.feature === expected.feature &&
        JSON.stringify(body.plans) === JSON.stringify(expected.plans)
        ? undefined
        : `expected 402 feature-not-in-plan ${expected.feature} [${expected.plans.join(', ')}], got ${got}`;
    case 'access-denied':
      return reply.status === 403 && problemCode(reply) === 'access-denied'
        ? undefined
        : `expected 403 access-denied, got ${got}`;
    case 'unlisted':
      return reply.status === 200 && (body?.error as { code?: number } | undefined)?.code === -32602
        ? undefined
        : `expected the unknown tool's protocol error, got ${got}`;
  }
}

async function runModel(plans: readonly Plan[], steps: readonly Step[]): Promise<void> {
  const run = ++runs;
  const api = await plansRuntime(
    containers(),
    run,
    plans as readonly ModelPlan[],
    undefined,
    () => now,
    ACCESS,
    hub,
  );
  // The runtime's plans as the registry holds them: the run's three and the home directory's default.
  const registry: Record<string, Plan> = {
    ...Object.fromEntries(plans.map((p, i) => [api.planNames[i]!, p])),
    [`r${String(run).padStart(4, '0')}-open`]: {},
  };
  const on = plans.map((_, i) => i);
  const script: string[] = [];
  for (const step of steps) {
    script.push(described(step));
    if (step.kind === 'move') {
      on[step.tenant] = step.plan;
      await containers().registry.items.upsert({
        id: api.tenants[step.tenant],
        plan: api.planNames[step.plan],
        status: 'active',
        createdOn: '2026-01-01T00:00:00.000Z',
        updatedOn: '2026-01-01T00:00:00.000Z',
      });
      // Past the registry's 30 s bound: every instance reads the new plan (DESIGN §2).
      now += 31_000;
      continue;
    }
    const plan = registry[api.planNames[on[step.tenant]!]!];
    const expected = featureAnswer(step.door, plan, registry, 'reports');
    const reply = await send(api, step.tenant, step.door);
    const wrong = difference(reply, expected);
    if (wrong)
      throw new Error(
        `${wrong}\nplans: ${JSON.stringify(plans)}\nscript:\n  ${script.join('\n  ')}`,
      );
  }
}

describe('plan features through every door (model)', () => {
  it(`random plans and steps answer as the model says (seed ${SEED}, ${RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(runArb, ({ plans, steps }) => runModel(plans, steps)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it('no plan lists features: every door as before (search, MCP, the rule on reports)', async () => {
    const doors: FeatureDoor[] = [
      { op: 'tools/list' },
      { op: 'search', via: 'rest' },
      { op: 'search', via: 'mcp' },
      { op: 'search', via: 'data' },
      { op: 'create', via: 'rest' },
      { op: 'create', via: 'mcp' },
      { op: 'create', via: 'data' },
      { op: 'negotiate' },
    ];
    await runModel(
      [{}, {}, {}],
      doors.map((door) => ({ kind: 'door', tenant: 0, door })),
    );
  });

  it('a downgrade closes the doors at once on the next read of the registry; an upgrade opens them', async () => {
    await runModel(
      [
        { features: ['search', 'mcp', 'reports', 'realtime'] },
        { features: [] },
        { features: ['mcp'] },
      ],
      [
        { kind: 'door', tenant: 0, door: { op: 'negotiate' } },
        { kind: 'door', tenant: 0, door: { op: 'search', via: 'mcp' } },
        { kind: 'door', tenant: 0, door: { op: 'create', via: 'data' } },
        { kind: 'move', tenant: 0, plan: 2 },
        { kind: 'door', tenant: 0, door: { op: 'negotiate' } }, // 402 realtime, naming the first plan
        { kind: 'door', tenant: 0, door: { op: 'tools/list' } },
        { kind: 'door', tenant: 0, door: { op: 'search', via: 'mcp' } },
        { kind: 'door', tenant: 0, door: { op: 'search', via: 'data' } },
        { kind: 'door', tenant: 0, door: { op: 'create', via: 'mcp' } },
        { kind: 'move', tenant: 0, plan: 1 },
        { kind: 'door', tenant: 0, door: { op: 'list', via: 'mcp' } },
        { kind: 'door', tenant: 0, door: { op: 'create', via: 'rest' } },
        { kind: 'move', tenant: 0, plan: 0 },
        { kind: 'door', tenant: 0, door: { op: 'create', via: 'rest' } },
        { kind: 'door', tenant: 0, door: { op: 'negotiate' } },
      ],
    );
  });
});
