import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { RuntimeEntity, RuntimeMcpFunction } from '../../model/runtime-manifest.js';
import { innerRequest, type InnerCall } from './inner-request.js';

/** One CrudApi's routes as registered: its entity, the collection and item handlers, its children routes. */
interface EntityRoutes {
  readonly entity: RuntimeEntity;
  readonly collection: HttpHandler;
  readonly item: HttpHandler;
  readonly children: ReadonlyMap<string, HttpHandler>;
}

/** Where an in-process call goes on one CrudApi: its collection, an item, or an item's children of a relation. */
export type RouteTarget =
  | { readonly route: 'collection' }
  | { readonly route: 'item'; readonly id: string }
  | { readonly route: 'children'; readonly id: string; readonly relation: string };

/** The request an in-process call is made for: whose caller it acts as, and its invocation (logs, trace). */
export interface CallerOf {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext | undefined;
}

/** What a call sends besides its target: method, query, headers and JSON body. */
export type CallParts = Omit<InnerCall, 'path' | 'params'>;

/**
 * The runtime's in-process entry: "run this route's operation for this caller with this input". Each call goes to
 * the very handler the host registered for the REST route it mirrors — the request pipeline's every stage
 * (admission, caller, registry, tenant, limits, access rules, validation, relations, realtime, change handlers, the
 * usage ledger, its log line and server span) — with a request built for the caller of `outer` (the same identity
 * headers), without an HTTP hop. `dataOf(request)` and the MCP server's tools call through it; nothing here decides
 * anything about the caller.
 *
 * @example
 * ```ts
 * const routes = new InProcessRoutes();
 * registerCrudRoutes({ http: () => undefined }, manifest, { containerFor, inProcess: routes });
 * // The item route of the first CrudApi, for the caller of `request`, in this process:
 * const answer = await routes.call(
 *   entity.componentId,
 *   { route: 'item', id: 'n1' },
 *   { method: 'GET', query: new URLSearchParams(), headers: {} },
 *   { request, invocation: context },
 * );
 * console.log(answer?.status); // the route's answer: 200, 401, 404…
 * ```
 */
export class InProcessRoutes {
  private readonly entities = new Map<string, EntityRoutes>();
  private readonly functions = new Map<string, { fn: RuntimeMcpFunction; handler: HttpHandler }>();

  /** Record one CrudApi's registered handlers (registerCrudRoutes, as it registers them). */
  addEntity(
    entity: RuntimeEntity,
    handlers: { collection: HttpHandler; item: HttpHandler },
    children: ReadonlyMap<string, HttpHandler>,
  ): void {
    this.entities.set(entity.componentId, { entity, ...handlers, children });
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

  /**
   * One call to a CrudApi's route for `caller`, answered as the route answers it (status, headers, body text).
   * An unknown component or relation is `undefined` (the caller's code named something this app does not serve).
   */
  async call(
    componentId: string,
    target: RouteTarget,
    parts: CallParts,
    caller: CallerOf,
  ): Promise<HttpResponseInit | undefined> {
    const routes = this.entities.get(componentId);
    if (!routes) return undefined;
    const base = routes.entity.route;
    const handler =
      target.route === 'collection'
        ? routes.collection
        : target.route === 'item'
          ? routes.item
          : routes.children.get(target.relation);
    if (!handler) return undefined;
    const path =
      target.route === 'collection'
        ? base
        : `${base}/${encodeURIComponent(target.id)}${target.route === 'children' ? `/${target.relation}` : ''}`;
    const params: Record<string, string> = target.route === 'collection' ? {} : { id: target.id };
    const request = innerRequest(caller.request, { ...parts, path, params });
    return answered(await handler(request, caller.invocation as InvocationContext));
  }

  /** One call to a tool function's route for `caller` (its gate, then its code), or undefined for none such. */
  async callFunction(
    name: string,
    parts: CallParts & { readonly path: string; readonly params: Readonly<Record<string, string>> },
    caller: CallerOf,
  ): Promise<HttpResponseInit | undefined> {
    const f = this.functions.get(name);
    if (!f) return undefined;
    const request = innerRequest(caller.request, parts);
    return answered(await f.handler(request, caller.invocation as InvocationContext));
  }
}

/** A handler's answer as init data (a host `HttpResponse` object, which users' code may return, read as such). */
function answered(response: unknown): HttpResponseInit {
  return response ?? {};
}
