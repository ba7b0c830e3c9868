import { LIST_QUERY_PARAMETERS as Q, type ListPage } from '../contract/paging.js';
import { etagOf, withEtag } from './etags.js';
import { send, type Transport } from './transport.js';
import { urlSegment } from './url-segment.js';
import { RELATION_PARAMETERS } from '../contract/relations.js';
import { formatApply, type AggregateSpec } from '../contract/query/format-apply.js';
import type { GroupByOptions } from './aggregate-types.js';
import type {
  CountOptions,
  SearchOptions,
  CrudMethods,
  ItemOptions,
  ListOptions,
  ListResult,
  WriteOptions,
} from './types.js';

type Item = Record<string, unknown>;
/** What `list` reads of its options at run time (the types narrow them per entity). */
type AnyListOptions = ListOptions<Record<string, 'string'>> & {
  readonly expand?: readonly string[];
  readonly count?: boolean;
};
type AnyMethods = CrudMethods<Record<string, 'string'>>;

const itemPath = (id: string) => `/${urlSegment(id, ['id'])}`;
const pk = (o: ItemOptions | undefined) =>
  o?.partitionKey === undefined ? undefined : { pk: o.partitionKey };

/**
 * The If-Match to send: the option (an ETag, `'*'`, or an item this client returned), else the body's own ETag.
 *
 * @example
 * ```ts
 * ifMatchOf({ ifMatch: note }); // the ETag `get` gave with `note`
 * ```
 */
export function ifMatchOf(options: WriteOptions | undefined, body?: unknown): string | undefined {
  const o = options?.ifMatch;
  if (o === false) return undefined;
  if (typeof o === 'string') return o;
  if (typeof o === 'object') return etagOf(o);
  return typeof body === 'object' && body !== null ? etagOf(body) : undefined;
}

async function itemCall(
  t: Transport,
  method: string,
  id: string,
  options:
    | (WriteOptions & {
        readonly expand?: readonly string[];
        readonly select?: readonly string[];
      })
    | undefined,
  body?: unknown,
): Promise<Item> {
  const r = await send(t, {
    method,
    path: itemPath(id),
    query: {
      ...pk(options),
      [RELATION_PARAMETERS.expand]: options?.expand?.join(','),
      // $select on a read: the item's vector is in no answer unless it names it.
      ...(method === 'GET' && options?.select ? { [Q.select]: options.select.join(',') } : {}),
    },
    body,
    signal: options?.signal,
    headers: method === 'GET' ? {} : { 'If-Match': ifMatchOf(options, body) },
  });
  return withEtag(r.body as Item, r.headers.get('etag'));
}

/**
 * `$first`/`$after`, each also under its older name (`limit`, `continuationToken`): the runtime
 * takes one or both with one value.
 */
function listQuery(
  o: AnyListOptions | undefined,
  after: string | undefined,
  count: boolean | undefined,
): Record<string, string | undefined> {
  const first = o?.first === undefined ? undefined : String(o.first);
  const orderBy =
    o?.orderBy === undefined
      ? undefined
      : (typeof o.orderBy === 'string' ? [o.orderBy] : o.orderBy).join(',');
  return {
    [Q.filter]: o?.filter,
    [Q.orderBy]: orderBy,
    [Q.select]: o?.select?.join(','),
    [Q.first]: first,
    limit: first,
    [Q.after]: after,
    continuationToken: after,
    pk: o?.partitionKey,
    [RELATION_PARAMETERS.expand]: o?.expand?.join(','),
    [RELATION_PARAMETERS.count]: count === undefined ? undefined : String(count),
  };
}

/**
 * A list over `path` (relative to the CrudApi's base URL): `''` for the collection, `/{id}/<relation>` for one
 * parent's children (the same list object, `client.customers.orders(id, options)`).
 *
 * @example
 * ```ts
 * for await (const order of list(t, { expand: ['customer'] }, '/c1/orders')) console.log(order);
 * ```
 */
export function list<T = Item>(
  t: Transport,
  options: AnyListOptions = {},
  path = '',
): ListResult<T> {
  return pagedList<T>(
    async (after, count) =>
      (
        await send(t, {
          method: 'GET',
          path,
          query: listQuery(options, after, count),
          signal: options.signal,
        })
      ).body as CountedListPage<T>,
    options,
  );
}

/** One page of a list as the route answers it, with its `count` when asked. */
export type CountedListPage<T> = ListPage<T> & { readonly count?: number };

/**
 * A list over `page` (one page after a continuation token, its count asked or not): its first page, every page
 * in turn (a token seen before ends it rather than looping), and every item — the HTTP client's list and
 * `dataOf`'s alike.
 *
 * @example
 * ```ts
 * const result = pagedList((after, count) => fetchPage(after, count), { count: true });
 * ```
 */
export function pagedList<T>(
  page: (after: string | undefined, count: boolean | undefined) => Promise<CountedListPage<T>>,
  options: { readonly after?: string | undefined; readonly count?: boolean | undefined },
): ListResult<T> {
  async function* pages(): AsyncGenerator<ListPage<T>> {
    let after = options.after;
    const seen = new Set<string>();
    // `count` is asked once, on the first page; the later pages of the listing carry that count.
    let counted: number | undefined;
    for (;;) {
      const fetched = await page(after, counted === undefined ? options.count : undefined);
      if (typeof fetched.count === 'number') counted ??= fetched.count;
      const p = counted === undefined ? fetched : { ...fetched, count: counted };
      yield p;
      // A token seen before would only repeat pages: stop rather than loop.
      if (p.continuationToken === null || seen.has(p.continuationToken)) return;
      seen.add(p.continuationToken);
      after = p.continuationToken;
    }
  }
  return {
    page: () => page(options.after, options.count),
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const p of pages()) yield* p.items;
    },
  };
}

/**
 * The methods of one CrudApi over a transport (every one; the client's type shows only the enabled ones, and
 * the API answers a disabled one 405).
 *
 * @example
 * ```ts
 * const notes = crudClient({ baseUrl: 'http://127.0.0.1:7071/api/notes', getToken: () => undefined, fetch });
 * await notes.create({ title: 'x' });
 * ```
 */
export function crudClient(t: Transport): AnyMethods {
  const methods = {
    list: (options?: AnyListOptions) => list(t, options),
    // `$count=true` on the smallest page (one id): one count query and a one-item read, as the REST route answers it
    // (the route counts every item the caller may read that the filter matches, not the page).
    async count(options: CountOptions = {}) {
      const page = await list(t, {
        ...(options.filter === undefined ? {} : { filter: options.filter }),
        ...(options.partitionKey === undefined ? {} : { partitionKey: options.partitionKey }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        first: 1,
        select: ['id'],
        count: true,
      }).page();
      return (page as { readonly count?: number }).count ?? 0;
    },
    // `$apply` on the list route: one GROUP BY query, the groups as the route answers them.
    async groupBy(
      fields: readonly string[],
      aggregates?: Readonly<Record<string, AggregateSpec>>,
      options: GroupByOptions = {},
    ) {
      const r = await send(t, {
        method: 'GET',
        path: '',
        query: {
          [Q.apply]: formatApply(fields, aggregates),
          [Q.filter]: options.filter,
          pk: options.partitionKey,
        },
        signal: options.signal,
      });
      return r.body as { items: Item[] };
    },
    // POST api/<route>/search: the body as the route takes it, one ranked page.
    async search(options: SearchOptions) {
      const { partitionKey, signal, ...body } = options;
      const r = await send(t, {
        method: 'POST',
        path: '/search',
        query: { pk: partitionKey },
        body,
        signal,
      });
      return r.body as { items: Item[]; continuationToken: string | null };
    },
    get: (
      id: string,
      options?: ItemOptions & {
        readonly expand?: readonly string[];
        readonly select?: readonly string[];
      },
    ) => itemCall(t, 'GET', id, options),
    async create(item: Item, options?: ItemOptions) {
      const r = await send(t, {
        method: 'POST',
        path: '',
        query: pk(options),
        body: item,
        signal: options?.signal,
      });
      return withEtag(r.body as Item, r.headers.get('etag'));
    },
    replace: (id: string, item: Item, options?: WriteOptions) =>
      itemCall(t, 'PUT', id, options, item),
    update: (id: string, patch: Item, options?: WriteOptions) =>
      itemCall(t, 'PATCH', id, options ?? { ifMatch: false }, patch),
    async delete(id: string, options?: WriteOptions) {
      await send(t, {
        method: 'DELETE',
        path: itemPath(id),
        query: pk(options),
        headers: { 'If-Match': ifMatchOf(options) },
        signal: options?.signal,
      });
    },
  };
  // The one cast of the client: the methods are written once for every entity; their entity types come from the
  // backend's type (CrudClient<...>), which no value here carries.
  return methods as unknown as AnyMethods;
}
