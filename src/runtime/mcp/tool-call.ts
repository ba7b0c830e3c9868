import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DoorAnswer, DoorListQuery, EntityDoor } from '../../contract/data-door.js';
import { LIST_QUERY_PARAMETERS as Q } from '../../contract/paging.js';
import { RELATION_PARAMETERS as R } from '../../contract/relations.js';
import type { SearchBody } from '../../contract/search.js';
import {
  crudToolJson,
  type RestCall,
  restCallOf,
  toolResultText,
} from '../../contract/mcp/tool-calls.js';
import type { RuntimeMcpFunction } from '../../model/runtime-manifest.js';
import type { InProcessRoutes, RunAs } from '../in-process/routes.js';
import { pathSegment } from '../pipeline/operation-input.js';
import type { ServedTool } from './caller-tools.js';
import { innerRequest } from './function-request.js';

/** The request a tool function's call is made for (its gate reads the caller from it), and its invocation. */
export interface CallerOf {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext | undefined;
}

/**
 * One `tools/call` of a tool the caller may call, its arguments checked before any route runs: a CrudApi tool's must
 * be the ones its input schema names, of their types (contract/mcp/tool-calls.ts `restCallOf`), else the call is
 * refused with the `400 validation` problem naming the argument as its tool error result (`refused`, JSON text);
 * a tool function takes what its route takes. Once accepted, `run` runs it: a CrudApi tool as the operation of the
 * in-process door (`routes.callerFor`: the route's stages after the caller's, its input and answer data), a tool
 * function through its registered handler with a request of the caller's (function-request.ts) — and answers the
 * tool's result as JSON text (`CallToolResult`); a refusal (any 4xx/5xx) a result with `isError` carrying the
 * problem document (MCP 2025-06-18 server/tools "Error Handling": tool execution errors a model can read and
 * correct).
 *
 * @example
 * ```ts
 * const call = toolCall(served, { id: 'n1' });
 * const result = call.ok ? await call.run(routes, { request, caller, invocation }) : call.refused;
 * ```
 */
export function toolCall(
  served: ServedTool,
  args: unknown,
):
  | { readonly ok: true; run(routes: InProcessRoutes, from: CallerOf & RunAs): Promise<ToolAnswer> }
  | { readonly ok: false; readonly refused: string } {
  const { target } = served;
  if (target.kind === 'function')
    return { ok: true, run: (routes, from) => callFunction(target.fn, args, routes, from) };
  const built = restCallOf(target.action, args);
  if (!built.ok) return { ok: false, refused: toolResultText(JSON.stringify(built.problem), true) };
  const { call } = built;
  return { ok: true, run: (routes, as) => callCrud(target, call, routes, as) };
}

/** A tool's result as JSON text, and the status of the operation it ran (what its pass counts and logs). */
export interface ToolAnswer {
  readonly result: string;
  readonly status: number;
}

const names = (v: string | undefined) => (v === undefined ? undefined : v.split(','));

/** A list's query as the door takes it, from the REST call's parameters (`$filter`, …, `pk`). */
function listQuery(q: Readonly<Record<string, string>>): DoorListQuery {
  const first = q[Q.first];
  return {
    filter: q[Q.filter],
    orderBy: q[Q.orderBy],
    select: names(q[Q.select]),
    first: first === undefined ? undefined : Number(first),
    after: q[Q.after],
    expand: names(q[R.expand]),
    partitionKey: q['pk'],
  };
}

/** The door's operation a CrudApi tool's call is. */
function operate(
  door: EntityDoor,
  action: Extract<ServedTool['target'], { kind: 'crud' }>['action'],
  call: RestCall,
): Promise<DoorAnswer> {
  const q = call.query;
  const id = call.id ?? '';
  const options = {
    partitionKey: q['pk'],
    expand: names(q[R.expand]),
    ifMatch: call.headers['If-Match'],
  };
  switch (action) {
    case 'list':
      return door.list(listQuery(q));
    case 'count':
      return door.count({ filter: q[Q.filter], partitionKey: q['pk'] });
    case 'aggregate':
      return door.aggregate({
        apply: q[Q.apply] ?? '',
        filter: q[Q.filter],
        partitionKey: q['pk'],
      });
    case 'search':
      // The search route's own run, its body as the arguments gave it (the route checks it as a REST body).
      return door.search({ ...(call.body as SearchBody), partitionKey: q['pk'] });
    case 'get':
      return door.get(id, options);
    case 'create':
      return door.create(call.body, options);
    case 'update':
      return door.update(id, call.body, options);
    case 'delete':
      return door.delete(id, options);
  }
}

/** A CrudApi tool's operation, run in-process as the caller; its answer as the tool's result. */
async function callCrud(
  target: Extract<ServedTool['target'], { kind: 'crud' }>,
  call: RestCall,
  routes: InProcessRoutes,
  as: RunAs,
): Promise<ToolAnswer> {
  const door = routes.entityCaller(target.entity.componentId, as);
  if (!door)
    return {
      result: toolResultText('{"type":"about:blank","title":"Not Found","status":404}', true),
      status: 404,
    };
  const answer = await operate(door, target.action, call);
  const { json, isError } = crudToolJson(
    target.action,
    call,
    answer.status,
    answer.json,
    answer.ok ? answer.etag : undefined,
  );
  return { result: toolResultText(json, isError), status: answer.status };
}

/** An HTTP function's tool call: its route with the arguments (path parameters, then a body or a query). */
async function callFunction(
  fn: RuntimeMcpFunction,
  args: unknown,
  routes: InProcessRoutes,
  caller: CallerOf,
): Promise<ToolAnswer> {
  const a = (
    typeof args === 'object' && args !== null && !Array.isArray(args) ? args : {}
  ) as Record<string, unknown>;
  const method =
    ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].find((m) => fn.methods.includes(m)) ?? 'POST';
  const params: Record<string, string> = {};
  // Route parameters ({id}, {id?}, {id:int}, {*rest}) from the arguments of their names.
  const path = fn.route.replace(/\{\*?([A-Za-z0-9_]+)(?::[^}]*)?\??\}/g, (_m, name: string) => {
    const s = scalar(a[name]) ?? '';
    params[name] = s;
    return pathSegment(s);
  });
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  const query = new URLSearchParams();
  if (!withBody)
    for (const [k, v] of Object.entries(a)) {
      const s = scalar(v);
      if (!(k in params) && s !== undefined) query.set(k, s);
    }
  const handler = routes.functionHandler(fn.name);
  const response = handler
    ? answered(
        await handler(
          innerRequest(caller.request, {
            method,
            path: path.replace(/\/+$/, ''),
            params,
            query,
            headers: {},
            ...(withBody ? { body: a } : {}),
          }),
          caller.invocation as InvocationContext,
        ),
      )
    : undefined;
  const status = response ? (response.status ?? 200) : 404;
  const body = response ? await bodyOf(response) : undefined;
  const structured =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : body === undefined
        ? { status }
        : { result: body };
  return { result: toolResultText(JSON.stringify(structured), status >= 400), status };
}

/** A handler's answer as init data (a host `HttpResponse` object, which users' code may return, read as such). */
function answered(response: unknown): HttpResponseInit {
  return response ?? {};
}

/** A route's answer as JSON: `jsonBody`, a JSON text or bytes, or a host `HttpResponse`'s text; else undefined. */
async function bodyOf(response: HttpResponseInit): Promise<unknown> {
  if (response.jsonBody !== undefined) return response.jsonBody;
  const body: unknown = response.body;
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array) text = new TextDecoder().decode(body);
  else if (typeof (response as { text?: unknown }).text === 'function')
    text = await (response as { text(): Promise<string> }).text();
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A scalar argument as route or query text; undefined for anything else (an object, a list, null). */
function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : undefined;
}
