import { randomUUID } from 'node:crypto';
import {
  AUDIT_VIAS,
  type AuditAction,
  type AuditActor,
  type AuditEntry,
  isAuditAction,
} from '../../contract/audit.js';
import { maskAuditChanges } from './audit-changes.js';

/** What a caller of `recordAudit` says of a change: the rest (id, time) the log adds. */
export interface AuditInput {
  readonly tenant: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly target: string;
  readonly changes?: Readonly<Record<string, unknown>>;
}

/**
 * The entry of `input` at `at`: its id the time then a random UUID — ids that cannot collide (122 random bits) and
 * sort by time (`ORDER BY c.id DESC` is newest first) — and its `changes` masked (audit-changes.ts).
 *
 * @example
 * ```ts
 * newAuditEntry({ tenant: 'acme', actor: { id: 'u-1', via: 'api' }, action: 'member.removed', target: 'u-2' }, new Date());
 * ```
 */
export function newAuditEntry(input: AuditInput, at: Date): AuditEntry {
  const when = at.toISOString();
  const changes = input.changes === undefined ? undefined : maskAuditChanges(input.changes);
  const { id, email, via } = input.actor;
  return {
    id: `${when}.${randomUUID()}`,
    at: when,
    tenant: input.tenant,
    actor: { id, ...(email !== undefined ? { email } : {}), via },
    action: input.action,
    target: input.target,
    ...(changes !== undefined ? { changes } : {}),
  };
}

const text = (v: unknown): v is string => typeof v === 'string';

/**
 * A stored item as an entry (its Cosmos DB system fields and `ttl` dropped), or undefined for anything else.
 *
 * @example
 * ```ts
 * auditEntryOf(resource); // { id, at, tenant, actor, action, target, changes? }
 * ```
 */
export function auditEntryOf(r: unknown): AuditEntry | undefined {
  if (typeof r !== 'object' || r === null) return undefined;
  const x = r as Record<string, unknown>;
  const actor = x['actor'] as Record<string, unknown> | undefined;
  if (!text(x['id']) || !text(x['at']) || !text(x['tenant']) || !text(x['target']))
    return undefined;
  if (!isAuditAction(x['action']) || typeof actor !== 'object' || actor === null) return undefined;
  const via = actor['via'];
  if (!text(actor['id']) || !AUDIT_VIAS.some((v) => v === via)) return undefined;
  const changes = x['changes'];
  return {
    id: x['id'],
    at: x['at'],
    tenant: x['tenant'],
    actor: {
      id: actor['id'],
      ...(text(actor['email']) ? { email: actor['email'] } : {}),
      via: via as AuditActor['via'],
    },
    action: x['action'],
    target: x['target'],
    ...(typeof changes === 'object' && changes !== null
      ? { changes: changes as Record<string, unknown> }
      : {}),
  };
}
