import type { HttpHandler } from '@azure/functions';
import { MCP_ROUTE } from '../../contract/mcp/protocol.js';
import { contextLogger, type RuntimeLogger, withRequestLog } from '../http/log.js';
import { traceRequests } from '../telemetry/request-span.js';
import { type McpDeps, mcpHandler } from './mcp-endpoint.js';

/**
 * The MCP endpoint as the host registers it: one log line and one server span per POST (`api/mcp`, component
 * `mcp`), beside the span and log line of the route a `tools/call` runs.
 *
 * @example
 * ```ts
 * app.http('atakora-mcp', { route: 'mcp', methods: [...ROUTE_METHODS], handler: mcpRoute({ manifest, routes, policy }) });
 * ```
 */
export function mcpRoute(deps: McpDeps, logger: RuntimeLogger = contextLogger): HttpHandler {
  return traceRequests(
    { route: MCP_ROUTE, component: 'mcp', operationOf: () => 'handler' },
    withRequestLog({ component: 'mcp', entity: 'mcp' }, () => 'mcp', mcpHandler(deps), logger),
  );
}
