/**
 * The shape of an organization route's row (organization-routes.ts's table and the SCIM rows of scim-routes.ts it
 * spreads) and the one way a row is written, so each table reads as one line a door.
 */

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
  | 'directory'
  /**
   * Organization API keys declared (`tenants.apiKeys`): the key routes' rows and the `key:<role>` columns (the routes
   * are served on every membership backend; the matrix speaks of them where the backend says it uses keys).
   */
  | 'api-keys'
  /** The backend's own authorization server (`mcp.authorization`): the grants' routes and the agent columns. */
  | 'agents';

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
  /**
   * An organization API key reaches it as a member of its role (`GET api/tenant`, the audit log:
   * runtime/members/keys/key-tenants.ts `Endpoint.apiKeys`); on every other organization route a key is 403 — a
   * person's route.
   */
  readonly keys?: true;
}

/**
 * One route's row: the operation, its request, its rule and (when it has one) the feature it is served with.
 *
 * @example
 * ```ts
 * routeRow('tenant:delete', 'DELETE', 'tenant', 'owner'); // { operation: 'tenant:delete', method: 'DELETE', … }
 * ```
 */
export function routeRow<R extends OrganizationRule>(
  operation: string,
  method: OrganizationRoute['method'],
  route: string,
  rule: R,
  feature?: OrganizationFeature,
): OrganizationRoute & { readonly rule: R } {
  return feature === undefined
    ? { operation, method, route, rule }
    : { operation, method, route, rule, feature };
}

/**
 * {@link routeRow} of a route an organization API key may call as a member of its role.
 *
 * @example
 * ```ts
 * keysRow('tenant:read', 'GET', 'tenant', 'member'); // { …, keys: true }
 * ```
 */
export function keysRow<R extends OrganizationRule>(
  operation: string,
  method: OrganizationRoute['method'],
  route: string,
  rule: R,
): OrganizationRoute & { readonly rule: R } {
  return { operation, method, route, rule, keys: true };
}
