import type { NormalizedConfig } from '../model/config.js';
import { NAME_TOKEN_PLACEHOLDER } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import { seededToken } from '../kit/pure/names/naming.js';

/** What apply reads of a stack to name the deployment target. */
export interface TargetStack {
  readonly resourceGroupName: string;
  readonly subscriptionId?: string | undefined;
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
  const subscription = subscriptionOf(stack) ?? '';
  return `${subscription.toLowerCase()}/${stack.resourceGroupName.toLowerCase()}`;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The stack's subscription id, else `ARM_SUBSCRIPTION_ID`; undefined when neither is set. Anything but a GUID
 * is `SUBSCRIPTION_ID_INVALID`: a subscription id is a GUID
 * (learn.microsoft.com/azure/azure-portal/get-subscription-tenant-id),
 * and a name (`my-subscription`) would seed names that change, replacing the accounts, once the id is set.
 *
 * @example
 * ```ts
 * subscriptionOf({ resourceGroupName: 'rg', subscriptionId: '5f1c2e3d-0000-4000-8000-000000000001' }); // the GUID
 * ```
 */
export function subscriptionOf(stack: TargetStack): string | undefined {
  const own = stack.subscriptionId;
  const env = process.env['ARM_SUBSCRIPTION_ID'];
  const value = own ?? (env === '' ? undefined : env);
  if (value === undefined || GUID.test(value)) return value;
  const where = own === undefined ? 'ARM_SUBSCRIPTION_ID' : "the stack's subscription id";
  throw new AtakoraError(
    'SUBSCRIPTION_ID_INVALID',
    `${where} is ${JSON.stringify(value)}, which is not a subscription id (a GUID such as ` +
      `00000000-0000-0000-0000-000000000000).`,
    {
      path: own === undefined ? ['ARM_SUBSCRIPTION_ID'] : ['stack', 'subscriptionId'],
    },
  );
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
export function resolveTarget(
  plan: ResourcePlan,
  config: NormalizedConfig,
  stack: TargetStack,
): { plan: ResourcePlan; config: NormalizedConfig } {
  const borrowed = config.cosmosConfig?.accountName;
  if (borrowed?.includes(NAME_TOKEN_PLACEHOLDER)) {
    // Another backend's name read from its plan before it had a target: its token is not this stack's.
    throw new AtakoraError(
      'NAME_INVALID',
      `cosmosConfig.accountName "${borrowed}" still holds the placeholder token "${NAME_TOKEN_PLACEHOLDER}": ` +
        `it was read from another backend's plan before that backend knew its deployment target.`,
      {
        path: ['config', 'cosmosConfig', 'accountName'],
        resolution:
          "Give the other backend naming.uniqueSeed (e.g. '<subscription id>/<resource group>') so its plan " +
          'has final names, or read the name from its AppliedBackend.plan after apply.',
      },
    );
  }
  if (!plan.naming.atApply) return { plan, config };
  const seed = targetSeed(stack);
  const token = seededToken(seed, config);
  const resolved = withToken(plan, token) as ResourcePlan;
  const naming = {
    token,
    atApply: false,
    derivedFrom:
      `hash of the target "${seed}" (subscription id/resource group) with backendId "${config.backendId}", ` +
      `environment "${config.environment}" and location "${config.location}"`,
  };
  return {
    plan: Object.freeze({ ...resolved, naming }),
    config: { ...config, naming: { ...config.naming, uniqueSeed: seed } },
  };
}

/**
 * `value` with the placeholder replaced by `token` in every string, as new frozen objects where something
 * changed and the same (already frozen) objects where nothing did. What a JSON round trip with a string
 * replace gives, minus copying and re-freezing the parts without a name (most of a large plan): that was
 * ~20 ms of a 100-CrudApi apply. Properties holding `undefined` are left out, as JSON does.
 */
function withToken(value: unknown, token: string): unknown {
  if (typeof value === 'string')
    return value.includes(NAME_TOKEN_PLACEHOLDER)
      ? value.split(NAME_TOKEN_PLACEHOLDER).join(token)
      : value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((x: unknown) => {
      const y = withToken(x, token);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? Object.freeze(out) : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) {
      if (x === undefined) {
        changed = true;
        continue;
      }
      const y = withToken(x, token);
      if (y !== x) changed = true;
      out[k] = y;
    }
    return changed ? Object.freeze(out) : value;
  }
  return value;
}
