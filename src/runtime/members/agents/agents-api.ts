import type { Membership } from '../../../contract/members.js';
import { organizationLifeOf } from '../../../model/lives/organization-life.js';
import { featuresOf } from '../../../model/plans/plan-features.js';
import type { RuntimeAuth } from '../../../model/runtime-manifest.js';
import { AgedAnswers } from '../../data/aged-answers.js';
import type { ServedTool } from '../../mcp/caller-tools.js';
import { type GrantContext, grantRefusal } from '../../mcp/oauth/grant-life.js';
import type { RegistryCache } from '../../tenants/registry-cache.js';
import { planLimits } from '../../tenants/plan-limits.js';
import type { MembersApi } from '../members-api.js';
import type { AgentClients } from './agent-clients.js';
import type { AgentKeys } from './agent-keys.js';
import type { AgentStore, StoredGrant, Tagged } from './agent-store.js';
import type { ClientStore } from './client-store.js';

/** `mcp.authorization` after defaults, as the manifest carries it. */
export interface AgentsConfig {
  readonly registration: boolean;
  readonly accessTokenMinutes: number;
  readonly refreshTokenDays: number;
  readonly grantsPerPerson: number;
}

/** How long an instance keeps a grant's answer at the MCP door: a revocation elsewhere holds within this. */
export const GRANT_CACHE_MS = 30_000;

/**
 * What the authorization server and the MCP door's agent tokens are served from, made once at start: the members
 * (memberships, the audit log), the registry's records, the grants and codes, the keys, the clients' metadata
 * documents, the server's tools (for what the consent page says an agent may do), and a clock.
 */
export interface AgentsApi {
  readonly members: MembersApi;
  readonly records: RegistryCache;
  readonly policy: RuntimeAuth;
  readonly store: AgentStore;
  readonly config: AgentsConfig;
  readonly keys: () => Promise<AgentKeys>;
  /** Clients by id: metadata documents, and registered clients when registration is on (agent-clients.ts). */
  readonly clients: AgentClients;
  /** The registered clients (RFC 7591), only with `mcp.authorization.registration`. */
  readonly registered?: ClientStore;
  readonly tools: () => ReadonlyMap<string, ServedTool>;
  readonly now: () => number;
  /** Grants as this instance last read them (at most {@link GRANT_CACHE_MS} old), by `organization|id`. */
  readonly grants: AgedAnswers<Tagged<StoredGrant> | undefined>;
}

/**
 * The grant cache of an {@link AgentsApi}: answers at most 30 s old, 10,000 kept.
 *
 * @example
 * ```ts
 * const grants = grantCache(Date.now);
 * ```
 */
export function grantCache(now: () => number): AgedAnswers<Tagged<StoredGrant> | undefined> {
  return new AgedAnswers({ maxEntries: 10_000, maxAgeMs: GRANT_CACHE_MS, now });
}

/** A grant through this instance's cache (the MCP door's read: a revocation elsewhere holds within 30 s). */
export const cachedGrant = (api: AgentsApi, organization: string, id: string) =>
  api.grants.get(`${organization}|${id}`, () => api.store.readGrant(organization, id));

/** Forget a grant on this instance: a revocation made here holds on the next request. */
export const forgetGrant = (api: AgentsApi, grant: Pick<StoredGrant, 'organization' | 'id'>) => {
  api.grants.forget(`${grant.organization}|${grant.id}`);
};

/**
 * A membership as a grant counts it: only one that began before the grant — a person removed and admitted again
 * later holds a new membership, and the grants of the old one died with it (DESIGN §2: "a removed person's grant
 * dies with it").
 */
export const membershipOfGrant = (
  grant: Pick<StoredGrant, 'created'>,
  membership: Membership | undefined,
): Membership | undefined =>
  membership && membership.addedOn <= grant.created ? membership : undefined;

/**
 * The grants of `grants` that still live as data (DESIGN §2, "Grants are data"): not revoked, and the membership each
 * stood on still there, read from Cosmos DB (a refresh's view) — a grant that died with its person's membership
 * (removed, barred, deprovisioned, left; admitted again since: a new membership) is no connected agent to list or
 * revoke. One read per person and organization.
 *
 * @example
 * ```ts
 * const live = await liveGrants(api, await api.store.grantsIn('acme'));
 * ```
 */
export async function liveGrants(
  api: AgentsApi,
  grants: readonly StoredGrant[],
): Promise<StoredGrant[]> {
  const memberships = new Map<string, Membership | undefined>();
  const live: StoredGrant[] = [];
  for (const g of grants) {
    if (g.revoked !== undefined) continue;
    const key = `${g.organization}|${g.person}`;
    if (!memberships.has(key))
      memberships.set(key, (await api.members.store.read(g.organization, g.person))?.value);
    if (membershipOfGrant(g, memberships.get(key))) live.push(g);
  }
  return live;
}

/**
 * Why a grant may not be used now, or undefined: the grant itself (revoked, unknown), the person's membership
 * (removed, barred, deprovisioned — all end it), the organization's state and its plan's `mcp` feature
 * (grant-life.ts `grantRefusal`). `fresh` reads the membership and record from Cosmos DB (a refresh: refused at
 * once), else through this instance's caches (the MCP door: within their 30 s bound).
 *
 * @example
 * ```ts
 * const why = await grantDenied(api, grant, true);
 * if (why) return oauthError('invalid_grant', why);
 * ```
 */
export async function grantDenied(
  api: AgentsApi,
  grant: StoredGrant | undefined,
  fresh: boolean,
): Promise<string | undefined> {
  if (!grant) return grantRefusal(undefined, emptyContext);
  const membership = fresh
    ? (await api.members.store.read(grant.organization, grant.person))?.value
    : await api.members.cache.membership(grant.organization, grant.person);
  const record = fresh
    ? await api.records.fresh(grant.organization)
    : await api.records.get(grant.organization);
  const registry = api.policy.registry;
  const life = record ? organizationLifeOf(record) : undefined;
  const plans = registry?.plans ?? {};
  const ctx: GrantContext = {
    // A barred or deprovisioned person holds no membership: removal is what bars (members/life/member-bars.ts).
    membership: membershipOfGrant(grant, membership) ? {} : undefined,
    organizationState:
      life === undefined
        ? undefined
        : life.startsWith('suspended')
          ? 'suspended'
          : (life as 'active'),
    planHasMcp:
      record !== undefined &&
      registry !== undefined &&
      featuresOf(planLimits(registry, record.plan).limits, plans).has('mcp'),
  };
  return grantRefusal(grant, ctx);
}

const emptyContext: GrantContext = {
  membership: undefined,
  organizationState: undefined,
  planHasMcp: false,
};
