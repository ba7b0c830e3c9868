import {
  ORGANIZATION_ROUTES,
  type OrganizationCaller,
  organizationAnswer,
} from '../model/organization-routes.js';
import type { MatrixSignIn } from './sign-in.js';
import type { MatrixPrincipal, MatrixRow } from './types.js';

/** The component the organization rows are listed under (the membership routes are the runtime's, not a CrudApi). */
export const ORGANIZATION_COMPONENT = 'Organization';

/**
 * A column as an organization route sees it: anonymous is not signed in; a member column holds its membership's
 * roles in the organization it names (its own); the stranger names the home organization, of which it is no member;
 * a SCIM token's column is signed in as nobody and holds its token; a key's or an agent's column holds its bearer.
 */
function callerOf(p: MatrixPrincipal): OrganizationCaller {
  if (p.scim !== undefined) return { signedIn: false, roles: undefined, scim: p.scim };
  if (p.oid === undefined) return { signedIn: false, roles: undefined };
  const roles = p.tid === p.organization ? p.roles : undefined;
  return p.bearer === undefined
    ? { signedIn: true, roles }
    : { signedIn: true, roles, bearer: p.bearer };
}

/**
 * The rows of a membership backend's organization routes (access/model/organization-routes.ts), one per route and
 * method, each cell the reference model's answer for the column; a route of an optional part only when the backend
 * declares it. None without tenants by membership.
 *
 * @example
 * ```ts
 * organizationRows(signIn, principals).find((r) => r.operation === 'tenant:delete')?.cells['home.role.Owner']; // 'tenant'
 * ```
 */
export function organizationRows(
  signIn: MatrixSignIn,
  principals: readonly MatrixPrincipal[],
): MatrixRow[] {
  const org = signIn.organization;
  if (!signIn.membership || !org) return [];
  return ORGANIZATION_ROUTES.filter(
    (r) => r.feature === undefined || org.features.includes(r.feature),
  ).map((r) => ({
    component: ORGANIZATION_COMPONENT,
    kind: 'organization' as const,
    operation: r.operation,
    request: `${r.method} api/${r.route}`,
    cells: Object.fromEntries(
      principals.map((p) => [p.key, organizationAnswer(r.rule, callerOf(p), r)]),
    ),
  }));
}
