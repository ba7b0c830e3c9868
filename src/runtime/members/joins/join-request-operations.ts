import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { OWNER_ROLE } from '../../../contract/members.js';
import { recordAudit } from '../../audit/record-audit.js';
import { problemResponse } from '../../http/response.js';
import { type Actor, auditActor, byOwnerOrAdmin, listPage, nowOf } from '../members-api.js';
import { addJoined } from './join-operations.js';
import type { JoinsApi } from './join-target.js';

/** `run` for an Owner or an Admin of `tenant`, else the 403. */
const answering = (actor: Actor, tenant: string, run: () => Promise<HttpResponseInit>) =>
  byOwnerOrAdmin(actor, tenant, 'answers its join requests', run);

const noRequest = (tenant: string, id: string) =>
  problemResponse('not-found', `Organization ${tenant} has no pending join request ${id}.`);

/**
 * `GET api/tenant/join-requests` (an Owner or an Admin): one page of the organization's pending join requests
 * (`$first`/`$after` as every list) → `{ items, continuationToken }`.
 *
 * @example
 * ```ts
 * // GET /api/tenant/join-requests?$first=20 → { "items": [{ "id": "u-9", "email": "kim@contoso.com", … }], "continuationToken": null }
 * ```
 */
export function listJoinRequests(
  api: JoinsApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return answering(actor, tenant, () =>
    listPage(request, (limit, token) => api.joins.page(tenant, limit, token)),
  );
}

/**
 * `POST api/tenant/join-requests/{id}/approve` (an Owner or an Admin) → 201 the membership, with the role the
 * request's domain gives now; `/decline` → 204. The answer takes the request at the version read, so of two answers
 * at once one acts and the other gets 404. 410 `join-request-expired` when the domain no longer admits joins
 * (removed, unverified, `join: 'off'`): the request is dropped and nobody joins. 409 `already-a-member` when the
 * requester became a member meanwhile (an invitation; checked before the seats: their seat is theirs already), 403
 * `member-barred` when an Owner removed them (or SCIM deprovisioned them) meanwhile: the request is dropped, nobody
 * joins. 402 `seat-limit` past the plan's seats (for an Owner naming the checkout route), last: nobody joins, the
 * request stays pending.
 *
 * @example
 * ```ts
 * // POST /api/tenant/join-requests/u-9/approve → 201 { "tenant": "acme-k3x9qa", "userId": "u-9", "roles": ["Member"], … }
 * ```
 */
export function answerJoinRequest(
  api: JoinsApi,
  actor: Actor,
  tenant: string,
  id: string,
  approve: boolean,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return answering(actor, tenant, async () => {
    const found = await api.joins.read(tenant, id);
    if (!found) return noRequest(tenant, id);
    const asked = found.value;
    const domain = approve ? (await api.domains.read(tenant, asked.domain))?.value : undefined;
    if ((await api.joins.take(tenant, id, found.etag)) === 'changed') return noRequest(tenant, id);
    const by = auditActor(actor);
    if (!approve) {
      await recordAudit(api, { tenant, actor: by, action: 'join-request.declined', target: id });
      return { status: 204 };
    }
    if (!domain || domain.status !== 'verified' || domain.join === 'off')
      return problemResponse(
        'join-request-expired',
        `${asked.domain} no longer admits joins to ${tenant} (removed, unverified, or its join is off): the ` +
          'request is dropped.',
      );
    // A member already (an invitation accepted while the request waited): addJoined's seatMember answers 409 before
    // the seats (members/seats/seats.ts), so the request, taken above, stays dropped — never a 402 that would keep
    // it pending for a seat its requester holds.
    const path = new URL(request.url).pathname.replace(
      /join-requests\/[^/]+\/approve\/?$/,
      'members',
    );
    const joined = await addJoined(api, {
      tenant,
      userId: asked.userId,
      email: asked.email,
      domain: asked.domain,
      role: domain.role,
      actor: by,
      path,
      now: nowOf(api).toISOString(),
      door: 'join-request',
      byOwner: actor.roles.includes(OWNER_ROLE),
    });
    // Past the plan's seats nobody joined: the request stays pending (as a refused acceptance keeps its invitation),
    // for the Owner to approve once a seat frees or the plan has more. (addJoined's only 402 is `seat-limit`: the
    // `domains` feature is the route's, join-routes.ts, before this.)
    if (joined.status === 402) await api.joins.create(asked);
    return joined;
  });
}
