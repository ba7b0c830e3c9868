import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import type { EntityDoor } from '../../contract/data-door.js';
import type { RuntimeEntity, RuntimeMcpFunction } from '../../model/runtime-manifest.js';
import type {
  OperationInput,
  OperationTarget,
  OperationTargetOf,
} from '../pipeline/operation-input.js';
import { runFor } from '../pipeline/serve.js';
import { EntityCaller, type EntityRuns, type RunAs } from './entity-caller.js';

export type { RunAs } from './entity-caller.js';

/** Where a call of {@link InProcessRoutes.call} goes on one CrudApi: its collection, an item, or an item's children. */
export type RouteTarget =
  | { readonly route: 'collection' }
  | { readonly route: 'item'; readonly id: string }
  | { readonly route: 'search' }
  | { readonly route: 'children'; readonly id: string; readonly relation: string };

/** What a call of {@link InProcessRoutes.call} sends besides its target: method, query, headers and JSON body. */
export type CallParts = Pick<OperationInput, 'method' | 'query' | 'headers' | 'body'>;

/**
 * The CrudApis' operations as one caller runs them in-process, by component id (tRPC's `createCaller`): each
 * {@link EntityDoor}'s `list`, `get`, `count`, `create`, `replace`, `update`, `delete` and `children` take their
 * input as data and answer as data (contract/data-door.ts `DoorAnswer`).
 *
 * @example
 * ```ts
 * const data: CallerDoor = routes.callerFor({ caller: ctx.caller, invocation: ctx.invocation });
 * const answer = await data['NoteApi']?.get('42');
 * ```
 */
export type CallerDoor = Readonly<Record<string, EntityDoor>>;

/**
 * The runtime's in-process door: "run this CrudApi's operation for this caller with this input".
 * {@link InProcessRoutes.callerFor} gives a caller's operations, each running its REST route's stages after the
 * caller's (pipeline/serve.ts `runFor`: tenant, limits, ledger, authorization, then validation, relations, realtime
 * events and change handlers) with the input as data — no URL built or parsed, no `fetch`, no HTTP hop, no second
 * reading of the caller — and answering as data or a typed problem: what a handler's `dataOf(request)` (data-door.ts)
 * enters. Each route is kept as its target (pipeline/operation-input.ts `OperationTargetOf`: the endpoint, the path of
 * the request it mirrors), which the MCP server's CRUD tools take from {@link InProcessRoutes.targetOf} to run inside
 * their own pass (mcp/tool-operation.ts); the tool functions an MCP server calls are kept here too (their handlers as
 * registered), which the MCP server calls with a request of its own making (mcp/function-request.ts).
 *
 * @example
 * ```ts
 * // One door shared by the CrudApis' routes and the FunctionsApps' gates of one app.
 * const routes = new InProcessRoutes();
 * registerCrudRoutes({ http: () => undefined }, manifest, { containerFor, inProcess: routes });
 * // A function's gate, once it admitted a caller, opens its door on them:
 * //   routes.callerFor({ caller, invocation })['NoteApi']?.create({ title: 'Buy milk' })
 * //   → { ok: true, status: 201, etag: '"…"', body: { id, … } }
 * console.log(routes.allEntities().map((e) => e.route)); // the CrudApis served in this process: ['notes', …]
 * ```
 */
export class InProcessRoutes {
  private readonly entities = new Map<string, EntityRuns>();
  private readonly functions = new Map<string, { fn: RuntimeMcpFunction; handler: HttpHandler }>();

  /** Record one CrudApi's routes as in-process runs (registerCrudRoutes, as it registers their handlers). */
  addEntity(
    entity: RuntimeEntity,
    route: OperationTargetOf,
    children: ReadonlyMap<string, OperationTargetOf>,
    search?: OperationTargetOf,
  ): void {
    this.entities.set(entity.componentId, { entity, route, children, search });
  }

  /** Record an HTTP function that is an MCP tool, with its handler as registered (its gate included). */
  addFunction(fn: RuntimeMcpFunction, handler: HttpHandler): void {
    this.functions.set(fn.name, { fn, handler });
  }

  /** The CrudApis served here, by component id. */
  entity(componentId: string): RuntimeEntity | undefined {
    return this.entities.get(componentId)?.entity;
  }

  /** Every CrudApi served here, in registration order. */
  allEntities(): RuntimeEntity[] {
    return [...this.entities.values()].map((e) => e.entity);
  }

  /** How many tool functions are registered so far (the MCP server's tools are remade when it changes). */
  toolCount(): number {
    return this.functions.size;
  }

  /** The tool functions registered so far, in registration order. */
  toolFunctions(): RuntimeMcpFunction[] {
    return [...this.functions.values()].map((f) => f.fn);
  }

  /** A tool function's handler as registered (its gate, then its code), or undefined for none such. */
  functionHandler(name: string): HttpHandler | undefined {
    return this.functions.get(name)?.handler;
  }

  /**
   * The CrudApis' operations as `as.caller` (the caller its request's stages resolved), by component id: each runs
   * the route's stages after the caller's — a pass of its own (span, log line, ledger entry) — and answers as data.
   *
   * @example
   * ```ts
   * const page = await routes.callerFor({ caller, invocation })['NoteApi']?.list({ filter: 'done eq false', first: 10 });
   * if (page?.ok) console.log(page.body); // { items: [...], continuationToken: '…' | null }
   * ```
   */
  callerFor(as: RunAs): CallerDoor {
    const door: Record<string, EntityDoor> = {};
    for (const [id, runs] of this.entities) door[id] = new EntityCaller(runs, as);
    return Object.freeze(door);
  }

  /**
   * One operation of a CrudApi's route as `as.caller`, answered as the route wrote it for HTTP (status, headers,
   * body text) — for a caller that hands the answer on as HTTP; {@link callerFor} answers as data. An unknown
   * component or relation is `undefined`.
   *
   * @example
   * ```ts
   * const r = await routes.call('NoteApi', { route: 'collection' }, { method: 'POST', body: { title: 'x' } }, as);
   * r?.headers; // { Location: '/api/notes/…', ETag: '"…"', … }
   * ```
   */
  async call(
    componentId: string,
    target: RouteTarget,
    parts: CallParts,
    as: RunAs,
  ): Promise<HttpResponseInit | undefined> {
    const runs = this.entities.get(componentId);
    const at =
      target.route === 'children'
        ? runs?.children.get(target.relation)
        : target.route === 'search'
          ? runs?.search
          : runs?.route;
    if (!at) return undefined;
    const input: OperationInput = {
      ...parts,
      ...(target.route === 'collection' || target.route === 'search' ? {} : { id: target.id }),
    };
    return runFor(at(input), as.caller, input, as.invocation);
  }

  /**
   * Where one operation of a CrudApi's route (or, with `search`, its search route) runs for `input`, without
   * running it: what the MCP server splices into a tool call's own pass (mcp/tool-operation.ts). An unknown
   * component, or a search route the CrudApi does not declare, is `undefined`.
   *
   * @example
   * ```ts
   * const at = routes.targetOf('NoteApi', { method: 'GET', id: '42' }); // { endpoint: <the item route>, path: 'notes/42', services }
   * ```
   */
  targetOf(
    componentId: string,
    input: OperationInput,
    search = false,
  ): OperationTarget | undefined {
    const runs = this.entities.get(componentId);
    const at = search ? runs?.search : runs?.route;
    return at?.(input);
  }

  /**
   * One CrudApi's operations as `as.caller`, or undefined for a component not served here ({@link callerFor}'s
   * entry for one CrudApi, made alone).
   *
   * @example
   * ```ts
   * const answer = await routes.entityCaller('NoteApi', { caller, invocation })?.get('42');
   * ```
   */
  entityCaller(componentId: string, as: RunAs): EntityDoor | undefined {
    const runs = this.entities.get(componentId);
    return runs ? new EntityCaller(runs, as) : undefined;
  }
}
