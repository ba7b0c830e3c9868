/**
 * The door an HTTP function's request carries into the runtime's in-process entry, for `dataOf(request)`: what
 * the function may reach (its `data`), and one call that runs a CrudApi's REST route for the request's caller.
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

/** What one in-process call answers: the route's status, headers and JSON body text. */
export interface DoorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/**
 * The door: the function's name (for messages), the CrudApis it declared by component key and id, and the call.
 *
 * @example
 * ```ts
 * const answer = await door.call('TicketApi', { route: 'collection' }, { method: 'GET', query: new URLSearchParams(), headers: {} });
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
  call(
    componentId: string,
    target:
      | { readonly route: 'collection' }
      | { readonly route: 'item'; readonly id: string }
      | { readonly route: 'children'; readonly id: string; readonly relation: string },
    parts: {
      readonly method: string;
      readonly query: URLSearchParams;
      readonly headers: Readonly<Record<string, string>>;
      readonly bodyText?: string;
    },
  ): Promise<DoorAnswer>;
}
