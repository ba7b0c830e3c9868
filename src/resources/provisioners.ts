import type { BackendProvisioner, ResourceProvisioner } from '../kit/cdktf/provisioner.js';
import type { PlannedResource } from '../model/plan.js';
import { provisionCdn } from './cdn/provision.js';
import { grantCosmosAccess, provisionCosmos } from './cosmos/provision.js';
import { emailProvisioner } from './email/provision.js';
import { openaiProvisioner } from './openai/provision.js';
import { provisionFunctions } from './functions/provision.js';
import { scimAppProvisioner } from './functions/scim-app/scim-provision.js';
import { grantKeyVaultAccess, provisionKeyVault } from './keyvault/provision.js';
import { monitoringProvisioner } from './monitoring/provision.js';
import { networkProvisioner } from './network/provision.js';
import { grantServiceBusAccess, provisionServiceBus } from './servicebus/provision.js';
import { provisionStaticSite } from './staticsite/provision.js';
import { grantStorageAccess, provisionStorage } from './storage/provision.js';
import { grantWebPubSubAccess, provisionWebPubSub } from './webpubsub/provision.js';
import {
  mergedConfigOf,
  type BuiltinBackendTypeName,
  type BuiltinMergedConfig,
  type BuiltinTypeName,
} from './types.js';
import type { TypedPlannedResource } from '../kit/pure/resources/resource-type.js';

export {
  provisionCustom,
  type CdktfProvider,
  type CustomProviderContext,
} from './custom/provision.js';
export { withSharedZones } from './network/shared-zones.js';
export { factsOf } from './facts.js';
export type {
  BackendProvisioner,
  FunctionAppOf,
  ResourceProvisioner,
} from '../kit/cdktf/provisioner.js';

/**
 * The cdktf side's one registry, the twin of `types.ts`: one provisioner per built-in type, typed by that
 * type's merged config. A built-in type without a provisioner here (or with one for another config shape) is
 * a compile error, not a resource the honesty check finds missing at synth.
 *
 * Key order is provisioning order: a Function App needs its host storage (and reads Cosmos and Key Vault
 * names for its settings); a CDN needs the static sites it fronts.
 */
export const RESOURCE_PROVISIONERS: {
  readonly [K in BuiltinTypeName]: ResourceProvisioner<BuiltinMergedConfig<K>>;
} = {
  storage: { provision: provisionStorage, grant: grantStorageAccess },
  cosmos: { provision: provisionCosmos, grant: grantCosmosAccess },
  keyvault: { provision: provisionKeyVault, grant: grantKeyVaultAccess },
  servicebus: { provision: provisionServiceBus, grant: grantServiceBusAccess },
  // Before the Function App: its settings name the service's endpoint.
  webpubsub: { provision: provisionWebPubSub, grant: grantWebPubSubAccess },
  functions: { provision: provisionFunctions },
  staticsite: { provision: provisionStaticSite },
  cdn: { provision: provisionCdn },
};

/** Backend-level provisioners, in the order they run (monitoring before the VNet that its apps join). */
export const BACKEND_PROVISIONERS: { readonly [K in BuiltinBackendTypeName]: BackendProvisioner } =
  {
    monitoring: monitoringProvisioner,
    network: networkProvisioner,
    email: emailProvisioner,
    openai: openaiProvisioner,
    // Its plan first; the app itself in `finalize`, once the app it serves and the registry's containers exist.
    scim: scimAppProvisioner,
  };

/** A provisioner as apply walks them all: it hands each one the planned resources of its type. */
export type AnyResourceProvisioner = ResourceProvisioner<PlannedResource['config']>;

/**
 * The registry in provisioning order, as apply walks it: each provisioner gets its planned resources with the
 * config read back typed by `mergedConfigOf` (types.ts), which checks the type — no cast here.
 *
 * @example
 * ```ts
 * for (const [type, p] of resourceProvisioners())
 *   for (const r of plan.resources.filter((x) => x.type === type)) p.provision(ctx, r);
 * ```
 */
export function resourceProvisioners(): readonly (readonly [string, AnyResourceProvisioner])[] {
  return (Object.keys(RESOURCE_PROVISIONERS) as BuiltinTypeName[]).map(
    (type) => [type, erased(type)] as const,
  );
}

/** One typed provisioner as apply calls them all: the planned resource's config read back as its type's. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- K ties RESOURCE_PROVISIONERS[type] to mergedConfigOf(type): the two are checked as one type
function erased<K extends BuiltinTypeName>(type: K): AnyResourceProvisioner {
  const p: ResourceProvisioner<BuiltinMergedConfig<K>> = RESOURCE_PROVISIONERS[type];
  const typed = (r: PlannedResource): TypedPlannedResource<BuiltinMergedConfig<K>> => ({
    ...r,
    config: mergedConfigOf(type, r),
  });
  const grant = p.grant?.bind(p);
  return {
    provision: (ctx, r) => p.provision(ctx, typed(r)),
    ...(grant
      ? {
          grant: (ctx, r, functionAppOf) => {
            grant(ctx, typed(r), functionAppOf);
          },
        }
      : {}),
  };
}

/** The backend-level provisioners in the order they run. */
export function backendProvisioners(): readonly (readonly [string, BackendProvisioner])[] {
  return Object.entries(BACKEND_PROVISIONERS);
}
