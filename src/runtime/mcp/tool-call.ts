import type { HttpResponseInit } from '@azure/functions';
import {
  crudToolJson,
  type RestCall,
  restCallOf,
  toolResultText,
} from '../../contract/mcp/tool-calls.js';
import type { RuntimeMcpFunction } from '../../model/runtime-manifest.js';
import type { CallerOf, InProcessRoutes, RunAs } from '../in-process/routes.js';
import { pathSegment } from '../pipeline/operation-input.js';
import type { ServedTool } from './caller-tools.js';

/**
 * One `tools/call` of a tool the caller may call, its arguments checked before any route runs: a CrudApi tool's must
 * be the ones its input schema names, of their types (contract/mcp/tool-calls.ts `restCallOf`), else the call is
 * refused with the `400 validation` problem naming the argument as its tool error result (`refused`, JSON text);
 * a tool function takes what its route takes. Once accepted, `run` makes the REST call it mirrors through the
 * runtime's in-process entry — a CrudApi's route run as the caller the endpoint resolved (its pipeline after the
 * caller's and the registry's stages), a tool function's registered handler with a request of the caller's — and
 * answers the route's answer as the tool's result, as JSON text (`CallToolResult`); a refusal (any 4xx/5xx) a
 * result with `isError` carrying the problem document (MCP 2025-06-18 server/tools "Error Handling": tool
 * execution errors a model can read and correct).
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
  | { readonly ok: true; run(routes: InProcessRoutes, from: CallerOf & RunAs): Promise<string> }
  | { readonly ok: false; readonly refused: string } {
  const { target } = served;
  if (target.kind === 'function')
    return { ok: true, run: (routes, from) => callFunction(target.fn, args, routes, from) };
  const built = restCallOf(target.action, args);
  if (!built.ok) return { ok: false, refused: toolResultText(JSON.stringify(built.problem), true) };
  const { call } = built;
  return { ok: true, run: (routes, from) => callCrud(target, call, routes, from) };
}

/** A CrudApi tool's REST call, run in-process as the caller; the route's answer as the tool's result. */
async function callCrud(
  target: Extract<ServedTool['target'], { kind: 'crud' }>,
  call: RestCall,
  routes: InProcessRoutes,
  as: RunAs,
): Promise<string> {
  const response = await routes.call(
    target.entity.componentId,
    call.route === 'collection' ? { route: 'collection' } : { route: 'item', id: call.id ?? '' },
    {
      method: call.method,
      query: new URLSearchParams(call.query),
      headers: call.headers,
      ...(call.body === undefined ? {} : { body: call.body }),
    },
    as,
  );
  if (!response)
    return toolResultText('{"type":"about:blank","title":"Not Found","status":404}', true);
  const text =
    typeof response.body === 'string' ? response.body : JSON.stringify(await bodyOf(response));
  const { json, isError } = crudToolJson(
    target.action,
    call,
    response.status ?? 200,
    text,
    headerOf(response, 'etag'),
  );
  return toolResultText(json, isError);
}

/** An HTTP function's tool call: its route with the arguments (path parameters, then a body or a query). */
async function callFunction(
  fn: RuntimeMcpFunction,
  args: unknown,
  routes: InProcessRoutes,
  caller: CallerOf,
): Promise<string> {
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
  const response = await routes.callFunction(
    fn.name,
    {
      method,
      path: path.replace(/\/+$/, ''),
      params,
      query,
      headers: {},
      ...(withBody ? { body: a } : {}),
    },
    caller,
  );
  const status = response ? (response.status ?? 200) : 404;
  const body = response ? await bodyOf(response) : undefined;
  const structured =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : body === undefined
        ? { status }
        : { result: body };
  return toolResultText(JSON.stringify(structured), status >= 400);
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

function headerOf(response: HttpResponseInit, name: string): string | undefined {
  const h = response.headers;
  if (!h) return undefined;
  if (h instanceof Headers) return h.get(name) ?? undefined;
  if (Array.isArray(h)) return h.find(([k]) => k.toLowerCase() === name)?.[1];
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** A scalar argument as route or query text; undefined for anything else (an object, a list, null). */
function scalar(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : undefined;
}
