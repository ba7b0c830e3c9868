// Tenant events for handlers (a FunctionsApp function with `trigger: 'tenant-events'`): their names, their shape,
// and how each comes from the organization's audit log. Read by the planner (which checks `events`), the runtime
// (which derives and delivers them) and the public types.

import type { AuditAction, AuditActor } from './audit.js';

/** Every tenant event a handler can take, in the contract's order. */
export const TENANT_EVENT_TYPES = [
  'tenant.created',
  'tenant.deleted',
  'tenant.undeleted',
  'member.added',
  'member.removed',
  'member.roles-changed',
  'invitation.created',
  'invitation.accepted',
] as const;

/** One of `TENANT_EVENT_TYPES`. */
export type TenantEventType = (typeof TENANT_EVENT_TYPES)[number];

/**
 * The audit action each event is: an event is an entry of the organization's audit log (create-only, one item per
 * change, its actor recorded by the operation that made it), so none is lost to a later change of the same record
 * or to a deletion, which a change feed in latest-version mode would not show. A member is added by an accepted
 * invitation (`member.added`) or joins without one (`member.joined`: through a verified domain, a linked directory):
 * both are `member.added` to a handler.
 */
export const TENANT_EVENT_ACTIONS: Readonly<Record<TenantEventType, readonly AuditAction[]>> = {
  'tenant.created': ['organization.created'],
  'tenant.deleted': ['organization.deleted'],
  'tenant.undeleted': ['organization.undeleted'],
  'member.added': ['member.added', 'member.joined'],
  'member.removed': ['member.removed'],
  'member.roles-changed': ['member.roles-changed'],
  'invitation.created': ['invitation.created'],
  'invitation.accepted': ['invitation.accepted'],
};

/** What an event is about: the organization, a member (by user id) or an invitation (by its id). */
export interface TenantEventSubject {
  readonly kind: 'organization' | 'member' | 'invitation';
  readonly id: string;
}

/**
 * One tenant event as a `tenant-events` handler receives it (at least once: `id` is the same on every delivery of
 * the same change, so a handler that keeps the ids it has done does each change once).
 *
 * @example
 * ```ts
 * const event: TenantEvent = {
 *   id: '5f0c…', type: 'member.added', tenant: 'acme', at: '2026-11-27T06:00:00.000Z',
 *   actor: { id: 'u-2', email: 'bo@example.com', via: 'api' }, subject: { kind: 'member', id: 'u-2' },
 *   changes: { roles: { to: ['Member'] } },
 * };
 * ```
 */
export interface TenantEvent {
  /** The idempotency key: the audit entry's id, unique per change and the same on each redelivery. */
  readonly id: string;
  readonly type: TenantEventType;
  /** The organization's id. */
  readonly tenant: string;
  /** Who made the change: a signed-in user through the API, SCIM, the operator's CLI, a handler. */
  readonly actor: AuditActor;
  readonly subject: TenantEventSubject;
  /** When the change was recorded (ISO 8601, UTC). */
  readonly at: string;
  /** What changed, as the audit log records it (the roles of a member, the name of an organization…). */
  readonly changes?: Readonly<Record<string, unknown>>;
}

/** The events about a member or an invitation: a backend needs tenants by membership for them. */
export const MEMBERSHIP_EVENT_TYPES: readonly TenantEventType[] = [
  'member.added',
  'member.removed',
  'member.roles-changed',
  'invitation.created',
  'invitation.accepted',
];

/**
 * Whether `value` names a tenant event.
 *
 * @example
 * ```ts
 * isTenantEventType('member.added'); // true
 * isTenantEventType('member.joined'); // false
 * ```
 */
export function isTenantEventType(value: unknown): value is TenantEventType {
  return typeof value === 'string' && (TENANT_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The event an audit entry is, or undefined for an entry no handler takes (a rename, a domain, an item…) or an item
 * that is no entry.
 *
 * @example
 * ```ts
 * tenantEventOf({ id: 'e1', at, tenant: 'acme', actor, action: 'member.removed', target: 'u-2' })?.type; // 'member.removed'
 * ```
 */
export function tenantEventOf(item: unknown): TenantEvent | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const o = item as Record<string, unknown>;
  const type = TENANT_EVENT_TYPES.find((t) =>
    (TENANT_EVENT_ACTIONS[t] as readonly unknown[]).includes(o['action']),
  );
  const { id, tenant, at, target, actor, changes } = o;
  if (!type || typeof id !== 'string' || typeof tenant !== 'string' || typeof at !== 'string')
    return undefined;
  if (typeof target !== 'string' || typeof actor !== 'object' || actor === null) return undefined;
  const kind = type.startsWith('tenant.')
    ? 'organization'
    : type.startsWith('member.')
      ? 'member'
      : 'invitation';
  return {
    id,
    type,
    tenant,
    actor: actor as AuditActor,
    subject: { kind, id: target },
    at,
    ...(typeof changes === 'object' && changes !== null
      ? { changes: changes as Record<string, unknown> }
      : {}),
  };
}
