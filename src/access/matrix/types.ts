/**
 * The access matrix of a backend (DESIGN §2 "Access you can prove"): for every route and operation, what each
 * principal may reach — plain JSON, written to `atakora.access.json` beside the entry and committed.
 */

/**
 * One cell: `allow` — every item, whoever and whichever directory stored it (or, for a handler: it runs);
 * `tenant` — every item of the caller's tenant; `own` — the caller's own items; a number — the refusal's status
 * (401 not signed in, 402 not in the tenant's plan — only in the per-plan rows, plan-rows.ts —, 403 refused,
 * 404 not found, 405 not served).
 *
 * @example
 * ```ts
 * import type { AccessCell } from '@atakora/component/testing';
 * const cell: AccessCell = 'own';
 * ```
 */
export type AccessCell = 'allow' | 'tenant' | 'own' | 401 | 402 | 403 | 404 | 405;

/** Who a column is: anonymous, a user of the home directory or of another admitted one, or of one not admitted. */
export interface MatrixPrincipal {
  /**
   * `anonymous`, `home.owner`, `home.other`, `home.role.<Role>`, `other.owner`, …, `stranger`, `scim`, `scim.revoked`,
   * `key:<Role>`, `agent`, `agent.elsewhere`.
   */
  readonly key: string;
  readonly description: string;
  /**
   * The directory (`tid`) and user (`oid`) the proof signs in as; absent for anonymous. With tenants by membership
   * `tid` is the organization the principal acts in (the tenant), and `roles` its membership's roles.
   */
  readonly tid?: string;
  readonly oid?: string;
  readonly roles: readonly string[];
  /** Tenants by membership: the organization the principal's requests name (`X-Atakora-Tenant`). */
  readonly organization?: string;
  /**
   * Tenants by membership: the column is a SCIM token of {@link organization} — no user, no sign-in — `valid` (live)
   * or `revoked`. The proof sends it as `Authorization: Bearer` and nothing else.
   */
  readonly scim?: 'valid' | 'revoked';
  /**
   * Tenants by membership: the column is no sign-in but a bearer credential of {@link organization} — `api-key` an
   * organization API key acting with its one role (`roles`; an owner rule's owner is the key, `oid` standing for its
   * id), `agent` an agent's access token of the person `oid` (`mcp.authorization`: taken at `api/mcp` only). The
   * proof sends it as `Authorization: Bearer` beside a signed-in user who is a member of nothing, so a runtime that
   * ignored it would answer as that user.
   */
  readonly bearer?: 'api-key' | 'agent';
}

/** One route and operation with the answer of each principal, keyed by {@link MatrixPrincipal.key}. */
export interface MatrixRow {
  readonly component: string;
  /**
   * `mcp`: a tool of the MCP server, answering as the route it mirrors (404: not in the caller's tools/list);
   * `organization`: a route of a membership backend's organizations (`Organization`, access/model/organization-routes.ts).
   */
  readonly kind: 'crud' | 'files' | 'function' | 'mcp' | 'organization';
  /**
   * CrudApi: `create`, `read`, `list`, `count`, `replace`, `update`, `delete`, `expand:<relation>`,
   * `children:<relation>`, `events`; FileStore: `upload`, `complete`, `list`, `get`, `delete`; a handler: `call`;
   * an MCP tool: `mcp:<action>` (`mcp:list`, …) or `mcp:<function name>`; an organization route: `tenant:update`,
   * `domains:create`, ….
   */
  readonly operation: string;
  /** `POST api/notes`, `GET api/notes/{id}?$expand=author`, `WS api/realtime/negotiate`. */
  readonly request: string;
  readonly cells: Readonly<Record<string, AccessCell>>;
}

/** Something the rules allow that their authors rarely mean: a named consequence, for review. */
export interface AccessImplication {
  readonly code:
    | 'foreign-write-blocks-delete'
    | 'foreign-write-into-shared'
    | 'cascade-cannot-complete'
    | 'shared-readable-across-directories'
    | 'anonymous-handler';
  readonly components: readonly string[];
  readonly message: string;
}

/**
 * The matrix of one backend.
 *
 * @example
 * ```ts
 * import type { AccessMatrix } from '@atakora/component/testing';
 * const readOf = (m: AccessMatrix, who: string) => m.rows.find((r) => r.operation === 'read')?.cells[who];
 * ```
 */
export interface AccessMatrix {
  readonly version: 1;
  readonly backendId: string;
  /**
   * `single-tenant` or `multi-tenant`: which directories the columns stand for; `membership`: the columns are
   * members of organizations (tenants by membership).
   */
  readonly signIn: 'single-tenant' | 'multi-tenant' | 'membership';
  readonly principals: readonly MatrixPrincipal[];
  readonly rows: readonly MatrixRow[];
  readonly implications: readonly AccessImplication[];
}
