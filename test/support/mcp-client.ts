/**
 * The official MCP client (`@modelcontextprotocol/sdk`) as the tests drive a server: connected over Streamable
 * HTTP with the request headers given (dev's sign-in, an organization), its tool names, a result's structured
 * content, and the tool names a CrudApi has.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CRUD_TOOL_ACTIONS, crudToolName } from '../../src/model/mcp-tool-names.js';

/**
 * A client connected to `url` (the server's `api/mcp`) sending `headers` on every request.
 *
 * @example
 * ```ts
 * const client = await mcpClient(`${base}/api/mcp`, { 'x-atakora-dev-user': 'alice@contoso' });
 * ```
 */
export async function mcpClient(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'atakora-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }),
  );
  return client;
}

/** The tools the client's caller is listed, by name, sorted. */
export const toolNames = async (client: Client) =>
  (await client.listTools()).tools.map((t) => t.name).sort();

/** A tool result's `structuredContent`. */
export const structured = (r: unknown) =>
  (r as { structuredContent: Record<string, unknown> }).structuredContent;

/**
 * Every tool of a read-write CrudApi's entity (`Note` → `note_count` … `note_update`), sorted; `_search` only for one
 * that declares `search`.
 */
export const crudTools = (entityName: string, searchable = false) =>
  Object.keys(CRUD_TOOL_ACTIONS)
    .filter((a) => searchable || a !== 'search')
    .map((a) => crudToolName(entityName, a as keyof typeof CRUD_TOOL_ACTIONS))
    .sort();
