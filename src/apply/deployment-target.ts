import type { TerraformStack } from 'cdktf';
import type { NormalizedConfig } from '../model/config.js';
import { NAME_TOKEN_PLACEHOLDER } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { seededToken } from '../kit/pure/naming.js';
import { frozenPlainCopy } from '../plan/deep-freeze.js';

/** What apply reads of a stack to name the deployment target. */
export interface TargetStack {
  readonly resourceGroupName: string;
  readonly subscriptionId?: string | undefined;
}

/**
 * True for a string holding an unresolved cdktf token (what `Token.isUnresolved` says of a string: its string,
 * list or map token markers). Checked by marker so that this module, reached from the root import through the
 * stand-alone components, does not load cdktf (test/backend/lazy-cdktf.test.ts).
 */
const isTokenString = (v: string): boolean => /[$#&]\{TfToken\[/.test(v);

/**
 * What apply knows of a stack's target: its resource group, and its subscription — the stack's own
 * `subscriptionId` (ResourceGroupStack), else the literal `subscription_id` of an azurerm provider configured
 * in the stack (a user's own TerraformStack with its own AzurermProvider). Found by its Terraform type, not
 * by class: the provider may come from another copy of the bindings. A Terraform token is no literal and is
 * skipped (targetSeed then falls back to ARM_SUBSCRIPTION_ID).
 *
 * @example
 * ```ts
 * stackTarget(stack); // { resourceGroupName: 'rg-myapp-prod', subscriptionId: '0000…' }
 * ```
 */
export function stackTarget(stack: TerraformStack & { readonly resourceGroupName: string; readonly subscriptionId?: unknown }): TargetStack {
  const literal = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && !isTokenString(v) ? v : undefined);
  const own = literal(stack.subscriptionId);
  if (own) return { resourceGroupName: stack.resourceGroupName, subscriptionId: own };
  for (const child of stack.node.children) {
    const p = child as { terraformResourceType?: unknown; subscriptionId?: unknown };
    const fromProvider = p.terraformResourceType === 'azurerm' ? literal(p.subscriptionId) : undefined;
    if (fromProvider) return { resourceGroupName: stack.resourceGroupName, subscriptionId: fromProvider };
  }
  return { resourceGroupName: stack.resourceGroupName };
}

/**
 * The deployment target's seed, as Bicep's `uniqueString(subscription().id, resourceGroup().id)` would see it:
 * `<subscription id>/<resource group name>`. The subscription is the stack's `subscriptionId`, else the
 * `ARM_SUBSCRIPTION_ID` the azurerm provider (4.x requires one of the two) deploys with.
 *
 * @example
 * ```ts
 * targetSeed({ resourceGroupName: 'rg-myapp-prod', subscriptionId: '0000…' }); // '0000…/rg-myapp-prod'
 * ```
 */
export function targetSeed(stack: TargetStack): string {
  const subscription = stack.subscriptionId ?? process.env['ARM_SUBSCRIPTION_ID'] ?? '';
  return `${subscription.toLowerCase()}/${stack.resourceGroupName.toLowerCase()}`;
}

/**
 * A plan whose global names wait for the target (`naming.atApply`) becomes the plan for this stack: the
 * placeholder token is replaced everywhere (names, endpoints, settings, outputs) by the target's token, and
 * the config gets the seed so anything named later (custom providers) uses the same token. A plan with a
 * `naming.uniqueSeed` is returned as it is.
 *
 * @example
 * ```ts
 * const { plan } = resolveTarget(backend.plan(), config, stack);
 * plan.naming.atApply; // false
 * ```
 */
export function resolveTarget(plan: ResourcePlan, config: NormalizedConfig, stack: TargetStack): { plan: ResourcePlan; config: NormalizedConfig } {
  const borrowed = config.cosmosConfig?.accountName;
  if (borrowed?.includes(NAME_TOKEN_PLACEHOLDER)) {
    // Another backend's name read from its plan before it had a target: its token is not this stack's.
    throw new AtakoraError('NAME_INVALID', `cosmosConfig.accountName "${borrowed}" still holds the placeholder token "${NAME_TOKEN_PLACEHOLDER}": it was read from another backend's plan before that backend knew its deployment target.`, {
      path: ['config', 'cosmosConfig', 'accountName'],
      resolution: "Give the other backend naming.uniqueSeed (e.g. '<subscription id>/<resource group>') so its plan has final names, or read the name from its AppliedBackend.plan after apply.",
    });
  }
  if (!plan.naming.atApply) return { plan, config };
  const seed = targetSeed(stack);
  const token = seededToken(seed, config);
  const resolved = JSON.parse(JSON.stringify(plan).split(NAME_TOKEN_PLACEHOLDER).join(token)) as ResourcePlan;
  const naming = { token, atApply: false, derivedFrom: `hash of the target "${seed}" (subscription id/resource group) with backendId "${config.backendId}", environment "${config.environment}" and location "${config.location}"` };
  return {
    plan: frozenPlainCopy({ ...resolved, naming }),
    config: { ...config, naming: { ...config.naming, uniqueSeed: seed } },
  };
}
