/**
 * Search and aggregate requests of the model-based test: `POST api/<route>/search` (every page, following its
 * tokens) and `GET api/<route>?$apply=groupby(…)`, through REST, MCP (`<entity>_search`, `<entity>_aggregate`) or
 * `dataOf` (`search()`, `groupBy()`), each compared with search-reference.ts. A search's answer must be the
 * reference's ranking exactly — every item visible to the caller, none missing, best first, ties by id, no page
 * repeating or skipping an item — each item's `score` its rank's (1 / (60 + rank); the similarity in vector mode),
 * and each item without its vector unless the body's `select` names it. A body or `$apply` the CrudApi cannot
 * serve is a 400 problem, never a 5xx.
 */
import fc from 'fast-check';
import { searchFunctionName } from '../../src/contract/search.js';
import type { Reply } from '../runtime/support/http.js';
import { type ModelBackend, type ModelEntity, type Principal, SEARCHED } from './backend.js';
import type { Door, DoorCall } from './doors.js';
import { searchPages } from './doors.js';
import type { Expected, ModelState } from './reference-model.js';
import {
  type AggregateAsked,
  expectedAggregate,
  expectedSearch,
  visibleStored,
} from './search-reference.js';

/** A search body the CrudApi cannot serve, and the problem it must be answered with. */
export const SEARCH_FAULTS = {
  /** Text with no word in it. */
  'no-words': { body: { text: ' ?! ' }, problem: 'invalid-search' },
  /** A page size out of range. */
  'first-0': { body: { first: 0 }, problem: 'invalid-search' },
  /** A vector of the wrong dimension count. */
  dimensions: { body: { vector: [1, 0, 0] }, problem: 'invalid-search' },
  /** A field no search body has (REST and dataOf only: an MCP tool refuses an unknown argument itself). */
  unknown: { body: { sort: 'name' }, problem: 'invalid-search' },
  /** A vector search without a vector, where the CrudApi embeds no query text. */
  'vector-from-text': { body: { mode: 'vector' }, problem: 'invalid-search' },
  /** A token no page of this search gave. */
  token: { body: { after: 's1.3.0000000000000000' }, problem: 'invalid-continuation-token' },
  /** A `select` naming a field the schema does not declare (REST and dataOf only: the tool's enum refuses it). */
  'select-unknown': { body: { select: ['nope'] }, problem: 'invalid-search' },
} as const;
export type SearchFault = keyof typeof SEARCH_FAULTS;

/** An `$apply` the route refuses besides unknown fields and methods (REST only: the others build it). */
export type ApplyFault = 'syntax' | 'with-first';

/** The request kinds of this file, part of `RequestSpec` (arbitraries.ts). */
export type SearchSpec =
  | {
      kind: 'search';
      p: number;
      e: number;
      text: string;
      mode: 'text' | 'vector' | 'hybrid';
      first: number;
      fault: SearchFault | undefined;
      door?: Door;
      /** The fields each item carries (a list's `$select`); absent: all but the vector. */
      select?: readonly string[] | undefined;
    }
  | {
      kind: 'aggregate';
      p: number;
      e: number;
      fields: string[];
      aggregates: AggregateAsked[];
      fault: ApplyFault | undefined;
      door?: Door;
    };

/**
 * Vectors the search runs' creates store (`embedding`, two numbers, cosine): near and far from the query's
 * `[0.6, 0.8]`, two alike (a tie), an opposite one and a zero vector (unranked by cosine).
 */
export const SEARCH_VECTORS: readonly (readonly number[])[] = [
  [0.6, 0.8],
  [1, 0],
  [0, 1],
  [0.8, 0.6],
  [-0.6, -0.8],
  [0, 0],
  [3, 4],
];
/** What a search's `select` asks for: a field, the vector, both, the partition-less id alone. */
const SELECTS: readonly (readonly string[])[] = [
  ['name'],
  [SEARCHED.vector],
  ['name', SEARCHED.vector],
  ['status'],
];

/** Names of the items the search runs create (`name` is the searched field): words that repeat, and none. */
export const SEARCH_NAMES = ['x', 'y', 'x y', 'y x x', 'z z'] as const;
/** What a search asks for: words the names hold (in any case), `old` (every legacy item's), and a word none has. */
const TEXTS = ['x', 'y', 'z', 'X y', 'old', 'x q', 'q'] as const;
/** Fields a `groupby` names: the schema's scalars, the partition keys, fields no schema declares, a vector. */
const GROUP_FIELDS = ['status', 'name', 'region', 'e0Id', 'id', 'ownerId', 'tenantId', 'embedding'];
const AGGREGATES: readonly AggregateAsked[] = [
  { as: 'count', with: 'count' },
  { as: 'top', with: 'max', field: 'name' },
  { as: 'low', with: 'min', field: 'id' },
  // A sum of a string field: 400 not-numeric.
  { as: 'total', with: 'sum', field: 'name' },
];

const principal = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1) },
  { weight: 2, arbitrary: fc.constantFrom(2, 3, 4, 5) },
);
const door = fc.constantFrom<Door>('rest', 'rest', 'mcp', 'data');

/** Searches: mostly text, some hybrid (text and a vector), few vector; one in eight a body the route refuses. */
export const searchArbitrary: fc.Arbitrary<SearchSpec> = fc.record({
  kind: fc.constant('search' as const),
  door,
  p: principal,
  e: fc.nat({ max: 5 }),
  text: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('x', 'y', 'X y') },
    { weight: 1, arbitrary: fc.constantFrom(...TEXTS) },
  ),
  mode: fc.constantFrom('text', 'text', 'text', 'hybrid', 'hybrid', 'vector'),
  first: fc.integer({ min: 1, max: 3 }),
  fault: fc.oneof(
    { weight: 7, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(...(Object.keys(SEARCH_FAULTS) as SearchFault[])) },
  ),
  select: fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom(...SELECTS) },
  ),
});

/** Aggregates: one or two group fields (any of the pool), some aggregates; a few `$apply`s the route refuses. */
export const aggregateArbitrary: fc.Arbitrary<SearchSpec> = fc.record({
  kind: fc.constant('aggregate' as const),
  door,
  p: principal,
  e: fc.nat({ max: 5 }),
  fields: fc.oneof(
    { weight: 6, arbitrary: fc.subarray(GROUP_FIELDS.slice(0, 5), { minLength: 1, maxLength: 2 }) },
    { weight: 2, arbitrary: fc.subarray(GROUP_FIELDS, { minLength: 1, maxLength: 2 }) },
    { weight: 1, arbitrary: fc.constant<string[]>([]) },
  ),
  aggregates: fc.oneof(
    { weight: 6, arbitrary: fc.subarray(AGGREGATES.slice(0, 3) as AggregateAsked[]) },
    { weight: 1, arbitrary: fc.subarray(AGGREGATES as AggregateAsked[], { minLength: 1 }) },
  ),
  fault: fc.oneof(
    { weight: 10, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom<ApplyFault>('syntax', 'with-first') },
  ),
});

/** The `$apply` text of a request (the REST door's; the others build theirs from the same parts). */
export function applyText(
  fields: readonly string[],
  aggregates: readonly AggregateAsked[],
): string {
  const parts = aggregates.map((a) =>
    a.with === 'count' ? `$count as ${a.as}` : `${a.field ?? ''} with ${a.with} as ${a.as}`,
  );
  return `groupby((${fields.join(',')})${parts.length ? `, aggregate(${parts.join(', ')})` : ''})`;
}

/** The scalar fields of an entity's schema a `groupby`, `min` or `max` may name. */
function scalarFields(e: ModelEntity): string[] {
  return ['id', ...e.fields, SEARCHED.text, 'status', ...(e.key === 'region' ? ['region'] : [])];
}

/** What one search or aggregate request needs of its command (commands.ts). */
export interface SearchContext {
  readonly b: ModelBackend;
  readonly state: ModelState;
  /** The vectors the run's creates stored, by the model's item key (commands.ts `ModelSide.vectors`). */
  readonly vectors: ReadonlyMap<string, readonly number[]>;
  /** The caller as the model answers it (in a membership run: in the organization). */
  readonly p: Principal;
  readonly ei: number;
  readonly e: ModelEntity;
  /** The REST request as the caller's token sends it. */
  readonly callAs: (
    name: string,
    method: string,
    path: string,
    opts: { body?: unknown; query?: Record<string, string> },
  ) => Promise<Reply>;
  /** The request through its door (REST when `door` is REST). */
  readonly through: (
    door: Door | undefined,
    call: DoorCall,
    rest: () => Promise<Reply>,
  ) => Promise<Reply>;
}

const problem = (status: number, type: string): Expected => ({ status, problem: type });

/** How many ranked items and groups the valid answers held (ATAKORA_MODEL_STATS: is anything found at all?). */
export const FOUND = new Map<string, number>();
const found = (key: string, n: number) =>
  FOUND.set(
    `${key} ${n === 0 ? 'empty' : n === 1 ? 'one' : 'several'}`,
    (FOUND.get(`${key} ${n === 0 ? 'empty' : n === 1 ? 'one' : 'several'}`) ?? 0) + 1,
  );

/**
 * Run one search or aggregate on both sides: the expected answer and the real one, made comparable (a search's
 * items checked for their scores, then each run of equal rank and id put in one order on both sides).
 */
export async function runSearchSpec(
  s: SearchSpec,
  c: SearchContext,
): Promise<{ expected: Expected; actual: Reply; described: string; failure?: string }> {
  return s.kind === 'search' ? runSearch(s, c) : runAggregate(s, c);
}

async function runSearch(
  s: Extract<SearchSpec, { kind: 'search' }>,
  c: SearchContext,
): Promise<{ expected: Expected; actual: Reply; described: string; failure?: string }> {
  const { e } = c;
  const query = [0.6, 0.8];
  const base: Record<string, unknown> = {
    first: s.first,
    ...(s.mode === 'vector' ? {} : { text: s.text }),
    ...(s.mode === 'text' ? {} : { vector: query }),
    ...(s.mode === 'vector' ? { mode: 'vector' } : {}),
    ...(s.select ? { select: s.select } : {}),
  };
  const fault = s.fault ? SEARCH_FAULTS[s.fault] : undefined;
  const body = fault ? { ...base, ...fault.body } : base;
  if (s.fault === 'vector-from-text') {
    delete body.vector;
    body.text = s.text;
  }
  // An MCP tool refuses an argument it does not take (or a field its enum does not hold) before the route sees it:
  // those faults go through REST.
  const door =
    (s.fault === 'unknown' || s.fault === 'select-unknown') && s.door === 'mcp' ? 'rest' : s.door;
  const described = `${c.p.name} POST ${e.route}/search ${JSON.stringify(body)}${door && door !== 'rest' ? ` via ${door}` : ''}`;
  const actual = await c.through(door, { op: 'search', body }, () =>
    searchPages((after) =>
      c.callAs(searchFunctionName(e.componentId), 'POST', `${e.route}/search`, {
        body: { ...body, ...(after ? { after } : {}) },
      }),
    ),
  );
  const visible = visibleStored(c.b, c.state, c.p, c.ei);
  if (!Array.isArray(visible)) return { expected: visible, actual, described };
  if (fault) return { expected: problem(400, fault.problem), actual, described };
  const ranked = expectedSearch(
    c.b,
    c.state,
    c.p,
    c.ei,
    { mode: s.mode, text: s.text, vector: query, ...(s.select ? { select: s.select } : {}) },
    c.vectors,
  );
  if (!('items' in ranked) || actual.status !== 200)
    return { expected: 'items' in ranked ? { status: 200 } : ranked, actual, described };
  // Every item's score is its rank's, across pages (text and hybrid: 1 / (60 + rank)); in vector mode the
  // similarity (the reference computes it as the dev layer does; the last bits may differ).
  const got = actual.body.items as Record<string, unknown>[];
  const want = (i: number) => (s.mode === 'vector' ? (ranked.scores?.[i] ?? NaN) : 1 / (61 + i));
  const wrong = got.findIndex((item, i) =>
    s.mode === 'vector'
      ? !(typeof item.score === 'number' && Math.abs(item.score - want(i)) < 1e-9)
      : item.score !== want(i),
  );
  if (wrong >= 0 && got.length === ranked.items.length)
    return {
      expected: { status: 200 },
      actual,
      described,
      failure: `item ${String(wrong)} has score ${String(got[wrong]?.score)}, its rank's is ${String(want(wrong))}`,
    };
  const items = got.map(({ score: _score, ...item }) => item);
  found(`search ${s.mode} items`, ranked.items.length);
  // Items of one rank and id (one id in two partitions) in one order on both sides: Cosmos DB's is its own.
  const canon = (list: readonly unknown[]) => {
    const out = [...list];
    for (let i = 0; i < out.length; ) {
      let j = i + 1;
      while (j < out.length && ranked.ties[j] === ranked.ties[i]) j++;
      const run = out.slice(i, j).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      out.splice(i, j - i, ...run);
      i = j;
    }
    return out;
  };
  const body200 = { items: canon(items) };
  return {
    expected: { status: 200, body: { items: canon(ranked.items) } },
    actual: { ...actual, body: body200, text: JSON.stringify(body200) },
    described,
  };
}

async function runAggregate(
  s: Extract<SearchSpec, { kind: 'aggregate' }>,
  c: SearchContext,
): Promise<{ expected: Expected; actual: Reply; described: string }> {
  const { e } = c;
  const apply =
    s.fault === 'syntax' ? `groupby(${s.fields.join(',')})` : applyText(s.fields, s.aggregates);
  const query: Record<string, string> = {
    $apply: apply,
    ...(s.fault === 'with-first' ? { $first: '10' } : {}),
  };
  // Only the REST route takes any text: the tool and groupBy() build a well-formed `$apply` of their arguments.
  const door = s.fault || s.fields.length === 0 ? 'rest' : s.door;
  const described = `${c.p.name} GET ${e.route} ${JSON.stringify(query)}${door && door !== 'rest' ? ` via ${door}` : ''}`;
  const actual = await c.through(
    door,
    { op: 'aggregate', fields: s.fields, aggregates: s.aggregates },
    () => c.callAs(`${e.componentId}-collection`, 'GET', e.route, { query }),
  );
  const visible = visibleStored(c.b, c.state, c.p, c.ei);
  if (!Array.isArray(visible)) return { expected: visible, actual, described };
  const scalars = scalarFields(e);
  const valid =
    !s.fault &&
    s.fields.length > 0 &&
    s.fields.every((f) => scalars.includes(f)) &&
    s.aggregates.every(
      (a) => a.with !== 'sum' && (a.field === undefined || scalars.includes(a.field)),
    );
  if (!valid) return { expected: problem(400, 'invalid-query'), actual, described };
  const expected = expectedAggregate(c.b, c.state, c.p, c.ei, s.fields, s.aggregates);
  found('aggregate groups', (expected.body as { items: unknown[] }).items.length);
  return { expected, actual, described };
}
