import { registrationTenant } from '../kit/pure/entra.js';
import { at } from '../model/at.js';
import type { ResourcePlan } from '../model/plan.js';
import {
  providersToRegister,
  resourceProvidersOf,
} from '../kit/pure/resources/resource-providers.js';
import { factsOf } from '../resources/facts.js';

/**
 * What a plan will do, computed from it (pure): the Terraform resources apply creates (total and by type), the
 * component endpoints, the Entra ID app registrations, and what must be true before the first deploy.
 */
export interface PlanOverview {
  /** Terraform resources `apply` creates: the plan's deploys, plus the stack's resource group. */
  readonly terraformResources: {
    readonly total: number;
    readonly byType: Readonly<Record<string, number>>;
  };
  readonly endpoints: readonly {
    readonly component: string;
    readonly output: string;
    readonly url: string;
  }[];
  /** `azuread_application` names the stack creates. */
  readonly registrations: readonly string[];
  readonly beforeYouDeploy: {
    /** Which subscription the deploy goes to and how the global names follow from it. */
    readonly subscription: string;
    /** Azure RBAC roles the deployer needs at subscription scope (the stack creates its resource group). */
    readonly roles: readonly string[];
    /** The Entra ID permission the deployer needs, when registrations are created. */
    readonly directoryPermission: string | null;
    /** Resource providers the stacks use; `byStack` ones are registered by the stack's azurerm provider block. */
    readonly resourceProviders: readonly string[];
    readonly registeredByStack: readonly string[];
    /** Isolated mode: the deployer's public address must be in networking.deployerAddresses (null: not isolated). */
    readonly deployerAddresses: string | null;
    /** Existing private DNS zones the stack reuses (networking.privateDnsZoneIds): not created, nothing to pay here. */
    readonly reusedDnsZones: readonly string[];
    /** What reusing them requires (null: none reused). */
    readonly reusedDnsZonesNeed: string | null;
  };
}

/**
 * Each component's outputs that name an endpoint (`/endpoint/i`) and hold a URL, in plan order. Components share
 * their output names (every CrudApi has an `apiEndpoint`), so each name is tested once, and nothing is allocated
 * for the outputs that are not one.
 */
function endpointsOf(plan: ResourcePlan): PlanOverview['endpoints'] {
  const out: { component: string; output: string; url: string }[] = [];
  const isEndpoint = new Map<string, boolean>();
  for (const c of plan.components) {
    for (const output in c.outputs) {
      if (!Object.hasOwn(c.outputs, output)) continue;
      const url = c.outputs[output];
      if (typeof url !== 'string' || url.length === 0) continue;
      let named = isEndpoint.get(output);
      if (named === undefined) isEndpoint.set(output, (named = /endpoint/i.test(output)));
      if (named) out.push({ component: c.key, output, url });
    }
  }
  return out;
}

/**
 * The overview of a plan, as every render format shows it ("The plan says what will happen", DESIGN §5).
 *
 * @example
 * ```ts
 * planOverview(backend.plan()).terraformResources.total; // 24 for a CrudApi backend
 * ```
 */
export function planOverview(plan: ResourcePlan): PlanOverview {
  const byType: Record<string, number> = { azurerm_resource_group: 1 };
  const registrations: string[] = [];
  let createsRoles = false;
  let createsKeys = false;
  // One indexed pass over the Terraform resources (5,000 at 1,000 CrudApis, in code run once a page): no iterator
  // step, filtered list or callback per Terraform resource, and three questions asked in it.
  for (let i = 0; i < plan.resources.length; i++) {
    const deploys = at(plan.resources, i).deploys;
    for (let j = 0; j < deploys.length; j++) {
      const d = at(deploys, j);
      const type = d.terraformType;
      byType[type] = (byType[type] ?? 0) + 1;
      if (type === 'azuread_application') registrations.push(d.name);
      else if (type === 'azurerm_role_assignment') createsRoles = true;
      else if (type === 'azurerm_key_vault_key') createsKeys = true;
    }
  }
  const sorted = Object.fromEntries(
    Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const isolated = plan.resources.some((r) => r.type === 'network');
  const existing = plan.resources.find((r) => r.type === 'network')?.config['existingDnsZones'];
  const reusedDnsZones =
    existing && typeof existing === 'object' && !Array.isArray(existing)
      ? Object.keys(existing)
      : [];
  return {
    terraformResources: { total: Object.values(byType).reduce((a, b) => a + b, 0), byType: sorted },
    endpoints: endpointsOf(plan),
    registrations,
    beforeYouDeploy: {
      subscription: plan.naming.atApply
        ? "ARM_SUBSCRIPTION_ID (or the stack's subscriptionId) must be set: the global names derive from it " +
          'and the resource group'
        : 'ARM_SUBSCRIPTION_ID must be the subscription of naming.uniqueSeed: the names shown here were derived for it',
      // The stack creates its resource group, so roles on a group cannot come first (it would then exist and
      // azurerm_resource_group fail "already exists"): grant them on the subscription (docs/deploying.md).
      roles: [
        'Contributor',
        ...(createsRoles
          ? ['User Access Administrator (or Role Based Access Control Administrator)']
          : []),
        // Terraform creates a vault's key and sets its rotation policy through its data plane, which takes a data
        // role: Crypto Officer holds keys/* and keyrotationpolicies/* (mcp.md "The signing key").
        ...(createsKeys
          ? ['Key Vault Crypto Officer (creates the signing key and sets its rotation policy)']
          : []),
      ],
      directoryPermission:
        registrations.length > 0
          ? `create app registrations${registrationsIn(plan)}: the Application Developer role (a user) or ` +
            'Microsoft Graph Application.ReadWrite.OwnedBy (a service principal)'
          : null,
      resourceProviders: resourceProvidersOf(plan, factsOf),
      registeredByStack: providersToRegister(plan),
      deployerAddresses: isolated
        ? 'the public address of the machine that runs terraform apply, in networking.deployerAddresses; from ' +
          'CI, atakora deploy --admit-address auto admits the runner for the run and removes it after. IP ' +
          'rules do not apply to a runner in the same Azure region as the accounts: use a runner in another ' +
          'region, or one inside the VNet (docs/deploying.md#isolated-deploys-from-ci)'
        : null,
      reusedDnsZones,
      reusedDnsZonesNeed:
        reusedDnsZones.length > 0
          ? 'existing, not created or linked by the stack: each must already be linked to the VNet, and the ' +
            'deployer needs Private DNS Zone Contributor on it (or a role with ' +
            'Microsoft.Network/privateDnsZones/join/action)'
          : null,
    },
  };
}

/**
 * Where the registrations go when the config names a tenant (auth.tenantId, a customer sign-in's external tenant):
 * the azuread provider signs in there, so there the deployer needs the permission.
 */
function registrationsIn(plan: ResourcePlan): string {
  const tenant = registrationTenant(plan);
  return tenant
    ? ` in tenant ${tenant} (sign in there: az login --tenant ${tenant} --allow-no-subscriptions)`
    : '';
}
