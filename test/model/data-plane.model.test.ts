/**
 * THE model-based test of the data plane (test/model/README.md): random backends and random requests of several
 * principals of several directories, run against the reference model (reference-model.ts) and the real runtime on
 * the local Cosmos DB server; every answer and the final data must agree, and the plan must refuse exactly the
 * backends the model refuses.
 *
 * `npm test` runs a fixed seed and a small budget. Longer: `ATAKORA_MODEL_RUNS=500 npx vitest run test/model`
 * (`ATAKORA_MODEL_SEED=<n>` for another seed, `ATAKORA_MODEL_COMMANDS=<n>` for longer sequences,
 * `ATAKORA_MODEL_STATS=1` to print how often each request got each answer).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RealtimeHub, startRealtimeHub } from '../../src/cli/dev/realtime/hub.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { type RecordedSpans, recordSpans, untracedCalls } from '../runtime/support/spans.js';
import { backendArbitrary, backendOf, type RequestSpec, requestArbitrary } from './arbitraries.js';
import { describeBackend, type ModelBackend, PRINCIPALS } from './backend.js';
import { type ModelSide, RequestCommand, STATS } from './commands.js';
import { sortEvents } from './delivery.js';
import { EMPTY, finalData, planErrors } from './reference-model.js';
import { realData } from './real-readback.js';
import { manifestOf, planOf, type RealApp, serve } from './real-app.js';
import { MODEL_RUNS } from './budget.js';
import { deadline } from '../support/patience.js';

const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);
/** The focused properties' share of the budget (their regressions below replay the stories exactly). */
const FOCUSED_RUNS = Math.max(4, Math.round(RUNS / 3));

let cosmos: LocalCosmos;
let hub: RealtimeHub;
let traces: RecordedSpans;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
  hub = await startRealtimeHub({ hub: 'atakora' });
  // Every run is traced, as a deployed app with `monitoring` is (`untracedCalls` checks what it recorded).
  traces = recordSpans();
});
afterAll(async () => {
  if (process.env.ATAKORA_MODEL_STATS)
    console.log(
      [...STATS]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
  await traces?.stop();
  await cosmos?.stop();
  await hub?.close();
});

/** One run: the backend served (from its plan's manifest), the commands run on both sides, the data compared. */
async function runModel(b: ModelBackend, commands: Iterable<fc.AsyncCommand<ModelSide, RealApp>>) {
  const app = await serve(cosmos, b, manifestOf(b, planOf(b)), { hub });
  traces.reset();
  const entered = vi.spyOn(AsyncLocalStorage.prototype, 'run');
  try {
    const model: ModelSide = { backend: b, state: EMPTY, script: [], events: new Map() };
    await fc.asyncModelRun(() => ({ model, real: app }), commands);
    expect(await realData(app), `final data of\n  ${describeBackend(b)}`).toEqual(
      finalData(model.state),
    );
    // Delivery: every principal received exactly the events of the items it may read, as its GET gives them.
    if (b.realtime) {
      const received = await app.events();
      for (const p of PRINCIPALS)
        expect(
          sortEvents(received.get(p.name) ?? []),
          `${p.name}'s events in\n  ${describeBackend(b)}\nthe run's requests:\n  ${model.script.join('\n  ')}`,
        ).toEqual(sortEvents(model.events.get(p.name) ?? []));
    }
    // Traces: every Cosmos DB call the runtime made is its request's child, found without AsyncLocalStorage.
    expect(
      untracedCalls(traces.spans()),
      `Cosmos DB spans outside their request in\n  ${describeBackend(b)}`,
    ).toEqual([]);
    expect(entered, 'AsyncLocalStorage entered by the runtime').not.toHaveBeenCalled();
  } finally {
    entered.mockRestore();
    await app.dispose();
  }
}

/** The property over some backends: random request sequences, every answer and the final data compared. */
async function modelProperty(
  backends: fc.Arbitrary<ModelBackend>,
  runs: number,
  requests: fc.Arbitrary<RequestSpec> = requestArbitrary,
) {
  await fc.assert(
    fc.asyncProperty(
      backends,
      fc.commands([requests.map((s) => new RequestCommand(s))], {
        maxCommands: COMMANDS,
        size: 'max',
      }),
      async (b, commands) => runModel(b, commands),
    ),
    { seed: SEED, numRuns: runs },
  );
}

/** A script of requests with literal targets (a regression case: a shrunk counterexample, replayed). */
const script = (...specs: RequestSpec[]) => specs.map((s) => new RequestCommand(s));
const create = (
  p: number,
  e: number,
  id: string,
  fields: { region?: string; refs?: (string | undefined)[] } = {},
) =>
  ({
    kind: 'create',
    p,
    e,
    id,
    region: fields.region,
    name: undefined,
    refs: fields.refs ?? [],
    attack: undefined,
  }) satisfies RequestSpec;
const remove = (p: number, e: number, id: string, region?: string) =>
  ({ kind: 'delete', p, e, id, region }) satisfies RequestSpec;
const [ALICE, BOB, ADA, EVE, EVAN] = [0, 1, 2, 3, 4];

/**
 * Folders keyed by /region (owner-only) cascading into owner-only documents: the issue's cross-owner story. The
 * plan refuses it (RELATION_PARENT_IDENTITY); the runtime, fed its manifest anyway, still deletes nothing the caller
 * may not.
 */
const REGION_FOLDERS = backendOf({
  multi: false,
  entities: [
    { key: 'region', shared: false, rules: 1 },
    { key: 'id', shared: false, rules: 1 },
  ],
  edges: [{ hasMany: true, cascade: true, belongsTo: true }],
});

/**
 * Posts of each directory (keyed by /tenantId) cascading into curated shared reviews (a role rule, home directory
 * only): the issue's cross-directory story. The plan refuses it (RELATION_TENANCY_MISMATCH).
 */
const SHARED_REVIEWS = backendOf({
  multi: true,
  entities: [
    { key: 'tenantId', shared: false, rules: 0 },
    { key: 'id', shared: true, rules: 3 },
  ],
  edges: [{ hasMany: true, cascade: true, belongsTo: false }],
});

/**
 * Orders that belong to customers, the customers versioned (version 1 stored an `ssn` its migration drops) and
 * holding old data: `$expand` must show each customer as its own GET does.
 */
const OLD_CUSTOMERS = backendOf({
  multi: false,
  entities: [
    { key: 'id', shared: false, rules: 0 },
    { key: 'tenantId', shared: false, rules: 0 },
  ],
  edges: [{ hasMany: false, cascade: false, belongsTo: true }],
  versioned: [true, false],
});

describe('the data plane agrees with the reference model', () => {
  it('the plan refuses exactly the relations the model refuses (random backends)', () => {
    fc.assert(
      fc.property(backendArbitrary(), (b) => {
        const codes = [
          ...new Set(
            planOf(b)
              .issues.filter((i) => i.severity === 'error' && i.code.startsWith('RELATION_'))
              .map((i) => i.code),
          ),
        ].sort();
        expect(codes, describeBackend(b)).toEqual(planErrors(b));
      }),
      { seed: SEED, numRuns: RUNS * 8 },
    );
  });

  it(
    'random backends, random requests of several principals of several directories',
    async () => modelProperty(backendArbitrary(), RUNS),
    deadline(Math.max(300_000, RUNS * 20_000)),
  );

  it(
    'focused: a /region parent’s cascade, two users of one directory',
    async () =>
      modelProperty(
        fc.constant(REGION_FOLDERS),
        FOCUSED_RUNS,
        requestArbitrary.filter((r) => (r.kind === 'create' || r.kind === 'delete') && r.p <= BOB),
      ),
    300_000,
  );

  it(
    'focused: expansions of old data (a versioned parent, items stored by version 1)',
    async () =>
      modelProperty(
        fc.constant(OLD_CUSTOMERS),
        FOCUSED_RUNS,
        fc
          .oneof(
            // Old customers and new ones (E0), orders naming one (E1), read and listed with the expansion.
            requestArbitrary.filter((r) => r.kind === 'legacy').map((r) => ({ ...r, e: 0 })),
            requestArbitrary
              .filter((r) => r.kind === 'create')
              .map((r) => ({ ...r, e: 1, refs: [{ pick: r.p }, undefined] })),
            requestArbitrary
              .filter((r) => r.kind === 'read' || r.kind === 'list')
              .map((r) => ({ ...r, e: 1, expand: [true, true, true] })),
            requestArbitrary.filter((r) => r.kind === 'patch' || r.kind === 'create'),
          )
          .filter((r) => r.p <= BOB),
      ),
    300_000,
  );

  it(
    'focused: a per-tenant parent’s cascade into shared data, several directories',
    async () => modelProperty(fc.constant(SHARED_REVIEWS), FOCUSED_RUNS),
    300_000,
  );
});

describe('regressions: the counterexamples the model found on the runtime before relations held under every rule', () => {
  it('expand of old data: the related item as its own GET gives it (migrated, defaults filled)', async () => {
    // Seed 59 of the focused property "expansions of old data", failed after 2 runs, shrunk 15 times (path
    // 1:3:5:5:3:3:3:3:4:4:4:4:4:5:5:5): the order's $expand=parent0 embedded the customer as version 1 stored it —
    // the `ssn` its migration drops served, the defaulted `status` missing — where its GET gives it migrated.
    await runModel(
      OLD_CUSTOMERS,
      script(
        { kind: 'legacy', p: ALICE, e: 0, id: 'a', region: undefined, refs: [] },
        create(ALICE, 1, 'b', { refs: ['a'] }),
        { kind: 'read', p: ALICE, e: 1, id: 'b', region: undefined, expand: [true, true, true] },
      ),
    );
  });

  it('cross-owner: Alice’s /region folder with Bob’s folder id deletes none of Bob’s documents', async () => {
    // Seed 59 of the focused property (create/delete by Alice and Bob), failed after 10 runs, shrunk 21 times
    // (path 9:4:6:7:8:7:6:6:12:14:14:14:14:15:14:14:14:17:17:17:17:18): the DELETE answered 204 and Bob's
    // owner-only document under Bob's folder "c" (eu) was gone — the cascade followed the id into the other partition.
    expect(planErrors(REGION_FOLDERS)).toEqual(['RELATION_PARENT_IDENTITY']);
    await runModel(
      REGION_FOLDERS,
      script(
        create(BOB, 0, 'c', { region: 'eu' }),
        create(BOB, 1, 'a', { refs: ['c'] }),
        create(ALICE, 0, 'c', { region: 'us' }),
        remove(ALICE, 0, 'c', 'us'), // the model: 403, Bob's document is not Alice's to delete
      ),
    );
  });

  it('cross-directory: a post of another directory with a known id deletes no curated shared review', async () => {
    // Seed 59 of the focused property, failed after 25 runs, shrunk 14 times (path
    // 24:7:7:7:4:4:4:4:6:6:7:6:7:7:7): Eve's DELETE of her own post "a" answered 204 and removed the review Ada
    // (home directory, Admin) curated, which Eve gets 403 deleting directly.
    expect(planErrors(SHARED_REVIEWS)).toEqual(['RELATION_TENANCY_MISMATCH']);
    await runModel(
      SHARED_REVIEWS,
      script(create(EVAN, 0, 'a'), create(ADA, 1, 'a', { refs: ['a'] }), remove(EVE, 0, 'a')),
    );
  });

  it('an empty reference is a 422 naming the field, not a 500', async () => {
    // Seed 59 of the random property (200 runs), failed after 147 runs, shrunk 23 times: POST {"e1Id": ""} → 500.
    const b = backendOf({
      multi: false,
      entities: [
        { key: 'id', shared: false, rules: 0 },
        { key: 'id', shared: false, rules: 0 },
        { key: 'id', shared: false, rules: 0 },
      ],
      edges: [
        { hasMany: false, cascade: false, belongsTo: false },
        { hasMany: false, cascade: false, belongsTo: false },
        { hasMany: false, cascade: false, belongsTo: true },
      ],
    });
    await runModel(
      b,
      script(
        create(ADA, 2, 'a', { refs: [undefined, ''] }),
        create(ADA, 2, 'b', { refs: [undefined, 'x/y'] }),
        create(ADA, 2, 'c', { refs: [undefined, ' a'] }),
        create(ADA, 2, 'c', { refs: [undefined, 'x'.repeat(300)] }),
      ),
    );
  });
});

describe('regressions: realtime delivery', () => {
  it('a child a cascade deleted reaches its readers as its own delete would', async () => {
    // Seed 59 of the focused /region property with the cascade's publishing switched off (the handlers'
    // afterRemoved), shrunk 16 times (path 1:4:16:14:12:10:9:2:5:6:6:7:7:8:7:8:8): Alice heard her folder's delete
    // but not that of her document under it.
    await runModel(
      REGION_FOLDERS,
      script(
        create(ALICE, 0, 'a', { region: 'eu' }),
        create(ALICE, 1, 'a', { refs: ['a'] }),
        remove(ALICE, 0, 'a', 'eu'),
      ),
    );
  });
});
