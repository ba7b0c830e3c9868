import type { RuntimeTenantPlan, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';

/** A record's plan as the limits apply it: the bounds, and whether the config declares the plan it names. */
export interface PlanLimits {
  readonly limits: RuntimeTenantPlan;
  /** False for a plan the config no longer declares (renamed, removed, or an imported record's): `defaultPlan`'s. */
  readonly declared: boolean;
}

/**
 * The bounds a record naming `plan` gets: its plan's when the config declares it, else `defaultPlan`'s — never
 * none, so a renamed plan or an imported record never lifts a tenant's limits (`atakora tenant list`, `GET
 * api/tenants` and `atakora plan` warn of such records). A name is looked up as the config's own key only (a
 * record naming `constructor` or `__proto__` is undeclared).
 *
 * @example
 * ```ts
 * planLimits(registry, 'free');   // { limits: { requestsPerMinute: 600, … }, declared: true }
 * planLimits(registry, 'legacy'); // { limits: <defaultPlan's>, declared: false }
 * ```
 */
export function planLimits(
  registry: Pick<RuntimeTenantRegistry, 'plans' | 'defaultPlan'>,
  plan: string,
): PlanLimits {
  if (Object.hasOwn(registry.plans, plan))
    return { limits: registry.plans[plan] ?? {}, declared: true };
  const fallback = Object.hasOwn(registry.plans, registry.defaultPlan)
    ? registry.plans[registry.defaultPlan]
    : undefined;
  return { limits: fallback ?? {}, declared: false };
}
