import type { HostedFunction } from '../../model/requirements.js';
import type {
  RuntimeHttpFunction,
  RuntimeMcp,
  RuntimeMcpFunction,
  RuntimeOpenApi,
} from '../../model/runtime-manifest.js';

/** The methods the Functions host gives an HTTP function that names none (src/packaging/register-hosted.ts). */
export const DEFAULT_FUNCTION_METHODS: readonly string[] = ['GET', 'POST'];

/**
 * The HTTP functions of one planned Function App as the OpenAPI document lists them (`atakora openapi`, and
 * the runtime manifest's `openapi`, so the deployed app serves the same).
 *
 * @example
 * ```ts
 * httpFunctionsOf(app.config); // [{ componentId: 'Orders', name: 'Orders-submit', route: 'orders/submit', methods: ['POST'] }]
 * ```
 */
export function httpFunctionsOf(config: Readonly<Record<string, unknown>>): RuntimeHttpFunction[] {
  const hosted = (config['hostedFunctions'] ?? []) as readonly HostedFunction[];
  return hosted
    .filter((f) => f.trigger === 'http')
    .map((f) => ({
      componentId: f.componentId,
      name: f.name,
      route: f.route ?? f.name,
      methods: f.methods?.length ? [...f.methods] : DEFAULT_FUNCTION_METHODS,
      ...(f.requestSchema ? { requestSchema: f.requestSchema } : {}),
      ...(f.responseSchema ? { responseSchema: f.responseSchema } : {}),
    }));
}

/**
 * The `openapi` part of a Function App's runtime manifest: the document's title, the API's sign-in (absent
 * with none) and the app's HTTP functions.
 *
 * @example
 * ```ts
 * const manifest: RuntimeManifest = {
 *   version: 1,
 *   backendId,
 *   entities,
 *   openapi: runtimeOpenApiOf('shop (prod)', app.config, security),
 * };
 * ```
 */
export function runtimeOpenApiOf(
  title: string,
  config: Readonly<Record<string, unknown>>,
  security: RuntimeOpenApi['security'],
): RuntimeOpenApi {
  const functions = httpFunctionsOf(config);
  return { title, ...(security ? { security } : {}), ...(functions.length ? { functions } : {}) };
}

/**
 * The `mcp` part of a Function App's runtime manifest: whether writes are on, and the app's HTTP functions that are
 * MCP tools (`mcp: { description }`), with the route, methods, input schema and access rules the tool call uses.
 *
 * @example
 * ```ts
 * runtimeMcpOf(app.config, { writes: false }); // { writes: false, functions: [{ name: 'Reports-stats', … }] }
 * ```
 */
export function runtimeMcpOf(
  config: Readonly<Record<string, unknown>>,
  mcp: { readonly writes: boolean },
): RuntimeMcp {
  const hosted = (config['hostedFunctions'] ?? []) as readonly HostedFunction[];
  const functions: RuntimeMcpFunction[] = [];
  for (const f of hosted) {
    if (f.trigger !== 'http' || f.mcp === undefined) continue;
    functions.push({
      componentId: f.componentId,
      name: f.name,
      function: f.name.slice(f.componentId.length + 1),
      route: f.route ?? f.name,
      methods: f.methods?.length ? [...f.methods] : DEFAULT_FUNCTION_METHODS,
      description: f.mcp.description,
      ...(f.requestSchema ? { inputSchema: f.requestSchema } : {}),
      ...(f.access ? { access: f.access } : {}),
    });
  }
  return { writes: mcp.writes, ...(functions.length ? { functions } : {}) };
}
