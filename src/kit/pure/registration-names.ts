import type { ResourcePlan } from '../../model/plan.js';
import { entraNames } from './entra.js';

// The display names of the app registrations a stack creates: apply names them so (kit/cdktf/entra-registrations.ts)
// and `atakora auth setup` finds them so in the external tenant, where Terraform state is not at hand.

/**
 * The API registration's display name: `<backendId>-<environment>-api`.
 *
 * @example
 * ```ts
 * apiDisplayName('shop', 'prod'); // 'shop-prod-api'
 * ```
 */
export function apiDisplayName(backendId: string, environment: string): string {
  return `${backendId}-${environment}-api`;
}

/**
 * A site's single-page-app registration's display name: `<backendId>-<environment>-<component id>`.
 *
 * @example
 * ```ts
 * spaDisplayName('shop', 'prod', 'Storefront'); // 'shop-prod-Storefront'
 * ```
 */
export function spaDisplayName(
  backendId: string,
  environment: string,
  componentId: string,
): string {
  return `${backendId}-${environment}-${componentId}`;
}

/** One registration the plan says apply creates. */
export interface PlannedRegistration {
  /** `api`: the API's; `spa`: a static site's. */
  readonly kind: 'api' | 'spa';
  readonly displayName: string;
  /** The azuread_application's Terraform name. */
  readonly terraformName: string;
}

/**
 * The app registrations the plan's deploys list (the API's, then each site's, by Terraform name), with the display
 * names apply gives them. Pure.
 *
 * @example
 * ```ts
 * plannedRegistrations(plan).map((r) => r.displayName); // ['shop-prod-api', 'shop-prod-Storefront']
 * ```
 */
export function plannedRegistrations(plan: ResourcePlan): PlannedRegistration[] {
  const n = entraNames(plan.backendId);
  const out: PlannedRegistration[] = [];
  for (const r of plan.resources)
    for (const d of r.deploys) {
      if (d.terraformType !== 'azuread_application') continue;
      if (d.name === n.api)
        out.push({
          kind: 'api',
          displayName: apiDisplayName(plan.backendId, plan.environment),
          terraformName: d.name,
        });
      else if (r.type === 'staticsite' && typeof r.config['componentId'] === 'string')
        out.push({
          kind: 'spa',
          displayName: spaDisplayName(plan.backendId, plan.environment, r.config['componentId']),
          terraformName: d.name,
        });
    }
  return out.sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'api' ? -1 : 1) : a.terraformName < b.terraformName ? -1 : 1,
  );
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The tenant the plan's registrations are created in when the config names it — `auth.tenantId`, or a customer
 * sign-in's external tenant (the handles' `auth.tenantId`, a GUID) — else undefined: the deployer's own tenant (the
 * azuread provider's default). Pure.
 *
 * @example
 * ```ts
 * registrationTenant(customersPlan); // '6f1c2b3a-0000-4000-8000-00000000c1a0'
 * registrationTenant(plainPlan);     // undefined
 * ```
 */
export function registrationTenant(plan: ResourcePlan): string | undefined {
  for (const c of plan.components) {
    const tenantId = (c.outputs['auth'] as { tenantId?: unknown } | undefined)?.tenantId;
    if (typeof tenantId === 'string' && GUID.test(tenantId)) return tenantId.toLowerCase();
  }
  return undefined;
}
