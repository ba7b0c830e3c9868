import { AtakoraError } from '../model/errors.js';
import type { RuntimeManifest } from '../model/runtime-manifest.js';
import { HEALTH_ROUTE, RUNTIME_ROUTES } from '../contract/routes.js';
import { createHealthHandler, healthBudgetMs } from './health.js';
import { scimProtocolFunctions } from './members/scim/scim-routes.js';
import { appServices, registryContainer } from './routes/app-services.js';
import type {
  FunctionRegistrar,
  HealthTarget,
  RegisterDeps,
  RegisteredRoute,
} from './routes/register-deps.js';

/**
 * Register the SCIM app (`ATAKORA_APP_ROLE=scim`, resources/functions/scim-app): the SCIM protocol routes below
 * `api/scim/v2` and `api/health`, nothing else — no CRUD, tenant, MCP, billing or handler route, no timer, no queue
 * trigger. That app has no App Service authentication in front of it, so anyone on the internet reaches what it
 * registers and may send any `x-ms-client-principal*` header: the SCIM routes authenticate an organization's SCIM
 * token alone and read no principal (members/scim/scim-serve.ts), health is anonymous, and every route that reads a
 * principal is simply not there (the host answers 404). Health reads the registry's containers the app's identity
 * holds its roles on (resources/functions/scim-app), never a CrudApi's, which it may not read.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID` when the manifest has no organizations (tenants by membership):
 * a SCIM app without them serves nothing.
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * registerScimApp(app, manifest, { containerFor, caller: policy, registryDatabase });
 * ```
 */
export function registerScimApp(
  app: FunctionRegistrar,
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): RegisteredRoute[] {
  const policy = deps.caller;
  const membership = policy?.registry?.membership;
  const made = appServices(manifest, deps);
  const scim = made.members?.scim;
  if (!policy || !membership || !made.members || !scim)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      'ATAKORA_APP_ROLE is "scim" but the manifest has no organizations (tenants by membership) to provision.',
      {
        path: ['ATAKORA_APP_ROLE'],
        resolution:
          'Deploy the SCIM app from a backend with tenants.by: "membership", or remove ATAKORA_APP_ROLE.',
      },
    );
  const registered: RegisteredRoute[] = [];
  for (const f of scimProtocolFunctions(policy, { ...made.members, scim }, made.services)) {
    // Each SCIM handler answers a method it does not take with a SCIM 405 itself: the host passes them all.
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
    app.http(f.name, {
      route: f.route,
      methods: [...methods],
      authLevel: 'anonymous',
      handler: f.handler,
    });
    registered.push({ name: f.name, route: f.route, methods: [...methods] });
  }
  const health = RUNTIME_ROUTES.find((r) => r.route === HEALTH_ROUTE);
  const methods = [...(health?.methods ?? ['GET'])];
  app.http('health', {
    route: HEALTH_ROUTE,
    methods,
    authLevel: 'anonymous',
    handler: createHealthHandler(deps.healthTargets ?? scimHealthTargets(manifest, deps), {
      timeoutMs: healthBudgetMs(deps.cosmos),
      ...(deps.logger ? { logger: deps.logger } : {}),
    }),
  });
  registered.push({ name: 'health', route: HEALTH_ROUTE, methods });
  return registered;
}

/** The registry's containers SCIM reads and writes (the records, the members, the audit log, the usage ledger). */
function scimHealthTargets(manifest: RuntimeManifest, deps: RegisterDeps): HealthTarget[] {
  const reg = deps.caller?.registry;
  const names = [reg?.container, reg?.membership?.container, reg?.membership?.audit, reg?.usage];
  const out: HealthTarget[] = [];
  for (const name of names) {
    if (name === undefined || out.some((t) => t.name.endsWith(`/${name}`))) continue;
    const container = registryContainer(manifest, deps, name);
    if (container) out.push({ name: `${reg?.database ?? ''}/${name}`, container });
  }
  return out;
}
