import { DATA_DOOR_KEY, type DataDoor, type DoorEntity } from '../contract/data-door.js';
import { AtakoraError } from '../model/errors.js';
import { urlSegment } from './url-segment.js';
import { crudClient, list } from './crud-client.js';
import type { CountOptions, DataOf } from './data-of-types.js';
import type { FetchLike, ResponseLike, Transport } from './transport.js';

/** The base URL an in-process transport parses its calls against (no request ever leaves the process). */
const IN_PROCESS = 'https://in-process.invalid/api/';

/**
 * The route's answer as the client reads one (client/transport.ts `ResponseLike`: status, `ok`, a header, the
 * text). It is already in memory; a platform `Response` (a body stream to read back) would cost more than the rest
 * of an in-process call's own work.
 */
class DoorResponse implements ResponseLike {
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly status: number,
    headers: Readonly<Record<string, string>>,
    private readonly body: string | undefined,
  ) {
    this.ok = status >= 200 && status < 300;
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    this.headers = { get: (name) => lower.get(name.toLowerCase()) ?? null };
  }

  text(): Promise<string> {
    return Promise.resolve(this.status === 204 ? '' : (this.body ?? ''));
  }
}

/**
 * A `fetch` that runs each call of one CrudApi's client through the door (contract/data-door.ts): the path below
 * the CrudApi's route picks its collection, an item or an item's children; the answer is the route's, read by the
 * client exactly as one from the network (ETags, problems, pages).
 */
function doorFetch(door: DataDoor, entity: DoorEntity): FetchLike {
  const prefix = new URL(`${IN_PROCESS}${entity.route}`).pathname;
  return async (input, init) => {
    const url = new URL(input);
    const rest = url.pathname.slice(prefix.length).split('/').filter(Boolean);
    const [first, relation] = rest.map((s) => decodeURIComponent(s));
    const target =
      first === undefined
        ? { route: 'collection' as const }
        : relation === undefined
          ? { route: 'item' as const, id: first }
          : { route: 'children' as const, id: first, relation };
    // The client sends its headers as a plain record (client/transport.ts).
    const ifMatch = (init.headers as Record<string, string> | undefined)?.['If-Match'];
    const answer = await door.call(entity.componentId, target, {
      method: init.method ?? 'GET',
      query: url.searchParams,
      headers: ifMatch === undefined ? {} : { 'If-Match': ifMatch },
      ...(typeof init.body === 'string' ? { bodyText: init.body } : {}),
    });
    return new DoorResponse(answer.status, answer.headers, answer.body);
  };
}

/** One CrudApi's data client: the typed client's methods over the door, its children lists and `count`. */
function entityData(door: DataDoor, entity: DoorEntity): Record<string, unknown> {
  const t: Transport = {
    baseUrl: `${IN_PROCESS}${entity.route}`,
    getToken: () => undefined,
    fetch: doorFetch(door, entity),
  };
  const children: Record<string, unknown> = {};
  for (const relation of entity.children)
    children[relation] = (id: string, options?: Parameters<typeof list>[1]) =>
      list(
        t,
        options ?? {},
        `/${urlSegment(id, [relation, 'id'])}/${urlSegment(relation, [relation])}`,
      );
  return {
    ...crudClient(t),
    ...children,
    // `$count=true` on the smallest page: one count query and one page of one id, as the REST route answers it.
    count: async (options: CountOptions = {}) => {
      const page = await list(t, {
        ...(options.filter === undefined ? {} : { filter: options.filter }),
        ...(options.partitionKey === undefined ? {} : { partitionKey: options.partitionKey }),
        first: 1,
        select: ['id'],
        count: true,
      }).page();
      return (page as { count?: number }).count ?? 0;
    },
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
        const client = entityData(door, entity);
        made.set(key, client);
        return client;
      },
    },
  );
  return data as DataOf<B>;
}
