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

import {
  type OrganizationFeature,
  type OrganizationRoute,
  type OrganizationRule,
  keysRow,
  routeRow as row,
} from './organization-route-row.js';
import { SCIM_ORGANIZATION_ROUTES } from './scim-routes.js';

export type { OrganizationFeature, OrganizationRoute, OrganizationRule };

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
  row('me:tenants', 'GET', 'me/tenants', 'signed-in'),
  keysRow('tenant:read', 'GET', 'tenant', 'member'),
  row('tenant:update', 'PATCH', 'tenant', 'owner-or-admin'),
  row('tenant:delete', 'DELETE', 'tenant', 'owner'),
  row('tenant:undelete', 'POST', 'tenant/undelete', 'owner'),
  row('members:list', 'GET', 'tenant/members', 'member'),
  // Another member's roles or membership: an Owner's (the last Owner kept: 409 `last-owner`); a member leaving is
  // the one exception, its own DELETE (membership.ts `changeMember`), not this row's request.
  row('members:update', 'PATCH', 'tenant/members/{userId}', 'owner'),
  row('members:remove', 'DELETE', 'tenant/members/{userId}', 'owner'),
  row('invitations:create', 'POST', 'tenant/invitations', 'owner-or-admin'),
  row('invitations:list', 'GET', 'tenant/invitations', 'owner-or-admin'),
  row('invitations:resend', 'POST', 'tenant/invitations/{id}/resend', 'owner-or-admin'),
  row('invitations:preview', 'GET', 'invitations/preview', 'anonymous'),
  // Any signed-in user reaches it; the token and the caller's verified e-mail decide (403 `invitation-email-mismatch`).
  row('invitations:accept', 'POST', 'invitations/accept', 'signed-in'),
  row('domains:create', 'POST', 'tenant/domains', 'owner'),
  row('domains:list', 'GET', 'tenant/domains', 'owner-or-admin'),
  row('domains:verify', 'POST', 'tenant/domains/{domain}/verify', 'owner'),
  row('domains:update', 'PATCH', 'tenant/domains/{domain}', 'owner'),
  row('domains:delete', 'DELETE', 'tenant/domains/{domain}', 'owner'),
  keysRow('audit:list', 'GET', 'tenant/audit', 'owner-or-admin'),
  // Joins by verified domain: the caller's own (no organization named), then the organization's Owners and Admins.
  row('me:joinable', 'GET', 'me/joinable', 'signed-in'),
  row('tenants:join', 'POST', 'tenants/{id}/join', 'signed-in'),
  row('join-requests:list', 'GET', 'tenant/join-requests', 'owner-or-admin'),
  row('join-requests:approve', 'POST', 'tenant/join-requests/{id}/approve', 'owner-or-admin'),
  row('join-requests:decline', 'POST', 'tenant/join-requests/{id}/decline', 'owner-or-admin'),
  // SCIM bearer tokens: an Owner's only (they provision and deprovision members).
  row('scim-tokens:create', 'POST', 'tenant/scim-tokens', 'owner'),
  row('scim-tokens:list', 'GET', 'tenant/scim-tokens', 'owner'),
  row('scim-tokens:revoke', 'DELETE', 'tenant/scim-tokens/{id}', 'owner'),
  ...SCIM_ORGANIZATION_ROUTES,
  row('directory:read', 'GET', 'tenant/directory', 'owner-or-admin', 'directory'),
  row('directory:link', 'PUT', 'tenant/directory', 'owner', 'directory'),
  row('directory:unlink', 'DELETE', 'tenant/directory', 'owner', 'directory'),
  row('billing:read', 'GET', 'tenant/billing', 'owner-or-admin', 'billing'),
  row('billing:checkout', 'POST', 'tenant/billing/checkout', 'owner', 'billing'),
  row('billing:portal', 'POST', 'tenant/billing/portal', 'owner', 'billing'),
  row('billing:webhook', 'POST', 'billing/stripe', 'signed', 'billing'),
  // The people routes of integrations, named where the backend says it uses them: a key is never on them.
  row('api-keys:list', 'GET', 'tenant/api-keys', 'owner-or-admin', 'api-keys'),
  row('agents:list', 'GET', 'tenant/agents', 'owner-or-admin', 'agents'),
  row('me:agents', 'GET', 'me/agents', 'signed-in', 'agents'),
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
  /**
   * A bearer credential instead of a sign-in: `api-key` (its role in `roles`) reaches only the routes that take
   * keys, 403 elsewhere; `agent` (an agent's token) is taken at `api/mcp` only, 401 on every organization route.
   */
  readonly bearer?: 'api-key' | 'agent';
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
  route: { readonly keys?: true } = {},
): 'allow' | 'own' | 'tenant' | 401 | 403 {
  if (rule === 'anonymous' || rule === 'signed') return 'allow';
  if (caller.bearer === 'agent') return 401;
  if (caller.bearer === 'api-key' && rule !== 'scim' && route.keys !== true) return 403;
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
