import { TENANT_FUNCTION, TENANT_ROUTE } from '../../contract/routes.js';
import { TENANTS_FUNCTIONS, TENANTS_ROUTE } from '../../contract/tenants.js';
import { AUDIT_FUNCTION, AUDIT_ROUTE } from '../../contract/audit.js';
import { createAuditHandler } from '../members/audit-route.js';
import { membershipFunctions } from '../members/membership-wiring.js';
import type { AppServices } from './app-services.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';
import { createTenantHandler } from './tenant-route.js';
import { createTenantsHandlers } from './tenants-route.js';
import { registerBillingRoutes } from './billing-route-wiring.js';
import { PLANS_FUNCTION, PLANS_ROUTE } from '../../contract/plans/plan-offers.js';
import { createPlansHandler } from './plans-route.js';
import { webhookFunctions } from '../webhooks/webhook-routes.js';

/**
 * Where a registry admits callers: the caller's own tenant record (`GET api/tenant`, tenant-route.ts), with tenants
 * by membership the membership routes (`api/me/tenants`, `api/tenant/members`, `api/tenant/invitations`,
 * `api/invitations/accept`: members/membership-routes.ts), the plans (`api/plans`: plans-route.ts), and the TenantAdmin API (`api/tenants`,
 * `api/tenants/{id}`: the home directory's TenantAdmin role, tenants-route.ts; with memberships, also any user's
 * new organization).
 *
 * @example
 * ```ts
 * registerTenantRoutes(deps, appServices(manifest, deps), add);
 * ```
 */
export function registerTenantRoutes(deps: RegisterDeps, app: AppServices, add: AddRoute): void {
  const policy = deps.caller;
  const registry = policy?.registry;
  if (!policy || !registry) return;
  const { services, registry: records, admin, members } = app;
  const membership = members ? membershipFunctions(policy, members, services) : undefined;
  // One function a route: with memberships, GET api/tenant's also serves an Owner's PATCH and DELETE.
  add(TENANT_FUNCTION, TENANT_ROUTE, createTenantHandler(policy, services, membership?.tenant));
  for (const f of membership?.functions ?? []) add(f.name, f.route, f.handler);
  // The organizations' outbound webhooks (runtime/webhooks/), beside the API keys.
  if (members && app.webhooks)
    for (const f of webhookFunctions(policy, app.webhooks.api, services))
      add(f.name, f.route, f.handler);
  registerBillingRoutes(deps, app, add);
  // The plans as packages (plans-route.ts): what the plan element and a pricing page show.
  add(PLANS_FUNCTION, PLANS_ROUTE, createPlansHandler(policy, registry, services));
  // The audit log's one route (GET only: nothing writes the log through the API).
  if (members && services.audit)
    add(AUDIT_FUNCTION, AUDIT_ROUTE, createAuditHandler(policy, services.audit, services));
  if (!admin) return;
  const handlers = createTenantsHandlers(
    policy,
    { store: admin, registry, ...(records ? { records } : {}) },
    services,
    members,
  );
  add(TENANTS_FUNCTIONS.collection, TENANTS_ROUTE, handlers.collection);
  add(TENANTS_FUNCTIONS.item, `${TENANTS_ROUTE}/{id}`, handlers.item);
}
