/**
 * The Model Context Protocol as the backend's MCP server speaks it: JSON-RPC 2.0 messages over the Streamable HTTP
 * transport, stateless (no `Mcp-Session-Id`), one JSON response per request (MCP 2025-06-18, basic/transports
 * "Streamable HTTP", "Sending Messages to the Server" 1–5; basic/lifecycle "Version Negotiation").
 */

/**
 * The protocol versions served, newest first: 2025-06-18 and later. `initialize` answers the client's version when
 * it is one of these, else the newest (lifecycle, "Version Negotiation").
 *
 * @example
 * ```ts
 * MCP_PROTOCOL_VERSIONS.includes('2025-06-18'); // true
 * ```
 */
export const MCP_PROTOCOL_VERSIONS: readonly string[] = Object.freeze(['2025-11-25', '2025-06-18']);

/**
 * The MCP endpoint's route under `api/` (the transport's one endpoint path).
 *
 * @example
 * ```ts
 * `${host}/api/${MCP_ROUTE}`; // https://func-….azurewebsites.net/api/mcp
 * ```
 */
export const MCP_ROUTE = 'mcp';

/** The function name the runtime registers the MCP endpoint under. */
export const MCP_FUNCTION = 'atakora-mcp';

/**
 * Where the protected-resource metadata (RFC 9728 §3) is served, at the host's root: App Service authentication's
 * own document in Azure (`WEBSITE_AUTH_PRM_DEFAULT_WITH_SCOPES`), `atakora dev`'s locally.
 *
 * @example
 * ```ts
 * `${origin}${PROTECTED_RESOURCE_PATH}`; // https://func-….azurewebsites.net/.well-known/oauth-protected-resource
 * ```
 */
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

/** The request header naming the negotiated version (transports, "Protocol Version Header"). */
export const PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';

/**
 * JSON-RPC 2.0 error codes the server answers with.
 *
 * @example
 * ```ts
 * JSONRPC_ERRORS.invalidParams; // -32602: an unknown tool, a bad cursor
 * ```
 */
export const JSONRPC_ERRORS = Object.freeze({
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Implementation-defined server error (JSON-RPC 2.0 §5.1): the transport's refusals, as the official SDK's. */
  transportError: -32000,
});

/** A JSON-RPC id: a string or a number (null only in an error for a message whose id could not be read). */
export type JsonRpcId = string | number;

/**
 * One message a client POSTs, as the server reads it: a request (with an id: it gets one response), a
 * notification or a response (no answer: 202), or something that is no JSON-RPC 2.0 message.
 *
 * @example
 * ```ts
 * readMessage({ jsonrpc: '2.0', id: 1, method: 'tools/list' }); // { kind: 'request', id: 1, method: 'tools/list', params: {} }
 * ```
 */
export type McpMessage =
  | {
      readonly kind: 'request';
      readonly id: JsonRpcId;
      readonly method: string;
      readonly params: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'notification' }
  | { readonly kind: 'response' }
  | { readonly kind: 'invalid'; readonly id: JsonRpcId | null; readonly message: string };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A POSTed body as one JSON-RPC 2.0 message. Batches (arrays) are no message: 2025-06-18 removed them
 * (changelog, "Remove support for JSON-RPC batching").
 *
 * @example
 * ```ts
 * readMessage([{ jsonrpc: '2.0', id: 1, method: 'ping' }]).kind; // 'invalid'
 * ```
 */
export function readMessage(body: unknown): McpMessage {
  if (!isRecord(body))
    return {
      kind: 'invalid',
      id: null,
      message: 'The body must be one JSON-RPC 2.0 message (no batches).',
    };
  const rawId = body['id'];
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  if (body['jsonrpc'] !== '2.0') return { kind: 'invalid', id, message: 'jsonrpc must be "2.0".' };
  const method = body['method'];
  if (method === undefined) {
    if ('result' in body || 'error' in body) return { kind: 'response' };
    return { kind: 'invalid', id, message: 'A message needs a method (or a result or an error).' };
  }
  if (typeof method !== 'string')
    return { kind: 'invalid', id, message: 'method must be a string.' };
  const params = body['params'];
  if (params !== undefined && !isRecord(params))
    return { kind: 'invalid', id, message: 'params must be an object.' };
  if (!('id' in body)) return { kind: 'notification' };
  if (id === null)
    return { kind: 'invalid', id: null, message: 'id must be a string or a number.' };
  return { kind: 'request', id, method, params: params ?? {} };
}

/**
 * The version `initialize` answers: the client's when served, else the newest served.
 *
 * @example
 * ```ts
 * negotiateVersion('2025-03-26'); // '2025-11-25'
 * ```
 */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === 'string' && MCP_PROTOCOL_VERSIONS.includes(requested)
    ? requested
    : (MCP_PROTOCOL_VERSIONS[0] ?? '2025-06-18');
}

/**
 * A JSON-RPC success response.
 *
 * @example
 * ```ts
 * rpcResult(1, {}); // { jsonrpc: '2.0', id: 1, result: {} }
 * ```
 */
export function rpcResult(id: JsonRpcId, result: unknown): Record<string, unknown> {
  return { jsonrpc: '2.0', id, result };
}

/**
 * A JSON-RPC error response.
 *
 * @example
 * ```ts
 * rpcError(3, JSONRPC_ERRORS.invalidParams, 'Unknown tool: x');
 * ```
 */
export function rpcError(
  id: JsonRpcId | null,
  code: number,
  message: string,
  data?: unknown,
): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data === undefined ? {} : { data }) } };
}

/**
 * The `initialize` result: the negotiated version, the one capability (`tools`; the list never changes within
 * a caller's session, so no `listChanged`), and who serves.
 *
 * @example
 * ```ts
 * initializeResult('2025-06-18', { name: 'shop', version: '1' });
 * ```
 */
export function initializeResult(
  version: string,
  serverInfo: { readonly name: string; readonly version: string; readonly title?: string },
  instructions?: string,
): Record<string, unknown> {
  return {
    protocolVersion: version,
    capabilities: { tools: { listChanged: false } },
    serverInfo,
    ...(instructions ? { instructions } : {}),
  };
}

const SDK_ACCEPT = 'application/json, text/event-stream';

/** One media range of an `Accept` header: its type and subtype (lower case, `*` for a wildcard) and its weight. */
function mediaRanges(accept: string): { type: string; subtype: string; q: number }[] {
  return accept.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const weight = params.find((p) => p.startsWith('q='));
    const q = weight === undefined ? 1 : Number(weight.slice(2));
    return [{ type, subtype, q: Number.isFinite(q) ? q : 0 }];
  });
}

/** Whether `ranges` admit `type/subtype`: the most specific range that matches decides (RFC 9110 §12.5.1). */
function admits(ranges: ReturnType<typeof mediaRanges>, type: string, subtype: string): boolean {
  const match =
    ranges.find((r) => r.type === type && r.subtype === subtype) ??
    ranges.find((r) => r.type === type && r.subtype === '*') ??
    ranges.find((r) => r.type === '*' && r.subtype === '*');
  return match !== undefined && match.q > 0;
}

/**
 * Whether a POST's `Accept` header is one the transport takes: it lists both `application/json` and
 * `text/event-stream` (MCP 2025-06-18 basic/transports, "Sending Messages to the Server" 2: the client MUST), a
 * wildcard range (`application/*`, any type) counting for what it covers and `q=0` refusing. The server answers
 * JSON only, yet refuses a client that could not take a stream (406, as the official SDK's server does in its
 * `handlePostRequest`), so that a client working here works with any conforming server. A request without the
 * header is taken (RFC 9110 §12.5.1: any type).
 *
 * @example
 * ```ts
 * acceptsMcpResponses('application/json, text/event-stream'); // true
 * acceptsMcpResponses('application/json');                    // false: 406
 * ```
 */
export function acceptsMcpResponses(accept: string | null | undefined): boolean {
  if (accept === null || accept === undefined || accept.trim() === '') return true;
  // What the official SDK's client and most others send on every POST: taken without parsing (the parse, an array
  // of ranges each call, was ~9 µs of a tool call's CPU in a profile of bench/mcp.ts).
  if (accept === SDK_ACCEPT) return true;
  const ranges = mediaRanges(accept);
  return admits(ranges, 'application', 'json') && admits(ranges, 'text', 'event-stream');
}
