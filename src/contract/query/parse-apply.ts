import type { FieldRef } from './ast.js';
import {
  QUERY_LIMITS,
  tooLong,
  QueryFailure,
  type QueryIssue,
  type QueryResult,
} from './issues.js';
import { FILTERABLE, fieldSpec, unknownField, type QuerySchema } from './schema-fields.js';
import { tokenize, type Token } from './tokens.js';
import { at } from '../../model/at.js';

/** What an aggregate computes over a group's items (OData Data Aggregation's `with` methods, that subset). */
export type AggregateMethod = 'sum' | 'min' | 'max' | 'average';

/**
 * One aggregate of `$apply`: `$count as alias`, or `field with method as alias`.
 *
 * @example
 * ```ts
 * const a: ApplyAggregate = { kind: 'sum', field: { name: 'points', pos: 30 }, alias: 'total' };
 * ```
 */
export type ApplyAggregate =
  | { readonly kind: 'count'; readonly alias: string }
  | { readonly kind: AggregateMethod; readonly field: FieldRef; readonly alias: string };

/**
 * A parsed and checked `$apply=groupby((f1,f2), aggregate(…))`: the fields a group is keyed by and what each group
 * answers besides them. Without `aggregate`, the distinct combinations of the fields.
 *
 * @example
 * ```ts
 * const q: ApplyQuery = { groupBy: [{ name: 'status', pos: 9 }], aggregates: [{ kind: 'count', alias: 'count' }] };
 * ```
 */
export interface ApplyQuery {
  readonly groupBy: readonly FieldRef[];
  readonly aggregates: readonly ApplyAggregate[];
}

const METHODS: readonly string[] = ['sum', 'min', 'max', 'average'];
const NUMERIC: readonly string[] = ['number', 'integer'];
const P = '$apply';

function fail(t: Token, message: string, code: QueryIssue['code'] = 'syntax'): never {
  throw new QueryFailure({ code, parameter: P, position: t.pos, message });
}

const shown = (t: Token): string =>
  t.type === 'end'
    ? 'the end'
    : `"${t.type === 'word' ? t.text : t.type === 'string' || t.type === 'number' ? String(t.value) : t.type}"`;

/** A cursor over the tokens: what the grammar expects next, or a syntax issue at the token that is not it. */
class Cursor {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}
  peek(): Token {
    return at(this.tokens, this.i);
  }
  next(): Token {
    return at(this.tokens, this.i++);
  }
  punct(type: '(' | ')' | ',', hint = ''): Token {
    const t = this.next();
    if (t.type !== type) fail(t, `Expected "${type}" but found ${shown(t)}.${hint}`);
    return t;
  }
  word(what: string, only?: string): Extract<Token, { type: 'word' }> {
    const t = this.next();
    if (t.type !== 'word' || (only !== undefined && t.text !== only))
      fail(t, `Expected ${what} but found ${shown(t)}.`);
    return t;
  }
}

function groupFields(c: Cursor, schema: QuerySchema): FieldRef[] {
  c.punct('(', ' groupby takes its fields in parentheses of their own: groupby((status)).');
  const fields: FieldRef[] = [];
  for (;;) {
    const t = c.word('a field name');
    if (fields.length === QUERY_LIMITS.maxGroupBy)
      fail(t, `groupby takes at most ${String(QUERY_LIMITS.maxGroupBy)} fields.`, 'too-many');
    const spec = fieldSpec(schema, t.text);
    const ref = { name: t.text, pos: t.pos };
    if (!spec) throw new QueryFailure(unknownField(schema, ref, P));
    if (!FILTERABLE.includes(spec.type))
      fail(
        t,
        `"${t.text}" is an ${spec.type} field: group by scalar fields only.`,
        'not-groupable',
      );
    if (fields.some((f) => f.name === t.text)) fail(t, `"${t.text}" is listed twice in groupby.`);
    fields.push(ref);
    if (c.peek().type !== ',') break;
    c.next();
  }
  c.punct(')');
  return fields;
}

function aggregate(c: Cursor, schema: QuerySchema): ApplyAggregate {
  const t = c.word('$count or a field name');
  if (t.text === '$count') {
    c.word('"as"', 'as');
    return { kind: 'count', alias: alias(c) };
  }
  if (t.text.startsWith('$')) fail(t, `Unknown "${t.text}": the only virtual property is $count.`);
  const spec = fieldSpec(schema, t.text);
  const field = { name: t.text, pos: t.pos };
  if (!spec) throw new QueryFailure(unknownField(schema, field, P));
  c.word('"with"', 'with');
  const m = c.word('sum, min, max or average');
  if (!METHODS.includes(m.text))
    fail(m, `Unknown aggregation method "${m.text}": use sum, min, max or average.`);
  const kind = m.text as AggregateMethod;
  if ((kind === 'sum' || kind === 'average') && !NUMERIC.includes(spec.type))
    fail(t, `${kind} takes a number or integer field; "${t.text}" is ${spec.type}.`, 'not-numeric');
  if (!FILTERABLE.includes(spec.type))
    fail(t, `${kind} takes a scalar field; "${t.text}" is ${spec.type}.`, 'not-filterable');
  c.word('"as"', 'as');
  return { kind, field, alias: alias(c) };
}

function alias(c: Cursor): string {
  const t = c.word('an alias (a name for the answer)');
  if (t.text.startsWith('$')) fail(t, `An alias is a plain name, not "${t.text}".`);
  return t.text;
}

/**
 * Parse and check `$apply` against the entity's schema: `groupby((f1,f2))` or `groupby((f1,f2), aggregate($count as
 * count, n with sum as total, …))` — the subset of OData Data Aggregation (v4.0, §3.1 aggregate, §3.10 groupby) the
 * runtime compiles to one Cosmos DB `GROUP BY` query. Group fields are scalar schema fields; `sum` and `average` take
 * number or integer fields; aliases are plain names, each once and none a group field's.
 *
 * @example
 * ```ts
 * const r = parseApply('groupby((status), aggregate($count as count, points with sum as points))', schema);
 * if (!r.ok) console.log(r.issues[0]?.code); // e.g. 'unknown-field'
 * ```
 */
export function parseApply(text: string, schema: QuerySchema): QueryResult<ApplyQuery> {
  const long = tooLong(P, text);
  if (long) return long;
  try {
    const c = new Cursor(tokenize(text, P));
    const head = c.next();
    if (head.type !== 'word' || head.text !== 'groupby')
      fail(head, 'Expected groupby((fields)[, aggregate(…)]): the only transformation served.');
    c.punct('(');
    const groupBy = groupFields(c, schema);
    const aggregates: ApplyAggregate[] = [];
    if (c.peek().type === ',') {
      c.next();
      c.word('aggregate(…)', 'aggregate');
      c.punct('(');
      for (;;) {
        const start = c.peek();
        if (aggregates.length === QUERY_LIMITS.maxAggregates)
          fail(
            start,
            `aggregate takes at most ${String(QUERY_LIMITS.maxAggregates)} aggregates.`,
            'too-many',
          );
        const a = aggregate(c, schema);
        const taken =
          groupBy.some((f) => f.name === a.alias) || aggregates.some((b) => b.alias === a.alias);
        if (taken)
          fail(start, `The name "${a.alias}" is used twice in the answer.`, 'duplicate-alias');
        aggregates.push(a);
        if (c.peek().type !== ',') break;
        c.next();
      }
      c.punct(')');
    }
    c.punct(')');
    const end = c.next();
    if (end.type !== 'end') fail(end, `Unexpected ${shown(end)} after groupby(…).`);
    return { ok: true, value: { groupBy, aggregates } };
  } catch (e) {
    if (e instanceof QueryFailure) return { ok: false, issues: [e.issue] };
    throw e;
  }
}
