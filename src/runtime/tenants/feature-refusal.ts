import type { HttpResponseInit } from '@azure/functions';
import { CHECKOUT_ROUTE } from '../../contract/tenant-billing.js';
import { featuresOf, plansWith } from '../../model/plans/plan-features.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { problemResponse } from '../http/response.js';
import { planLimits } from './plan-limits.js';

/**
 * The 402 `feature-not-in-plan` of a door whose feature the caller's plan lacks: `feature`, the plans that include
 * it (`plans`, what would allow it) and — for an Owner of an organization on a backend whose plans are sold through
 * Stripe (`tenants.billing.stripe.webhookSecret`) — the checkout route that subscribes to one (`checkout`). A
 * member who is not an Owner cannot subscribe, so the route is not named to them (the detail says to ask one).
 *
 * @example
 * ```ts
 * featureRefusal('audit', registry, ['Owner']);
 * // 402 { type: 'urn:atakora:problem:feature-not-in-plan', feature: 'audit', plans: ['pro'], checkout: 'POST api/tenant/billing/checkout' }
 * ```
 */
export function featureRefusal(
  feature: string,
  registry: Pick<RuntimeTenantRegistry, 'plans' | 'billing' | 'membership'>,
  roles: readonly string[] | undefined,
): HttpResponseInit {
  const plans = plansWith(feature, registry.plans);
  const sold = registry.membership !== undefined && registry.billing?.subscriptions !== undefined;
  const owner = sold && roles?.includes('Owner') === true;
  const which =
    plans.length === 0
      ? 'No plan includes it.'
      : `It is in ${plans.length === 1 ? 'plan' : 'plans'} ${plans.join(', ')}.`;
  const how = owner
    ? ` Subscribe to one with ${CHECKOUT_ROUTE} { plan }.`
    : sold && plans.length > 0
      ? ' An Owner of the organization can subscribe to one.'
      : '';
  return problemResponse(
    'feature-not-in-plan',
    `Your plan does not include the feature ${JSON.stringify(feature)}. ${which}${how}`,
    { feature, plans, ...(owner ? { checkout: CHECKOUT_ROUTE } : {}) },
  );
}

/**
 * The 402 of a door that admits a person into an organization on `plan` (a record's plan name, resolved as the limits
 * resolve it: an undeclared one is `defaultPlan`'s) by something the plan sells — a verified domain's join or an
 * approval of its request (`domains`), a linked directory's first request (`directory`) — when the plan lacks
 * `feature`; undefined when it has it. What a downgrade left (the domain, the link, a pending request) stays, but
 * admits nobody until the organization is on a plan with the feature again. `roles`: the asker's in the organization
 * (an Owner approving is told the checkout route; a person joining has none).
 *
 * @example
 * ```ts
 * const closed = admissionRefusal(registry, record.plan, 'directory', undefined);
 * if (closed) return { refused: closed };
 * ```
 */
export function admissionRefusal(
  registry: Pick<RuntimeTenantRegistry, 'plans' | 'defaultPlan' | 'billing' | 'membership'>,
  plan: string,
  feature: 'domains' | 'directory',
  roles: readonly string[] | undefined,
): HttpResponseInit | undefined {
  if (featuresOf(planLimits(registry, plan).limits, registry.plans).has(feature)) return undefined;
  return featureRefusal(feature, registry, roles);
}
