import type { FieldRef, OrderByTerm } from './ast.js';
import {
  QUERY_LIMITS,
  QueryFailure,
  type QueryIssue,
  type QueryParameter,
  type QueryResult,
  tooLong,
} from './issues.js';
import { fieldSpec, unknownField, type QuerySchema } from './schema-fields.js';
import { tokenize, type Token } from './tokens.js';
import { at } from '../../model/at.js';

function fail(
  parameter: QueryParameter,
  t: Token,
  message: string,
  code: QueryIssue['code'] = 'syntax',
): never {
  throw new QueryFailure({ code, parameter, position: t.pos, message });
}

/** `a, b, c` where each item starts with a field name; `more` reads what may follow the name. */
function commaList<T>(
  text: string,
  parameter: QueryParameter,
  max: number,
  item: (field: FieldRef, tokens: Token[], i: number) => { value: T; next: number },
): QueryResult<T[]> {
  const long = tooLong(parameter, text);
  if (long) return long;
  try {
    const tokens = tokenize(text, parameter);
    const out: T[] = [];
    let i = 0;
    for (;;) {
      const t = at(tokens, i);
      if (t.type !== 'word')
        fail(
          parameter,
          t,
          `Expected a field name but found ${t.type === 'end' ? 'the end' : `"${t.type === 'string' || t.type === 'number' ? String(t.value) : t.type}"`}.`,
        );
      if (out.length === max)
        fail(parameter, t, `${parameter} takes at most ${max} fields.`, 'too-many');
      const r = item({ name: t.text, pos: t.pos }, tokens, i + 1);
      out.push(r.value);
      i = r.next;
      const sep = at(tokens, i);
      if (sep.type === 'end') return { ok: true, value: out };
      if (sep.type !== ',') fail(parameter, sep, 'Expected "," or the end.');
      i++;
    }
  } catch (e) {
    if (e instanceof QueryFailure) return { ok: false, issues: [e.issue] };
    throw e;
  }
}

/**
 * Parse `$orderby`: comma-separated fields, each optionally followed by `asc` (default) or `desc`; at most
 * {@link QUERY_LIMITS}.maxOrderBy terms. Fields are checked against the schema here; whether the sort is
 * declared (`sortable`) is {@link checkSortable}'s question.
 *
 * @example
 * ```ts
 * parseOrderBy('category, price desc', schema);
 * // { ok: true, value: [{ field: { name: 'category', pos: 0 }, direction: 'asc' }, { field: { name: 'price', pos: 10 }, direction: 'desc' }] }
 * ```
 */
export function parseOrderBy(text: string, schema: QuerySchema): QueryResult<OrderByTerm[]> {
  const P = '$orderby';
  const parsed = commaList<OrderByTerm>(text, P, QUERY_LIMITS.maxOrderBy, (field, tokens, i) => {
    const t = at(tokens, i);
    if (t.type === 'word' && (t.text === 'asc' || t.text === 'desc'))
      return { value: { field, direction: t.text }, next: i + 1 };
    if (t.type === 'word')
      fail(P, t, `Expected "asc", "desc", "," or the end after "${field.name}".`);
    return { value: { field, direction: 'asc' }, next: i };
  });
  if (!parsed.ok) return parsed;
  const issues: QueryIssue[] = [];
  const seen = new Set<string>();
  for (const term of parsed.value) {
    const spec = fieldSpec(schema, term.field.name);
    if (!spec) issues.push(unknownField(schema, term.field, P));
    else if (seen.has(term.field.name))
      issues.push({
        code: 'syntax',
        parameter: P,
        position: term.field.pos,
        field: term.field.name,
        message: `"${term.field.name}" is listed twice.`,
      });
    seen.add(term.field.name);
  }
  return issues.length ? { ok: false, issues } : parsed;
}

/**
 * Parse `$select`: comma-separated field names of the schema (duplicates are dropped). The response always
 * carries `id` (and the partition key field, which addresses the item) besides the fields named.
 *
 * @example
 * ```ts
 * parseSelect('name, price', schema); // { ok: true, value: ['name', 'price'] }
 * ```
 */
export function parseSelect(text: string, schema: QuerySchema): QueryResult<string[]> {
  const P = '$select';
  const max = Object.keys(schema).length + 1;
  const parsed = commaList<FieldRef>(text, P, max * 2, (field, _tokens, i) => ({
    value: field,
    next: i,
  }));
  if (!parsed.ok) return parsed;
  const issues = parsed.value
    .filter((f) => !fieldSpec(schema, f.name))
    .map((f) => unknownField(schema, f, P));
  return issues.length
    ? { ok: false, issues }
    : { ok: true, value: [...new Set(parsed.value.map((f) => f.name))] };
}
