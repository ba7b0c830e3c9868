import type { TerraformStack, ITerraformDependable, Construct } from '../kit/cdktf/engine.js';
import type { ComponentDefinition, OutputContext } from '../model/component.js';
import type { NormalizedConfig } from '../model/config.js';
import { AtakoraError, PlanError, ResourceLimitError } from '../model/errors.js';
import type { ResourcePlan } from '../model/plan.js';
import {
  isSiteComponent,
  siteConfigOf,
  siteConfigOutputName,
  siteDeployOutputs,
} from '../kit/pure/site-config.js';
import { tfName } from '../kit/pure/names/terraform-names.js';
import { parseResourceKey } from '../kit/pure/names/resource-key.js';
import type { ProvisionContext } from '../kit/cdktf/provision-context.js';
import {
  backendProvisioners,
  factsOf,
  provisionCustom,
  resourceProvisioners,
  withSharedZones,
  type CdktfProvider,
  type FunctionAppOf,
} from '../resources/provisioners.js';
import type { FunctionAppConstruct } from '../kit/cdktf/provisioner.js';
import { appPackageFile } from './package/app-package.js';
import {
  resolveTarget,
  subscriptionOf,
  targetSeed,
  type TargetStack,
} from './deployment-target.js';
import { warnOnce } from './warn-once.js';
import { stackTarget } from './stack-target.js';
import { preventDestroyOfData } from './prevent-destroy.js';
import { fitProvider } from './provider-fit.js';
import { checkSubnetDelegation } from './subnet-delegation.js';
import { sourceMapsOff } from './source-maps-off.js';
import { tokenTracesOff } from '../kit/cdktf/token-traces-off.js';
import { tagResourceGroup } from './resource-group-tags.js';
import { cdktf, constructs } from '../kit/cdktf/cdk-modules.js';
import { constructState, foundState, stateKey } from '../kit/cdktf/construct-state.js';
import type { ComponentHandle } from '../model/component.js';
import { appliedHandles } from './applied-handles.js';

/**
 * What apply returns: the constructs, by planned resource key, so cdktf code of your own can reference what
 * the backend created (add outputs, grant access, depend on it), and the handles as deployed in this stack.
 *
 * @example
 * ```ts
 * import { TerraformOutput } from 'cdktf';
 * import type { CosmosdbAccount } from '@cdktf/provider-azurerm/lib/cosmosdb-account/index.js';
 * const applied = defineBackend({ userApi: users }).apply(stack);
 * const account = applied.getResource('cosmos') as CosmosdbAccount;
 * new TerraformOutput(stack, 'cosmos-endpoint', { value: account.endpoint });
 * applied.components.userApi.apiEndpoint; // 'https://func-backend-dev-k3x9a1.azurewebsites.net/api/users'
 * ```
 */
export interface AppliedBackend<T = Readonly<Record<string, ComponentHandle>>> {
  /** The plan that was applied. */
  readonly plan: ResourcePlan;
  /** The construct (`atakora-<backendId>`) every resource of the backend was created under. */
  readonly scope: Construct;
  /** Planned resource key → main construct (the Cosmos account, the Function App, …). */
  readonly resources: ReadonlyMap<string, Construct>;
  /**
   * The handles as deployed in this stack: names with this stack's deployment target (never the plan's
   * `tgtxxx` placeholder), and values Azure assigns at creation (a static site's host name, a Front Door
   * endpoint's) as cdktf tokens of the created attributes, usable in any stack of the app.
   */
  readonly components: T;
  /**
   * `getResource('cosmos')` → the construct of `cosmos:shared`; `getResource('cosmos', 'strong')` or a full key
   * for another group.
   */
  getResource(type: string, group?: string): Construct | undefined;
}

export interface ApplyOptions {
  readonly definitions: ReadonlyMap<string, ComponentDefinition>;
  readonly config: NormalizedConfig;
}

/** The ids of the backends applied to a stack, on the stack (kit/cdktf/construct-state.ts). */
const APPLIED_BACKENDS = stateKey('atakora.applied-backends', () => new Set<string>());

/**
 * Materialise a plan in a stack. Throws before touching the stack when the plan has errors or limit
 * violations, or when this backend id is already in the stack. A plan whose global names wait for their
 * deployment target (`plan.naming.atApply`) gets the stack's target first; the returned `plan` is the one
 * applied. Afterwards checks that what it created is exactly what that plan's `deploys` promised.
 *
 * @example
 * ```ts
 * const result = applyPlan(stack, backend.plan(), { definitions, config });
 * result.getResource('cosmos'); // CosmosdbAccount
 * ```
 */
export function applyPlan(
  stack: unknown,
  plan: ResourcePlan,
  options: ApplyOptions,
): AppliedBackend {
  if (plan.limitViolations.length > 0) throw new ResourceLimitError(plan.limitViolations);
  if (plan.issues.some((i) => i.severity === 'error')) throw new PlanError(plan.issues);
  // isStack, not instanceof: the user's stack may come from another copy of cdktf than the one loaded here.
  if (!cdktf.TerraformStack.isStack(stack)) {
    throw new AtakoraError(
      'STACK_INVALID',
      'apply(stack) needs a cdktf TerraformStack (use ResourceGroupStack from @atakora/component/cdk).',
      { path: ['stack'] },
    );
  }
  const s = stack as TerraformStack & {
    resourceGroupName?: unknown;
    resourceGroup?: ITerraformDependable;
  };
  if (typeof s.resourceGroupName !== 'string') {
    throw new AtakoraError(
      'STACK_INVALID',
      'The stack has no resourceGroupName: use ResourceGroupStack, or set resourceGroupName on your stack.',
      { path: ['stack'] },
    );
  }
  const target = stackTarget(s as TerraformStack & { resourceGroupName: string });
  // Checked even with naming.uniqueSeed: the azurerm provider deploys with this id.
  subscriptionOf(target);
  if (plan.naming.atApply) warnWithoutSubscription(stack, target);
  // Every token apply makes records its creation stack; mapping those through source maps was most of apply
  // under tsx (source-maps-off.ts). Inline here, not a wrapper: each frame more is a frame in every trace.
  const restore = sourceMapsOff();
  const restoreTraces = tokenTracesOff();
  try {
    return applyForTarget(
      stack,
      s as TerraformStack & { resourceGroupName: string; resourceGroup?: ITerraformDependable },
      resolveTarget(plan, options.config, target),
      options.definitions,
    );
  } finally {
    restoreTraces();
    restore();
  }
}

/**
 * Names derived without a subscription id change once one is known, and a renamed Cosmos DB or storage
 * account is a replaced one (its data gone): say so where cdktf users look, the synth's annotations.
 */
function warnWithoutSubscription(stack: TerraformStack, target: TargetStack): void {
  if (targetSeed(target).startsWith('/')) {
    // A warning annotation as Annotations.addWarning writes it, minus the stack trace (a path of this
    // machine, which would make manifest.json differ between machines).
    const message =
      `atakora: no subscription id at synth (stack subscriptionId, an azurerm provider's subscription_id or ` +
      `ARM_SUBSCRIPTION_ID), so the global names are derived from resource group "${target.resourceGroupName}" ` +
      `alone and will change — replacing the accounts — once one is set. Pin it, or set naming.uniqueSeed ` +
      `(docs/deploying.md#names).`;
    stack.node.addMetadata(cdktf.AnnotationMetadataEntryType.WARN, message, { stackTrace: false });
    // A plain cdktf program (`npx tsx main.ts`) prints no annotations: say it on stderr too, once per process.
    warnOnce(message);
  }
}

/** Apply once the plan's names are the target's (see resolveTarget). */
function applyForTarget(
  stack: TerraformStack,
  s: TerraformStack & { resourceGroupName: string; resourceGroup?: ITerraformDependable },
  target: { plan: ResourcePlan; config: NormalizedConfig },
  definitions: ReadonlyMap<string, ComponentDefinition>,
): AppliedBackend {
  // Private DNS zones an earlier isolated backend of this stack created are shared, not created again.
  const plan = withSharedZones(target.plan, stack);
  const { config } = target;
  const options = { definitions, config };
  if (foundState(stack, APPLIED_BACKENDS)?.has(plan.backendId)) {
    throw new AtakoraError(
      'DUPLICATE_BACKEND_IN_STACK',
      `A backend with id "${plan.backendId}" is already applied to stack ${stack.node.id}.`,
      { path: ['config', 'backendId'] },
    );
  }
  // Check every claim before recording any, so a refused backend leaves nothing behind.
  checkSubnetDelegation(stack, plan, config);
  const claims = [claimGlobalNames(stack, plan)];
  for (const commit of claims) commit();
  constructState(stack, APPLIED_BACKENDS).add(plan.backendId);

  const scope = new constructs.Construct(stack, `atakora-${plan.backendId}`);
  // Context can only be set before children exist; custom providers (seeds' Example 1) read it.
  scope.node.setContext('resourceGroupName', s.resourceGroupName);
  tagResourceGroup(s.resourceGroup, options.config.tags);
  const ctx: ProvisionContext = {
    scope,
    resourceGroupName: s.resourceGroupName,
    dependsOn: s.resourceGroup ? [s.resourceGroup] : [],
    plan,
    config: options.config,
    definitions: options.definitions,
    tags: options.config.tags,
    constructs: new Map(),
    appPackage: (request) => appPackageFile(request),
  };
  const backendSide = backendProvisioners();
  const resourceSide = resourceProvisioners();
  const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
  for (const [type, p] of backendSide)
    for (const r of ofType(type)) ctx.constructs.set(r.key, p.provision(ctx, r));
  for (const [type, p] of resourceSide)
    for (const r of ofType(type)) ctx.constructs.set(r.key, p.provision(ctx, r));
  const known = new Set([...backendSide, ...resourceSide].map(([type]) => type));
  for (const r of plan.resources) {
    if (!known.has(r.type))
      ctx.constructs.set(
        r.key,
        provisionCustom(ctx, r, options.config.providers as CdktfProvider[]),
      );
  }
  const appByComponent = new Map(plan.components.map((c) => [c.id, c.resources['functions']]));
  const functionAppOf: FunctionAppOf = (componentId) => {
    const key = appByComponent.get(componentId);
    // ctx.constructs holds what each provisioner returned; under a functions key that is the Function App.
    return key ? (ctx.constructs.get(key) as FunctionAppConstruct | undefined) : undefined;
  };
  for (const [type, p] of resourceSide)
    for (const r of ofType(type)) p.grant?.(ctx, r, functionAppOf);
  for (const [type, p] of backendSide) for (const r of ofType(type)) p.finalize?.(ctx, r);

  const planned = new Map(plan.resources.map((r) => [r.key, r]));
  for (const c of plan.components) {
    const d = options.definitions.get(c.id);
    const octx: OutputContext = {
      componentId: c.id,
      componentKey: c.key,
      config: options.config,
      resource: (type) => planned.get(c.resources[type] ?? ''),
    };
    d?.provision?.(scope, ctx.constructs, octx);
    for (const [name, value] of Object.entries(c.outputs)) {
      if (typeof value === 'string' && /endpoint/i.test(name))
        output(scope, tfName(plan.backendId, c.key, name), value);
    }
    // A site's atakora.config.json, resolved by Terraform; `atakora deploy` uploads it with the content (#32).
    if (isSiteComponent(c)) {
      output(
        scope,
        siteConfigOutputName(plan.backendId, c.key),
        JSON.stringify(siteConfigOf(plan, c.key)),
      );
      const target = siteDeployOutputs(plan.backendId, c);
      new cdktf.TerraformOutput(scope, target.resource.name, {
        value: { id: target.resource.id },
      }).overrideLogicalId(target.resource.name);
      output(scope, target.url.name, target.url.value);
    }
  }
  for (const r of plan.resources) output(scope, tfName(plan.backendId, r.key, 'name'), r.name);
  if (config.preventDestroy) preventDestroyOfData(scope);
  fitProvider(stack, plan, s.resourceGroup !== undefined);
  assertHonest(scope, plan);

  return {
    plan,
    scope,
    resources: ctx.constructs,
    components: appliedHandles(scope, plan),
    getResource: (type, group) => {
      const key = parseResourceKey(type, group)?.key;
      return key ? ctx.constructs.get(key) : undefined;
    },
  };
}

/** The globally unique names the backends of an app create → which backend, on the app (the tree's root). */
const CLAIMED_NAMES = stateKey('atakora.global-names', () => new Map<string, string>());

/**
 * Two backends in one app (blue/green, per region) must not create the same globally unique name: Azure
 * would refuse the second at deploy time, or Terraform would fight over one resource.
 */
function claimGlobalNames(stack: TerraformStack, plan: ResourcePlan): () => void {
  const root = stack.node.root;
  const names = foundState(root, CLAIMED_NAMES);
  const mine = plan.resources.filter((r) =>
    r.deploys.some((d) => factsOf(r.type).terraformTypes.globalName?.includes(d.terraformType)),
  );
  for (const r of mine) {
    const owner = names?.get(`${r.type}|${r.name}`);
    if (owner) {
      throw new AtakoraError(
        'NAME_COLLISION',
        `Backend "${plan.backendId}" in stack ${stack.node.id} would create ${r.type} "${r.name}", which ` +
          `${owner} already creates in this app.`,
        {
          path: ['config', 'backendId'],
          resolution:
            'Give each backend in one app its own backendId (e.g. app-blue and app-green), environment or location.',
        },
      );
    }
  }
  return () => {
    const claimed = constructState(root, CLAIMED_NAMES);
    for (const r of mine)
      claimed.set(`${r.type}|${r.name}`, `backend "${plan.backendId}" in stack ${stack.node.id}`);
  };
}

/** The plan is honest: the Terraform resources created here are exactly the planned deploys. */
function assertHonest(scope: Construct, plan: ResourcePlan): void {
  const created = new Set<string>();
  for (const node of scope.node.findAll()) {
    if (cdktf.TerraformResource.isTerraformResource(node))
      created.add(`${node.terraformResourceType}.${node.friendlyUniqueId}`);
  }
  const planned = new Set(
    plan.resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)),
  );
  const missing = [...planned].filter((x) => !created.has(x));
  const extra = [...created].filter((x) => !planned.has(x));
  // Custom providers that declare no deploys cannot be checked; the plan warns about them instead.
  const unchecked = new Set(
    plan.resources.filter((r) => r.deploys.length === 0).map((r) => r.type),
  );
  if (missing.length || (extra.length && unchecked.size === 0)) {
    throw new AtakoraError(
      'PLAN_HAS_ERRORS',
      `Internal: apply and plan disagree. Missing: ${missing.join(', ') || 'none'}. Unplanned: ` +
        `${extra.join(', ') || 'none'}.`,
      { path: ['resources'] },
    );
  }
}

/**
 * A Terraform output named exactly `id` (`terraform output -raw backend_userApi_apiEndpoint`), not cdktf's
 * construct path with a hash (`atakora-backend_backend_userApi_apiEndpoint_96663895`), so the name
 * docs/deploying.md gives holds and scripts can rely on it.
 */
function output(scope: Construct, id: string, value: string): void {
  new cdktf.TerraformOutput(scope, id, { value }).overrideLogicalId(id);
}
