import type { HttpResponseInit } from '@azure/functions';
import { DEFAULT_MAX_ORGANIZATIONS_PER_USER, OWNER_ROLE } from '../../../contract/members.js';
import { problemResponse } from '../../http/response.js';
import { type MembersApi, nowOf } from '../members-api.js';
import { OWNER_HOLD_MS } from './owner-holds.js';

/** The organizations `userId` owns (one query over their memberships). */
async function ownedBy(api: MembersApi, userId: string): Promise<string[]> {
  return (await api.store.membershipsOf(userId))
    .filter((m) => m.roles.includes(OWNER_ROLE))
    .map((m) => m.tenant);
}

/** Decisions one person's requests may try while their other requests write the same holds (six at once: six rounds). */
const ATTEMPTS = 30;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt * 3)));

function limitReached(userId: string, max: number, you: boolean): HttpResponseInit {
  return problemResponse(
    'organization-limit',
    you
      ? `You own ${String(max)} organizations, as many as one user may (tenants.maxOrganizationsPerUser): delete ` +
          'one you no longer need, or hand one to another Owner, before owning another.'
      : `${userId} owns ${String(max)} organizations, as many as one user may (tenants.maxOrganizationsPerUser): ` +
          'they cannot be made an Owner of another.',
    { limit: max },
  );
}

/**
 * 409 `organization-limit` when `userId` owns `tenants.maxOrganizationsPerUser` organizations already and would
 * become an Owner of one more — counted wherever a user becomes an Owner (DESIGN §2): creating an organization, a
 * Marketplace purchase's landing page, an accepted invitation as Owner, a role change that makes them one (`you`: the
 * caller is that user). Undefined when the bound leaves room. Never counts the operator (who creates organizations
 * for others). With `tenant` — the organization they are becoming an Owner of — the room is also held for it
 * (owner-holds.ts), so concurrent requests of one person never pass the bound together; {@link releaseOwnerHold} gives
 * it back when nothing was made.
 *
 * @example
 * ```ts
 * const over = await ownerBound(api, creator.userId, true, 'acme-k3x9qa');
 * if (over) return over;
 * ```
 */
export async function ownerBound(
  api: MembersApi,
  userId: string,
  you: boolean,
  tenant?: string,
): Promise<HttpResponseInit | undefined> {
  const max = api.membership.maxOrganizationsPerUser ?? DEFAULT_MAX_ORGANIZATIONS_PER_USER;
  const holds = api.ownerHolds;
  if (tenant === undefined || !holds)
    return (await ownedBy(api, userId)).length < max ? undefined : limitReached(userId, max, you);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (attempt > 0) await pause(attempt);
    // The holds first, then the memberships: a decision written before this read has its hold here, or — once it
    // lapsed — its membership long written.
    const found = await holds.read(userId);
    const owned = await ownedBy(api, userId);
    const now = nowOf(api).getTime();
    const live = Object.fromEntries(
      Object.entries(found?.holds ?? {}).filter(([t, lapse]) => lapse > now && t !== tenant),
    );
    if (new Set([...owned, ...Object.keys(live)]).size >= max)
      return limitReached(userId, max, you);
    if (await holds.write(userId, { ...live, [tenant]: now + OWNER_HOLD_MS }, found?.etag))
      return undefined;
  }
  return problemResponse(
    'database-unavailable',
    'Your other requests kept changing the count of the organizations you own: nothing was written; retry after Retry-After.',
    { headers: { 'Retry-After': '1' } },
  );
}

/**
 * Give back the room {@link ownerBound} held for `tenant` when no ownership came of it (an id taken meanwhile, a
 * purchase claimed by another landing). Best effort: a hold left behind lapses on its own.
 *
 * @example
 * ```ts
 * await releaseOwnerHold(api, creator.userId, id);
 * ```
 */
export async function releaseOwnerHold(
  api: MembersApi,
  userId: string,
  tenant: string,
): Promise<void> {
  const holds = api.ownerHolds;
  for (let attempt = 0; holds && attempt < 4; attempt++) {
    const found = await holds.read(userId);
    if (!found || !(tenant in found.holds)) return;
    const { [tenant]: _gone, ...rest } = found.holds;
    if (await holds.write(userId, rest, found.etag)) return;
  }
}
