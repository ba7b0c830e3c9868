import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { jsonObjectOf } from '../../contract/json-object.js';
import {
  acceptsMcpResponses,
  JSONRPC_ERRORS,
  type McpMessage,
  MCP_PROTOCOL_VERSIONS,
  PROTOCOL_VERSION_HEADER,
  readMessage,
  rpcError,
} from '../../contract/mcp/protocol.js';
import { resourceMetadataUrl } from '../../contract/mcp/oauth/metadata.js';
import { readJsonObject } from '../http/body.js';
import { methodNotAllowed } from '../http/response.js';
import { rpcJson } from './rpc-json.js';

/**
 * What the transport made of a POST (MCP 2025-06-18 basic/transports "Streamable HTTP", stateless, JSON
 * responses): one JSON-RPC message, or the refusal of the request as HTTP — another method (405: no SSE stream, no
 * session to end), an `Accept` without both JSON and an event stream (406), a body that is no JSON-RPC message
 * (400 with its JSON-RPC error), an unsupported `MCP-Protocol-Version` (400). The refusal is answered only once the
 * caller's stages passed (an anonymous caller gets its 401 first, as from any route).
 *
 * @example
 * ```ts
 * const input: McpInput = { ok: true, message: readMessage(body) };
 * ```
 */
export type McpInput =
  | { readonly ok: true; readonly message: McpMessage }
  | { readonly ok: false; readonly response: HttpResponseInit };

const isInitialize = (m: McpMessage) => m.kind === 'request' && m.method === 'initialize';

/**
 * Transport: the request as one JSON-RPC message, or its refusal as HTTP (see {@link McpInput}) — read before the
 * frame is chosen (a tool call is framed as the route it runs), answered after the caller's stages; a promise only for
 * a POST (its body is read).
 *
 * @example
 * ```ts
 * const mcp = await mcpInput(request);
 * ```
 */
export function mcpInput(request: HttpRequest): McpInput | Promise<McpInput> {
  if (request.method.toUpperCase() !== 'POST')
    return { ok: false, response: methodNotAllowed(['POST'], request.method).response };
  const headers = request.headers;
  if (!acceptsMcpResponses(headers.get('accept')))
    return {
      ok: false,
      response: rpcJson(
        406,
        rpcError(
          null,
          JSONRPC_ERRORS.transportError,
          'Not Acceptable: the client must accept both application/json and text/event-stream.',
        ),
      ),
    };
  return readJsonObject(request).then((read): McpInput => {
    if (!read.ok) return { ok: false, response: unreadable(read.response) };
    const message = readMessage(read.value);
    const version = headers.get(PROTOCOL_VERSION_HEADER);
    // MCP 2025-06-18 basic/transports, "Protocol Version Header": an unsupported version is 400 (initialize
    // negotiates its own; a request without the header is taken, as the SDK's server takes it).
    if (version !== null && !MCP_PROTOCOL_VERSIONS.includes(version) && !isInitialize(message))
      return {
        ok: false,
        response: rpcJson(
          400,
          rpcError(
            message.kind === 'request' ? message.id : null,
            JSONRPC_ERRORS.invalidRequest,
            `Unsupported ${PROTOCOL_VERSION_HEADER} ${version}: this server speaks ${MCP_PROTOCOL_VERSIONS.join(', ')}.`,
          ),
        ),
      };
    return { ok: true, message };
  });
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
  return rpcJson(
    refusal.status ?? 400,
    rpcError(
      null,
      notJson ? JSONRPC_ERRORS.parseError : JSONRPC_ERRORS.invalidRequest,
      typeof detail === 'string' ? detail : 'The body is no JSON-RPC message.',
      problem,
    ),
  );
}

/**
 * A 401 as an MCP client must see it: `WWW-Authenticate: Bearer resource_metadata="<origin>/.well-known/
 * oauth-protected-resource"` (MCP 2025-06-18 basic/authorization "Authorization Server Location"; RFC 9728 §5.1).
 * With the backend its own authorization server (`ownServer`: mcp.authorization) the URL is the runtime's own
 * document, `<origin>/api/.well-known/oauth-protected-resource` (RFC 9728 §5.1 lets the header name any URL, and
 * the MCP specification's clients use it first): in Azure the root path is App Service authentication's, whose
 * document names Entra ID (contract/mcp/oauth/metadata.ts `resourceMetadataUrl`).
 *
 * @example
 * ```ts
 * return challenged(answer, request, manifest.mcp?.authorization !== undefined);
 * ```
 */
export function challenged(
  response: HttpResponseInit,
  request: HttpRequest,
  ownServer = false,
): HttpResponseInit {
  if (response.status !== 401) return response;
  // An agent token's 401 names its own error beside the metadata (RFC 6750 §3: error="invalid_token"): kept.
  const own = response.headers as Record<string, string> | undefined;
  if (own?.['WWW-Authenticate']?.includes('resource_metadata=')) return response;
  const origin = new URL(request.url).origin;
  return {
    ...response,
    headers: {
      ...(response.headers as Record<string, string> | undefined),
      'WWW-Authenticate': `Bearer resource_metadata="${resourceMetadataUrl(origin, ownServer)}"`,
    },
  };
}
