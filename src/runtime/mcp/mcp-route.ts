import type { HttpHandler } from '@azure/functions';
import { MCP_FUNCTION, MCP_ROUTE } from '../../contract/mcp/protocol.js';
import type { RuntimeAuth, RuntimeManifest } from '../../model/runtime-manifest.js';
import { InProcessRoutes } from '../in-process/routes.js';
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
 * `deps` with the runtime's in-process entry (runtime/in-process/routes.ts) the CrudApis' handlers are recorded in:
 * the one given (the package's HTTP functions share it), else a new one when the manifest serves MCP.
 *
 * @example
 * ```ts
 * const routed = withInProcess(manifest, deps);
 * ```
 */
export function withInProcess<D extends { readonly inProcess?: InProcessRoutes }>(
  manifest: RuntimeManifest,
  deps: D,
): D {
  return deps.inProcess || !manifest.mcp ? deps : { ...deps, inProcess: new InProcessRoutes() };
}

/**
 * Register the MCP server at `api/mcp` when the manifest serves one (`mcp`), over the app's in-process routes:
 * every method, so that GET and DELETE answer its 405 rather than the host's 404.
 *
 * @example
 * ```ts
 * registerMcpServer(manifest, withInProcess(manifest, deps), (name, route, handler) => app.http(name, { route, handler }));
 * ```
 */
export function registerMcpServer(
  manifest: RuntimeManifest,
  deps: {
    readonly caller?: RuntimeAuth;
    readonly logger?: RuntimeLogger;
    readonly inProcess?: InProcessRoutes;
  },
  add: (name: string, route: string, handler: HttpHandler) => void,
): void {
  const routes = deps.inProcess;
  if (!manifest.mcp || !routes) return;
  add(MCP_FUNCTION, MCP_ROUTE, mcpRoute({ manifest, routes, policy: deps.caller }, deps.logger));
}
