import { parseFilter } from '../../contract/query/parse-filter.js';
import { matchesFilter } from '../../contract/query/evaluate-filter.js';
import type { FilterNode } from '../../contract/query/ast.js';
import type { RealtimeEvent } from '../../contract/realtime.js';
import type { ListPage } from '../../contract/paging.js';
import type { RealtimeConnection } from './connection.js';

type Item = Record<string, unknown>;

/** What `watch` and `live` take besides the query: where errors go (default: `console.error`). */
export interface SubscribeOptions {
  /** A failure the subscription cannot recover from (it is then closed): negotiate's 401/403, a list's problem. */
  readonly onError?: (error: Error) => void;
}

/** A running `watch` or `live`: `close()` stops it (and the connection, when it was the last). */
export interface Subscription {
  close(): void;
}

/** The `$filter` of a query as a predicate; `undefined` when there is none; a bad filter throws (as `list` would 400). */
function filterOf(filter: string | undefined): FilterNode | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const r = parseFilter(filter);
  if (!r.ok) throw new Error(`$filter: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.value;
}

/**
 * `watch(query, onEvent)`: every event of this CrudApi whose item matches the query's `$filter` (deletes, which
 * carry no item, always pass), as it arrives. No state, no re-list: after a reconnect, events in between are lost
 * (`live` is the one that recovers).
 *
 * @example
 * ```ts
 * const sub = watch(connection, 'notes', { filter: 'done eq false' }, (e) => console.log(e.operation, e.id));
 * sub.close();
 * ```
 */
export function watch(
  connection: RealtimeConnection,
  route: string,
  query: { readonly filter?: string } | undefined,
  onEvent: (event: RealtimeEvent) => void,
  options: SubscribeOptions = {},
): Subscription {
  const filter = filterOf(query?.filter);
  const unsubscribe = connection.subscribe({
    route,
    onEvent(e) {
      if (e.operation === 'delete' || !filter || !e.item || matchesFilter(filter, e.item))
        onEvent(e);
    },
    onGap: () => undefined,
    onError(error) {
      (options.onError ?? console.error)(error);
    },
  });
  return { close: unsubscribe };
}

/** The query `live` keeps: a list query (its first page is the snapshot). */
export interface LiveQuery {
  readonly filter?: string;
  readonly orderBy?: string | readonly string[];
  readonly select?: readonly string[];
  readonly first?: number;
  readonly count?: boolean;
  readonly expand?: readonly string[];
  readonly partitionKey?: string;
}

/**
 * `live(query, onSnapshot)`: the first page of the list (`{ items, count? }`) kept up to date. It lists once the
 * connection is up, and again after every gap (reconnect, renewal). An event it can apply exactly is applied in
 * place — an update of an item it holds that still matches (no `$orderby`, `$select` or `$expand`), a delete of an item it
 * holds when the page is the whole list; one that cannot change the page is ignored (an item that neither matches
 * nor is held; a delete of an item it does not hold on a page that is the whole list); anything else re-lists,
 * coalesced (events during a list make one more). Every snapshot is what `list(query).page()` would answer.
 *
 * @example
 * ```ts
 * const sub = live(connection, 'notes', (o) => list(t, o).page(), { filter: 'done eq false' }, ({ items }) => render(items));
 * ```
 */
export function live(
  connection: RealtimeConnection,
  route: string,
  listPage: (query: LiveQuery) => Promise<ListPage<Item> & { count?: number }>,
  query: LiveQuery,
  onSnapshot: (snapshot: { items: Item[]; count?: number }) => void,
  options: SubscribeOptions = {},
): Subscription {
  const filter = filterOf(query.filter);
  let page: (ListPage<Item> & { count?: number }) | undefined;
  let listing = false;
  let dirty = false;
  let closed = false;
  // An updated item keeps its place only without a sort; expanded relations and a projection come from the server.
  const inPlace =
    query.orderBy === undefined && query.expand === undefined && query.select === undefined;
  const emit = () => {
    if (!page || closed) return;
    onSnapshot({
      items: page.items.map((i) => ({ ...i })),
      ...(page.count === undefined ? {} : { count: page.count }),
    });
  };
  const fail = (error: Error) => {
    if (closed) return;
    sub.close();
    (options.onError ?? console.error)(error);
  };
  const relist = async (): Promise<void> => {
    if (closed) return;
    if (listing) {
      dirty = true;
      return;
    }
    listing = true;
    dirty = false;
    try {
      page = await listPage(query);
    } catch (e) {
      listing = false;
      fail(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    listing = false;
    if (dirty) return relist();
    emit();
  };
  const apply = (e: RealtimeEvent) => {
    // A list under way may or may not include this write: list once more after it.
    if (listing) {
      dirty = true;
      return;
    }
    if (!page) return;
    const at = page.items.findIndex((i) => i['id'] === e.id);
    const whole = page.continuationToken === null;
    if (e.operation === 'delete') {
      if (at < 0) {
        // Not held: on a whole list it was no match; otherwise it may move another item up, or change the count.
        if (whole) return;
        void relist();
        return;
      }
      if (whole) {
        page = {
          ...page,
          items: page.items.filter((_, i) => i !== at),
          ...(page.count === undefined ? {} : { count: page.count - 1 }),
        };
        emit();
        return;
      }
      void relist();
      return;
    }
    if (!e.item) {
      void relist();
      return;
    }
    const matches = filter ? matchesFilter(filter, e.item) : true;
    if (!matches && at < 0) return;
    if (matches && at >= 0 && inPlace) {
      page = { ...page, items: page.items.map((i, n) => (n === at ? { ...e.item } : i)) };
      emit();
      return;
    }
    void relist();
  };
  const unsubscribe = connection.subscribe({
    route,
    onEvent: apply,
    onGap: () => void relist(),
    onError: fail,
  });
  const sub: Subscription = {
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
    },
  };
  return sub;
}
