import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { OwnerHoldStore } from './owners/owner-holds.js';
import { ADMIN_ROLE, mayManageInvitations, OWNER_ROLE } from '../../contract/members.js';
import type { Membership } from '../../contract/member-shapes.js';
import type { RuntimeMembership, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { CONTINUATION_HEADER } from '../../contract/paging.js';
import { answerUnavailable } from '../http/cosmos-errors.js';
import { jsonResponse, problemResponse } from '../http/response.js';
import { onPage } from '../tenants/tenants-operations.js';
import { checkContinuationToken } from '../values/text-checks.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { InvitationMailer } from '../email/invitation-delivery.js';
import type { AppSites } from './accept-link.js';
import { type AuditLog, recordAudit } from '../audit/record-audit.js';
import type { AuditAction, AuditActor, AuditVia } from '../../contract/audit.js';
import type { MembershipCache } from './membership-cache.js';
import type { MemberStore } from './member-store.js';
import type { TxtResolver } from './domains/domain-dns.js';
import type { DomainStore } from './domains/domain-store.js';
import type { DomainClaims } from './domains/domain-claim-store.js';
import type { JoinRequestStore } from './joins/join-request-store.js';
import type { ScimStore } from './scim/scim-store.js';
import type { ApiKeyCache } from './keys/api-key-cache.js';
import type { OrganizationSubscriptions } from '../billing/organization-subscription.js';
import type { RoomStore } from '../usage/room-store.js';

/**
 * What the membership routes need, given once at start: the `members` store and this instance's cache of it, the
 * registry (its organizations' records, and its configuration), a clock, and what to do when a member is removed
 * (close their realtime connections to that organization).
 *
 * @example
 * ```ts
 * const api: MembersApi = { store, cache, registry, admin, membership: registry.membership, now: () => new Date() };
 * ```
 */
export interface MembersApi {
  readonly store: MemberStore;
  readonly cache: MembershipCache;
  readonly registry: RuntimeTenantRegistry;
  readonly membership: RuntimeMembership;
  /** The registry's records (organizations), as the TenantAdmin API writes them. */
  readonly admin: RegistryAdminStore;
  /** A change of an organization's record made here (a new one): this instance forgets its cached answer. */
  readonly forgetRecord?: (tenant: string) => void;
  /**
   * A member removed (or leaving), or their roles changed: their open realtime connections to the organization are
   * closed (a new negotiate chooses their groups by what they are now).
   */
  readonly onChanged?: (tenant: string, userId: string) => void;
  readonly now?: () => Date;
  /** With `tenants.email`: invitations are e-mailed through this (runtime/email). */
  readonly mailer?: InvitationMailer;
  /** The app's sites: where invitation links lead (accept-link.ts). */
  readonly sites?: AppSites;
  /** The organizations' verified domains (beside the memberships in the `members` container). */
  readonly domains?: DomainStore;
  /** How a domain's TXT proof is looked up (node:dns; `ATAKORA_DNS_SERVER` names the server under dev and tests). */
  readonly resolveTxt?: TxtResolver;
  /** Pending requests to join an organization through its verified domain (joins/join-request-store.ts). */
  readonly joins?: JoinRequestStore;
  /** The audit log each change is recorded in (`recordAudit(api, …)`); none → nothing recorded. */
  readonly audit?: AuditLog;
  /**
   * With directory sign-in (`membership.directorySignIn`): the global claims of linked directories, one
   * organization per directory (members/directory).
   */
  readonly directories?: DomainClaims;
  /** SCIM provisioning's tokens, users and groups (beside the memberships in the `members` container). */
  readonly scim?: ScimStore;
  /**
   * With SCIM: the membership a provisioned user gets on their first request (scim/scim-link.ts), else undefined;
   * `named` the organization the request names.
   */
  readonly linkProvisioned?: (
    who: {
      userId: string;
      directory?: string | undefined;
      email?: string | undefined;
      upn?: string | undefined;
    },
    named?: string,
  ) => Promise<Membership | { readonly refused: HttpResponseInit } | undefined>;
  /**
   * With subscriptions driving plans: the organization's Stripe subscription, which an Owner's delete schedules to
   * end and an undelete resumes (billing/organization-subscription.ts).
   */
  readonly billing?: OrganizationSubscriptions;
  /** The organizations each person is becoming an Owner of (owner-holds.ts): the bound under concurrency. */
  readonly ownerHolds?: OwnerHoldStore;
  /** The counts of the plans' seats (usage/room-store.ts, the usage meter's): none → seats uncounted (seats/seats.ts). */
  readonly rooms?: RoomStore;
  /** How many members an organization has, from the data (seats/member-count.ts): where a seat count starts. */
  readonly countMembers?: (tenant: string) => Promise<number>;
  /**
   * After a seat was taken or given back: a per-seat subscription's quantity made the members again
   * (billing/seat-quantity.ts); none → nothing to keep equal.
   */
  readonly seatsChanged?: (tenant: string) => Promise<void>;
  /** The organizations' API keys as this instance reads them (keys/api-key-cache.ts), beside the memberships. */
  readonly keys?: ApiKeyCache;
}

/**
 * The members API with its verified domains: what the domain routes need.
 *
 * @example
 * ```ts
 * const withDomains = (api: MembersApi): api is DomainsApi => !!api.domains && !!api.resolveTxt;
 * ```
 */
export type DomainsApi = MembersApi & Required<Pick<MembersApi, 'domains' | 'resolveTxt'>>;

/**
 * Who acts in an organization: the caller's identity, their verified email (when the token proves one) and their
 * roles in the request's organization (the registry stage's, by the app's membership tenant source).
 *
 * @example
 * ```ts
 * const actor: Actor = { userId: 'u-1', roles: ['Owner'] };
 * ```
 */
export interface Actor {
  readonly userId: string;
  /** Their display name as their sign-in gives it (else their email): what an invitation they send says. */
  readonly name?: string;
  readonly email?: string;
  readonly roles: readonly string[];
  /** The door the change comes through, as the audit log names it (default `api`; SCIM provisioning: `scim`). */
  readonly via?: AuditVia;
}

/**
 * A member acting through a membership route as the audit log names them: their id, their verified e-mail when the
 * token proves one, the REST door.
 *
 * @example
 * ```ts
 * auditActor({ userId: 'u-1', roles: ['Owner'] }); // { id: 'u-1', via: 'api' }
 * ```
 */
export const auditActor = (a: {
  readonly userId: string;
  readonly email?: string;
  readonly via?: AuditVia;
}): AuditActor => ({
  id: a.userId,
  ...(a.email !== undefined ? { email: a.email } : {}),
  via: a.via ?? 'api',
});

/** The current time of `api` (its clock, else the wall clock). */
export const nowOf = (api: Pick<MembersApi, 'now'>): Date => api.now?.() ?? new Date();

/**
 * One page of a list as the membership routes answer it: `{ items, continuationToken }` (`null` on the last page),
 * the token also in `x-ms-continuation` when it is one a header can carry — as the CRUD and registry lists.
 *
 * @example
 * ```ts
 * return pageResponse(page.items, page.next);
 * ```
 */
export function pageResponse(
  items: readonly unknown[],
  next: string | undefined,
): HttpResponseInit {
  const header = next !== undefined && checkContinuationToken(next) === undefined;
  return jsonResponse(
    200,
    { items, continuationToken: next ?? null },
    header ? { [CONTINUATION_HEADER]: next } : {},
  );
}

/** A `members` call: its Cosmos DB failure answered as every route answers one (503/429 with Retry-After). */
export const orUnavailable = (run: () => Promise<HttpResponseInit>): Promise<HttpResponseInit> =>
  answerUnavailable('the members container', run);

/**
 * `GET` of one page of an organization's list (members, invitations, join requests, audit): the request's page
 * (`$first`/`$after`; the 400 of one it cannot ask for), `fetch` of that page, answered as {@link pageResponse}.
 *
 * @example
 * ```ts
 * return orUnavailable(() => listPage(request, (limit, token) => api.store.members(tenant, limit, token)));
 * ```
 */
export const listPage = (
  request: HttpRequest,
  fetch: (
    limit: number,
    token: string | undefined,
  ) => Promise<{ readonly items: readonly unknown[]; readonly next: string | undefined }>,
): Promise<HttpResponseInit> =>
  onPage(request, async (page) => {
    const { items, next } = await fetch(page.limit, page.token);
    return pageResponse(items, next);
  });

/**
 * `run` for an Owner or an Admin of `tenant` (its Cosmos DB failures answered as every route's), else 403
 * `access-denied` naming what only they do (`manages its invitations`, `answers its join requests`).
 *
 * @example
 * ```ts
 * return byOwnerOrAdmin(actor, tenant, 'answers its join requests', () => answer(api, tenant, id));
 * ```
 */
export const byOwnerOrAdmin = (
  actor: Actor,
  tenant: string,
  what: string,
  run: () => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> =>
  mayManageInvitations(actor.roles)
    ? orUnavailable(run)
    : Promise.resolve(
        problemResponse(
          'access-denied',
          `Only an ${OWNER_ROLE} or an ${ADMIN_ROLE} of ${tenant} ${what}.`,
          {
            rules: [`roles: ['${OWNER_ROLE}', '${ADMIN_ROLE}']`],
          },
        ),
      );

/**
 * The audit log's entry of what a member did through a membership route (the one writer of them: the member as
 * {@link auditActor} names them, in the organization they acted in).
 *
 * @example
 * ```ts
 * await recordMemberAudit(api, actor, tenant, 'domain.added', 'contoso.com');
 * ```
 */
export const recordMemberAudit = (
  api: Pick<MembersApi, 'audit'>,
  actor: Actor,
  tenant: string,
  action: AuditAction,
  target: string,
  changes?: Readonly<Record<string, unknown>>,
) =>
  recordAudit(api, {
    tenant,
    actor: auditActor(actor),
    action,
    target,
    ...(changes !== undefined ? { changes } : {}),
  });
