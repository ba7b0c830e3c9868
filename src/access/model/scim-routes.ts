/** A SCIM route's row, as organization-routes.ts's `OrganizationRoute` (not imported: that file spreads these). */
interface ScimRoute {
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly route: string;
  readonly rule: 'scim';
}

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
    const row = (verb: string, method: ScimRoute['method'], route: string): ScimRoute => ({
      operation: `scim:${kind}:${verb}`,
      method,
      route,
      rule: 'scim',
    });
    return [
      row('list', 'GET', base),
      row('create', 'POST', base),
      row('read', 'GET', `${base}/{id}`),
      row('replace', 'PUT', `${base}/{id}`),
      row('update', 'PATCH', `${base}/{id}`),
      row('delete', 'DELETE', `${base}/{id}`),
    ];
  }),
  {
    operation: 'scim:service-provider-config',
    method: 'GET',
    route: 'scim/v2/ServiceProviderConfig',
    rule: 'scim',
  },
  {
    operation: 'scim:resource-types',
    method: 'GET',
    route: 'scim/v2/ResourceTypes',
    rule: 'scim',
  },
  {
    operation: 'scim:resource-type',
    method: 'GET',
    route: 'scim/v2/ResourceTypes/{id}',
    rule: 'scim',
  },
  { operation: 'scim:schemas', method: 'GET', route: 'scim/v2/Schemas', rule: 'scim' },
  { operation: 'scim:schema', method: 'GET', route: 'scim/v2/Schemas/{id}', rule: 'scim' },
];
