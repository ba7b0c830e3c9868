// The audit log's contract in one home: the closed list of actions, the entry's shape, its route and defaults —
// read by the runtime (which writes and lists entries), the CLI (`atakora tenant audit`, export), the OpenAPI
// document and the typed client. Code that records a new kind of change adds its action HERE, and nowhere else.

/**
 * Every action the audit log records, a closed list: a change to an organization is recorded under one of these
 * names (`<noun>.<verb>`), and `GET api/tenant/audit?$filter=action eq '…'` filters on them. A CrudApi with
 * `audit: true` records `item.created|updated|deleted` with the target `<Entity>/<id>`.
 *
 * Add a new action to this list (and its line in docs/tenants.md, "Audit log") before recording it.
 *
 * @example
 * ```ts
 * AUDIT_ACTIONS.includes('member.removed'); // true
 * ```
 */
export const AUDIT_ACTIONS = [
  'organization.created',
  'organization.renamed',
  'organization.plan-changed',
  'organization.suspended',
  'organization.resumed',
  'organization.billing-changed',
  'organization.deleted',
  'organization.undeleted',
  'member.added',
  'member.removed',
  'member.roles-changed',
  'member.joined',
  'invitation.created',
  'invitation.revoked',
  'invitation.accepted',
  'invitation.resent',
  'join-request.created',
  'join-request.declined',
  'domain.added',
  'domain.verified',
  'domain.updated',
  'domain.unverified',
  'domain.removed',
  'directory.linked',
  'directory.updated',
  'directory.unlinked',
  'scim.token-created',
  'scim.token-revoked',
  'scim.user-created',
  'scim.user-updated',
  'scim.user-deleted',
  'scim.group-created',
  'scim.group-updated',
  'scim.group-deleted',
  'api-key.created',
  'api-key.revoked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.disabled',
  'webhook.retried',
  'webhook.secret-rotated',
  'agent.connected',
  'agent.revoked',
  'tenant.exported',
  'tenant.erased',
  'tenant.imported',
  'tenant.restored',
  'item.created',
  'item.updated',
  'item.deleted',
] as const;

/** One of `AUDIT_ACTIONS`. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The door a change came through: a REST route, an MCP tool call, SCIM provisioning, the operator's CLI, a webhook
 * (Stripe), a handler's `dataOf` call, or an organization's API key (`api-key`).
 */
export type AuditVia = 'api' | 'mcp' | 'scim' | 'cli' | 'webhook' | 'handler' | 'api-key';

/** Every {@link AuditVia}, in the contract's order. */
export const AUDIT_VIAS: readonly AuditVia[] = [
  'api',
  'mcp',
  'scim',
  'cli',
  'webhook',
  'handler',
  'api-key',
];

/**
 * Who made a change: their user id (the operator's CLI: `operator`, or the signed-in account it names), their
 * verified e-mail when the token proves one, and the door.
 *
 * @example
 * ```ts
 * const actor: AuditActor = { id: 'u-1', email: 'ada@example.com', via: 'api' };
 * ```
 */
export interface AuditActor {
  readonly id: string;
  readonly email?: string;
  readonly via: AuditVia;
}

/**
 * One entry of an organization's audit log, as stored in the shared `audit` container (partition `/tenant`) and
 * as `GET api/tenant/audit` answers it. `changes` holds what changed (`{ field: { from?, to? } }` or the new
 * values), never a secret, a token or an invitation token (runtime/audit/audit-changes.ts masks them).
 *
 * @example
 * ```ts
 * const e: AuditEntry = {
 *   id: '2026-03-01T00:00:00.000Z.3f9a…', at: '2026-03-01T00:00:00.000Z', tenant: 'acme-k3x9qa',
 *   actor: { id: 'u-1', via: 'api' }, action: 'member.roles-changed', target: 'u-2',
 *   changes: { roles: { from: ['Member'], to: ['Admin'] } },
 * };
 * ```
 */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly tenant: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly target: string;
  readonly changes?: Readonly<Record<string, unknown>>;
}

/** `GET api/tenant/audit`: the organization's audit log, newest first (under `api/`). */
export const AUDIT_ROUTE = 'tenant/audit';

/** The function name of {@link AUDIT_ROUTE}. */
export const AUDIT_FUNCTION = 'tenant-audit';

/** The shared container's name, beside the registry in the `atakora` database. */
export const AUDIT_CONTAINER = 'audit';

/** How long an entry is kept when its organization's plan sets no `auditRetentionDays`. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

/** The roles that may read an organization's audit log. */
export const AUDIT_READER_ROLES: readonly string[] = ['Owner', 'Admin'];

/**
 * Whether `value` is one of `AUDIT_ACTIONS`.
 *
 * @example
 * ```ts
 * isAuditAction('member.removed'); // true
 * ```
 */
export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}
