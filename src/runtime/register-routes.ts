import type { HttpFunctionOptions } from '@azure/functions';
import type { RuntimeManifest } from '../model/runtime-manifest.js';
import { ROUTE_METHODS, RUNTIME_ROUTES, type RuntimeRoute } from '../contract/routes.js';
import { createOpenApiHandler } from './openapi-route.js';
import { createHealthHandler, healthBudgetMs } from './health.js';
import { registerBillingTimer } from './billing/billing-timer.js';
import { registerDomainRecheck } from './members/domains/domain-recheck-timer.js';
import { registerMcpServer, withInProcess } from './mcp/mcp-route.js';
import { appServices } from './routes/app-services.js';
import { registerEntities } from './routes/entity-routes.js';
import { registerFileStores } from './routes/file-routes.js';
import { registerRealtime } from './routes/realtime-routes.js';
import { registerCascadeTrigger, relationWiring } from './routes/relation-wiring.js';
import { registerTenantRoutes } from './routes/tenant-routes.js';
import { registerMarketplace } from './routes/marketplace-route-wiring.js';
import { registerOrganizationErase } from './routes/organization-erase-timer.js';
import { registerWebhookTrigger } from './routes/webhook-trigger.js';
import { registerAgentRoutes } from './routes/agent-route-wiring.js';
import { withDoor } from './caller/door.js';
import type {
  AddRoute,
  FunctionRegistrar,
  RegisterDeps,
  RegisteredRoute,
} from './routes/register-deps.js';

export {
  CASCADE_FUNCTION,
  type FunctionRegistrar,
  type RegisterDeps,
  type RegisteredRoute,
} from './routes/register-deps.js';

// The app-wide health route (anonymous, so the platform's probe reaches it) and the OpenAPI route are the
// CRUD contract's (src/contract/routes.ts).
export { HEALTH_ROUTE, OPENAPI_ROUTE } from '../contract/routes.js';

/**
 * Register the app: every route, in the host's order — each entity's routes (`<route>` and `<route>/{id}`, all five
 * methods so that disabled operations answer 405 rather than the host's 404, and its children routes), the MCP
 * server, each FileStore's, the realtime routes, the tenant routes, then `openapi.json` and `health` — and its
 * background functions: the cascades' queue trigger and the billing timer. This is the runtime's composition root:
 * the app's services (routes/app-services.ts: the registry cache and tenant source, the usage meter, the loggers,
 * the registry's database) are made once here and handed to every route and timer, which read nothing process-wide.
 * Returns the routes registered.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerApp(app, manifest, {
 *   containerFor: (e) => client.database('app').container(e.entityName),
 * });
 * // → UserApi-collection: users [GET,POST,PUT,PATCH,DELETE], UserApi-item: users/{id} [...], health [GET], openapi: openapi.json [GET]
 * ```
 */
export function registerApp(
  platform: FunctionRegistrar,
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): RegisteredRoute[] {
  const registered: RegisteredRoute[] = [];
  // Every HTTP function behind the door, when there is one: it admits before any handler reads a header.
  const app = deps.door ? withDoor(platform, deps.door) : platform;
  const authLevel = deps.authLevel ?? 'anonymous';
  const add: AddRoute = (name, route, handler, methods) => {
    app.http(name, {
      route,
      methods: [...(methods?.host ?? ROUTE_METHODS)],
      authLevel,
      handler,
    });
    registered.push({ name, route, methods: [...(methods?.listed ?? ROUTE_METHODS)] });
  };
  // The CrudApis' handlers recorded for dataOf and the MCP server (whose tools the agents' consent page names too).
  const routed = withInProcess(manifest, deps);
  const made = appServices(manifest, routed);
  const { services, registry } = made;
  // First: an app whose billing has no registry database is refused before any route is registered.
  registerBillingTimer(
    app,
    manifest,
    deps.caller?.registry ?? manifest.auth?.registry,
    made,
    deps.billing,
  );
  const wiring = relationWiring(deps, services);
  const realtime = registerRealtime(manifest, deps, services, registry, made.members);
  const targets = registerEntities(manifest, routed, services, wiring, realtime.publisher, add);
  registerMcpServer(manifest, routed, services, add);
  // With mcp.authorization: the authorization server beside the MCP door (which takes its tokens: app-services.ts).
  registerAgentRoutes(deps, made, add);
  registerFileStores(manifest, deps, services, wiring, add);
  realtime.register(add);
  registerTenantRoutes(deps, made, add);
  registerMarketplace(app, deps, made, add);
  registerDomainRecheck(app, made.members, made.log);
  registerOrganizationErase(app, manifest, deps, made);
  registerCascadeTrigger(app, deps, wiring.runJob);
  registerWebhookTrigger(app, deps, made.webhooks);
  // Signed in like the CRUD routes; registered before health, which stays the last route.
  // The runtime's own routes, as the contract lists them (the planner checks user routes against that list).
  const own: Record<RuntimeRoute['name'], Pick<HttpFunctionOptions, 'authLevel' | 'handler'>> = {
    openapi: { authLevel, handler: createOpenApiHandler(manifest, deps.caller, services) },
    health: {
      authLevel: 'anonymous',
      handler: createHealthHandler(deps.healthTargets ?? targets, {
        timeoutMs: healthBudgetMs(deps.cosmos),
        ...(deps.logger ? { logger: deps.logger } : {}),
      }),
    },
  };
  for (const r of RUNTIME_ROUTES) {
    const { authLevel: level, handler } = own[r.name];
    app.http(r.name, { route: r.route, methods: [...r.methods], authLevel: level, handler });
    registered.push({ name: r.name, route: r.route, methods: [...r.methods] });
  }
  return registered;
}

/**
 * {@link registerApp} under the name it has always had (the package's public API since the first runtime): the same
 * function — it registers the CRUD routes and everything else the app serves.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerCrudRoutes(app, manifest, { containerFor: (e) => client.database('app').container(e.entityName) });
 * ```
 */
export const registerCrudRoutes: typeof registerApp = registerApp;
