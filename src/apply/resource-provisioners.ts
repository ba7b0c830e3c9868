import type { Construct } from 'constructs';
import type { PlannedResource } from '../model/plan.js';
import { grantCosmosAccess, provisionCosmos } from '../providers/cosmos/provision.js';
import { provisionCdn } from '../providers/cdn/provision.js';
import { provisionFunctions } from '../providers/functions/provision.js';
import { grantKeyVaultAccess, provisionKeyVault } from '../providers/keyvault/provision.js';
import { provisionStaticSite } from '../providers/staticsite/provision.js';
import { provisionStorage } from '../providers/storage/provision.js';
import type { ProvisionContext } from './provision-context.js';

/** Finds the Function App construct a component runs in (for identity-based grants). */
export type FunctionAppOf = (componentId: string) => Construct | undefined;

/**
 * The cdktf half of a built-in component resource type: `provision` creates it, `grant` (after every
 * resource exists) gives the consumers' Function App identities their data roles on it.
 */
export interface ResourceProvisioner {
  readonly type: string;
  provision(ctx: ProvisionContext, resource: PlannedResource): Construct;
  grant?(ctx: ProvisionContext, resource: PlannedResource, functionAppOf: FunctionAppOf): void;
}

/**
 * In dependency order: a Function App needs its host storage (and reads Cosmos and Key Vault names for its
 * settings); a CDN needs the static sites it fronts.
 */
export const RESOURCE_PROVISIONERS: readonly ResourceProvisioner[] = [
  { type: 'storage', provision: provisionStorage },
  { type: 'cosmos', provision: provisionCosmos, grant: grantCosmosAccess },
  { type: 'keyvault', provision: provisionKeyVault, grant: grantKeyVaultAccess },
  { type: 'functions', provision: provisionFunctions },
  { type: 'staticsite', provision: provisionStaticSite },
  { type: 'cdn', provision: provisionCdn },
];
