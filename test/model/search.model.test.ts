/**
 * Search and aggregates in the model-based test (test/model/README.md, "Search and aggregates"): random backends
 * (every CrudApi declares full-text search over `name` and a vector field) and random writes of several principals
 * of several directories, interleaved with searches and `$apply` aggregates through REST, MCP and dataOf, each
 * compared with search-reference.ts over the model's state; the final data compared too.
 *
 * `ATAKORA_MODEL_RUNS`, `ATAKORA_MODEL_SEED`, `ATAKORA_MODEL_COMMANDS` and `ATAKORA_MODEL_STATS` as for
 * data-plane.model.test.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { backendArbitrary, backendOf, type RequestSpec, requestArbitrary } from './arbitraries.js';
import { describeBackend, type ModelBackend, SEARCHED } from './backend.js';
import { type ModelSide, RequestCommand, STATS } from './commands.js';
import { EMPTY, finalData } from './reference-model.js';
import { realData } from './real-readback.js';
import { manifestOf, planOf, type RealApp, serve } from './real-app.js';
import {
  aggregateArbitrary,
  FOUND,
  SEARCH_NAMES,
  SEARCH_VECTORS,
  searchArbitrary,
} from './search-commands.js';
import { deadline } from '../support/patience.js';
import { MODEL_RUNS } from './budget.js';

// The models' budget (budget.ts: 12 backends of seed 59, the first 12 of the 30 it ran before); more by ATAKORA_MODEL_RUNS.
const RUNS = Number(process.env.ATAKORA_MODEL_RUNS ?? MODEL_RUNS);
const SEED = Number(process.env.ATAKORA_MODEL_SEED ?? 59);
const COMMANDS = Number(process.env.ATAKORA_MODEL_COMMANDS ?? 25);

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos({ plain: true });
});
afterAll(async () => {
  if (process.env.ATAKORA_MODEL_STATS)
    console.log(
      [...STATS, ...FOUND]
        .filter(([k]) => /^(search|aggregate)/.test(k))
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
  await cosmos?.stop();
});

/**
 * Writes whose names are words a search finds (several to a name, so BM25 ranks by more than presence): creates
 * most (plain ones: an attack or a bad reference finds nothing to search), then changes, deletes and old data.
 */
const creates: fc.Arbitrary<RequestSpec> = fc
  .tuple(
    requestArbitrary.filter((r) => r.kind === 'create'),
    fc.constantFrom<string | undefined>(undefined, ...SEARCH_NAMES),
    // Half of them with a vector (what a vector or hybrid search ranks, and no answer shows unless selected).
    fc.option(fc.constantFrom(...SEARCH_VECTORS), { freq: 2 }),
  )
  .map(
    ([r, name, vector]) =>
      ({
        ...r,
        name,
        attack: undefined,
        refs: [],
        ...(vector ? { vector } : {}),
      }) as RequestSpec,
  );
const writes: fc.Arbitrary<RequestSpec> = fc.oneof(
  { weight: 4, arbitrary: creates },
  {
    weight: 2,
    arbitrary: requestArbitrary.filter((r) => ['patch', 'delete', 'legacy'].includes(r.kind)),
  },
);
/** Writes first and most, searches and aggregates between them. */
const requests: fc.Arbitrary<RequestSpec> = fc.oneof(
  { weight: 5, arbitrary: writes },
  { weight: 3, arbitrary: searchArbitrary },
  { weight: 2, arbitrary: aggregateArbitrary },
);

/** One run without realtime (the data plane's file checks delivery): the commands on both sides, the data compared. */
async function runModel(b: ModelBackend, commands: Iterable<fc.AsyncCommand<ModelSide, RealApp>>) {
  const app = await serve(cosmos, b, manifestOf(b, planOf(b)));
  try {
    const model: ModelSide = {
      backend: b,
      state: EMPTY,
      script: [],
      events: new Map(),
      vectors: new Map(),
    };
    await fc.asyncModelRun(() => ({ model, real: app }), commands);
    // The model's items are strings: the vectors are compared apart, each stored item's as its create sent it.
    const real = await realData(app);
    const withoutVectors = real.map(
      ([e, { [SEARCHED.vector]: _v, ...item }]) => [e, item] as [number, Record<string, unknown>],
    );
    expect(withoutVectors, `final data of\n  ${describeBackend(b)}`).toEqual(
      finalData(model.state),
    );
    const keyed = new Map([...model.state.items.entries()].map(([k, v]) => [v.item, k]));
    const modelVectors = finalData(model.state).map(([, item]) => {
      const k = keyed.get(item);
      return (k === undefined ? undefined : model.vectors?.get(k)) ?? null;
    });
    expect(
      real.map(([, item]) => item[SEARCHED.vector] ?? null),
      'the vectors stored',
    ).toEqual(modelVectors);
  } finally {
    await app.dispose();
  }
}

const script = (...specs: RequestSpec[]) => specs.map((s) => new RequestCommand(s));

describe('search and aggregates agree with the reference model', () => {
  it(
    'random backends: searches and aggregates of several principals between their writes, through every door',
    async () =>
      fc.assert(
        fc.asyncProperty(
          backendArbitrary().map((b) => ({ ...b, realtime: false })),
          // A few items first (a search over nothing finds little), then writes, searches and aggregates mixed.
          fc.array(creates, { minLength: 3, maxLength: 8 }),
          fc.commands([requests.map((s) => new RequestCommand(s))], {
            maxCommands: COMMANDS,
            size: 'max',
          }),
          async (b, first, commands) => runModel(b, [...script(...first), ...commands]),
        ),
        { seed: SEED, numRuns: RUNS },
      ),
    deadline(Math.max(300_000, RUNS * 20_000)),
  );

  it('an owner-only entity: each caller ranks and counts only their own items', async () => {
    const b = backendOf({
      multi: true,
      realtime: false,
      entities: [
        { key: 'tenantId', shared: false, rules: 1 },
        { key: 'id', shared: true, rules: 4 },
      ],
      edges: [],
    });
    const create = (p: number, e: number, id: string, name: string): RequestSpec => ({
      kind: 'create',
      p,
      e,
      id,
      region: undefined,
      name,
      refs: [],
      attack: undefined,
    });
    const search = (
      p: number,
      e: number,
      text: string,
      door: 'rest' | 'mcp' | 'data',
    ): RequestSpec => ({
      kind: 'search',
      p,
      e,
      text,
      mode: 'text',
      first: 1,
      fault: undefined,
      door,
    });
    const count = (p: number, e: number, door: 'rest' | 'mcp' | 'data'): RequestSpec => ({
      kind: 'aggregate',
      p,
      e,
      fields: ['name'],
      aggregates: [{ as: 'count', with: 'count' }],
      fault: undefined,
      door,
    });
    await runModel(
      b,
      script(
        create(0, 0, 'a', 'x y'),
        create(1, 0, 'b', 'x'),
        create(3, 0, 'c', 'x x'),
        create(0, 1, 'a', 'y x x'),
        create(3, 1, 'b', 'x'),
        ...(['rest', 'mcp', 'data'] as const).flatMap((door) => [
          search(0, 0, 'x', door),
          search(3, 1, 'x y', door),
          count(1, 0, door),
          count(4, 1, door),
        ]),
      ),
    );
  });

  it('hybrid: items of one text score rank by id, as in a text search (not by where they are stored)', async () => {
    // A story (the random property at seed 59, 30 runs, did not reach it): before the dev layer ranked each RRF
    // function's ties by id, bob's hybrid search answered c, b, a — the order alice created them in — where the
    // reference (and a text search) gives a, b, c.

    const b = backendOf({
      multi: false,
      realtime: false,
      entities: [
        { key: 'id', shared: false, rules: 0 },
        { key: 'id', shared: false, rules: 0 },
      ],
      edges: [],
    });
    const create = (id: string): RequestSpec => ({
      kind: 'create',
      p: 0,
      e: 0,
      id,
      region: undefined,
      name: 'x',
      refs: [],
      attack: undefined,
    });
    const hybrid = (door: 'rest' | 'mcp' | 'data'): RequestSpec => ({
      kind: 'search',
      p: 1,
      e: 0,
      text: 'x',
      mode: 'hybrid',
      first: 1,
      fault: undefined,
      door,
    });
    await runModel(
      b,
      script(create('c'), create('b'), create('a'), hybrid('rest'), hybrid('mcp'), hybrid('data')),
    );
  });

  it('regression: a hybrid search of two items of one score, the later-created id first', async () => {
    // Seed 7 of the random property (150 runs), failed after 67 runs, shrunk (path
    // 66:1:1:1:0:0:0:0:0:0:0:0:0:0:1:1:1:3:3:2:2:2:2:3:3:4:3:3:3:3:4:5:5:5:5:5:5:5:5:5:5:5:7:6:3:3:4:5:4:4:4:5:4:4:4:4:5):
    // alice's hybrid search for "x" answered b before a (the order they were stored in), where a text search and the
    // reference rank a, of the same score, first.
    const b = backendOf({
      multi: false,
      realtime: false,
      entities: [
        { key: 'region', shared: false, rules: 0 },
        { key: 'id', shared: false, rules: 0 },
      ],
      edges: [],
    });
    const create = (p: number, id: string): RequestSpec => ({
      kind: 'create',
      p,
      e: 0,
      id,
      region: 'eu',
      name: 'y x x',
      refs: [],
      attack: undefined,
    });
    await runModel(
      b,
      script(create(2, 'b'), create(0, 'a'), {
        kind: 'search',
        p: 0,
        e: 0,
        text: 'x',
        mode: 'hybrid',
        first: 1,
        fault: undefined,
        door: 'rest',
      }),
    );
  });

  it('regression: an item created with a vector is answered without it, found by vector, and shown when selected', async () => {
    // Seed 59 of the random property (the first run, once creates sent vectors): ada's create of `b` with
    // `embedding: [0.6, 0.8]` answered the vector back (201 {"id":"b","embedding":[0.6,0.8],…}) where the model — and
    // every answer since — leaves it out; with `select` in the search body the old route answered 400 (no such field).
    const b = backendOf({
      multi: false,
      realtime: false,
      entities: [
        { key: 'id', shared: false, rules: 0 },
        { key: 'id', shared: false, rules: 0 },
      ],
      edges: [],
    });
    const create = (id: string, vector: number[] | undefined, name: string): RequestSpec => ({
      kind: 'create',
      p: 2,
      e: 0,
      id,
      region: undefined,
      name,
      refs: [],
      attack: undefined,
      door: 'rest',
      ...(vector ? { vector } : {}),
    });
    const search = (
      mode: 'text' | 'vector' | 'hybrid',
      door: 'rest' | 'mcp' | 'data',
      select?: string[],
    ): RequestSpec => ({
      kind: 'search',
      p: 2,
      e: 0,
      text: 'y',
      mode,
      first: 2,
      fault: undefined,
      door,
      ...(select ? { select } : {}),
    });
    await runModel(
      b,
      script(
        create('a', [0, 0], 'y'),
        create('b', [0.6, 0.8], 'x'),
        create('c', [1, 0], 'y x'),
        create('d', undefined, 'y'),
        ...(['rest', 'mcp', 'data'] as const).flatMap((door) => [
          search('vector', door),
          search('hybrid', door, ['name', 'embedding']),
          search('text', door, ['embedding']),
        ]),
      ),
    );
  });
});
