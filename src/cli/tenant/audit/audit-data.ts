import type { AuditAction, AuditEntry } from '../../../contract/audit.js';
import { cosmosAuditStore } from '../../../runtime/audit/audit-store.js';
import {
  type AuditLog,
  recordAudit,
  retentionByPlan,
} from '../../../runtime/audit/record-audit.js';
import { tenantRecordOf } from '../../../runtime/tenants/tenant-record.js';
import type { TenantTarget } from '../connect.js';

/** The operator as the audit log names a change the CLI made. */
export const CLI_ACTOR = { id: 'operator', via: 'cli' } as const;

/** The audit log as the CLI writes it (the deployer's identity; the plans' retention), or undefined without one. */
async function cliAuditLog(target: TenantTarget): Promise<AuditLog | undefined> {
  const r = target.layout.registry;
  if (!r?.audit) return undefined;
  const container = await target.container(r.endpoint, r.database, r.audit);
  const registry = await target.container(r.endpoint, r.database, r.container);
  const plans = target.backend.config.tenants?.plans ?? {};
  return {
    store: cosmosAuditStore(container),
    retentionDays: retentionByPlan({ plans }, async (t) =>
      tenantRecordOf((await registry.item(t, t).read()).resource),
    ),
  };
}

/**
 * Record what the operator's CLI changed in the organization's audit log (`via: 'cli'`), on a backend that keeps
 * one; a write that fails is reported on `warn` with the whole entry, never failing the command (its change is made).
 *
 * @example
 * ```ts
 * await recordCliAudit(target, 'acme', [{ action: 'tenant.erased', changes: { items: 12 } }]);
 * ```
 */
export async function recordCliAudit(
  target: TenantTarget,
  tenant: string,
  changes: readonly { action: AuditAction; changes?: Readonly<Record<string, unknown>> }[],
  warn: (line: string) => void = (line) => process.stderr.write(line),
): Promise<void> {
  if (changes.length === 0) return;
  const log = await cliAuditLog(target).catch(() => undefined);
  if (!log) return;
  const loud: AuditLog = {
    ...log,
    onFailure: (entry) => {
      warn(`audit log: the entry below could not be written; keep it: ${JSON.stringify(entry)}\n`);
    },
  };
  for (const c of changes)
    await recordAudit({ audit: loud }, { tenant, actor: CLI_ACTOR, target: tenant, ...c });
}

/**
 * Every entry of the organization's audit log, newest first (undefined: the backend keeps none, or its container
 * is not deployed yet).
 *
 * @example
 * ```ts
 * const entries = await readAuditEntries(target, 'acme'); // [{ action: 'member.removed', … }, …]
 * ```
 */
export async function readAuditEntries(
  target: TenantTarget,
  tenant: string,
): Promise<AuditEntry[] | undefined> {
  const log = await cliAuditLog(target);
  if (!log) return undefined;
  const out: AuditEntry[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await log.store.page(tenant, {}, 1000, token);
      out.push(...page.items);
      token = page.next;
    } while (token !== undefined);
  } catch (e) {
    // A backend deployed before the audit log has no container yet (the next deploy plans it): no log to read.
    if ((e as { code?: unknown }).code === 404) return undefined;
    throw e;
  }
  return out;
}
