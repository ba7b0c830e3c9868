import type { HttpHandler } from '@azure/functions';
import { MCP_FUNCTION, MCP_ROUTE } from '../../contract/mcp/protocol.js';
import type { RuntimeAuth, RuntimeManifest } from '../../model/runtime-manifest.js';
import type { InProcessRoutes } from '../in-process/routes.js';
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

/**
 * Register the MCP server at `api/mcp` when the manifest serves one (`mcp`), over the app's in-process routes:
 * every method, so that GET and DELETE answer its 405 rather than the host's 404.
 *
 * @example
 * ```ts
 * registerMcpServer(manifest, deps, inProcess, (name, route, handler) => app.http(name, { route, handler }));
 * ```
 */
export function registerMcpServer(
  manifest: RuntimeManifest,
  deps: { readonly caller?: RuntimeAuth; readonly logger?: RuntimeLogger },
  inProcess: InProcessRoutes | undefined,
  add: (name: string, route: string, handler: HttpHandler) => void,
): void {
  if (!manifest.mcp || !inProcess) return;
  add(
    MCP_FUNCTION,
    MCP_ROUTE,
    mcpRoute({ manifest, routes: inProcess, policy: deps.caller }, deps.logger),
  );
}
