import { acceptSiteOf } from '../kit/pure/accept-site.js';
import type { NormalizedConfig } from '../model/config.js';
import type { PlanIssue, PlanMcp, ResourcePlan } from '../model/plan.js';
import { compare } from '../kit/pure/resources/merge-strategies.js';
import type { AnyResourceType } from '../kit/pure/resources/resource-type.js';
import { BUILTIN_TYPES } from '../resources/types.js';
import { planBackendResources } from './phases/backend-resources.js';
import { collect } from './phases/collect.js';
import { signInSecretRequirements } from './phases/sign-in-secrets.js';
import { billingRequirements } from './phases/billing-requirements.js';
import { marketplaceRequirements } from './phases/marketplace-requirements.js';
import { agentKeyRequirements } from './phases/agent-key-requirements.js';
import { webhookFeedIssues, webhookFeedRequirements } from './phases/webhook-feed-requirements.js';
import { marketplacePlan } from './marketplace-plan.js';
import { withDataGrants } from './phases/data-grants.js';
import { tenantEventsIssues } from './checks/tenant-events.js';
import { crudAuditIssues } from './checks/crud-audit.js';
import { accessFeatureIssues } from './checks/access-features.js';
import { functionReachIssues } from './checks/function-reach.js';
import { configIssues } from './checks/config-issues.js';
import { registryContainerIssues, registryHostIssues } from './checks/registry-containers.js';
import { planItemsIssues } from './checks/plan-items.js';
import { freezeOwnedPlainData } from '../kit/pure/plain-data.js';
import { group, usageOf } from './phases/group.js';
import { assignNetworkGroups } from './phases/network-groups.js';
import { checkLimits } from './checks/limits.js';
import { merge } from './phases/merge.js';
import { name } from './phases/name.js';
import { outputs } from './phases/outputs.js';
import type { PlanInput } from './plan-input.js';
import { findSecrets } from './checks/secrets.js';
import { credentialWarnings } from './checks/credential-values.js';
import { routeConflicts } from './checks/route-conflicts.js';
import { routeShadowing } from './checks/route-shadowing.js';
import { relationIssues } from './checks/relations.js';
import { summarize } from './summary.js';
import { planNaming } from './phases/name.js';
import { ephemeralQuotaNotes } from './checks/ephemeral-quotas.js';
import { lazyKeyOf } from './phases/key-of.js';
import { tenantPlanCosts } from './tenant-plan-costs.js';

/**
 * The pure planner, a pipeline of named phases (docs/architecture.md lists them with their files): secrets →
 * collect → group → name → merge → backend resources → outputs → limits → summary → freeze. Same input,
 * byte-identical output; component order never matters; the input is never mutated; the result is deeply
 * frozen. Nothing here knows a resource type: each type's facts live in `src/resources/<type>/type.ts`.
 *
 * @example
 * ```ts
 * const plan = planBackend({ config: normalizeConfig({}), components: [{ key: 'userApi', definition: users }] });
 * ```
 */
export function planBackend(input: PlanInput): ResourcePlan {
  const { config } = input;
  const components = [...input.components].sort((a, b) => compare(a.key, b.key));
  const { types, issues: typeIssues } = resourceTypes(input);
  const sourced = withDataGrants(collect(input, components, types));
  const collected = assignNetworkGroups(
    [
      ...sourced,
      ...signInSecretRequirements(config),
      ...billingRequirements(config, sourced),
      ...marketplaceRequirements(config, sourced),
      ...agentKeyRequirements(config, sourced),
      ...webhookFeedRequirements(config, sourced),
    ],
    types,
    config,
  );
  const grouped = group(collected, types, config);
  const named = name(grouped.groups, config);
  const usage = usageOf(grouped.groups);
  const merged = merge(grouped.groups, named.names, usage, types, config);
  const withBackend = planBackendResources(merged.resources, config);
  const resources = withBackend.resources.sort((a, b) => compare(a.key, b.key));
  // Component id → key, for the issues' paths of both route phases: made only if one of them reports an issue.
  const keyOf = lazyKeyOf(components);
  const planned = outputs(components, usage, resources, config);
  const acceptSite = acceptSiteOf(planned, config).issue;
  const issues: PlanIssue[] = [
    ...(acceptSite ? [acceptSite] : []),
    ...findSecrets(input),
    ...credentialWarnings(input),
    ...configIssues(config),
    ...webhookFeedIssues(config, sourced),
    ...registryContainerIssues(components, config),
    ...registryHostIssues(components, resources, config),
    ...planItemsIssues(components, config),
    ...typeIssues,
    ...grouped.issues,
    ...named.issues,
    ...merged.issues,
    ...withBackend.issues,
    ...routeConflicts(resources, keyOf),
    ...routeShadowing(resources, keyOf, config.auth.enabled),
    ...ephemeralQuotaNotes(resources, config),
    ...relationIssues(components),
    ...functionReachIssues(components, resources, config),
    ...tenantEventsIssues(components, config),
    ...crudAuditIssues(components, config),
    ...accessFeatureIssues(components, config),
  ];
  // Each declared tenant plan at its bounds (present with a tenant registry only).
  const tenantPlans = tenantPlanCosts(resources, config);
  // Sold on Azure Marketplace: what Partner Center's Technical configuration asks for (present with the offer only).
  const marketplace = marketplacePlan(resources, config);
  const plan: ResourcePlan = {
    version: 1,
    backendId: config.backendId,
    environment: config.environment,
    location: config.location,
    components: planned,
    resources,
    issues: issues.sort(
      (a, b) =>
        compare(a.severity, b.severity) || compare(a.code, b.code) || compare(a.message, b.message),
    ),
    limitViolations: checkLimits(resources, config),
    summary: summarize(resources, merged.standaloneUsd),
    naming: planNaming(config),
    ...(tenantPlans ? { tenantPlans } : {}),
    ...(marketplace ? { marketplace } : {}),
    ...(config.mcp ? { mcp: mcpPlan(config.mcp) } : {}),
  };
  // Plain, frozen, and equal to its own JSON round trip. Frozen in place, not copied: every object in it was
  // built by the phases above for this plan, or came in through frozenPlainData (requirements, custom
  // components' outputs, custom providers' results), so nothing of a caller's is frozen by it.
  return freezeOwnedPlainData(plan);
}

/**
 * The built-in types, then custom providers' types for the names the built-ins do not take. A provider for a
 * built-in name (the seeds' Service Bus provider, now that `servicebus` is built in) is not used: a warning says so.
 */
function resourceTypes(input: PlanInput): {
  types: ReadonlyMap<string, AnyResourceType>;
  issues: PlanIssue[];
} {
  const types = new Map(BUILTIN_TYPES);
  const issues: PlanIssue[] = [];
  for (const t of input.extraTypes ?? []) {
    if (!types.has(t.type)) types.set(t.type, t);
    else if (BUILTIN_TYPES.has(t.type) && !issues.some((i) => i.path?.[2] === t.type)) {
      issues.push({
        severity: 'warning',
        code: 'PROVIDER_TYPE_BUILT_IN',
        path: ['config', 'providers', t.type],
        details: { resourceType: t.type },
        message:
          `"${t.type}" is a built-in resource type: the built-in plans it, and the custom provider for it is ` +
          `not used.`,
        resolution:
          `Remove the provider from config.providers (the built-in "${t.type}" type takes the same ` +
          `requirements), or give your provider's type another name.`,
      });
    }
  }
  return { types, issues };
}

/**
 * The MCP server as the CRUD runtime's manifest says it (resources/functions/runtime-manifest.ts), copied: the plan
 * is frozen in place and the normalized config is the caller's.
 */
function mcpPlan(mcp: NonNullable<NormalizedConfig['mcp']>): PlanMcp {
  return {
    writes: mcp.writes,
    ...(mcp.authorization ? { authorization: { ...mcp.authorization } } : {}),
  };
}
