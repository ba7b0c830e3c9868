/**
 * A grant: one person's consent for one client in one organization (DESIGN.md §2, "Grants are data"), as stored
 * beside the membership registry.
 */
export interface AgentGrant {
  readonly id: string;
  readonly person: string;
  readonly organization: string;
  readonly clientId: string;
  readonly clientName: string;
  readonly created: string;
  /** Set when revoked (by the person, an Owner or Admin, a replayed code, or the membership's end). */
  readonly revoked?: string;
}

/** What a refresh re-checks beside the grant: the person's membership and the organization's state and plan. */
export interface GrantContext {
  /** The person's membership in the grant's organization: absent once removed; `barred` when barred. */
  readonly membership: { readonly barred?: boolean } | undefined;
  /** The organization's state: refreshes only while `active` (a suspended, deleted or erased one refuses). */
  readonly organizationState: 'active' | 'suspended' | 'deleted' | 'erased' | undefined;
  /** Whether the organization's plan has the `mcp` feature now. */
  readonly planHasMcp: boolean;
}

/**
 * Whether a grant may still be used — every refresh asks (DESIGN.md §2: "each refresh re-checks the grant, the
 * person's membership, the organization's state and its plan's `mcp` feature (`invalid_grant` otherwise)"): the
 * reason it may not, else undefined. A removed person's grant dies with the membership.
 *
 * @example
 * ```ts
 * const why = grantRefusal(grant, { membership, organizationState: 'active', planHasMcp: true });
 * if (why) return oauthError('invalid_grant', why);
 * ```
 */
export function grantRefusal(grant: AgentGrant | undefined, ctx: GrantContext): string | undefined {
  if (!grant) return 'The grant does not exist.';
  if (grant.revoked !== undefined) return 'The grant was revoked.';
  if (!ctx.membership) return `The person is no longer a member of ${grant.organization}.`;
  if (ctx.membership.barred === true) return `The person is barred from ${grant.organization}.`;
  if (ctx.organizationState !== 'active')
    return `The organization ${grant.organization} is ${ctx.organizationState ?? 'gone'}.`;
  if (!ctx.planHasMcp) return `The plan of ${grant.organization} no longer has the mcp feature.`;
  return undefined;
}

/**
 * Whether a person may hold one more grant in an organization (`grantsPerPerson`, default 20): a new consent for a
 * client the person already granted there replaces that grant, so it never counts twice.
 *
 * @example
 * ```ts
 * if (!roomForGrant(grants, 'https://claude.ai/…', 20)) refuse();
 * ```
 */
export function roomForGrant(
  live: readonly Pick<AgentGrant, 'clientId' | 'revoked'>[],
  clientId: string,
  grantsPerPerson: number,
): boolean {
  const others = live.filter((g) => g.revoked === undefined && g.clientId !== clientId);
  return others.length < grantsPerPerson;
}
