import type { SearchBody } from './search.js';

/**
 * The door an HTTP function's request carries into the runtime's in-process entry, for `dataOf(request)`: what
 * the function may reach (its `data`), and per CrudApi the operations run as the request's caller — input as data
 * in (ids, query options, a body as a value, `ifMatch`), the answer as data out (status, ETag, the body as a value,
 * or the problem document). No URL, no `fetch`, no body text in between: the runtime fills it in
 * (runtime/in-process), the client reads it (client/data-of.ts); neither imports the other.
 * Left on the request by the function's gate under a registry symbol (not a module-level map: the handler's bundle
 * may hold its own copy of the code that reads it).
 */

/**
 * The symbol the gate leaves the door under.
 *
 * @example
 * ```ts
 * const door = Reflect.get(request, DATA_DOOR_KEY) as DataDoor | undefined;
 * ```
 */
export const DATA_DOOR_KEY: unique symbol = Symbol.for('@atakora/component.data') as never;

/** One CrudApi a function may reach: its id, its route and its `hasMany` relations (children lists). */
export interface DoorEntity {
  readonly componentId: string;
  readonly route: string;
  readonly children: readonly string[];
}

/**
 * A list's options as data — what the REST route takes as `$filter`, `$orderby`, `$select`, `$first`, `$after`,
 * `$expand`, `$count` and `pk`.
 *
 * @example
 * ```ts
 * const query: DoorListQuery = { filter: "done eq false", orderBy: ['title desc'], first: 20, count: true };
 * ```
 */
export interface DoorListQuery {
  readonly filter?: string | undefined;
  readonly orderBy?: string | readonly string[] | undefined;
  readonly select?: readonly string[] | undefined;
  readonly first?: number | undefined;
  readonly after?: string | undefined;
  readonly expand?: readonly string[] | undefined;
  readonly count?: boolean | undefined;
  readonly partitionKey?: string | undefined;
}

/**
 * An item operation's options as data: the partition key of an entity keyed by another field, `$expand` and
 * `$select` of a read, and the `If-Match` of a write (an entity tag, or `*`).
 *
 * @example
 * ```ts
 * const options: DoorItemOptions = { ifMatch: '"0a00"' };
 * ```
 */
export interface DoorItemOptions {
  readonly partitionKey?: string | undefined;
  readonly expand?: readonly string[] | undefined;
  /** A read's `$select`: the fields (and id) the item holds; its vector only when named. */
  readonly select?: readonly string[] | undefined;
  readonly ifMatch?: string | undefined;
}

/**
 * What one operation answers, as data: its status and, on success, the item's ETag and the body as a value
 * (`body`), else the problem document (RFC 9457) the REST route answers (`problem`); the headers a caller acts on
 * (`Retry-After`, `RateLimit-Policy`) as a record of lower-case names. `json` is the body as the route wrote it,
 * for a door that passes it on as JSON (an MCP tool's result) instead of reading the value.
 *
 * @example
 * ```ts
 * const answer = await door.entity('TicketApi')!.get('42');
 * if (answer.ok) console.log(answer.etag, answer.body);
 * else console.log(answer.status, answer.problem['type']);
 * ```
 */
export type DoorAnswer =
  | {
      readonly ok: true;
      readonly status: number;
      readonly etag: string | undefined;
      readonly body: unknown;
      readonly json: string | undefined;
      readonly headers: Readonly<Record<string, string>>;
    }
  | {
      readonly ok: false;
      readonly status: number;
      readonly problem: Readonly<Record<string, unknown>>;
      readonly json: string | undefined;
      readonly headers: Readonly<Record<string, string>>;
    };

/**
 * One CrudApi's operations as its caller runs them in-process (the REST routes' own, tRPC's `createCaller`):
 * each runs the route's stages after the caller's and answers as data.
 *
 * @example
 * ```ts
 * const tickets = door.entity('TicketApi')!;
 * const created = await tickets.create({ title: 'Printer' });
 * const page = await tickets.list({ filter: "status eq 'open'", first: 10 });
 * const orders = await door.entity('CustomerApi')!.children('orders', 'c1', { count: true });
 * ```
 */
export interface EntityDoor {
  list(query?: DoorListQuery): Promise<DoorAnswer>;
  get(id: string, options?: DoorItemOptions): Promise<DoorAnswer>;
  /** The items the caller may read that match `filter` (`$count` on the smallest page): `body` is the number. */
  count(query?: Pick<DoorListQuery, 'filter' | 'partitionKey'>): Promise<DoorAnswer>;
  /** The groups of the items the caller may read (`$apply`, contract/query/parse-apply.ts): `body` is `{ items }`. */
  aggregate(
    query: { readonly apply: string } & Pick<DoorListQuery, 'filter' | 'partitionKey'>,
  ): Promise<DoorAnswer>;
  /**
   * The items the caller may read ranked by a search (`POST api/<route>/search`, contract/search.ts): `body` is
   * `{ items, continuationToken }`, each item with its `score`; a CrudApi without `search` answers 404.
   */
  search(body: SearchBody & Pick<DoorListQuery, 'partitionKey'>): Promise<DoorAnswer>;
  create(item: unknown, options?: DoorItemOptions): Promise<DoorAnswer>;
  replace(id: string, item: unknown, options?: DoorItemOptions): Promise<DoorAnswer>;
  update(id: string, patch: unknown, options?: DoorItemOptions): Promise<DoorAnswer>;
  delete(id: string, options?: DoorItemOptions): Promise<DoorAnswer>;
  /** One parent's children of a `hasMany` relation (the children route's page). */
  children(relation: string, id: string, query?: DoorListQuery): Promise<DoorAnswer>;
}

/**
 * The door: the function's name (for messages), the CrudApis it declared by component key and id, and their
 * operations as the request's caller.
 *
 * @example
 * ```ts
 * const answer = await door.entity('TicketApi')?.count({ filter: "status eq 'open'" });
 * ```
 */
export interface DataDoor {
  readonly functionName: string;
  /** Declared CrudApis by component key (what `dataOf<typeof backend>(request).<key>` names). */
  readonly byKey: Readonly<Record<string, DoorEntity>>;
  /** Declared CrudApis by component id (a key-less backend, or code that names the id). */
  readonly byId: Readonly<Record<string, DoorEntity>>;
  /** The CrudApis of the backend the function did not declare, by key and id (for the message that says so). */
  readonly undeclared: readonly string[];
  /** A declared CrudApi's operations as the caller, by component id; undefined for one not declared. */
  entity(componentId: string): EntityDoor | undefined;
}
