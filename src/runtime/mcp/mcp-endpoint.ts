import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { RuntimeAuth, RuntimeManifest } from '../../model/runtime-manifest.js';
import {
  acceptsMcpResponses,
  initializeResult,
  JSONRPC_ERRORS,
  type JsonRpcId,
  type McpMessage,
  MCP_PROTOCOL_VERSIONS,
  negotiateVersion,
  PROTECTED_RESOURCE_PATH,
  PROTOCOL_VERSION_HEADER,
  readMessage,
  rpcError,
  rpcResult,
} from '../../contract/mcp/protocol.js';
import { jsonObjectOf } from '../../contract/json-object.js';
import { Caller } from '../caller/caller-view.js';
import type { TenantAdmission } from '../caller/tenant-source.js';
import { readJsonObject } from '../http/body.js';
import { methodNotAllowed } from '../http/response.js';
import type { InProcessRoutes } from '../in-process/routes.js';
import type { Endpoint, LogFrame, RuntimeServices, TraceFrame } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import { mayCall, serverTools, type ServedTool } from './caller-tools.js';
import { toolCall } from './tool-call.js';

/** What the MCP endpoint is built from: the app's manifest, its in-process routes and the caller policy. */
export interface McpDeps {
  readonly manifest: RuntimeManifest;
  readonly routes: InProcessRoutes;
  readonly policy: RuntimeAuth | undefined;
  /** The app's services (registry, meter, tenant source), made once at start (routes/app-services.ts). */
  readonly services: RuntimeServices;
}

const json = (status: number, body: unknown): HttpResponseInit => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The MCP server at `api/mcp` (Streamable HTTP, stateless, JSON responses: MCP 2025-06-18 basic/transports
 * "Streamable HTTP"). Every POST is one pass of the request pipeline, counted once in the usage ledger and limited
 * once: a `tools/call` of a tool the caller may call — the caller as the route's caller and registry stages see
 * them: a directory's record, or with organizations the member acting in the one the request names, with its
 * membership's roles — is the pass of the REST route it mirrors, run for that caller (the runtime's in-process
 * entry: the route's stages after the caller's and the registry's, then its handler; a tool function's registered
 * handler, gate included); every other message (`initialize`, `ping`,
 * `tools/list`, notifications, an unknown or unlisted tool, a malformed message) is the pass of this endpoint,
 * whose handler answers it with the caller its caller stage resolved, framed by `frame` (its log line and span; a
 * tool call's are its route's). GET and DELETE are 405 (no SSE stream, no sessions to end); an `Accept` without
 * both JSON and an event stream 406, a body that is no JSON-RPC message 400 with its JSON-RPC error; an
 * anonymous caller's 401 names the protected-resource metadata (RFC 9728 §5.1).
 *
 * @example
 * ```ts
 * app.http('atakora-mcp', { route: 'mcp', methods: [...ROUTE_METHODS], handler: mcpHandler({ manifest, routes, policy, services }, frame) });
 * ```
 */
export function mcpHandler(
  deps: McpDeps,
  frame: { readonly log?: LogFrame; readonly trace?: TraceFrame } = {},
): (request: HttpRequest, invocation: InvocationContext) => Promise<HttpResponseInit> {
  const toolsOf = toolCatalog(deps);
  return async (request, invocation) => {
    const pass = async (answer: (caller: Caller) => Promise<HttpResponseInit>) =>
      challenged(
        await serve(endpoint(deps.policy, answer, frame), deps.services)(request, invocation),
        request,
      );
    const reply = (response: HttpResponseInit) => pass(() => Promise.resolve(response));
    // A refused caller (401, a directory not admitted) or another method gets this endpoint's own pass, which
    // refuses it before any body is read.
    const view = Caller.of(request, deps.policy);
    if (view.refusal || request.method.toUpperCase() !== 'POST') return reply({ status: 204 });
    const headers = request.headers;
    if (!acceptsMcpResponses(headers.get('accept')))
      return reply(
        json(
          406,
          rpcError(
            null,
            JSONRPC_ERRORS.transportError,
            'Not Acceptable: the client must accept both application/json and text/event-stream.',
          ),
        ),
      );
    const read = await readJsonObject(request);
    if (!read.ok) return reply(unreadable(read.response));
    const message = readMessage(read.value);
    const version = headers.get(PROTOCOL_VERSION_HEADER);
    // MCP 2025-06-18 basic/transports, "Protocol Version Header": an unsupported version is 400 (initialize
    // negotiates its own; a request without the header is taken, as the SDK's server takes it).
    if (version !== null && !MCP_PROTOCOL_VERSIONS.includes(version) && !isInitialize(message))
      return reply(
        json(
          400,
          rpcError(
            message.kind === 'request' ? message.id : null,
            JSONRPC_ERRORS.invalidRequest,
            `Unsupported ${PROTOCOL_VERSION_HEADER} ${version}: this server speaks ${MCP_PROTOCOL_VERSIONS.join(', ')}.`,
          ),
        ),
      );
    // A tool the caller may call: the pass of the route it mirrors, and nothing else.
    const served =
      message.kind === 'request' && message.method === 'tools/call'
        ? toolsOf().get(String(message.params['name']))
        : undefined;
    // Who calls, as the route's caller and registry stages will see them (with organizations, the member acting in
    // the one the request names, with its membership's roles); a refusal is this endpoint's pass's to answer.
    const admitting = served ? registered(view, request, deps) : undefined;
    const caller = admitting instanceof Promise ? await admitting : admitting;
    if (
      message.kind === 'request' &&
      served &&
      caller &&
      mayCall(caller, served.target, deps.policy)
    ) {
      const call = toolCall(served, message.params['arguments']);
      if (!call.ok) {
        // Arguments refused before any route: this endpoint's pass, counted and logged as a refused request (400),
        // whose answer is the tool error — unless a stage of the pass refused the POST itself first (a rate limit).
        let reached = false;
        const refused = await pass(() => {
          reached = true;
          return Promise.resolve({ status: 400 });
        });
        return reached ? toolAnswer(message.id, call.refused) : refused;
      }
      let result: string;
      try {
        result = (await call.run(deps.routes, { request, caller, invocation })).result;
      } catch (e) {
        // The route's pass answers its own faults; one of the tool's own is this endpoint's pass's to log and answer.
        return pass(() => Promise.reject(e instanceof Error ? e : new Error(String(e))));
      }
      return toolAnswer(message.id, result);
    }
    return pass((view) => Promise.resolve(answer(message, view, toolsOf, deps.policy)));
  };
}

/** A tool's result as the JSON-RPC answer: JSON text already (tool-call.ts), written around, not parsed again. */
function toolAnswer(id: JsonRpcId, result: string): HttpResponseInit {
  return {
    status: 200,
    headers: { 'Content-Type': 'application/json' },
    body: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}`,
  };
}

/**
 * A body that is no JSON object, as a JSON-RPC error of the refusal's status (JSON-RPC 2.0 §5.1: not JSON is
 * -32700, anything else no request, -32600) carrying the problem document as its `data`.
 */
function unreadable(refusal: HttpResponseInit): HttpResponseInit {
  const problem = jsonObjectOf(refusal.body) ?? {};
  const type = problem['type'];
  const detail = problem['detail'];
  const notJson = typeof type === 'string' && type.endsWith(':body-not-json');
  return json(
    refusal.status ?? 400,
    rpcError(
      null,
      notJson ? JSONRPC_ERRORS.parseError : JSONRPC_ERRORS.invalidRequest,
      typeof detail === 'string' ? detail : 'The body is no JSON-RPC message.',
      problem,
    ),
  );
}

const isInitialize = (m: McpMessage) => m.kind === 'request' && m.method === 'initialize';

/**
 * The caller of a tool call as its route will see it after the registry stage (a directory's record, or with
 * organizations the member acting in the one the request names), or undefined when that stage refuses them (this
 * endpoint's pass then answers, counted once) — a promise only when a tenant source must be asked. No ledger, no
 * limits: the route's pass counts the call.
 */
function registered(
  view: Caller,
  request: HttpRequest,
  deps: Pick<McpDeps, 'policy' | 'services'>,
): Caller | undefined | Promise<Caller | undefined> {
  const source = deps.services.tenants;
  // No registry stage to pass (no sign-in required, or no tenant source): the request's caller, without a wait.
  if (!deps.policy?.required || !source) return view;
  const admission = source.admit(view, request, {});
  return admission instanceof Promise ? admission.then(admitted) : admitted(admission);
}

const admitted = (a: TenantAdmission): Caller | undefined => (a.ok ? a.caller : undefined);

/** The server's tools, made once the app's tool functions are registered (after the CRUD routes). */
function toolCatalog(deps: McpDeps): () => ReadonlyMap<string, ServedTool> {
  let made: { count: number; tools: ReadonlyMap<string, ServedTool> } | undefined;
  return () => {
    const count = deps.routes.toolCount();
    if (made?.count !== count)
      made = {
        count,
        tools: serverTools(
          deps.manifest.entities,
          deps.routes.toolFunctions(),
          deps.manifest.mcp?.writes === true,
        ),
      };
    return made.tools;
  };
}

/** This endpoint as the pipeline serves it: POST only, no resource of its own; `answer` is its handler's body. */
function endpoint(
  policy: RuntimeAuth | undefined,
  answer: (caller: Caller) => Promise<HttpResponseInit>,
  frame: { readonly log?: LogFrame; readonly trace?: TraceFrame },
): Endpoint<null> {
  return {
    policy,
    ...frame,
    route: (c) =>
      c.method === 'POST'
        ? { ok: true, value: null }
        : methodNotAllowed(['POST'], c.request.method),
    handle: (c) => answer(c.caller),
  };
}

/** One message that is no call of a tool the caller may call. */
function answer(
  message: McpMessage,
  caller: Parameters<typeof mayCall>[0],
  toolsOf: () => ReadonlyMap<string, ServedTool>,
  policy: RuntimeAuth | undefined,
): HttpResponseInit {
  if (message.kind === 'notification' || message.kind === 'response') return { status: 202 };
  if (message.kind === 'invalid')
    return json(400, rpcError(message.id, JSONRPC_ERRORS.invalidRequest, message.message));
  const { id, method, params } = message;
  switch (method) {
    case 'initialize':
      return json(
        200,
        rpcResult(
          id,
          initializeResult(negotiateVersion(params['protocolVersion']), {
            name: 'atakora',
            title: 'Atakora Backend',
            version: '1',
          }),
        ),
      );
    case 'ping':
      return json(200, rpcResult(id, {}));
    case 'tools/list': {
      // One page holds every tool: no cursor is ever given out, so any cursor is one this server never issued.
      if (params['cursor'] !== undefined)
        return json(200, rpcError(id, JSONRPC_ERRORS.invalidParams, 'Unknown cursor.'));
      const tools = [...toolsOf().values()]
        .filter((t) => mayCall(caller, t.target, policy))
        .map((t) => t.tool);
      return json(200, rpcResult(id, { tools }));
    }
    case 'tools/call':
      // Reached only for a tool this caller may not call, or none by that name: the same answer for both.
      return json(
        200,
        rpcError(id, JSONRPC_ERRORS.invalidParams, `Unknown tool: ${String(params['name'])}`),
      );
    default:
      return json(200, rpcError(id, JSONRPC_ERRORS.methodNotFound, `Method not found: ${method}`));
  }
}

/**
 * A 401 as an MCP client must see it: `WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/
 * oauth-protected-resource"` (MCP 2025-06-18 basic/authorization "Authorization Server Location"; RFC 9728 §5.1).
 */
function challenged(response: HttpResponseInit, request: HttpRequest): HttpResponseInit {
  if (response.status !== 401) return response;
  const origin = new URL(request.url).origin;
  return {
    ...response,
    headers: {
      ...(response.headers as Record<string, string> | undefined),
      'WWW-Authenticate': `Bearer resource_metadata="${origin}${PROTECTED_RESOURCE_PATH}"`,
    },
  };
}
