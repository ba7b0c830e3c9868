import type { Construct } from '../../kit/cdktf/engine.js';
import type { PrivateDnsZone } from '../../kit/cdktf/azurerm-types.js';
import type { PlannedResource, ResourcePlan } from '../../model/plan.js';
import { networkNames } from './type.js';
import { cdktf } from '../../kit/cdktf/cdk-modules.js';
import { constructState, foundState, stateKey } from '../../kit/cdktf/construct-state.js';
import { mergedConfigOf } from '../types.js';

/**
 * The private DNS zones created in one stack, by zone name, kept on the construct tree (not in a module
 * variable; kit/cdktf/construct-state.ts — found by key, so two copies of the package in one process share it):
 * zone names are fixed by Azure (`privatelink.documents.azure.com`, …), so the isolated backends of one stack
 * (one resource group) share them — the first backend applied creates a zone, the others link their own VNet
 * to it (https://learn.microsoft.com/azure/private-link/private-endpoint-dns: one zone per name, linked to every
 * VNet that resolves through it).
 */
const STACK_ZONES = stateKey('atakora.private-dns-zones', () => new Map<string, PrivateDnsZone>());

/**
 * The zones `scope`'s stack has created so far, by zone name (made on first use).
 *
 * @example
 * ```ts
 * const zones = stackPrivateDnsZones(net); // reuse zones.get('privatelink.documents.azure.com') if present
 * ```
 */
export function stackPrivateDnsZones(scope: Construct): Map<string, PrivateDnsZone> {
  return constructState(cdktf.TerraformStack.of(scope), STACK_ZONES);
}

/**
 * The plan as this stack will apply it: a zone another backend of the stack already created is linked, not
 * created again, so it leaves this backend's `deploys` (which stay exactly what apply creates).
 *
 * @example
 * ```ts
 * const plan = withSharedZones(backend.plan(), stack); // second isolated backend: no azurerm_private_dns_zone deploys
 * ```
 */
export function withSharedZones(plan: ResourcePlan, scope: Construct): ResourcePlan {
  const stack = cdktf.TerraformStack.of(scope);
  const zones = foundState(stack, STACK_ZONES);
  if (zones === undefined || zones.size === 0) return plan;
  const resources = plan.resources.map((r): PlannedResource => {
    if (r.type !== 'network') return r;
    const c = mergedConfigOf('network', r);
    const shared = new Set(
      c.dnsZones.filter((z) => zones.has(z)).map((z) => networkNames.zone(plan.backendId, z)),
    );
    return shared.size === 0
      ? r
      : {
          ...r,
          deploys: r.deploys.filter(
            (d) => !(d.terraformType === 'azurerm_private_dns_zone' && shared.has(d.name)),
          ),
        };
  });
  return { ...plan, resources };
}
