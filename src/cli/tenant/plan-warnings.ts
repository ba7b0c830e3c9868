import { planWarningOf } from '../../contract/tenant-plan-warning.js';
import type { TenantRecord } from '../../contract/tenants.js';
import type { TenantsConfig } from '../../model/config.js';

/**
 * One warning line per record naming a plan `tenants` no longer declares (renamed, removed, or an imported
 * record's): what `atakora tenant list` prints on stderr after the table (or the JSON), so the operator sees which
 * tenants get `defaultPlan`'s limits instead of their own.
 *
 * @example
 * ```ts
 * for (const line of undeclaredPlanLines(records, backend.config.tenants)) io.err(line);
 * // 'warning: tenant contoso: Plan "legacy" is not one of the backend's tenants.plans (free, pro): …'
 * ```
 */
export function undeclaredPlanLines(
  records: readonly TenantRecord[],
  tenants: Pick<TenantsConfig, 'plans' | 'defaultPlan'> | undefined,
): string[] {
  if (!tenants) return [];
  const plans = Object.keys(tenants.plans);
  const lines: string[] = [];
  for (const r of records) {
    const warning = planWarningOf(plans, tenants.defaultPlan, r.plan);
    if (warning) lines.push(`warning: tenant ${r.id}: ${warning.message}\n`);
  }
  return lines;
}

// A subscription in these states no longer puts the organization on a plan (runtime/routes/billing-routes.ts).
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/**
 * The warning `atakora tenant set --plan` prints on stderr (the plan still written, exit 0) when the organization's
 * live Stripe subscription is on another plan's price: Stripe's next subscription event puts the plan back, and
 * Stripe keeps charging that price. None without `--plan`, a subscription, with an ended one, or when they agree.
 *
 * @example
 * ```ts
 * for (const line of subscriptionPlanLines(options.plan, record, backend.config.tenants)) io.err(line);
 * // 'warning: tenant acme: its Stripe subscription sub_1 (active) is on plan "pro"'s price: …'
 * ```
 */
export function subscriptionPlanLines(
  setPlan: string | undefined,
  record: TenantRecord,
  tenants: Pick<TenantsConfig, 'plans'> | undefined,
): string[] {
  const sub = record.billing?.subscription;
  if (setPlan === undefined || !tenants || !sub?.price || ENDED.has(sub.status)) return [];
  const plan = Object.entries(tenants.plans).find(([, p]) => p.stripe?.price === sub.price)?.[0];
  if (plan === undefined || plan === record.plan) return [];
  return [
    `warning: tenant ${record.id}: its Stripe subscription ${sub.id} (${sub.status}) is on plan ` +
      `${JSON.stringify(plan)}'s price, not ${JSON.stringify(record.plan)}: Stripe keeps charging that price and its ` +
      'next subscription event sets the plan back. Change the plan through Stripe (the Customer Portal, POST ' +
      'api/tenant/billing/portal) or cancel the subscription.\n',
  ];
}
