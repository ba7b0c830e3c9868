import { formatApply, type AggregateSpec } from '../contract/query/format-apply.js';
import type { GroupByOptions } from './aggregate-types.js';
import {
  DATA_DOOR_KEY,
  type DataDoor,
  type DoorAnswer,
  type DoorEntity,
  type DoorListQuery,
  type EntityDoor,
} from '../contract/data-door.js';
import { AtakoraError } from '../model/errors.js';
import { type CountedListPage, ifMatchOf, pagedList } from './crud-client.js';
import type { CountOptions, DataOf } from './data-of-types.js';
import { withEtag } from './etags.js';
import { ProblemError } from './problem-error.js';
import type { ItemOptions, ListOptions, SearchOptions, WriteOptions } from './types.js';
import { headerValue, wholeText } from './url-segment.js';

type Item = Record<string, unknown>;
/** What a list reads of its options at run time (the types narrow them per entity). */
type AnyListOptions = ListOptions<Record<string, 'string'>> & {
  readonly expand?: readonly string[];
  readonly count?: boolean;
};
type AnyItemOptions = WriteOptions & {
  readonly expand?: readonly string[];
  readonly select?: readonly string[];
};

/** The answer's value, or its problem thrown as the typed client throws it (`ProblemError`, headers and all). */
function served(answer: DoorAnswer): unknown {
  if (answer.ok) return answer.body;
  const headers = answer.headers;
  throw new ProblemError(answer.status, answer.problem, {
    get: (name) => headers[name.toLowerCase()] ?? null,
  });
}

/** An item answer as the typed client gives it: the item, its ETag remembered for `ifMatch`. */
function itemOf(answer: DoorAnswer): Item {
  const item = served(answer) as Item;
  return withEtag(item, answer.ok ? (answer.etag ?? null) : null);
}

/** A list's options as the door takes them (the page's continuation token and whether to count, per page). */
function listQuery(
  o: AnyListOptions,
  after: string | undefined,
  count: boolean | undefined,
): DoorListQuery {
  return {
    filter: o.filter,
    orderBy: o.orderBy,
    select: o.select,
    first: o.first,
    after,
    partitionKey: o.partitionKey,
    expand: o.expand,
    count,
  };
}

/** The `If-Match` of a write, checked as the typed client checks a header it would send. */
function ifMatch(options: WriteOptions | undefined, body?: unknown): string | undefined {
  const tag = ifMatchOf(options, body);
  return tag === undefined ? undefined : headerValue('If-Match', tag);
}

const id = (value: string) => wholeText(value, ['id']);

/**
 * The next turn of the event loop: where each call starts, as a request to the host would — never inside the
 * caller's own turn, so code that starts a call and then awaits something else before awaiting it (a REST request
 * to compare with, in a test) sees the call settle after that, as it did over the typed client's `fetch`.
 */
const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else queueMicrotask(resolve);
  });

/** `operation` on the next turn (see {@link nextTurn}). */
async function later<T>(operation: () => Promise<T>): Promise<T> {
  await nextTurn();
  return operation();
}

/**
 * One CrudApi's data client over the door's operations (contract/data-door.ts): the typed client's methods, pages
 * and errors, its children lists and `count` — each call one operation as the caller, its input and answer data.
 */
function entityData(door: EntityDoor, entity: DoorEntity): Record<string, unknown> {
  const list = (page: (q: DoorListQuery) => Promise<DoorAnswer>, options: AnyListOptions = {}) =>
    pagedList(
      async (after, count) =>
        served(await later(() => page(listQuery(options, after, count)))) as CountedListPage<Item>,
      options,
    );
  const children: Record<string, unknown> = {};
  for (const relation of entity.children)
    children[relation] = (parent: string, options?: AnyListOptions) => {
      const checked = wholeText(parent, [relation, 'id']);
      return list((q) => door.children(relation, checked, q), options);
    };
  return {
    list: (options?: AnyListOptions) => list((q) => door.list(q), options),
    get: async (key: string, options?: AnyItemOptions) =>
      itemOf(
        await later(() =>
          door.get(id(key), {
            partitionKey: options?.partitionKey,
            expand: options?.expand,
            select: options?.select,
          }),
        ),
      ),
    create: async (item: Item, options?: ItemOptions) =>
      itemOf(await later(() => door.create(item, { partitionKey: options?.partitionKey }))),
    replace: async (key: string, item: Item, options?: WriteOptions) =>
      itemOf(
        await later(() =>
          door.replace(id(key), item, {
            partitionKey: options?.partitionKey,
            ifMatch: ifMatch(options, item),
          }),
        ),
      ),
    update: async (key: string, patch: Item, options: WriteOptions = { ifMatch: false }) =>
      itemOf(
        await later(() =>
          door.update(id(key), patch, {
            partitionKey: options.partitionKey,
            ifMatch: ifMatch(options, patch),
          }),
        ),
      ),
    delete: async (key: string, options?: WriteOptions) => {
      served(
        await later(() =>
          door.delete(id(key), { partitionKey: options?.partitionKey, ifMatch: ifMatch(options) }),
        ),
      );
    },
    ...children,
    groupBy: async (
      fields: readonly string[],
      aggregates?: Readonly<Record<string, AggregateSpec>>,
      options: GroupByOptions = {},
    ) =>
      served(
        await later(() =>
          door.aggregate({
            apply: formatApply(fields, aggregates),
            filter: options.filter,
            partitionKey: options.partitionKey,
          }),
        ),
      ),
    search: async (options: SearchOptions) => {
      const { signal: _signal, ...body } = options;
      return served(await later(() => door.search(body)));
    },
    count: async (options: CountOptions = {}) =>
      served(
        await later(() =>
          door.count({ filter: options.filter, partitionKey: options.partitionKey }),
        ),
      ) as number,
  };
}

/**
 * The backend's data as the caller of `request` may use it, from an HTTP function's handler: the typed client's
 * shape (one property per CrudApi key the function declares in `data: [...]`: `list`, `get`, `count`, `create`,
 * `replace`, `update`, `delete`, children lists and `$expand`), each call run in this process through the very
 * route it mirrors — the caller's admission, tenant, access rules, validation, relations, realtime events, change
 * handlers, limits and usage ledger, as a REST request of that caller gets them. A refusal rejects with the client's
 * `ProblemError` (its `status`, `code`, `errors`), as the typed client's does.
 *
 * Throws `AtakoraError` `DATA_NO_CALLER` for a request no gate admitted a caller for (a queue message, a timer, an
 * anonymous function's anonymous caller: the gate answers that one 401), and `DATA_UNDECLARED` for a CrudApi the
 * function's `data` does not name.
 *
 * @example
 * ```ts
 * import type { HttpRequest } from '@azure/functions';
 * import { dataOf } from '@atakora/component/runtime';
 * // Your defineBackend(…) value (its type is what dataOf reads); in a handler, import it from your backend.ts.
 * const helpdesk = defineBackend({
 *   tickets: CrudApi.define('TicketApi', {
 *     entityName: 'Ticket',
 *     schema: { id: 'string', status: { type: 'string', enum: ['open', 'closed'], default: 'open' } },
 *   }),
 * });
 * export async function ticketStats(request: HttpRequest) {
 *   const data = dataOf<typeof helpdesk>(request);
 *   const open = await data.tickets.count({ filter: "status eq 'open'" });
 *   return { jsonBody: { open } };
 * }
 * ```
 */
export function dataOf<B>(request: unknown): DataOf<B> {
  const door =
    typeof request === 'object' && request !== null
      ? (Reflect.get(request, DATA_DOOR_KEY) as DataDoor | undefined)
      : undefined;
  if (!door)
    throw new AtakoraError(
      'DATA_NO_CALLER',
      'dataOf needs the request of an HTTP function whose gate admitted a signed-in caller: this one has none ' +
        '(a queue message or a timer, a request made by hand, or an anonymous function called without a token).',
      { path: ['dataOf', 'request'] },
    );
  const made = new Map<string, unknown>();
  const data = new Proxy(
    {},
    {
      get(_target, key) {
        if (typeof key !== 'string' || key === 'then') return undefined;
        const known = made.get(key);
        if (known !== undefined) return known;
        const entity = door.byKey[key] ?? door.byId[key];
        if (!entity)
          throw new AtakoraError(
            'DATA_UNDECLARED',
            `${door.functionName} reaches "${key}", which its data does not name` +
              (door.undeclared.includes(key)
                ? ": add the CrudApi to the function's data: [...]."
                : `: it declares ${Object.keys(door.byKey).join(', ') || 'none'}.`),
            { path: ['dataOf', key] },
          );
        // Declared, so the door has its operations (the runtime fills both from the same `data`).
        const operations = door.entity(entity.componentId);
        if (!operations)
          throw new AtakoraError('DATA_UNDECLARED', `${door.functionName} cannot reach "${key}".`, {
            path: ['dataOf', key],
          });
        const client = entityData(operations, entity);
        made.set(key, client);
        return client;
      },
    },
  );
  return data as DataOf<B>;
}
