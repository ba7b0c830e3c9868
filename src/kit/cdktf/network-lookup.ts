import type { ITerraformDependable } from 'cdktf';
import { sharedKey } from '../pure/names/resource-key.js';
import type { ProvisionContext } from './provision-context.js';

/** What the network provisioner's construct exposes to other types' provisioners. */
export interface SubnetSource {
  /** `functions` resource key → the id of the subnet it integrates with. */
  readonly integrationSubnetIds: ReadonlyMap<string, string>;
  readonly privateEndpointSubnetId: string | undefined;
  /** Subnet id → what must exist before anything else changes that subnet (its NSG association). */
  readonly subnetReady?: ReadonlyMap<string, ITerraformDependable>;
}

function isSubnetSource(x: unknown): x is SubnetSource {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as { integrationSubnetIds?: unknown }).integrationSubnetIds instanceof Map
  );
}

/**
 * The subnets a Function App (by its planned key; default the first Function App) uses in isolated mode,
 * or undefined when the backend has no network. Read through the context, so the functions type does not
 * import the network type.
 *
 * @example
 * ```ts
 * const net = networkFor(ctx, 'functions:shared');
 * if (net?.integrationSubnetId) appConfig.virtualNetworkSubnetId = net.integrationSubnetId;
 * ```
 */
export function networkFor(
  ctx: ProvisionContext,
  functionsKey?: string,
):
  | {
      integrationSubnetId?: string;
      privateEndpointSubnetId?: string;
      integrationSubnetReady?: ITerraformDependable;
    }
  | undefined {
  const net = ctx.constructs.get(sharedKey('network'));
  if (!isSubnetSource(net)) return undefined;
  const integration = functionsKey
    ? net.integrationSubnetIds.get(functionsKey)
    : [...net.integrationSubnetIds.values()][0];
  const ready = integration ? net.subnetReady?.get(integration) : undefined;
  return {
    ...(integration ? { integrationSubnetId: integration } : {}),
    ...(ready ? { integrationSubnetReady: ready } : {}),
    ...(net.privateEndpointSubnetId
      ? { privateEndpointSubnetId: net.privateEndpointSubnetId }
      : {}),
  };
}
