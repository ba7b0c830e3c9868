import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { Principal } from '../model/backend.js';
import type { OrganizationFeature } from '../model/organization-routes.js';
import type { MatrixPrincipal } from './types.js';

/**
 * The directories a matrix speaks of. `multi`: an allow-list of directories (`allowedTenants`) — `home` is the
 * backend's own, `other` an admitted customer's, `stranger` one never admitted; otherwise only `home` signs in
 * (a single-tenant registration accepts its own directory's tokens only).
 *
 * @example
 * ```ts
 * const signIn: MatrixSignIn = { required: true, multi: true, home: 'contoso', other: 'fabrikam', stranger: 'x' };
 * ```
 */
export interface MatrixSignIn {
  /** Authentication on (the default): anonymous callers get 401. */
  readonly required: boolean;
  readonly multi: boolean;
  readonly home: string;
  /** `multi` only: the directories admitted (`allowedTenants`), or `'any'`. */
  readonly admitted?: readonly string[] | 'any';
  readonly other?: string;
  readonly stranger?: string;
  /** Tenants by membership: `home` and `other` are organizations, `stranger` a user who is a member of neither. */
  readonly membership?: boolean;
  /**
   * Tenants by membership: the roles a membership may hold besides `Owner` (`tenants.roles`) and the optional parts
   * served (`billing`: `tenants.billing.stripe.webhookSecret`) — which organization routes the matrix has rows for.
   */
  readonly organization?: {
    readonly roles: readonly string[];
    readonly features: readonly OrganizationFeature[];
    /**
     * `tenants.apiKeys` declared: the roles a key may act with (its `roles`, default every role but `Owner`) — one
     * `key:<role>` column each.
     */
    readonly apiKeys?: readonly string[];
    /** `mcp.authorization` declared: the `agent` and `agent.elsewhere` columns (an agent token of a member). */
    readonly agents?: boolean;
  };
  /**
   * `allowedTenants: 'registry'`: the directories served are the tenant registry's — `other` a customer the proof
   * registers before any request, `stranger` one it never does (with `signUp: 'open'` its first request registers
   * it) — and the proof's stack lifts the plans' bounds (who may, not how often).
   */
  readonly registry?: { readonly signUp: 'invite' | 'open'; readonly defaultPlan: string };
}

/** The directory ids the proof signs in with when the config names none (dev's sign-in accepts any). */
export const VERIFY_TENANTS = {
  home: 'verify-home',
  other: 'verify-other',
  stranger: 'verify-stranger',
} as const;

/**
 * The organizations the proof creates with tenants by membership (organization ids), the tenant of a user who
 * belongs to neither (admitted nowhere); every principal signs in from dev's own directory (the `tid` names no
 * tenant here).
 */
export const VERIFY_ORGANIZATIONS = {
  home: 'verify-org-home',
  other: 'verify-org-other',
  none: 'verify-no-organization',
} as const;

/**
 * The sign-in of a runtime auth policy: the home directory as given (the config's `auth.tenantId`), else the first
 * listed; another admitted directory from the allow-list; a stranger on no list (none when every directory is).
 * With a tenant registry: the home directory, a customer the proof registers (`other`) and a directory it never
 * registers (`stranger`, admitted only by an open sign-up's first request).
 *
 * @example
 * ```ts
 * signInOf({ required: true, tenantClaim: 'tid', trustTenantHeader: false, allowedTenants: 'any' }, 'contoso');
 * ```
 */
export function signInOf(
  auth: RuntimeAuth | undefined,
  home?: string,
  /** `mcp.authorization` is declared: agents sign in to the organizations (the agent columns). */
  agents = false,
): MatrixSignIn {
  const required = auth?.required ?? true;
  // Organizations: the proof's two organizations, and a user who belongs to neither.
  const membership = auth?.registry?.membership;
  if (membership)
    return {
      required,
      multi: true,
      home: VERIFY_ORGANIZATIONS.home,
      admitted: [VERIFY_ORGANIZATIONS.home, VERIFY_ORGANIZATIONS.other],
      other: VERIFY_ORGANIZATIONS.other,
      stranger: VERIFY_ORGANIZATIONS.none,
      membership: true,
      organization: {
        roles: membership.roles,
        features: [
          ...(auth?.registry?.billing?.subscriptions ? (['billing'] as const) : []),
          ...(membership.directorySignIn ? (['directory'] as const) : []),
          ...(membership.apiKeys ? (['api-keys'] as const) : []),
          ...(agents ? (['agents'] as const) : []),
        ],
        ...(membership.apiKeys
          ? { apiKeys: membership.apiKeys.roles ?? membership.roles.filter((r) => r !== 'Owner') }
          : {}),
        ...(agents ? { agents: true } : {}),
      },
    };
  const registry = auth?.registry;
  if (registry) {
    // Served: the home directory always, the customer the proof registers; a stranger only by signing up.
    const own = home ?? VERIFY_TENANTS.home;
    const open = registry.signUp === 'open';
    return {
      required,
      multi: true,
      home: own,
      admitted: open ? 'any' : [own, VERIFY_TENANTS.other],
      other: VERIFY_TENANTS.other,
      stranger: VERIFY_TENANTS.stranger,
      registry: { signUp: registry.signUp, defaultPlan: registry.defaultPlan },
    };
  }
  const list = auth?.allowedTenants;
  if (list === undefined) return { required, multi: false, home: home ?? VERIFY_TENANTS.home };
  if (list === 'any')
    return {
      required,
      multi: true,
      home: home ?? VERIFY_TENANTS.home,
      admitted: 'any',
      other: VERIFY_TENANTS.other,
    };
  // The home directory is the config's, else the first listed (the publisher lists its own directory first).
  const own = home ?? list[0] ?? VERIFY_TENANTS.home;
  const other = list.find((t) => t.toLowerCase() !== own.toLowerCase());
  return {
    required,
    multi: true,
    home: own,
    admitted: list,
    ...(other !== undefined ? { other } : {}),
    stranger: VERIFY_TENANTS.stranger,
  };
}

/** A principal of the matrix as the reference model takes it (anonymous has none). */
export function modelPrincipal(p: MatrixPrincipal): Principal | undefined {
  return p.tid === undefined || p.oid === undefined
    ? undefined
    : { name: p.key, tid: p.tid, oid: p.oid, roles: p.roles };
}

/**
 * The columns: anonymous; of the home directory the item's owner, another user and a holder of each role; the
 * same three of another admitted directory; a user of a directory not admitted. Stable order.
 *
 * @example
 * ```ts
 * matrixPrincipals(signIn, ['Admin']).map((p) => p.key); // ['anonymous', 'home.owner', 'home.other', …]
 * ```
 */
export function matrixPrincipals(
  signIn: MatrixSignIn,
  roles: readonly string[],
): MatrixPrincipal[] {
  if (signIn.membership) return memberPrincipals(signIn, roles);
  const name = (dir: 'home' | 'other') =>
    dir === 'other' && signIn.registry ? 'a registered customer directory' : `the ${dir} directory`;
  const of = (dir: 'home' | 'other', tid: string): MatrixPrincipal[] => [
    {
      key: `${dir}.owner`,
      description: `a user of ${name(dir)}, owner of the item`,
      tid,
      oid: `${dir}-owner`,
      roles: [],
    },
    {
      key: `${dir}.other`,
      description: `another user of ${name(dir)}`,
      tid,
      oid: `${dir}-other`,
      roles: [],
    },
    ...roles.map((r) => ({
      key: `${dir}.role.${r}`,
      description: `a user of ${name(dir)} holding the app role ${r}`,
      tid,
      oid: `${dir}-role-${r.replace(/[^A-Za-z0-9._-]/g, '-')}`,
      roles: [r],
    })),
  ];
  return [
    { key: 'anonymous', description: 'a caller not signed in', roles: [] },
    ...of('home', signIn.home),
    ...(signIn.other !== undefined ? of('other', signIn.other) : []),
    ...(signIn.stranger !== undefined
      ? [
          {
            key: 'stranger',
            description: strangerDescription(signIn),
            tid: signIn.stranger,
            oid: 'stranger',
            roles: [],
          },
        ]
      : []),
  ];
}

/**
 * The columns of tenants by membership (DESIGN §2): anonymous; of the organization a member who owns the item,
 * another member, an `Owner` and a member holding each role the rules name; a member of another organization; a
 * signed-in user who is a member of neither and names the organization anyway (`X-Atakora-Tenant`); the
 * organization's SCIM token, and a revoked one (no user: the model reads them as anonymous outside the SCIM routes).
 */
function memberPrincipals(signIn: MatrixSignIn, roles: readonly string[]): MatrixPrincipal[] {
  const home = signIn.home;
  const other = signIn.other ?? VERIFY_ORGANIZATIONS.other;
  const member = (key: string, description: string, org: string, memberRoles: string[]) => ({
    key,
    description,
    tid: org,
    oid: key.replace(/[^A-Za-z0-9_-]/g, '-'),
    roles: memberRoles,
    organization: org,
  });
  return [
    { key: 'anonymous', description: 'a caller not signed in', roles: [] },
    member('home.owner', 'a member of the organization, owner of the item', home, []),
    member('home.other', 'another member of the organization', home, []),
    ...[...new Set(['Owner', ...roles])]
      .sort()
      .map((r) =>
        member(
          `home.role.${r}`,
          r === 'Owner'
            ? 'an Owner of the organization'
            : `a member of the organization holding the role ${r}`,
          home,
          [r],
        ),
      ),
    member('other.owner', 'a member of another organization', other, []),
    {
      key: 'stranger',
      description:
        'a signed-in user who is no member of the organization (names it in X-Atakora-Tenant)',
      tid: signIn.stranger ?? VERIFY_ORGANIZATIONS.none,
      oid: 'stranger',
      roles: [],
      organization: home,
    },
    // SCIM is its own principal: a token of the organization, live or revoked, signed in as nobody.
    {
      key: 'scim',
      description: "the organization's SCIM token (no user: Authorization: Bearer atakora-scim.…)",
      roles: [],
      organization: home,
      scim: 'valid',
    },
    {
      key: 'scim.revoked',
      description: 'a SCIM token of the organization, revoked',
      roles: [],
      organization: home,
      scim: 'revoked',
    },
    ...bearerPrincipals(signIn, home, other),
  ];
}

/**
 * The bearer columns of a membership backend (DESIGN §2 "Integrations", "Agents that sign in"): with
 * `tenants.apiKeys`, a key of the organization per role a key may hold (`key:<role>`: its `oid` stands for the key's
 * id, which owns what it creates); with `mcp.authorization`, an agent token of the item owner's person in the
 * organization (`agent`), and the same token naming another organization (`agent.elsewhere`).
 */
function bearerPrincipals(signIn: MatrixSignIn, home: string, other: string): MatrixPrincipal[] {
  const org = signIn.organization;
  const keys = (org?.apiKeys ?? []).map(
    (r): MatrixPrincipal => ({
      key: `key:${r}`,
      description: `an API key of the organization with the role ${r} (Authorization: Bearer atk_…)`,
      tid: home,
      oid: `key-${r.replace(/[^A-Za-z0-9_-]/g, '-')}`,
      roles: [r],
      organization: home,
      bearer: 'api-key',
    }),
  );
  const agent = (key: string, description: string, organization: string): MatrixPrincipal => ({
    key,
    description,
    tid: home,
    oid: 'home-owner',
    roles: [],
    organization,
    bearer: 'agent',
  });
  return [
    ...keys,
    ...(org?.agents
      ? [
          agent(
            'agent',
            "an agent's access token for home.owner's person in the organization (at api/mcp only)",
            home,
          ),
          agent(
            'agent.elsewhere',
            'the same agent token naming another organization (X-Atakora-Tenant)',
            other,
          ),
        ]
      : []),
  ];
}

/**
 * Whether a column signs in as a member of the organization it names (a person's membership the proof seeds): not
 * anonymous, the stranger, a SCIM token or a bearer credential (a key, an agent token).
 *
 * @example
 * ```ts
 * isMemberColumn({ key: 'home.owner', description: '', tid: 'o', oid: 'u', roles: [], organization: 'o' }); // true
 * ```
 */
export function isMemberColumn(p: MatrixPrincipal): boolean {
  return (
    p.oid !== undefined &&
    p.organization !== undefined &&
    p.tid === p.organization &&
    p.bearer === undefined
  );
}

/** Who the refused column is: a directory not admitted, not registered, or (open sign-up) not registered yet. */
function strangerDescription(signIn: MatrixSignIn): string {
  if (!signIn.registry) return 'a user of a directory not admitted';
  return signIn.registry.signUp === 'open'
    ? 'a user of a directory not registered yet (signUp open: its first request registers it)'
    : 'a user of a directory not registered';
}
