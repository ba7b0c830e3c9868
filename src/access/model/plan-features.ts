import { featuresOf, plansWith } from '../../model/plan-features.js';
import type { FeaturedPlan } from '../../model/plan-features.js';

/**
 * A door of the features model (test/model/features.model.test.ts): a CrudApi's search (the `search` feature), a
 * create its access rules allow only on plans with an application feature (`{ allow: 'authenticated', operations:
 * ['create'], feature }` beside a read rule for everyone), a list nothing gates, and the MCP endpoint's own
 * `tools/list` — each through REST, an MCP tool call or `dataOf`.
 */
export type FeatureDoor =
  | { readonly op: 'search' | 'list' | 'create'; readonly via: 'rest' | 'mcp' | 'data' }
  | { readonly op: 'tools/list' };

/**
 * The answer the model expects: `served` (the status of success), `feature-not-in-plan` (402, naming the feature and
 * the plans that include it), `access-denied` (403: no rule applies on this plan), or `unlisted` (an MCP tool the
 * caller may not call at all: the protocol's unknown tool); for `tools/list`, whether the search tool is listed.
 */
export type FeatureAnswer =
  | { readonly kind: 'served'; readonly status: number; readonly searchListed?: boolean }
  | { readonly kind: 'feature-not-in-plan'; readonly feature: string; readonly plans: string[] }
  | { readonly kind: 'access-denied' }
  | { readonly kind: 'unlisted' };

/**
 * Which doors a principal of a tenant on `plan` reaches, by the one rule (model/plan-features.ts `featuresOf`, which
 * the runtime reads too) and the doors each built-in gates: the MCP endpoint first (`mcp`, for every message and
 * tool call: an HTTP 402), then the route's own feature (`search`: a 402 as the tool's error through MCP, the
 * problem through `dataOf`), then the access rules, of which the create rule applies only on plans with
 * `appFeature`. A tool the rules never let the caller call is not listed and its call is the unknown tool.
 *
 * @example
 * ```ts
 * featureAnswer({ op: 'search', via: 'rest' }, plans.free, plans, 'reports');
 * // { kind: 'feature-not-in-plan', feature: 'search', plans: ['pro'] }
 * ```
 */
export function featureAnswer(
  door: FeatureDoor,
  plan: FeaturedPlan | undefined,
  plans: Readonly<Record<string, FeaturedPlan>>,
  appFeature: string,
): FeatureAnswer {
  const has = featuresOf(plan, plans);
  const refused = (feature: string): FeatureAnswer => ({
    kind: 'feature-not-in-plan',
    feature,
    plans: plansWith(feature, plans),
  });
  const viaMcp = door.op === 'tools/list' || door.via === 'mcp';
  if (viaMcp && !has.has('mcp')) return refused('mcp');
  if (door.op === 'tools/list')
    return { kind: 'served', status: 200, searchListed: has.has('search') };
  if (door.op === 'search')
    return has.has('search') ? { kind: 'served', status: 200 } : refused('search');
  if (door.op === 'list') return { kind: 'served', status: 200 };
  if (has.has(appFeature)) return { kind: 'served', status: 201 };
  return door.via === 'mcp' ? { kind: 'unlisted' } : { kind: 'access-denied' };
}
