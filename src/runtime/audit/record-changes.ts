import type { AuditAction } from '../../contract/audit.js';
import type { TenantRecord } from '../../contract/tenants.js';

/** One entry a change of an organization's record makes: its action and what changed. */
export interface RecordChange {
  readonly action: AuditAction;
  readonly changes: Readonly<Record<string, unknown>>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The audit entries a change of an organization's registry record makes — by whoever made it (the TenantAdmin
 * API, the operator's CLI): its plan (`organization.plan-changed`), its status (`organization.suspended` |
 * `organization.resumed`), its name (`organization.renamed`), its billing customer (`organization.billing-changed`;
 * a Stripe customer id is no secret, and its key never reaches a record), each `{ from, to }`.
 *
 * @example
 * ```ts
 * recordChanges(before, { ...before, plan: 'pro' }); // [{ action: 'organization.plan-changed', changes: { plan: { from: 'free', to: 'pro' } } }]
 * ```
 */
export function recordChanges(
  before: Pick<TenantRecord, 'plan' | 'status' | 'name' | 'billing'>,
  after: Pick<TenantRecord, 'plan' | 'status' | 'name' | 'billing'>,
): RecordChange[] {
  const out: RecordChange[] = [];
  const fromTo = (field: string, from: unknown, to: unknown) => ({
    [field]: { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) },
  });
  if (before.plan !== after.plan)
    out.push({
      action: 'organization.plan-changed',
      changes: fromTo('plan', before.plan, after.plan),
    });
  if (before.status !== after.status)
    out.push({
      action: after.status === 'active' ? 'organization.resumed' : 'organization.suspended',
      changes: fromTo('status', before.status, after.status),
    });
  if (before.name !== after.name)
    out.push({ action: 'organization.renamed', changes: fromTo('name', before.name, after.name) });
  if (!same(before.billing, after.billing))
    out.push({
      action: 'organization.billing-changed',
      changes: fromTo('billing', before.billing, after.billing),
    });
  return out;
}
