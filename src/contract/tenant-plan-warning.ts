// A registry record naming a plan the config no longer declares (renamed, removed, or an imported record's): the
// runtime applies `tenants.defaultPlan`'s limits to it (never none), and says so wherever records are shown —
// `GET api/tenants` (each such record's `planWarning`), `atakora tenant list` (a warning line per record). Pure:
// the runtime, the CLI and the OpenAPI document read it from here.

/**
 * What a record of an undeclared plan carries in `GET api/tenants`: a problem-like note (`code`, `message`) and
 * the plan whose limits apply.
 *
 * @example
 * ```ts
 * const w: PlanWarning = { code: 'plan-undeclared', appliedPlan: 'free', message: 'Plan "legacy" is not …' };
 * ```
 */
export interface PlanWarning {
  readonly code: 'plan-undeclared';
  /** The plan whose limits the tenant gets: `tenants.defaultPlan`. */
  readonly appliedPlan: string;
  readonly message: string;
}

/**
 * The warning for a record naming `plan` under a config declaring `plans` with `defaultPlan`, or undefined when it
 * names a declared plan.
 *
 * @example
 * ```ts
 * planWarningOf(['free', 'pro'], 'free', 'legacy')?.appliedPlan; // 'free'
 * planWarningOf(['free', 'pro'], 'free', 'pro');                   // undefined
 * ```
 */
export function planWarningOf(
  plans: readonly string[],
  defaultPlan: string,
  plan: string,
): PlanWarning | undefined {
  if (plans.includes(plan)) return undefined;
  return {
    code: 'plan-undeclared',
    appliedPlan: defaultPlan,
    message:
      `Plan ${JSON.stringify(plan)} is not one of the backend's tenants.plans (${plans.join(', ') || 'none'}): ` +
      `this tenant gets the default plan ${JSON.stringify(defaultPlan)}'s limits. Set one of them (PATCH ` +
      'api/tenants/{id} with "plan", or atakora tenant set <entry> <tid> --plan <plan>), or declare the plan again.',
  };
}

/** The OpenAPI schema of {@link PlanWarning} (read-only: a PATCH may send it back, and it is ignored). */
export const PLAN_WARNING_SCHEMA = {
  type: 'object',
  readOnly: true,
  description:
    "Present when the record's plan is not one the backend declares: the tenant gets `appliedPlan`'s limits " +
    '(`tenants.defaultPlan`), never none.',
  required: ['code', 'appliedPlan', 'message'],
  properties: {
    code: { type: 'string', enum: ['plan-undeclared'] },
    appliedPlan: { type: 'string' },
    message: { type: 'string' },
  },
} as const;
