import type { HostedFunction } from '../../model/requirements.js';
import type {
  RuntimeHttpFunction,
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
 * An HTTP function as a tool of the MCP server (`mcp: { description }`), or undefined for one that is none: its
 * route, methods, input schema and access rules, as the tool call uses them.
 *
 * @example
 * ```ts
 * mcpFunctionOf(hosted)?.function; // 'ticket-stats'
 * ```
 */
export function mcpFunctionOf(f: HostedFunction): RuntimeMcpFunction | undefined {
  if (f.trigger !== 'http' || f.mcp === undefined) return undefined;
  return {
    componentId: f.componentId,
    name: f.name,
    function: f.name.slice(f.componentId.length + 1),
    route: f.route ?? f.name,
    methods: f.methods?.length ? [...f.methods] : DEFAULT_FUNCTION_METHODS,
    description: f.mcp.description,
    ...(f.requestSchema ? { inputSchema: f.requestSchema } : {}),
    ...(f.access ? { access: f.access } : {}),
  };
}

/**
 * The component keys of the CrudApis an app's HTTP functions declare in `data`, by component id (the app setting
 * `ATAKORA_COMPONENT_KEYS`), or undefined when none declares any.
 *
 * @example
 * ```ts
 * dataKeysOf(app.config, plan.components); // { TicketApi: 'tickets' }
 * ```
 */
export function dataKeysOf(
  config: Readonly<Record<string, unknown>>,
  components: readonly { readonly key: string; readonly id: string }[],
): Record<string, string> | undefined {
  const hosted = (config['hostedFunctions'] ?? []) as readonly HostedFunction[];
  const declared = new Set(hosted.flatMap((f) => (f.trigger === 'http' ? (f.data ?? []) : [])));
  if (declared.size === 0) return undefined;
  const keys: Record<string, string> = {};
  for (const c of components) if (declared.has(c.id)) keys[c.id] = c.key;
  return keys;
}
