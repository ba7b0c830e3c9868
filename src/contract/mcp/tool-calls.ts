import { LIST_QUERY_PARAMETERS as Q } from '../paging.js';
import { problemDocument } from '../problems.js';
import { RELATION_PARAMETERS } from '../relations.js';
import { formatApply, type AggregateSpec } from '../query/format-apply.js';
import type { CrudToolAction } from '../../model/mcp-tool-names.js';

/**
 * The REST call a CRUD tool call is: the route it mirrors (`collection` or `item`; a search's is the collection's
 * `search` route, its POST body the search), the method, the id, the query
 * (Data API builder's `$filter`, `$orderby`, `$select`, `$first`, `$after`, `$expand`, `$count`, `pk`), the body and
 * `If-Match`. The runtime runs exactly this through the REST route's pipeline (runtime/mcp).
 *
 * @example
 * ```ts
 * const call: RestCall = { route: 'item', method: 'GET', id: 'n1', query: {}, headers: {} };
 * ```
 */
export interface RestCall {
  readonly route: 'collection' | 'item';
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly id?: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A tool's arguments as the problem document reports them wrong (400 `validation`, field errors). */
type Bad = { readonly ok: false; readonly problem: ReturnType<typeof problemDocument> };

function bad(field: string, message: string): Bad {
  return {
    ok: false,
    problem: problemDocument('validation', `The tool's arguments are invalid: ${message}`, {
      errors: [{ field, code: 'invalid', message }],
    }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string argument, absent, or the refusal naming it. */
function text(args: Record<string, unknown>, key: string): string | undefined | Bad {
  const v = args[key];
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : bad(key, `${key} must be a string.`);
}

/** A list of names (`select`, `expand`), as the REST API's comma-separated value. */
function names(args: Record<string, unknown>, key: string): string | undefined | Bad {
  const v = args[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((n) => typeof n !== 'string'))
    return bad(key, `${key} must be a list of names.`);
  return v.join(',');
}

/**
 * The arguments each action takes besides a create's item (entity-tools.ts, the tools' input schemas): any other
 * is refused by name rather than dropped, so that a misspelt `filtr` is no list of everything.
 */
const ARGUMENTS: Readonly<Record<Exclude<CrudToolAction, 'create'>, readonly string[]>> = {
  list: ['filter', 'orderby', 'select', 'first', 'after', 'expand', 'partitionKey'],
  count: ['filter', 'partitionKey'],
  aggregate: ['groupby', 'aggregates', 'filter', 'partitionKey'],
  search: ['text', 'vector', 'mode', 'filter', 'first', 'after', 'select', 'partitionKey'],
  get: ['id', 'select', 'expand', 'partitionKey'],
  update: ['id', 'patch', 'ifMatch', 'partitionKey'],
  delete: ['id', 'ifMatch', 'partitionKey'],
};

/**
 * `<entity>_aggregate`'s `groupby` and `aggregates` as the REST API's `$apply` (the route judges the names: a wrong
 * one is its 400 naming it), or the refusal of an argument not of the tool's shape.
 */
function applyOf(a: Record<string, unknown>): string | Bad {
  const fields = a['groupby'];
  if (!Array.isArray(fields) || fields.length === 0 || fields.some((f) => typeof f !== 'string'))
    return bad('groupby', 'groupby must be a list of one or more field names.');
  const list = a['aggregates'] ?? [];
  if (!Array.isArray(list)) return bad('aggregates', 'aggregates must be a list.');
  const specs: Record<string, AggregateSpec> = {};
  for (const x of list as unknown[]) {
    if (!isObject(x) || typeof x['as'] !== 'string' || typeof x['with'] !== 'string')
      return bad('aggregates', 'each aggregate is { as, with, field? }.');
    const { as, with: method, field } = x;
    if (method === 'count') specs[as] = '$count';
    else if (typeof field === 'string' && ['sum', 'average', 'min', 'max'].includes(method))
      specs[as] = { [method]: field } as AggregateSpec;
    else
      return bad(
        'aggregates',
        `"${as}": ${method} needs a field (count, sum, average, min or max).`,
      );
  }
  return formatApply(fields as string[], specs);
}

/** Text an HTTP header value can hold as the API's clients send it: visible ASCII and spaces. */
const HEADER_TEXT = /^[\x20-\x7e]*$/;

/** `v` under `key` in `query` when given; a refusal of it is answered instead. */
function put(
  query: Record<string, string>,
  key: string,
  v: string | undefined | Bad,
): Bad | undefined {
  if (isBad(v)) return v;
  if (v !== undefined) query[key] = v;
  return undefined;
}

const isBad = (v: unknown): v is Bad => isObject(v) && v['ok'] === false && isObject(v['problem']);

/**
 * A CRUD tool call's arguments as the REST call it mirrors (the same query grammar and body), or the 400
 * `validation` problem naming the argument that is not of the tool's shape. Values are passed on as the REST API
 * takes them, so the route — not this — judges a filter, a sort, a page size or an item.
 *
 * @example
 * ```ts
 * restCallOf('list', { filter: "done eq false", first: 10 });
 * // { ok: true, call: { route: 'collection', method: 'GET', query: { $filter: "done eq false", $first: '10' }, … } }
 * ```
 */
export function restCallOf(
  action: CrudToolAction,
  args: unknown,
): { readonly ok: true; readonly call: RestCall } | Bad {
  const a = args === undefined ? {} : args;
  if (!isObject(a)) return bad('arguments', 'the arguments must be an object.');
  // A create's arguments are the item itself (its schema is the entity's input schema), partition field included.
  if (action === 'create')
    return {
      ok: true,
      call: { route: 'collection', method: 'POST', query: {}, headers: {}, body: a },
    };
  const known = ARGUMENTS[action];
  // A loop over the arguments' own keys, no list of them made (a tool call's arguments are a few keys).
  for (const k in a)
    if (Object.hasOwn(a, k) && !known.includes(k))
      return bad(k, `${k} is no argument of this tool (it takes ${known.join(', ')}).`);
  const pk = a['partitionKey'];
  if (
    pk !== undefined &&
    typeof pk !== 'string' &&
    typeof pk !== 'number' &&
    typeof pk !== 'boolean'
  )
    return bad('partitionKey', 'partitionKey must be a string, a number or a boolean.');
  const query: Record<string, string> = pk === undefined ? {} : { pk: String(pk) };
  if (action === 'search') {
    // The search route's body as the tool's arguments are (the route judges each: its 400 names the field).
    const { partitionKey: _pk, ...body } = a;
    return { ok: true, call: { route: 'collection', method: 'POST', query, headers: {}, body } };
  }
  if (action === 'aggregate') {
    const apply = applyOf(a);
    if (isBad(apply)) return apply;
    query[Q.apply] = apply;
    const refused = put(query, Q.filter, text(a, 'filter'));
    if (refused) return refused;
    return { ok: true, call: { route: 'collection', method: 'GET', query, headers: {} } };
  }
  if (action === 'list' || action === 'count') {
    const first = a['first'];
    if (first !== undefined && typeof first !== 'number')
      return bad('first', 'first must be an integer.');
    const refused =
      put(query, Q.filter, text(a, 'filter')) ??
      (action === 'list'
        ? (put(query, Q.orderBy, text(a, 'orderby')) ??
          put(query, Q.select, names(a, 'select')) ??
          put(query, Q.after, text(a, 'after')) ??
          put(query, RELATION_PARAMETERS.expand, names(a, 'expand')))
        : undefined);
    if (refused) return refused;
    if (action === 'count') {
      // One query for the count (asked on the first page) and the smallest page beside it.
      query[RELATION_PARAMETERS.count] = 'true';
      query[Q.first] = '1';
      query[Q.select] = 'id';
    } else if (first !== undefined) query[Q.first] = String(first);
    return { ok: true, call: { route: 'collection', method: 'GET', query, headers: {} } };
  }
  const id = a['id'];
  if (typeof id !== 'string' || id === '') return bad('id', 'id must be a non-empty string.');
  const ifMatch = text(a, 'ifMatch');
  if (isBad(ifMatch)) return ifMatch;
  // It becomes an If-Match header: what no header can carry (a line break, a character past ASCII) is refused here,
  // as an HTTP client could never send it — never a fault of the server.
  if (ifMatch !== undefined && !HEADER_TEXT.test(ifMatch))
    return bad(
      'ifMatch',
      "ifMatch must be an entity tag as an item's etag gives it (visible ASCII).",
    );
  const headers: Record<string, string> =
    ifMatch === undefined ? {} : { 'If-Match': entityTagOf(ifMatch) };
  if (action === 'get') {
    const refused =
      put(query, Q.select, names(a, 'select')) ??
      put(query, RELATION_PARAMETERS.expand, names(a, 'expand'));
    if (refused) return refused;
    return { ok: true, call: { route: 'item', method: 'GET', id, query, headers: {} } };
  }
  if (action === 'delete')
    return { ok: true, call: { route: 'item', method: 'DELETE', id, query, headers } };
  const patch = a['patch'];
  if (!isObject(patch)) return bad('patch', 'patch must be an object of the fields to change.');
  return { ok: true, call: { route: 'item', method: 'PATCH', id, query, headers, body: patch } };
}

/** An ETag as a model may repeat it (without its quotes), quoted as `If-Match` takes it; `*` as is. */
function entityTagOf(tag: string): string {
  const t = tag.trim();
  return t === '*' || t.startsWith('"') || t.startsWith('W/"') ? t : `"${t}"`;
}

/**
 * A tool result as JSON text, from its structured result's JSON text (an object's): the same JSON as the text item
 * and as `structuredContent`, `isError` for a refusal. Built as text so that a route's answer reaches the client
 * without being parsed and written again (the MCP call's cost beside the REST request: bench/mcp.ts).
 *
 * @example
 * ```ts
 * toolResultText('{"count":3}', false); // '{"content":[{"type":"text","text":"{\"count\":3}"}],"structuredContent":{"count":3}}'
 * ```
 */
export function toolResultText(structuredJson: string, isError: boolean): string {
  return (
    `{"content":[{"type":"text","text":${JSON.stringify(structuredJson)}}],` +
    `"structuredContent":${structuredJson}${isError ? ',"isError":true' : ''}}`
  );
}

/** A route's body text when it is a JSON object's (what every route of the runtime answers), else undefined. */
function objectText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return t.startsWith('{') && t.endsWith('}') ? t : undefined;
}

/**
 * What a CRUD tool answers for the REST route's answer (its status, body text and ETag), as the JSON text of its
 * structured result: a problem (status ≥ 400) is the problem document; else `list`, `search` and `aggregate` →
 * `{ items, continuationToken }` (the route's body as it is), `count` → `{ count }`, `get`/`create`/`update` → `{ item, etag }` (the ETag `ifMatch`
 * takes), `delete` → `{ deleted: id }`.
 *
 * @example
 * ```ts
 * crudToolJson('get', { id: 'a' }, 200, '{"id":"a"}', '"e1"'); // '{"item":{"id":"a"},"etag":"\"e1\""}'
 * ```
 */
export function crudToolJson(
  action: CrudToolAction,
  call: Pick<RestCall, 'id'>,
  status: number,
  body: string | undefined,
  etag: string | undefined,
): { readonly json: string; readonly isError: boolean } {
  const object = objectText(body);
  if (status >= 400)
    return {
      json:
        object ?? JSON.stringify({ type: 'about:blank', title: `HTTP ${String(status)}`, status }),
      isError: true,
    };
  if (action === 'delete')
    return { json: JSON.stringify({ deleted: call.id ?? '' }), isError: false };
  if (action === 'count') {
    const counted =
      object === undefined ? undefined : (JSON.parse(object) as { count?: unknown }).count;
    return {
      json: JSON.stringify({ count: typeof counted === 'number' ? counted : 0 }),
      isError: false,
    };
  }
  if (action === 'list' || action === 'search' || action === 'aggregate')
    return { json: object ?? '{"items":[]}', isError: false };
  return {
    json: `{"item":${object ?? '{}'}${etag ? `,"etag":${JSON.stringify(etag)}` : ''}}`,
    isError: false,
  };
}
