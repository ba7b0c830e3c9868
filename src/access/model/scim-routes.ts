import { type OrganizationRoute, routeRow } from './organization-route-row.js';

/** A SCIM route's row: an organization route whose rule is `scim`. */
type ScimRoute = OrganizationRoute & { readonly rule: 'scim' };

/** A SCIM route's row (the token alone admits it). */
const row = (operation: string, method: ScimRoute['method'], route: string): ScimRoute =>
  routeRow(operation, method, route, 'scim');

/**
 * The SCIM routes a membership backend serves (runtime/members/scim/scim-routes.ts; RFC 7644 as Microsoft Entra's
 * provisioning service calls it), rule `scim`: an organization's live SCIM token alone passes, acting in that
 * organization (another's user or group is 404 to it); anything else — a revoked token, a user's sign-in, an
 * Owner's included, anonymous — is 401. PUT replaces a user or a group (RFC 7644 §3.5.1); `Schemas/{id}` and
 * `ResourceTypes/{id}` answer one discovery document.
 *
 * @example
 * ```ts
 * SCIM_ORGANIZATION_ROUTES.find((r) => r.operation === 'scim:users:update')?.method; // 'PATCH'
 * ```
 */
export const SCIM_ORGANIZATION_ROUTES: readonly ScimRoute[] = [
  ...(['users', 'groups'] as const).flatMap((kind): ScimRoute[] => {
    const base = `scim/v2/${kind === 'users' ? 'Users' : 'Groups'}`;
    const op = (verb: string) => `scim:${kind}:${verb}`;
    return [
      row(op('list'), 'GET', base),
      row(op('create'), 'POST', base),
      row(op('read'), 'GET', `${base}/{id}`),
      row(op('replace'), 'PUT', `${base}/{id}`),
      row(op('update'), 'PATCH', `${base}/{id}`),
      row(op('delete'), 'DELETE', `${base}/{id}`),
    ];
  }),
  row('scim:service-provider-config', 'GET', 'scim/v2/ServiceProviderConfig'),
  row('scim:resource-types', 'GET', 'scim/v2/ResourceTypes'),
  row('scim:resource-type', 'GET', 'scim/v2/ResourceTypes/{id}'),
  row('scim:schemas', 'GET', 'scim/v2/Schemas'),
  row('scim:schema', 'GET', 'scim/v2/Schemas/{id}'),
];
