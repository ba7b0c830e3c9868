/**
 * Who may call an organization's own routes on a membership backend (DESIGN §2: "Tenants by membership",
 * "Invitations that arrive", "Organizations their Owners run", "Subscriptions drive plans", "Organizations that
 * enterprises can buy") — the rule of each route as one row of data, and the pure answer of a caller, in the order
 * the runtime decides it: not signed in (401) before anything; a route of no organization (anonymous, or signed and
 * checked by its signature alone) lets everyone reach its code; otherwise the organization the request names must
 * hold the caller (403 `not-a-member`), then the membership's roles must be the route's (403 `access-denied`).
 * An allowed caller acts in its own organization only: another organization's item is 404 to it.
 *
 * `atakora verify` derives its `organization` rows from this table (access/matrix/organization-rows.ts) and proves
 * them against the runtime; a new organization route is one entry here (and its door, a row of a
 * cli/verify/doors-*.ts table run by cli/verify/door-engine.ts).
 */

import { SCIM_ORGANIZATION_ROUTES } from './scim-routes.js';

/** Who passes a route's gate. */
export type OrganizationRule =
  /** Anyone, signed in or not: the route's own check is a token it is given (an invitation's preview). */
  | 'anonymous'
  /** Anyone: the request's signature is its admission (Stripe's webhook: unsigned → 400, never applied). */
  | 'signed'
  /** Any signed-in user, for their own things only (`GET api/me/tenants`). */
  | 'signed-in'
  /** Any member of the organization named. */
  | 'member'
  /** An `Owner` or an `Admin` of the organization named. */
  | 'owner-or-admin'
  /** An `Owner` of the organization named. */
  | 'owner'
  /** An organization's live SCIM token, and nothing else (no user's sign-in): the SCIM routes (scim-routes.ts). */
  | 'scim';

/** An optional part of a membership backend a route is served with. */
export type OrganizationFeature =
  /** Plans sold through Stripe (`tenants.billing.stripe.webhookSecret`). */
  | 'billing'
  /** Directory sign-in per organization (a workforce sign-in open to every directory): else 400 `directory-not-supported`. */
  | 'directory';

/** One organization route: its operation name in the matrix, its request and who may. */
export interface OrganizationRoute {
  /** The matrix row's operation (`tenant:update`, `domains:create`, …). */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under `api/`, as OpenAPI names it. */
  readonly route: string;
  readonly rule: OrganizationRule;
  /** Served only when the backend declares it (absent: every membership backend). */
  readonly feature?: OrganizationFeature;
}

/**
 * The organization routes and their rules (the runtime's: runtime/members — joins/, scim/ and directory/ included —,
 * runtime/routes/billing-routes.ts).
 *
 * @example
 * ```ts
 * ORGANIZATION_ROUTES.find((r) => r.operation === 'tenant:delete')?.rule; // 'owner'
 * ```
 */
export const ORGANIZATION_ROUTES: readonly OrganizationRoute[] = [
  { operation: 'me:tenants', method: 'GET', route: 'me/tenants', rule: 'signed-in' },
  { operation: 'tenant:read', method: 'GET', route: 'tenant', rule: 'member' },
  { operation: 'tenant:update', method: 'PATCH', route: 'tenant', rule: 'owner-or-admin' },
  { operation: 'tenant:delete', method: 'DELETE', route: 'tenant', rule: 'owner' },
  { operation: 'tenant:undelete', method: 'POST', route: 'tenant/undelete', rule: 'owner' },
  { operation: 'members:list', method: 'GET', route: 'tenant/members', rule: 'member' },
  // Another member's roles or membership: an Owner's (the last Owner kept: 409 `last-owner`); a member leaving is
  // the one exception, its own DELETE (membership.ts `changeMember`), not this row's request.
  {
    operation: 'members:update',
    method: 'PATCH',
    route: 'tenant/members/{userId}',
    rule: 'owner',
  },
  {
    operation: 'members:remove',
    method: 'DELETE',
    route: 'tenant/members/{userId}',
    rule: 'owner',
  },
  {
    operation: 'invitations:create',
    method: 'POST',
    route: 'tenant/invitations',
    rule: 'owner-or-admin',
  },
  {
    operation: 'invitations:list',
    method: 'GET',
    route: 'tenant/invitations',
    rule: 'owner-or-admin',
  },
  {
    operation: 'invitations:resend',
    method: 'POST',
    route: 'tenant/invitations/{id}/resend',
    rule: 'owner-or-admin',
  },
  {
    operation: 'invitations:preview',
    method: 'GET',
    route: 'invitations/preview',
    rule: 'anonymous',
  },
  // Any signed-in user reaches it; the token and the caller's verified e-mail decide (403 `invitation-email-mismatch`).
  {
    operation: 'invitations:accept',
    method: 'POST',
    route: 'invitations/accept',
    rule: 'signed-in',
  },
  { operation: 'domains:create', method: 'POST', route: 'tenant/domains', rule: 'owner' },
  { operation: 'domains:list', method: 'GET', route: 'tenant/domains', rule: 'owner-or-admin' },
  {
    operation: 'domains:verify',
    method: 'POST',
    route: 'tenant/domains/{domain}/verify',
    rule: 'owner',
  },
  { operation: 'domains:update', method: 'PATCH', route: 'tenant/domains/{domain}', rule: 'owner' },
  {
    operation: 'domains:delete',
    method: 'DELETE',
    route: 'tenant/domains/{domain}',
    rule: 'owner',
  },
  { operation: 'audit:list', method: 'GET', route: 'tenant/audit', rule: 'owner-or-admin' },
  // Joins by verified domain: the caller's own (no organization named), then the organization's Owners and Admins.
  { operation: 'me:joinable', method: 'GET', route: 'me/joinable', rule: 'signed-in' },
  { operation: 'tenants:join', method: 'POST', route: 'tenants/{id}/join', rule: 'signed-in' },
  {
    operation: 'join-requests:list',
    method: 'GET',
    route: 'tenant/join-requests',
    rule: 'owner-or-admin',
  },
  {
    operation: 'join-requests:approve',
    method: 'POST',
    route: 'tenant/join-requests/{id}/approve',
    rule: 'owner-or-admin',
  },
  {
    operation: 'join-requests:decline',
    method: 'POST',
    route: 'tenant/join-requests/{id}/decline',
    rule: 'owner-or-admin',
  },
  // SCIM bearer tokens: an Owner's only (they provision and deprovision members).
  { operation: 'scim-tokens:create', method: 'POST', route: 'tenant/scim-tokens', rule: 'owner' },
  { operation: 'scim-tokens:list', method: 'GET', route: 'tenant/scim-tokens', rule: 'owner' },
  {
    operation: 'scim-tokens:revoke',
    method: 'DELETE',
    route: 'tenant/scim-tokens/{id}',
    rule: 'owner',
  },
  ...SCIM_ORGANIZATION_ROUTES,
  {
    operation: 'directory:read',
    method: 'GET',
    route: 'tenant/directory',
    rule: 'owner-or-admin',
    feature: 'directory',
  },
  {
    operation: 'directory:link',
    method: 'PUT',
    route: 'tenant/directory',
    rule: 'owner',
    feature: 'directory',
  },
  {
    operation: 'directory:unlink',
    method: 'DELETE',
    route: 'tenant/directory',
    rule: 'owner',
    feature: 'directory',
  },
  {
    operation: 'billing:read',
    method: 'GET',
    route: 'tenant/billing',
    rule: 'owner-or-admin',
    feature: 'billing',
  },
  {
    operation: 'billing:checkout',
    method: 'POST',
    route: 'tenant/billing/checkout',
    rule: 'owner',
    feature: 'billing',
  },
  {
    operation: 'billing:portal',
    method: 'POST',
    route: 'tenant/billing/portal',
    rule: 'owner',
    feature: 'billing',
  },
  {
    operation: 'billing:webhook',
    method: 'POST',
    route: 'billing/stripe',
    rule: 'signed',
    feature: 'billing',
  },
];

/**
 * A caller as an organization route sees it: signed in or not, its roles in the organization it names, and the
 * SCIM token it carries instead of a sign-in.
 */
export interface OrganizationCaller {
  readonly signedIn: boolean;
  /** The membership's roles in the organization the request names; undefined: no member of it. */
  readonly roles: readonly string[] | undefined;
  /** A SCIM token of the organization (`valid`: live, `revoked`); absent: none. It is no sign-in. */
  readonly scim?: 'valid' | 'revoked';
}

/**
 * A caller's answer on an organization route: `allow` (the route's code runs: anonymous or signed routes), `own`
 * (the caller's own memberships), `tenant` (its own organization's, another's is 404), or the refusal's status.
 *
 * @example
 * ```ts
 * organizationAnswer('owner', { signedIn: true, roles: ['Admin'] }); // 403
 * organizationAnswer('owner-or-admin', { signedIn: true, roles: ['Admin'] }); // 'tenant'
 * organizationAnswer('scim', { signedIn: true, roles: ['Owner'] }); // 401
 * ```
 */
export function organizationAnswer(
  rule: OrganizationRule,
  caller: OrganizationCaller,
): 'allow' | 'own' | 'tenant' | 401 | 403 {
  if (rule === 'anonymous' || rule === 'signed') return 'allow';
  // The SCIM routes take the token alone (runtime/members/scim/scim-serve.ts): anything else is 401.
  if (rule === 'scim') return caller.scim === 'valid' ? 'tenant' : 401;
  if (!caller.signedIn) return 401;
  if (rule === 'signed-in') return 'own';
  const roles = caller.roles;
  if (roles === undefined) return 403;
  if (rule === 'member') return 'tenant';
  if (roles.includes('Owner')) return 'tenant';
  return rule === 'owner-or-admin' && roles.includes('Admin') ? 'tenant' : 403;
}
