// Tenants by membership (DESIGN §2, "Tenants by membership"): the organization's id, the membership and invitation
// records and their rules, in one home — the runtime's routes, the CLI (`atakora tenant members`), the OpenAPI
// document and the typed client read them from here. Like contract/tenants.ts this module imports nothing outside
// contract/, so the client's bundle shares it without pulling the model along.

import { hasInvisibleCharacters } from './text/invisible-text.js';

export type * from './member-shapes.js';

/**
 * The role every organization has: its creator holds it; an Owner changes roles, removes members and invites
 * Owners. The last Owner can neither leave nor be demoted (409 `last-owner`).
 *
 * @example
 * ```ts
 * membership.roles.includes(OWNER_ROLE); // true for the organization's creator
 * ```
 */
export const OWNER_ROLE = 'Owner';

/**
 * The role that may invite (with {@link OWNER_ROLE}), when the backend declares it (`tenants.roles`).
 *
 * @example
 * ```ts
 * const canInvite = roles.includes(OWNER_ROLE) || roles.includes(ADMIN_ROLE);
 * ```
 */
export const ADMIN_ROLE = 'Admin';

/**
 * The roles a membership may hold besides `Owner` when `tenants.roles` is left out.
 *
 * @example
 * ```ts
 * const roles = config.tenants?.roles ?? DEFAULT_MEMBERSHIP_ROLES;
 * ```
 */
export const DEFAULT_MEMBERSHIP_ROLES: readonly string[] = ['Admin', 'Member'];

/**
 * How many organizations one user may own when `tenants.maxOrganizationsPerUser` is not set: enough for a person
 * who runs a few teams or clients (a consultant's handful), far below what a script creates in a second — each
 * organization is a registry record, a membership and a plan's worth of quota the operator pays for.
 *
 * @example
 * ```ts
 * const bound = membership.maxOrganizationsPerUser ?? DEFAULT_MAX_ORGANIZATIONS_PER_USER; // 10
 * ```
 */
export const DEFAULT_MAX_ORGANIZATIONS_PER_USER = 10;

/**
 * The largest `tenants.maxOrganizationsPerUser` the planner accepts: counting a user's organizations is one query
 * over their memberships, which stays one page at this size.
 *
 * @example
 * ```ts
 * n <= MAX_ORGANIZATIONS_PER_USER; // a valid bound
 * ```
 */
export const MAX_ORGANIZATIONS_PER_USER = 10_000;

/**
 * How many days an organization an Owner deleted (`DELETE api/tenant`) stays suspended, restorable with `POST
 * api/tenant/undelete`, when `tenants.deleteAfterDays` is not set.
 *
 * @example
 * ```ts
 * const days = membership.deleteAfterDays ?? DEFAULT_DELETE_AFTER_DAYS; // 30
 * ```
 */
export const DEFAULT_DELETE_AFTER_DAYS = 30;

/** The timer that erases, once a day, every organization its Owner deleted whose `deleteOn` has passed. */
export const ORGANIZATION_ERASE_FUNCTION = 'membership-organization-erase';
/** Its NCRONTAB schedule (Azure Functions' six fields): 03:41 UTC daily, after the domain re-check. */
export const ORGANIZATION_ERASE_SCHEDULE = '0 41 3 * * *';

/**
 * The largest `tenants.deleteAfterDays` the planner accepts: a year of keeping a deleted organization's data.
 *
 * @example
 * ```ts
 * Number.isInteger(days) && days >= 1 && days <= MAX_DELETE_AFTER_DAYS;
 * ```
 */
export const MAX_DELETE_AFTER_DAYS = 365;

/**
 * An organization's id: lower-case letters, digits and `-`, 3 to 63 characters, starting with a letter or digit —
 * generated from its name (`acme-k3x9qa`) or given.
 *
 * @example
 * ```ts
 * ORGANIZATION_ID.test('acme-k3x9qa'); // true
 * ```
 */
export const ORGANIZATION_ID = /^[a-z0-9][a-z0-9-]{2,62}$/;

/**
 * The request header naming the organization a request acts in (the typed client's `createClient({ tenant })`).
 * Without it the caller's only organization is taken, when it has exactly one.
 *
 * @example
 * <!-- snippet: no-run (calls a deployed API) -->
 * ```ts
 * const api = 'https://func-teams-dev-k3x9a1.azurewebsites.net/api';
 * await fetch(`${api}/projects`, { headers: { [TENANT_SELECT_HEADER]: 'acme-k3x9qa' } });
 * ```
 */
export const TENANT_SELECT_HEADER = 'X-Atakora-Tenant';

/**
 * How many invitation e-mails (sends and resends) one organization may send a UTC day when
 * `tenants.email.invitationsPerDay` is not set: a team's onboarding fits, a script mailing strangers does not.
 *
 * @example
 * ```ts
 * const bound = email.invitationsPerDay ?? DEFAULT_INVITATIONS_PER_DAY; // 50
 * ```
 */
export const DEFAULT_INVITATIONS_PER_DAY = 50;

/** How long an invitation may be accepted: 7 days (DESIGN §2). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The routes of membership (under `api/`), registered where `tenants.by` is `'membership'`.
 *
 * @example
 * ```ts
 * `${host}/api/${MEMBERSHIP_ROUTES.meTenants}`; // GET: the caller's organizations
 * ```
 */
export const MEMBERSHIP_ROUTES = Object.freeze({
  meTenants: 'me/tenants',
  tenantUndelete: 'tenant/undelete',
  members: 'tenant/members',
  member: 'tenant/members/{userId}',
  invitations: 'tenant/invitations',
  invitation: 'tenant/invitations/{id}',
  invitationResend: 'tenant/invitations/{id}/resend',
  accept: 'invitations/accept',
  preview: 'invitations/preview',
});

/** The function names of the membership routes. */
export const MEMBERSHIP_FUNCTIONS = Object.freeze({
  meTenants: 'membership-me-tenants',
  tenantUndelete: 'membership-tenant-undelete',
  members: 'membership-members',
  member: 'membership-member',
  invitations: 'membership-invitations',
  invitation: 'membership-invitation',
  invitationResend: 'membership-invitation-resend',
  accept: 'membership-accept',
  preview: 'membership-invitation-preview',
});

/**
 * A membership item's id.
 *
 * @example
 * ```ts
 * membershipId('acme-k3x9qa', 'u-1'); // 'acme-k3x9qa|u-1'
 * ```
 */
export function membershipId(tenant: string, userId: string): string {
  return `${tenant}|${userId}`;
}

/**
 * An invitation item's id in the `members` container (a user id never holds `|`, so no membership has it).
 *
 * @example
 * ```ts
 * invitationItemId('acme-k3x9qa', 'k3x9qa7b2c'); // 'acme-k3x9qa|invitation|k3x9qa7b2c'
 * ```
 */
export function invitationItemId(tenant: string, id: string): string {
  return `${tenant}|invitation|${id}`;
}

/**
 * Whether a user id can be a member: what the `members` container's ids may hold (Cosmos DB refuses `/`, `\`,
 * `?`, `#` in an id; `|` separates the tenant), at most 255 characters with its tenant. An Entra `oid` (a GUID) or
 * `sub` always can.
 *
 * @example
 * ```ts
 * isMemberUserId('9f1c…'); // true
 * ```
 */
export function isMemberUserId(userId: string): boolean {
  return (
    userId.length > 0 &&
    userId.length <= 180 &&
    !/[/\\?#|]/.test(userId) &&
    !/[\u0000-\u001f\u007f]/.test(userId)
  );
}

/** The longest email address (RFC 5321: 254 in a path). */
const MAX_EMAIL = 254;

/**
 * An email as memberships compare it: trimmed, lower case (the local part's case is the mailbox's to honour, but
 * no provider we admit tells two users apart by it), or undefined when it is not an address — also when it holds a
 * control (ESC, BEL, NUL …), bidirectional or zero-width character (contract/invisible-text.ts): an address a mail
 * client or a log would show otherwise than it is sent.
 *
 * @example
 * ```ts
 * normalizedEmail(' Ada@Example.COM '); // 'ada@example.com'
 * normalizedEmail('ada'); // undefined
 * normalizedEmail('ada\u202e@example.com'); // undefined
 * ```
 */
export function normalizedEmail(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const e = value.trim().toLowerCase();
  if (e.length === 0 || e.length > MAX_EMAIL || hasInvisibleCharacters(e)) return undefined;
  return /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/.test(e)
    ? e
    : undefined;
}

/**
 * One thing wrong with a membership body (the 400's `errors`).
 *
 * @example
 * ```ts
 * const issue: MemberIssue = { field: 'roles', code: 'enum', message: 'roles[0] "Boss" is not a role: …' };
 * ```
 */
export interface MemberIssue {
  readonly field: string;
  readonly code: 'type' | 'enum' | 'pattern' | 'unique' | 'required' | 'maxLength';
  readonly message: string;
}

/**
 * What is wrong with `roles` against the backend's declared roles (`Owner` always allowed): not a list of
 * distinct declared roles. Empty when valid.
 *
 * @example
 * ```ts
 * rolesIssues(['Admin', 'Boss'], ['Admin', 'Member'])[0]?.message; // 'roles[1] "Boss" is not a role: Owner, Admin, Member.'
 * ```
 */
export function rolesIssues(roles: unknown, declared: readonly string[]): MemberIssue[] {
  if (!Array.isArray(roles))
    return [{ field: 'roles', code: 'type', message: 'roles must be a list of role names.' }];
  const allowed = [OWNER_ROLE, ...declared];
  const issues: MemberIssue[] = [];
  roles.forEach((r: unknown, i) => {
    if (typeof r !== 'string' || !allowed.includes(r))
      issues.push({
        field: `roles[${String(i)}]`,
        code: 'enum',
        message: `roles[${String(i)}] ${JSON.stringify(r)} is not a role: ${allowed.join(', ')}.`,
      });
    else if (roles.indexOf(r) !== i)
      issues.push({
        field: `roles[${String(i)}]`,
        code: 'unique',
        message: `roles[${String(i)}] ${JSON.stringify(r)} is named twice.`,
      });
  });
  return issues;
}

/**
 * Why `id` cannot be an organization's id, or undefined when it can.
 *
 * @example
 * ```ts
 * organizationIdIssue('Acme')?.code; // 'pattern'
 * ```
 */
export function organizationIdIssue(id: unknown): MemberIssue | undefined {
  if (typeof id === 'string' && ORGANIZATION_ID.test(id) && id !== 'shared' && id !== 'anonymous')
    return undefined;
  return {
    field: 'id',
    code: 'pattern',
    message:
      'id must be an organization id: 3 to 63 lower-case letters, digits or "-", starting with a letter or ' +
      'digit (not "shared" or "anonymous").',
  };
}

/** The longest organization name kept (as a registry record's name). */
export const MAX_ORGANIZATION_NAME = 256;

/**
 * A generated organization id: the name's letters and digits (lower case, runs of others as one `-`, at most 40),
 * then `-` and `suffix` (random lower-case letters and digits the caller draws).
 *
 * @example
 * ```ts
 * organizationIdFrom('Acme & Sons, Ltd.', 'k3x9qa'); // 'acme-sons-ltd-k3x9qa'
 * organizationIdFrom('日本', 'k3x9qa'); // 'org-k3x9qa'
 * ```
 */
export function organizationIdFrom(name: string, suffix: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return `${slug.length >= 2 ? slug : 'org'}-${suffix}`;
}

/**
 * Who may do what in an organization, from the caller's roles in it: list members (every member); change a
 * member's roles or remove a member (an Owner; any member may remove themselves); invite and manage invitations
 * (an Owner or an Admin, where Admin is declared); invite an Owner (an Owner only — else an Admin could make any
 * account of theirs an Owner).
 *
 * @example
 * ```ts
 * mayInvite(['Admin'], ['Owner']); // false: only an Owner invites an Owner
 * ```
 */
export function mayInvite(
  callerRoles: readonly string[],
  invitedRoles: readonly string[],
): boolean {
  if (callerRoles.includes(OWNER_ROLE)) return true;
  return callerRoles.includes(ADMIN_ROLE) && !invitedRoles.includes(OWNER_ROLE);
}

/**
 * Whether the caller may list or revoke the organization's invitations (an Owner or an Admin).
 *
 * @example
 * ```ts
 * mayManageInvitations(['Member']); // false
 * ```
 */
export function mayManageInvitations(callerRoles: readonly string[]): boolean {
  return callerRoles.includes(OWNER_ROLE) || callerRoles.includes(ADMIN_ROLE);
}

/**
 * What stands in the way of a change to a member — its roles replaced by `roles`, or its removal (`roles`
 * undefined) — by a caller with `callerRoles`, given the organization's Owners: `'forbidden'` (not an Owner, and not
 * a member leaving), `'last-owner'` (the change leaves no Owner), or undefined when it may go ahead.
 *
 * @example
 * ```ts
 * memberChangeRefusal({ userId: 'u1', roles: ['Owner'] }, 'u1', undefined, ['u1']); // 'last-owner'
 * memberChangeRefusal({ userId: 'u2', roles: ['Member'] }, 'u2', undefined, ['u1']); // undefined: leaving
 * ```
 */
export function memberChangeRefusal(
  caller: { readonly userId: string; readonly roles: readonly string[] },
  target: string,
  roles: readonly string[] | undefined,
  owners: readonly string[],
): 'forbidden' | 'last-owner' | undefined {
  const leaving = roles === undefined && caller.userId === target;
  if (!caller.roles.includes(OWNER_ROLE) && !leaving) return 'forbidden';
  const losesOwner =
    owners.includes(target) && (roles === undefined || !roles.includes(OWNER_ROLE));
  if (losesOwner && owners.filter((o) => o !== target).length === 0) return 'last-owner';
  return undefined;
}

/**
 * The URL of `api/me/tenants`, `api/tenant/members`, `api/tenant/invitations` and `api/invitations/accept` on the
 * API a component's base URL belongs to.
 *
 * @example
 * ```ts
 * membershipUrlsOf('https://func-x.azurewebsites.net/api/notes').members; // 'https://func-x.azurewebsites.net/api/tenant/members'
 * ```
 */
export function membershipUrlsOf(baseUrl: string): {
  readonly meTenants: string;
  readonly members: string;
  readonly invitations: string;
  readonly accept: string;
  readonly preview: string;
} {
  const url = new URL(baseUrl);
  const at = url.pathname.indexOf('/api/');
  const prefix = `${url.origin}${at >= 0 ? url.pathname.slice(0, at + 4) : '/api'}`;
  return {
    meTenants: `${prefix}/${MEMBERSHIP_ROUTES.meTenants}`,
    members: `${prefix}/${MEMBERSHIP_ROUTES.members}`,
    invitations: `${prefix}/${MEMBERSHIP_ROUTES.invitations}`,
    accept: `${prefix}/${MEMBERSHIP_ROUTES.accept}`,
    preview: `${prefix}/${MEMBERSHIP_ROUTES.preview}`,
  };
}
