import type { HttpResponseInit } from '@azure/functions';
import type { Membership } from '../../contract/members.js';
import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { rateLimit } from '../limits/rate-limit.js';
import { signedInBound } from '../limits/signed-in-limit.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import { joinByDirectory } from './directory/directory-admission.js';
import type { MembersApi } from './members-api.js';

/** What a first join reads and counts with: the members API, the registry (records and config), the meter. */
export interface JoinScope {
  readonly members: MembersApi;
  readonly records: Pick<RegistryCache, 'get'>;
  readonly registry: RuntimeTenantRegistry;
  /** The usage meter: tries are held to the per-user rate of the no-tenant routes; none → not held. */
  readonly meter?: UsageMeter | undefined;
}

/**
 * The user who is no member of the organization they name (or of any): id, token's directory, verified e-mail, and
 * user principal name (caller/principal-name.ts: only ever matched in the organization linking their directory).
 */
export interface Joiner {
  readonly userId: string;
  readonly directory: string | undefined;
  readonly email: string | undefined;
  readonly upn?: string | undefined;
}

/** A first join's answer: the membership made, a refusal of the try itself (429), or undefined (none applies). */
export type FirstJoin = Membership | { readonly refused: HttpResponseInit } | undefined;

/**
 * The membership a user who belongs nowhere yet gets on their first request, no invitation: a linked directory's
 * (members/directory), else one an identity provider provisioned (members/scim); in `named`, else wherever one
 * applies. What an outsider costs is bounded: a try that found nothing is kept for the membership cache's bound
 * (join-misses.ts: the repeats read nothing), and each try counts against the user's per-user rate of the routes
 * that act in no organization (limits/signed-in-limit.ts) — past it, 429 `rate-limited` with `RateLimit` headers
 * before anything is looked up, so naming ever new organizations costs no more.
 *
 * @example
 * ```ts
 * const joined = await firstJoin({ members, records, registry, meter }, joiner, 'acme-k3x9qa');
 * if (joined && 'refused' in joined) return { ok: false, response: joined.refused };
 * ```
 */
export async function firstJoin(
  scope: JoinScope,
  who: Joiner,
  named: string | undefined,
): Promise<FirstJoin> {
  const { members, records } = scope;
  const misses = members.cache.joinMisses;
  if (misses.known(named, who.userId)) return undefined;
  if (scope.meter) {
    const refusal = await rateLimit(
      undefined,
      signedInBound(scope.registry, who.userId, scope.meter),
    );
    if (refusal) return { refused: refusal };
  }
  const since = misses.since();
  const user = {
    userId: who.userId,
    tid: who.directory,
    ...(who.email !== undefined ? { email: who.email } : {}),
    ...(who.upn !== undefined ? { upn: who.upn } : {}),
  };
  const joined =
    (await joinByDirectory(members, records, user, named)) ??
    (await members.linkProvisioned?.(who, named));
  if (!joined) misses.remember(named, who.userId, since);
  return joined;
}
