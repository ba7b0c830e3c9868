import type { BuiltInFeature } from '../../model/plans/plan-features.js';
import { featureRefusal } from '../tenants/feature-refusal.js';
import type { CallerContext, Passed } from './context.js';
import { PASS, refuse } from './stage-list.js';

/**
 * The plan's features, the first check of the limits stage (stages/limits.ts: a plan bounds what a tenant may do,
 * its features what it may reach): a door of a built-in feature (`Endpoint.feature`: the domains, directory, SCIM,
 * audit, search, realtime routes) refused 402 `feature-not-in-plan` when the caller's plan lacks it
 * (model/plans/plan-features.ts `featuresOf`, on the plan the registry stage placed the caller on). One place, so every
 * door of a route — REST, the MCP tool that mirrors it, `dataOf`, SCIM — is gated once; a route without a feature
 * passes without a lookup, and so does a method of its `ungatedMethods` (the way out: revoking, deleting).
 *
 * @example
 * ```ts
 * const gated = features(ctx);
 * if (!gated.ok) return gated;
 * ```
 */
export function features(ctx: CallerContext): Passed<object> {
  const { feature, ungatedMethods } = ctx.endpoint;
  if (feature === undefined) return PASS;
  return ctx.method !== undefined && ungatedMethods?.includes(ctx.method) === true
    ? PASS
    : gate(ctx, feature);
}

/**
 * The gate of one feature, whatever the endpoint says: the MCP endpoint's (`mcp`), asked before a tool call
 * becomes the route it mirrors.
 *
 * @example
 * ```ts
 * stages.use(registry).use((ctx) => gate(ctx, 'mcp'));
 * ```
 */
export function gate(ctx: CallerContext, feature: BuiltInFeature): Passed<object> {
  const registry = ctx.endpoint.policy?.registry;
  if (!registry || ctx.caller.features.has(feature)) return PASS;
  return refuse(featureRefusal(feature, registry, ctx.caller.membership?.roles));
}
