import type { PlanIssueCode, PlanIssueOf } from './issue-codes.js';
import type { NormalizedMcpAuthorization } from './config.js';
import type { TenantPlanCosts } from './tenant-plan-costs.js';

export type {
  TenantPlanCost,
  TenantPlanCostLine,
  TenantPlanCosts,
  TenantPlanNeeds,
  TenantPlanPrices,
} from './tenant-plan-costs.js';
export type {
  TenantPlanPackage,
  TenantPlanPackageCost,
  TenantPlanPackageFeatures,
  TenantPlanPackageItems,
  TenantPlanPackageMargin,
  TenantPlanPackagePrice,
} from './plans/plan-package.js';
export type { PlanIssueBase, PlanIssueCode, PlanIssueDetails, PlanIssueOf } from './issue-codes.js';

/**
 * The resource plan, version 1: what `backend.plan()` returns. Plain, JSON-serialisable data; the planner
 * produces it purely and `apply(stack)` materialises exactly what it lists (see DESIGN.md §3).
 *
 * @example
 * ```ts
 * const plan: ResourcePlan = backend.plan();
 * for (const r of plan.resources) console.log(r.key, r.name, r.consumers.join(', '));
 * ```
 */
export interface ResourcePlan {
  readonly version: 1;
  readonly backendId: string;
  readonly environment: string;
  readonly location: string;
  /** Sorted by `key`. */
  readonly components: readonly PlannedComponent[];
  /** Sorted by `key`. */
  readonly resources: readonly PlannedResource[];
  readonly issues: readonly PlanIssue[];
  readonly limitViolations: readonly LimitViolation[];
  readonly summary: PlanSummary;
  /**
   * How globally unique names end: `token` is the 6-character suffix in them, or the placeholder `tgtxxx`
   * when it is derived at apply from the stack's subscription and resource group; `derivedFrom` says which.
   */
  readonly naming: PlanNaming;
  /**
   * With a tenant registry: each declared plan's worst-case monthly cost per tenant (its limits at the current
   * prices) and what the shared resources need to carry it. Absent without a registry.
   */
  readonly tenantPlans?: TenantPlanCosts;
  /**
   * With `tenants.billing.marketplace`: what Partner Center's Technical configuration asks for (the landing page and
   * webhook URLs, the publisher tenant and fulfillment app), the landing sign-in the stack registers, the secrets to
   * set, and what selling there costs. Absent otherwise.
   */
  readonly marketplace?: PlanMarketplace;
  /**
   * With `mcp`: the MCP server the app running the CRUD runtime serves at `api/mcp`, as its runtime manifest says it
   * (writes; the backend's own authorization server with its bounds, `mcp.authorization` after defaults). What
   * `atakora openapi` reads to describe what that app serves (the connected agents' routes). Absent otherwise.
   */
  readonly mcp?: PlanMcp;
}

/**
 * The MCP server as the plan says it (`ResourcePlan.mcp`): what the runtime manifest of the app that serves `api/mcp`
 * carries (model/runtime-manifest.ts `RuntimeMcp`).
 *
 * @example
 * ```ts
 * const mcp = backend.plan().mcp; // { writes: false, authorization: { accessTokenMinutes: 10, … } }
 * if (mcp?.authorization) console.log('agents sign in to organizations');
 * ```
 */
export interface PlanMcp {
  /** `BackendConfig.mcp.writes`. */
  readonly writes: boolean;
  /** `BackendConfig.mcp.authorization` after defaults; absent when the backend is not its own authorization server. */
  readonly authorization?: NormalizedMcpAuthorization;
}

/**
 * An offer sold on Azure Marketplace, as the plan says it (`ResourcePlan.marketplace`): paste `landingPageUrl`,
 * `webhookUrl`, `tenantId` and `applicationId` into the offer's Technical configuration in Partner Center.
 *
 * @example
 * ```ts
 * const marketplace = backend.plan().marketplace; // present with tenants.billing.marketplace
 * if (marketplace) console.log(marketplace.landingPageUrl, marketplace.webhookUrl);
 * ```
 */
export interface PlanMarketplace {
  readonly offer: string;
  /** `https://<app>.azurewebsites.net/api/marketplace/landing` (Partner Center: "Landing page URL"). */
  readonly landingPageUrl: string;
  /** `https://<app>.azurewebsites.net/api/marketplace/webhook` (Partner Center: "Connection webhook"). */
  readonly webhookUrl: string;
  /** The publisher's Microsoft Entra tenant ID (Partner Center: "Microsoft Entra tenant ID"). */
  readonly tenantId: string;
  /** The fulfillment app's client id (Partner Center: "Microsoft Entra application ID"). */
  readonly applicationId: string;
  /**
   * The landing sign-in the stack registers (any Entra directory and personal Microsoft accounts), its redirect URI;
   * null when registrations are turned off (`auth.appRegistration: false`).
   */
  readonly landingSignIn: {
    readonly registration: string;
    readonly signInAudience: 'AzureADandPersonalMicrosoftAccount';
    readonly redirectUri: string;
  } | null;
  /** Our plan → Marketplace plan id; our meter → dimension id. */
  readonly plans: Readonly<Record<string, string>>;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The secrets to set with `atakora secret set` (never in config, the plan or state). */
  readonly secrets: readonly string[];
  /** Microsoft's standard store service fee on what buyers pay through the Marketplace, in percent. */
  readonly storeServiceFeePercent: number;
  readonly notes: readonly string[];
}

/**
 * The global-name token of a plan and where it comes from.
 *
 * @example
 * ```ts
 * defineBackend({ userApi: users }).plan().naming; // { token: 'tgtxxx', atApply: true, derivedFrom: 'at apply: hash of …' }
 * ```
 */
export interface PlanNaming {
  readonly token: string;
  /** True while the token is the placeholder that apply replaces. */
  readonly atApply: boolean;
  readonly derivedFrom: string;
}

/**
 * One component as planned: which shared resources it uses and the outputs its handle exposes. This is what
 * lets a handle (`backend.components.userApi.apiEndpoint`) be read before anything is deployed.
 *
 * @example
 * ```ts
 * const c = defineBackend({ userApi: users }).plan().components.find((x) => x.key === 'userApi')!;
 * c.resources; // { cosmos: 'cosmos:shared', functions: 'functions:shared', storage: 'storage:shared' }
 * c.outputs.apiEndpoint; // 'https://func-….azurewebsites.net/api/users'
 * ```
 */
export interface PlannedComponent {
  /** The key users access it by (`backend.components[key]`). */
  readonly key: string;
  /** The component id given to `define(id, ...)`. */
  readonly id: string;
  /** The component type, e.g. `CrudApi`, `FunctionsApp`, or a custom `defineComponent` type. */
  readonly type: string;
  /** Resource type → planned resource key, e.g. `{ cosmos: 'cosmos:shared' }`. */
  readonly resources: Readonly<Record<string, string>>;
  /** Handle values known from the plan, e.g. `apiEndpoint`. */
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

/**
 * One shared (or dedicated) resource, after grouping and merging every requirement it serves. Its `key` is
 * what diffs, handles and `getResource` refer to, so it stays the same when components are added or removed.
 *
 * @example
 * ```ts
 * const cosmos = backend.plan().resources.find((r) => r.key === 'cosmos:shared');
 * console.log(cosmos?.name, cosmos?.consumers, cosmos?.deploys.length, cosmos?.estimatedMonthlyUsd);
 * ```
 */
export interface PlannedResource {
  /** `{type}:{group}` — `cosmos:shared` for the default compatibility group. Stable across edits. */
  readonly key: string;
  /** Resource type: `cosmos`, `functions`, `storage`, `monitoring`, `network`, … or a custom provider's. */
  readonly type: string;
  /** The Azure resource name, valid for its type. */
  readonly name: string;
  /** The compatibility key that decided the group (what must match for components to share it). */
  readonly compatibility: string;
  /** The merged configuration. */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** Component ids served by this resource, sorted. */
  readonly consumers: readonly string[];
  /** Every Terraform resource `apply` creates for it, sorted by terraformType then name. */
  readonly deploys: readonly PlannedDeploy[];
  /** Rough monthly price in USD (see docs/cost-model.md). */
  readonly estimatedMonthlyUsd: number;
}

/**
 * A Terraform resource that apply will create: its type and its logical name in `cdk.tf.json`. Listing them in
 * the plan makes apply checkable (it verifies it created exactly these) and lets `diffPlans` see replacements.
 *
 * @example
 * ```ts
 * import { plannedAddresses } from '@atakora/component/testing';
 * const deploy: PlannedDeploy = { terraformType: 'azurerm_cosmosdb_account', name: 'backend_cosmos_shared' };
 * plannedAddresses(backend.plan()); // ['azurerm_cosmosdb_account.backend_cosmos_shared', …]
 * ```
 */
export interface PlannedDeploy {
  readonly terraformType: string;
  readonly name: string;
}

/**
 * A problem or note found while planning. Errors block `apply` (it throws a {@link PlanError}); warnings do not.
 * Issues are data rather than exceptions so one `plan()` reports every problem at once. A discriminated union
 * on `code` (every code is documented in `docs/troubleshooting.md`): narrowing on it types the code's
 * `details` ({@link PlanIssueDetails}). Serialized as `{ severity, code, message, path?, components?,
 * resolution?, details? }`.
 *
 * @example
 * ```ts
 * for (const issue of backend.plan().issues) {
 *   console.log(`${issue.severity} ${issue.code} at ${issue.path?.join('.')}: ${issue.message}`);
 *   if (issue.code === 'STATEFUL_REMOVAL') console.log(issue.details?.resourceKey);
 * }
 * ```
 */
export type PlanIssue = { [C in PlanIssueCode]: PlanIssueOf<C> }[PlanIssueCode];

/**
 * A configured or Azure limit that the plan exceeds. Kept apart from `issues` so tooling can show limit and
 * requested side by side; `apply` turns them into a {@link ResourceLimitError}.
 *
 * @example
 * ```ts
 * const plan = defineBackend({ userApi: users, orderApi: orders }, { limits: { maxCosmosAccounts: 1 } }).plan();
 * for (const v of plan.limitViolations) console.log(`${v.limit}: ${v.requested} > ${v.allowed}`);
 * ```
 */
export interface LimitViolation {
  /** The {@link ResourceLimits} key, e.g. `maxCosmosAccounts`. */
  readonly limit: string;
  /** The configured limit, else Azure's. */
  readonly allowed: number;
  readonly requested: number;
  /** Planned resource type the limit counts, e.g. `cosmos`. */
  readonly resourceType: string;
  readonly message: string;
  /** Suggested ways out, in order (raise the limit when it is yours, split the backend, ask Azure for quota). */
  readonly solutions: readonly string[];
}

/**
 * What sharing saves: the plan's resources and monthly estimate against the same components deployed each on
 * their own. The numbers `atakora plan` prints and that justify sharing in the first place.
 *
 * @example
 * ```ts
 * const { summary } = backend.plan();
 * console.log(
 *   `${summary.resources} resources instead of ${summary.unsharedResources} (${Math.round(summary.reduction * 100)}% fewer)`,
 * );
 * console.log(
 *   `~$${summary.estimatedMonthlyUsd.shared}/month instead of ~$${summary.estimatedMonthlyUsd.unshared}`,
 * );
 * ```
 */
export interface PlanSummary {
  /** Top-level shared resources the plan creates. */
  readonly resources: number;
  /** Top-level resources the same components would create stand-alone (one of each per component). */
  readonly unsharedResources: number;
  /** `1 - resources / unsharedResources`, rounded to 3 places. */
  readonly reduction: number;
  /** Rough monthly USD: the plan as is, and every consumer owning its own copy (see docs/cost-model.md). */
  readonly estimatedMonthlyUsd: { readonly shared: number; readonly unshared: number };
}

/**
 * Any JSON value, read-only. Merged configs and handle outputs are typed with it so a plan stays
 * JSON-serialisable and byte-identical when saved and compared.
 *
 * @example
 * ```ts
 * const outputs: Record<string, JsonValue> = {
 *   apiEndpoint: 'https://…/api/users',
 *   routes: ['api/users', 'api/users/{id}'],
 * };
 * ```
 */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };
