import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { JoinableOrganization } from '../../../contract/enterprise/joins.js';
import { recordAudit } from '../../audit/record-audit.js';
import { jsonResponse, problemResponse } from '../../http/response.js';
import { admissionRefusal } from '../../tenants/feature-refusal.js';
import { auditActor, nowOf, orUnavailable } from '../members-api.js';
import type { SignedInUser } from '../organization-operations.js';
import { publicJoinRequest, type StoredJoinRequest } from './join-request-store.js';
import { joinTargetOf, type JoinsApi } from './join-target.js';
import { isFull, seatLimitOf, seatMember, seatsFull } from '../seats/seats.js';
import { admits, admittedMembership, barredMeanwhile, memberBarred } from '../life/member-life.js';
import { closedMeanwhile, notActive, organizationClosed } from '../life/organization-open.js';

const notVerified = () =>
  problemResponse(
    'email-not-verified',
    'Joining an organization by its domain needs a verified e-mail, and your sign-in proves none: sign in with an ' +
      'account whose e-mail your directory vouches for, or ask for an invitation.',
  );

/**
 * `GET api/me/joinable` → `{ items }`: the organizations the caller may join through a verified domain — the one
 * (if any) whose verified domain is exactly the domain of the caller's *verified* e-mail, with `join` `auto` or
 * `request`, active, on a plan with `domains`, and the caller not a member — each with its name, domain, join mode, role and whether the
 * caller's request is `pending`. A caller without a verified e-mail gets an empty list (nothing to join, nothing
 * learnt). Bounded: a few point reads through the global domain claims, never a scan.
 *
 * @example
 * ```ts
 * // GET /api/me/joinable → { "items": [{ "id": "acme-k3x9qa", "name": "Acme", "domain": "contoso.com", "join": "request", "role": "Member", "pending": false }] }
 * ```
 */
export function joinableOrganizations(
  api: JoinsApi,
  user: SignedInUser,
): Promise<HttpResponseInit> {
  return orUnavailable(async () => {
    const items: JoinableOrganization[] = [];
    const target = user.email === undefined ? undefined : await joinTargetOf(api, user.email);
    if (
      target &&
      target.record.status === 'active' &&
      // A domain a downgrade left verified admits nobody: its organization is not offered.
      !admissionRefusal(api.registry, target.record.plan, 'domains', undefined) &&
      !(await api.store.read(target.tenant, user.userId)) &&
      // A person the organization put out sees nothing to join (membership-life.ts: no door re-admits them).
      (await admits(api, target.tenant, user, {
        door: target.domain.join === 'auto' ? 'domain' : 'join-request',
      })) === 'admit'
    ) {
      const pending = (await api.joins.read(target.tenant, user.userId)) !== undefined;
      items.push({
        id: target.tenant,
        ...(target.record.name !== undefined ? { name: target.record.name } : {}),
        domain: target.domain.domain,
        join: target.domain.join,
        role: target.domain.role,
        pending,
      });
    }
    return jsonResponse(200, { items });
  });
}

/**
 * `POST api/tenants/{id}/join` by a signed-in user whose verified e-mail is on one of the organization's verified
 * domains: `auto` → 201 the membership (the domain's role); `request` → 202 the pending join request (Owners and
 * Admins answer it). The refusals, in this order: 403 `email-not-verified` (no verified e-mail; says nothing of the
 * organization); 404 when the organization does not admit the caller's domain (whether it exists is not said); 403
 * `tenant-suspended`; 402 `feature-not-in-plan` when its plan lacks `domains`; 409 `already-a-member`; 403
 * `member-barred`; 409 `join-request-exists` (a request of theirs pending — before the seats: asking again never
 * answers 402, which would tell them to pay and hide that it waits); last, 402 `seat-limit` when its seats are full —
 * a request too — (nobody joins, no request is made). Two joins at once cannot give two memberships: a membership's
 * id is its organization's and user's, created never overwritten.
 *
 * @example
 * ```ts
 * // POST /api/tenants/acme-k3x9qa/join → 201 { "tenant": "acme-k3x9qa", "userId": "u-9", "roles": ["Member"], … }
 * ```
 */
export function joinOrganization(
  api: JoinsApi,
  user: SignedInUser,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  const email = user.email;
  if (email === undefined) return Promise.resolve(notVerified());
  return orUnavailable(async () => {
    const target = await joinTargetOf(api, email);
    if (!target || target.tenant !== tenant)
      return problemResponse('not-found', `No organization ${tenant} admits your e-mail's domain.`);
    if (target.record.status !== 'active')
      return notActive(tenant, target.record, 'join it once it is active again.');
    // Joining by a domain is the plan's `domains` feature: a domain verified on a plan that had it, kept after a
    // downgrade, admits nobody (402, nothing written) until the organization is on a plan with it again.
    const closed = admissionRefusal(api.registry, target.record.plan, 'domains', undefined);
    if (closed) return closed;
    if (await api.store.read(tenant, user.userId)) return alreadyMember(tenant);
    const door = target.domain.join === 'auto' ? 'domain' : 'join-request';
    if ((await admits(api, tenant, user, { door })) === 'barred') return memberBarred(tenant);
    const now = nowOf(api).toISOString();
    const actor = auditActor(user);
    const { domain, role } = target.domain;
    if (target.domain.join === 'request') {
      // A request there already is the answer, before the seats: asking again must not tell the person to pay, and
      // a 402 would hide that their request waits (the create below still answers a request made meanwhile).
      if (await api.joins.read(tenant, user.userId)) return requestExists(tenant);
      // A request promises a seat it does not take yet: past the plan's members, 402 seat-limit now (as an
      // invitation is), not a request no Owner can approve (members/seats/seats.ts; the approval reserves).
      const full = await seatsFull(api, tenant);
      if (full) return seatLimitOf(api, tenant, full, false);
      const asked: StoredJoinRequest = {
        id: user.userId,
        tenant,
        userId: user.userId,
        email,
        domain,
        requestedOn: now,
      };
      if ((await api.joins.create(asked)) === 'exists') return requestExists(tenant);
      await recordAudit(api, {
        tenant,
        actor,
        action: 'join-request.created',
        target: user.userId,
        changes: { domain },
      });
      return jsonResponse(202, publicJoinRequest(asked));
    }
    const path = new URL(request.url).pathname.replace(
      /tenants\/[^/]+\/join\/?$/,
      'tenant/members',
    );
    return addJoined(api, {
      tenant,
      userId: user.userId,
      ...(user.directory !== undefined ? { directory: user.directory } : {}),
      email,
      domain,
      role,
      actor,
      path,
      now,
      door: 'domain',
    });
  });
}

const alreadyMember = (tenant: string) =>
  problemResponse('already-a-member', `You are a member of ${tenant} already.`);

const requestExists = (tenant: string) =>
  problemResponse(
    'join-request-exists',
    `You asked to join ${tenant} already: an Owner or an Admin answers it.`,
  );

/**
 * 409 `already-a-member` of an admission whose person is a member of `tenant` already (a join racing an invitation,
 * an approval of a requester an invitation admitted meanwhile: seatMember's `'exists'`).
 */
const memberAlready = (tenant: string, userId: string): HttpResponseInit =>
  problemResponse('already-a-member', `${userId} is a member of ${tenant} already.`);

/**
 * The membership a join gives (auto, or an approved request): 201 with `Location`, or 409 `already-a-member` when
 * one exists (a join racing an invitation or another join: the one created first stands, nothing is merged), or 403
 * `member-barred` when the person is barred (an Owner removed them, SCIM deprovisioned them: membership-life.ts) —
 * checked before the membership is made and once more after, so a removal racing the join stands.
 *
 * @example
 * ```ts
 * return addJoined(api, { tenant, userId, email, domain, role, actor, path: '/api/tenant/members', now });
 * ```
 */
export async function addJoined(
  api: JoinsApi,
  j: {
    readonly tenant: string;
    readonly userId: string;
    /** The joiner's directory (their token's `tid`), when the join is theirs (not an approval). */
    readonly directory?: string;
    readonly email: string;
    readonly domain: string;
    readonly role: string;
    readonly actor: ReturnType<typeof auditActor>;
    /** The members' collection path the `Location` names the membership under. */
    readonly path: string;
    readonly now: string;
    /** The door: a domain's auto-join, or a join request an Owner or an Admin approved. */
    readonly door: 'domain' | 'join-request';
    /** The one who admits is an Owner (an approval): a 402 names the checkout route to them. */
    readonly byOwner?: boolean;
  },
): Promise<HttpResponseInit> {
  const { tenant, userId, email } = j;
  const membership = admittedMembership(
    { tenant, userId, email, roles: [j.role], addedOn: j.now },
    j.door,
  );
  const entry = { door: j.door } as const;
  if ((await admits(api, j.tenant, j, entry)) === 'barred') return memberBarred(j.tenant);
  // A seat first (members/seats/seats.ts): a member already is 409 before it, whatever the seats; past the plan's
  // members, 402 seat-limit, nobody joined.
  const made = await seatMember(api, membership);
  if (isFull(made)) return seatLimitOf(api, j.tenant, made.full, j.byOwner === true);
  if (made === 'exists') return memberAlready(j.tenant, j.userId);
  api.cache.forget(j.tenant, j.userId);
  if (await barredMeanwhile(api, membership, made.etag, entry, j)) return memberBarred(j.tenant);
  // An approval passes the admission of an organization not deleted; the delete may land while it writes.
  if (await closedMeanwhile(api, membership, made.etag)) return organizationClosed(j.tenant);
  await recordAudit(api, {
    tenant: j.tenant,
    actor: j.actor,
    action: 'member.joined',
    target: j.userId,
    changes: { roles: { to: membership.roles }, domain: j.domain, via: membership.via },
  });
  return jsonResponse(201, membership, {
    Location: `${j.path}/${encodeURIComponent(j.userId)}`,
  });
}
