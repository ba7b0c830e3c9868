import type { HttpHandler } from '@azure/functions';
import { MCP_FUNCTION, MCP_ROUTE } from '../../contract/mcp/protocol.js';
import type { RuntimeAuth, RuntimeManifest } from '../../model/runtime-manifest.js';
import { InProcessRoutes } from '../in-process/routes.js';
import type { RuntimeLogger } from '../http/log.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { type McpDeps, mcpHandler } from './mcp-endpoint.js';

/**
 * The MCP endpoint as the host registers it. Every POST has one log line and one server span: a `tools/call` of a
 * listed tool its route's (the REST pass it is, in the invocation's trace), every other message the endpoint's own
 * (`api/mcp`, component `mcp`). A second frame around a tool call would log and trace it twice and cost a tenth of
 * the REST request it mirrors (bench/mcp.ts).
 *
 * @example
 * ```ts
 * app.http('atakora-mcp', { route: 'mcp', methods: [...ROUTE_METHODS], handler: mcpRoute({ manifest, routes, policy, services }) });
 * ```
 */
export function mcpRoute(deps: McpDeps, logger?: RuntimeLogger): HttpHandler {
  return mcpHandler(deps, {
    trace: { route: MCP_ROUTE, component: 'mcp', operationOf: () => 'handler' },
    log: {
      labels: { component: 'mcp', entity: 'mcp' },
      operationOf: () => 'mcp',
      ...(logger ? { logger } : {}),
    },
  });
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
 * registerMcpServer(manifest, withInProcess(manifest, deps), services, (name, route, handler) => app.http(name, { route, handler }));
 * ```
 */
export function registerMcpServer(
  manifest: RuntimeManifest,
  deps: {
    readonly caller?: RuntimeAuth;
    readonly logger?: RuntimeLogger;
    readonly inProcess?: InProcessRoutes;
  },
  services: RuntimeServices,
  add: (name: string, route: string, handler: HttpHandler) => void,
): void {
  const routes = deps.inProcess;
  if (!manifest.mcp || !routes) return;
  add(
    MCP_FUNCTION,
    MCP_ROUTE,
    mcpRoute({ manifest, routes, policy: deps.caller, services }, deps.logger),
  );
}
