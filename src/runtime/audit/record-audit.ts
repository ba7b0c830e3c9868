import { type AuditEntry, DEFAULT_AUDIT_RETENTION_DAYS } from '../../contract/audit.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { type AuditInput, newAuditEntry } from './audit-entry.js';
import type { AuditStore } from './audit-store.js';

export type { AuditInput } from './audit-entry.js';

/**
 * The audit log as the runtime writes it, made once at start (routes/app-services.ts) and carried in the app's
 * services: the create-only store, each organization's retention (its plan's `auditRetentionDays`), a clock, and
 * where a write that failed is reported.
 *
 * @example
 * ```ts
 * const audit: AuditLog = { store, retentionDays: async () => 90 };
 * ```
 */
export interface AuditLog {
  readonly store: AuditStore;
  /** How many days `tenant`'s entries are kept (its plan's `auditRetentionDays`, default 90). */
  readonly retentionDays: (tenant: string) => Promise<number>;
  readonly now?: () => Date;
  /** A write that failed (after Cosmos DB's own retries): default one error line holding the whole entry. */
  readonly onFailure?: (entry: AuditEntry, error: unknown) => void;
}

/** The default report of a lost write: the entry itself on stderr (Application Insights' traces, severity error). */
const loudly = (entry: AuditEntry, error: unknown): void => {
  console.error(
    JSON.stringify({
      component: 'runtime',
      operation: 'audit-write',
      outcome: 'failed',
      error: error instanceof Error ? error.message : String(error),
      entry,
    }),
  );
};

/**
 * Record one change to an organization in its audit log — THE function every change calls, after the change is
 * stored: `{ tenant, actor: { id, email?, via }, action, target, changes? }` (actions: contract/audit.ts). Never
 * throws and never fails the change it records: the change is already stored, and a write of the log that fails
 * (Cosmos DB down past its retries) is reported loudly with the whole entry (`onFailure`, default an error line
 * `operation: 'audit-write', outcome: 'failed'` holding it), so the record survives in the app's logs. Without an
 * audit log in `services` (no membership backend) it does nothing.
 *
 * @example
 * ```ts
 * await recordAudit(ctx.services, {
 *   tenant, actor: { id: user.userId, via: 'api' }, action: 'member.removed', target: userId,
 * });
 * ```
 */
export async function recordAudit(
  services: { readonly audit?: AuditLog | undefined },
  input: AuditInput,
): Promise<AuditEntry | undefined> {
  const log = services.audit;
  if (!log) return undefined;
  const entry = newAuditEntry(input, log.now?.() ?? new Date());
  try {
    const days = await log.retentionDays(input.tenant);
    await log.store.append(entry, days * 24 * 60 * 60);
    return entry;
  } catch (error) {
    (log.onFailure ?? loudly)(entry, error);
    return undefined;
  }
}

/**
 * The retention of each organization by its plan: `plans.<name>.auditRetentionDays` of the plan its record names
 * (read through `recordOf`, the registry cache), else {@link DEFAULT_AUDIT_RETENTION_DAYS} — also for a record that
 * is gone or names a plan the config no longer declares.
 *
 * @example
 * ```ts
 * const retentionDays = retentionByPlan(registry, (t) => cache.get(t));
 * ```
 */
export function retentionByPlan(
  registry: Pick<RuntimeTenantRegistry, 'plans'>,
  recordOf: (tenant: string) => Promise<{ readonly plan: string } | undefined>,
): (tenant: string) => Promise<number> {
  return async (tenant) => {
    const plan = (await recordOf(tenant).catch(() => undefined))?.plan;
    const days = plan === undefined ? undefined : registry.plans[plan]?.auditRetentionDays;
    return days ?? DEFAULT_AUDIT_RETENTION_DAYS;
  };
}
