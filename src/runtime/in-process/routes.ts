import type {
  HttpHandler,
  HttpRequest,
  HttpResponseInit,
  InvocationContext,
} from '@azure/functions';
import type { RuntimeEntity, RuntimeMcpFunction } from '../../model/runtime-manifest.js';
import type { Caller } from '../caller/caller-view.js';
import type { OperationInput, OperationRun } from '../pipeline/operation-input.js';
import { innerRequest, type InnerCall } from './inner-request.js';

/** One CrudApi's routes as the in-process entry runs them: its entity, collection, item and children routes. */
interface EntityRoutes {
  readonly entity: RuntimeEntity;
  /** The collection's route without an `id`, the item's with one (crud/handlers.ts `run`). */
  readonly run: OperationRun;
  readonly children: ReadonlyMap<string, OperationRun>;
}

/** Where an in-process call goes on one CrudApi: its collection, an item, or an item's children of a relation. */
export type RouteTarget =
  | { readonly route: 'collection' }
  | { readonly route: 'item'; readonly id: string }
  | { readonly route: 'children'; readonly id: string; readonly relation: string };

/**
 * Whom an in-process call of a CrudApi acts as: the caller the request that makes it resolved (the REST pipeline's
 * caller and registry stages, or the MCP endpoint's own reading of them), and that request's invocation (its log
 * line and span join it).
 */
export interface RunAs {
  readonly caller: Caller;
  readonly invocation: InvocationContext | undefined;
}

/** The request a tool function's call is made for (its gate reads the caller from it), and its invocation. */
export interface CallerOf {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext | undefined;
}

/** What a call sends besides its target: method, query, headers and JSON body. */
export type CallParts = Omit<InnerCall, 'path' | 'params'>;

/**
 * The runtime's in-process entry: "run this route's operation for this caller with this input". A CrudApi's call
 * runs the REST route it mirrors for the caller already resolved (pipeline/serve.ts `runFor`: its span and log
 * line, the usage ledger, route, tenant, limits, access rules, then validation, relations, realtime and change
 * handlers) without an HTTP hop or a second reading of the caller; a tool function's call — users' code, which reads
 * its request — goes to the very handler the host registered (its gate, then its code) with a request built from
 * the caller's own (the same identity headers: inner-request.ts). `dataOf(request)` and the MCP server's tools call
 * through it; nothing here decides anything about the caller.
 *
 * @example
 * ```ts
 * // One entry shared by the CrudApis' routes and the FunctionsApps' gates of one app: a function's
 * // dataOf(request) and the MCP server's tool calls run the CrudApis' routes through it, as the caller the gate
 * // or the endpoint resolved.
 * const routes = new InProcessRoutes();
 * registerCrudRoutes({ http: () => undefined }, manifest, { containerFor, inProcess: routes });
 * console.log(routes.allEntities().map((e) => e.route)); // the CrudApis served in this process: ['notes', …]
 * ```
 */
export class InProcessRoutes {
  private readonly entities = new Map<string, EntityRoutes>();
  private readonly functions = new Map<string, { fn: RuntimeMcpFunction; handler: HttpHandler }>();

  /** Record one CrudApi's routes as in-process runs (registerCrudRoutes, as it registers their handlers). */
  addEntity(
    entity: RuntimeEntity,
    handlers: { readonly run: OperationRun },
    children: ReadonlyMap<string, OperationRun>,
  ): void {
    this.entities.set(entity.componentId, { entity, run: handlers.run, children });
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
   * One call to a CrudApi's route as `as.caller`, answered as the route answers it (status, headers, body text).
   * An unknown component or relation is `undefined` (the caller's code named something this app does not serve).
   */
  async call(
    componentId: string,
    target: RouteTarget,
    parts: CallParts,
    as: RunAs,
  ): Promise<HttpResponseInit | undefined> {
    const routes = this.entities.get(componentId);
    if (!routes) return undefined;
    const run = target.route === 'children' ? routes.children.get(target.relation) : routes.run;
    if (!run) return undefined;
    const input: OperationInput = {
      method: parts.method,
      query: parts.query,
      headers: parts.headers,
      ...(target.route === 'collection' ? {} : { id: target.id }),
      ...(parts.bodyText !== undefined
        ? { bodyText: parts.bodyText }
        : parts.body !== undefined
          ? { body: parts.body }
          : {}),
    };
    return run(as.caller, input, as.invocation);
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
