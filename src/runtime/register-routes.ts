import type { HttpFunctionOptions } from '@azure/functions';
import type { RuntimeManifest } from '../model/runtime-manifest.js';
import { ROUTE_METHODS, RUNTIME_ROUTES, type RuntimeRoute } from '../contract/routes.js';
import { createOpenApiHandler } from './openapi-route.js';
import { createHealthHandler } from './health.js';
import { registerBillingTimer } from './billing/billing-timer.js';
import { registerMcpServer, withInProcess } from './mcp/mcp-route.js';
import { appServices } from './routes/app-services.js';
import { registerEntities } from './routes/entity-routes.js';
import { registerFileStores } from './routes/file-routes.js';
import { registerRealtime } from './routes/realtime-routes.js';
import { registerCascadeTrigger, relationWiring } from './routes/relation-wiring.js';
import { registerTenantRoutes } from './routes/tenant-routes.js';
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
 * Register every route of the app, in the host's order: each entity's routes (`<route>` and `<route>/{id}`, all
 * five methods so that disabled operations answer 405 rather than the host's 404, and its children routes), each
 * FileStore's, the realtime routes, the tenant routes, the background cascades' trigger, then `openapi.json` and
 * `health`. The app's services (registry, usage meter, logger) are made once here and handed to every route.
 * Returns what was registered.
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerCrudRoutes(app, manifest, {
 *   containerFor: (e) => client.database('app').container(e.entityName),
 * });
 * // → UserApi-collection: users [GET,POST,PUT,PATCH,DELETE], UserApi-item: users/{id} [...], health [GET], openapi: openapi.json [GET]
 * ```
 */
export function registerCrudRoutes(
  app: FunctionRegistrar,
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): RegisteredRoute[] {
  const registered: RegisteredRoute[] = [];
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
  const made = appServices(manifest, deps);
  const { services, registry } = made;
  const wiring = relationWiring(deps, services);
  const realtime = registerRealtime(manifest, deps, services, registry, made.members);
  // The CrudApis' handlers recorded for dataOf and the MCP server, which is registered beside them.
  const routed = withInProcess(manifest, deps);
  const targets = registerEntities(manifest, routed, services, wiring, realtime.publisher, add);
  registerMcpServer(manifest, routed, services, add);
  registerFileStores(manifest, deps, services, wiring, add);
  realtime.register(add);
  registerTenantRoutes(deps, made, add);
  registerCascadeTrigger(app, deps, wiring.runJob);
  registerBillingTimer(app, manifest, deps);
  // Signed in like the CRUD routes; registered before health, which stays the last route.
  // The runtime's own routes, as the contract lists them (the planner checks user routes against that list).
  const own: Record<RuntimeRoute['name'], Pick<HttpFunctionOptions, 'authLevel' | 'handler'>> = {
    openapi: { authLevel, handler: createOpenApiHandler(manifest, deps.caller, services) },
    health: {
      authLevel: 'anonymous',
      handler: createHealthHandler(
        deps.healthTargets ?? targets,
        deps.logger ? { logger: deps.logger } : {},
      ),
    },
  };
  for (const r of RUNTIME_ROUTES) {
    const { authLevel: level, handler } = own[r.name];
    app.http(r.name, { route: r.route, methods: [...r.methods], authLevel: level, handler });
    registered.push({ name: r.name, route: r.route, methods: [...r.methods] });
  }
  return registered;
}
