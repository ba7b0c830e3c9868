import { featuresOf, plansWith } from '../../model/plans/plan-features.js';
import type { BuiltInFeature, FeaturedPlan } from '../../model/plans/plan-features.js';

/**
 * A door of the features model (test/model/features.model.test.ts): a CrudApi's search (the `search` feature), a
 * create its access rules allow only on plans with an application feature (`{ allow: 'authenticated', operations:
 * ['create'], feature }` beside a read rule for everyone), a list nothing gates, and the MCP endpoint's own
 * `tools/list` — each through REST, an MCP tool call or `dataOf` — and realtime's negotiate.
 */
export type FeatureDoor =
  | { readonly op: 'search' | 'list' | 'create'; readonly via: 'rest' | 'mcp' | 'data' }
  | { readonly op: 'tools/list' }
  /** `POST api/realtime/negotiate` of a realtime backend (the `realtime` feature: no token on a plan without it). */
  | { readonly op: 'negotiate' };

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
 * Which doors a principal of a tenant on `plan` reaches, by the one rule (model/plans/plan-features.ts `featuresOf`, which
 * the runtime reads too) and the doors each built-in gates: the MCP endpoint first (`mcp`, for every message and
 * tool call: an HTTP 402), then the route's own feature (`search`: a 402 as the tool's error through MCP, the
 * problem through `dataOf`; `realtime`: negotiate's 402), then the access rules, of which the create rule applies only on plans with
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
  if (door.op === 'negotiate')
    return has.has('realtime') ? { kind: 'served', status: 200 } : refused('realtime');
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

/**
 * A door that admits a person into an organization by something its plan sells (DESIGN §2): a verified domain's
 * `auto` join (`POST api/tenants/{id}/join` → 201) or `request` join (→ 202 a pending request), an Owner's approval
 * of a pending request (`POST api/tenant/join-requests/{id}/approve` → 201), and a linked directory's user's first
 * request naming the organization (→ the route's 200). What a downgrade leaves behind — a verified domain, a linked
 * directory, a request made before it — stays, but admits nobody on a plan without its feature.
 */
export type AdmissionDoor = 'auto-join' | 'request-join' | 'approve' | 'directory';

const ADMISSIONS: Readonly<
  Record<AdmissionDoor, { readonly feature: 'domains' | 'directory'; readonly status: number }>
> = {
  'auto-join': { feature: 'domains', status: 201 },
  'request-join': { feature: 'domains', status: 202 },
  approve: { feature: 'domains', status: 201 },
  directory: { feature: 'directory', status: 200 },
};

/**
 * The answer of an admission door for an organization on `plan`: served (the person admitted, or their request
 * pending) when the plan has the door's feature, else 402 `feature-not-in-plan` naming it and the plans that include
 * it — and nobody admitted, no request made. `GET api/me/joinable` lists the organization exactly when its domain's
 * join would be served.
 *
 * @example
 * ```ts
 * admissionAnswer('directory', plans.free, plans); // { kind: 'feature-not-in-plan', feature: 'directory', plans: ['pro'] }
 * ```
 */
export function admissionAnswer(
  door: AdmissionDoor,
  plan: FeaturedPlan | undefined,
  plans: Readonly<Record<string, FeaturedPlan>>,
): FeatureAnswer {
  const { feature, status } = ADMISSIONS[door];
  return featuresOf(plan, plans).has(feature)
    ? { kind: 'served', status }
    : { kind: 'feature-not-in-plan', feature, plans: plansWith(feature, plans) };
}

/**
 * The built-in features that gate a row of the access matrix, in the order the runtime asks them (DESIGN §2 "Plans
 * that package the product"; docs/packaging.md's table): an MCP tool first the endpoint's `mcp` (every message, an
 * HTTP 402), then its route's own (`<entity>_search`: `search`); a CrudApi's search route `search`, its realtime
 * events `realtime`; the organization's domain routes and join approvals `domains`, its directory link `directory`,
 * its SCIM tokens and the SCIM routes `scim`, its audit log `audit`. A domain join itself (`tenants:join`) is an
 * admission ({@link admissionAnswer}), not a gated route; every other row is gated by none.
 *
 * @example
 * ```ts
 * rowGates('mcp', 'mcp:search');            // ['mcp', 'search']
 * rowGates('organization', 'audit:list');   // ['audit']
 * ```
 */
export function rowGates(kind: string, operation: string): BuiltInFeature[] {
  if (kind === 'mcp') return operation === 'mcp:search' ? ['mcp', 'search'] : ['mcp'];
  if (kind === 'crud')
    return operation === 'search' ? ['search'] : operation === 'events' ? ['realtime'] : [];
  if (kind !== 'organization') return [];
  const [area] = operation.split(':');
  if (area === 'domains' || operation === 'join-requests:approve') return ['domains'];
  if (area === 'directory') return ['directory'];
  if (area === 'scim' || area === 'scim-tokens') return ['scim'];
  if (area === 'api-keys') return ['api-keys'];
  return area === 'audit' ? ['audit'] : [];
}
