import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { type RestCall, restCallOf, toolResultText } from '../../contract/mcp/tool-calls.js';
import type { RuntimeMcpFunction } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import { pathSegment } from '../pipeline/operation-input.js';
import type { ServedTool } from './caller-tools.js';
import { innerRequest } from './function-request.js';

/** The request a tool function's call is made for (its gate reads the caller from it), and its invocation. */
export interface CallerOf {
  readonly request: HttpRequest;
  readonly invocation: InvocationContext | undefined;
}

/**
 * One `tools/call` of a tool the server has, its arguments checked before any route runs. A CrudApi tool's must be
 * the ones its input schema names, of their types (contract/mcp/tool-calls.ts `restCallOf`), else the call is
 * refused with the `400 validation` problem naming the argument as its tool error result (`refused`, JSON text);
 * accepted, it is the REST call it mirrors (`rest`), which the endpoint runs inside its own pass (tool-operation.ts).
 * A tool function takes what its route takes: `run` calls its registered handler with a request of the caller's
 * (function-request.ts) and answers the tool's result as JSON text (`CallToolResult`); a refusal (any 4xx/5xx) a
 * result with `isError` carrying the problem document (MCP 2025-06-18 server/tools "Error Handling": tool execution
 * errors a model can read and correct).
 *
 * @example
 * ```ts
 * const call = toolCall(served, { id: 'n1' });
 * if (call.ok && call.kind === 'crud') console.log(call.rest); // { route: 'item', method: 'GET', id: 'n1', … }
 * ```
 */
export function toolCall(served: ServedTool, args: unknown): ToolCall {
  const { target } = served;
  if (target.kind === 'function')
    return {
      ok: true,
      kind: 'function',
      run: (routes, from) => callFunction(target.fn, args, routes, from),
    };
  const built = restCallOf(target.action, args);
  if (!built.ok) return { ok: false, refused: toolResultText(JSON.stringify(built.problem), true) };
  return { ok: true, kind: 'crud', rest: built.call };
}

/** A `tools/call` as {@link toolCall} makes it: a CrudApi tool's REST call, a tool function's run, or the refusal. */
export type ToolCall =
  | { readonly ok: true; readonly kind: 'crud'; readonly rest: RestCall }
  | {
      readonly ok: true;
      readonly kind: 'function';
      /** The tool's result as JSON text (a pass of its own: its route counts and logs its status). */
      run(routes: InProcessRoutes, from: CallerOf): Promise<string>;
    }
  | { readonly ok: false; readonly refused: string };

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
  return toolResultText(JSON.stringify(structured), status >= 400);
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
