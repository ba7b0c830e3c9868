import type { Container } from '@azure/cosmos';
import { cosmosOwnerHolds } from './owners/owner-holds.js';
import type { HttpHandler } from '@azure/functions';
import { DOMAIN_FUNCTIONS, DOMAIN_ROUTES } from '../../contract/domains/domains.js';
import { MEMBERSHIP_FUNCTIONS, MEMBERSHIP_ROUTES } from '../../contract/members.js';
import { createOwnerHandlers } from './owner-routes.js';
import type { RuntimeAuth, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { type CosmosCallPolicy, DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';
import type { RealtimeService } from '../realtime/service.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { emailSenderOf, type EmailSender } from '../email/email-sender.js';
import type { AuditLog } from '../audit/record-audit.js';
import { memberGroup } from '../realtime/member-group.js';
import { cosmosMemberStore, type MemberStore } from './member-store.js';
import { type TxtResolver, txtResolverOf } from './domains/domain-dns.js';
import { createDomainHandlers } from './domains/domain-routes.js';
import { JOIN_FUNCTIONS, JOIN_ROUTES } from '../../contract/enterprise/joins.js';
import { createJoinHandlers } from './joins/join-routes.js';
import { cosmosJoinRequestStore, type JoinRequestStore } from './joins/join-request-store.js';
import type { JoinsApi } from './joins/join-target.js';
import { cosmosDomainStore, type DomainStore } from './domains/domain-store.js';
import { cosmosDomainClaims, type DomainClaims } from './domains/domain-claim-store.js';
import { directoryFunctions } from './directory/directory-routes.js';
import { cosmosScimStore, type ScimStore } from './scim/scim-store.js';
import { scimFunctions } from './scim/scim-routes.js';
import { linkProvisioned } from './scim/scim-link.js';
import { MembershipCache, type MembershipCacheOptions } from './membership-cache.js';
import { noticingWrites } from './join-misses.js';
import { createMembershipHandlers } from './membership-routes.js';
import type { DomainsApi, MembersApi } from './members-api.js';
import type { RoomStore } from '../usage/room-store.js';
import { memberCount } from './seats/member-count.js';
import { ApiKeyCache } from './keys/api-key-cache.js';
import { cosmosApiKeyStore, type ApiKeyStore } from './keys/api-key-store.js';
import { apiKeyFunctions } from './keys/api-key-routes.js';
import type { KeysApi } from './keys/api-key-operations.js';

/** What {@link membersApiOf} is given at start: the registry's database, its stores, the cache bounds, the hub. */
export interface MembershipWiring {
  readonly policy: RuntimeAuth;
  readonly registry: RuntimeTenantRegistry;
  /** The `members` container (through the identity that reads the registry), unless `store` is given. */
  readonly container?: Container;
  readonly store?: MemberStore;
  /** The organizations' domains (omitted → in `container`, when given). */
  readonly domains?: DomainStore;
  /** The organizations' pending join requests (omitted → in `container`, when given). */
  readonly joins?: JoinRequestStore;
  /** SCIM provisioning's tokens, users and groups (omitted → in `container`, when given). */
  readonly scim?: ScimStore;
  /** The TXT lookup of a domain's proof (omitted → node:dns at the system's resolver). */
  readonly resolveTxt?: TxtResolver;
  readonly admin: RegistryAdminStore;
  readonly cosmos?: CosmosCallPolicy;
  readonly cache?: MembershipCacheOptions;
  /** The Web PubSub: a removed (or changed) member's connections to the organization are closed. */
  readonly realtime?: Pick<RealtimeService, 'closeGroup'>;
  /** This instance's registry cache: a record the membership routes write is forgotten there. */
  readonly records?: RegistryCache;
  /** With `tenants.email`: how invitation e-mails leave (default: from the settings, runtime/email/email-sender.ts). */
  readonly emailSender?: EmailSender;
  /** The settings the default sender reads (default: `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The client id of the identity the default sender sends as (the one reading the registry). */
  readonly clientId?: string;
  /** The counts of the plans' seats (the usage meter's, usage/room-store.ts): none → seats uncounted. */
  readonly rooms?: RoomStore;
  /** After a seat was taken or given back (billing/seat-quantity.ts: a per-seat subscription's quantity). */
  readonly seatsChanged?: (tenant: string) => Promise<void>;
  /** The audit log every membership change is recorded in. */
  readonly audit?: AuditLog;
  /** The linked directories' claims (omitted → in `container`, when given and directory sign-in is on). */
  readonly directories?: DomainClaims;
  /** The organizations' API keys (omitted → in `container`, when given). */
  readonly apiKeys?: ApiKeyStore;
}

const nowFrom =
  (ms: () => number): (() => Date) =>
  () =>
    new Date(ms());

/** One membership route as the host registers it: function name, route, methods, handler. */
export interface MembershipFunction {
  readonly name: string;
  readonly route: string;
  readonly handler: HttpHandler;
}

/**
 * Tenants by membership, wired once at start: the members store and its bounded cache — what the app's membership
 * tenant source (membership-tenants.ts) and the membership routes read. A removal or role change closes the member's
 * realtime connections to the organization (their member group), so a new negotiate decides again; a new
 * organization's record is forgotten by this instance's registry cache (`records`).
 *
 * @example
 * ```ts
 * const api = membersApiOf({ policy, registry, container, admin, records });
 * ```
 */
export function membersApiOf(w: MembershipWiring): MembersApi | undefined {
  const membership = w.registry.membership;
  const store = w.store ?? (w.container ? cosmosMemberStore(w.container, w.cosmos) : undefined);
  if (!membership || !store) return undefined;
  const cache = new MembershipCache(store, w.cache ?? {});
  // What may admit an outsider, written here, makes this instance look their joins up again (join-misses.ts).
  const changed = () => {
    cache.joinMisses.changed();
  };
  const domainStore =
    w.domains ?? (w.container ? cosmosDomainStore(w.container, w.cosmos) : undefined);
  const domains = domainStore && noticingWrites(domainStore, ['replace'], changed);
  const directories = !membership.directorySignIn
    ? undefined
    : (w.directories ??
      (w.container ? cosmosDomainClaims(w.container, w.cosmos, 'directory') : undefined));
  const joins =
    w.joins ?? (w.container ? cosmosJoinRequestStore(w.container, w.cosmos) : undefined);
  const scimStore = w.scim ?? (w.container ? cosmosScimStore(w.container, w.cosmos) : undefined);
  const scim =
    scimStore && noticingWrites(scimStore, ['createUser', 'replaceUser', 'renameUser'], changed);
  const keyStore =
    w.apiKeys ?? (w.container ? cosmosApiKeyStore(w.container, w.cosmos) : undefined);
  const api: MembersApi = {
    store,
    // The key cache ages by the membership cache's clock and bound: a revocation elsewhere holds within 30 s.
    ...(keyStore
      ? { keys: new ApiKeyCache(keyStore, w.cache?.now ? { now: w.cache.now } : {}) }
      : {}),
    ...(domains ? { domains, resolveTxt: w.resolveTxt ?? txtResolverOf() } : {}),
    ...(joins ? { joins } : {}),
    ...(scim ? { scim } : {}),
    cache,
    registry: w.registry,
    membership,
    admin: w.admin,
    // One clock for the app's registry: what the cache ages by is what deadlines (an invitation's expiry, a deleted
    // organization's deleteOn, the day's e-mail bound) are read against — a test moves it, Azure never sets it.
    ...(w.cache?.now ? { now: nowFrom(w.cache.now) } : {}),
    forgetRecord: (tenant) => {
      w.records?.forget(tenant);
      changed();
    },
    ...(membership.email
      ? {
          mailer: {
            email: membership.email,
            sender:
              w.emailSender ??
              emailSenderOf(membership.email, w.env ?? process.env, {
                ...(w.clientId !== undefined ? { clientId: w.clientId } : {}),
              }),
          },
        }
      : {}),
    sites: {
      ...(w.policy.siteOrigins ? { origins: w.policy.siteOrigins } : {}),
      ...(w.policy.acceptUrl ? { acceptUrl: w.policy.acceptUrl } : {}),
    },
    ...(w.audit ? { audit: w.audit } : {}),
    ...(directories ? { directories } : {}),
    ...(w.rooms ? { rooms: w.rooms } : {}),
    ...(w.container ? { ownerHolds: cosmosOwnerHolds(w.container, w.cosmos) } : {}),
    ...(w.container
      ? { countMembers: memberCount(w.container, w.cosmos ?? DEFAULT_COSMOS_POLICY) }
      : {}),
    ...(w.seatsChanged ? { seatsChanged: w.seatsChanged } : {}),
    onChanged: (tenant, userId) => {
      void w.realtime
        ?.closeGroup?.(memberGroup(tenant, userId), 'membership changed')
        .catch(() => undefined);
    },
  };
  return scim
    ? { ...api, linkProvisioned: (who, named) => linkProvisioned({ ...api, scim }, who, named) }
    : api;
}

/**
 * The membership routes' handlers to register, through the request pipeline with the app's `services`, and `tenant`:
 * `PATCH|DELETE api/tenant` (Owners run their organization), which shares `GET api/tenant`'s function (one route).
 *
 * @example
 * ```ts
 * const { functions, tenant } = membershipFunctions(policy, api, services);
 * for (const f of functions) add(f.name, f.route, f.handler);
 * ```
 */
export function membershipFunctions(
  policy: RuntimeAuth,
  api: MembersApi,
  services: RuntimeServices,
): { readonly functions: readonly MembershipFunction[]; readonly tenant: HttpHandler } {
  const h = {
    ...createMembershipHandlers(policy, api, services),
    ...createOwnerHandlers(policy, api, services),
  };
  const withDomains = api.domains && api.resolveTxt ? (api as DomainsApi) : undefined;
  const d = withDomains ? createDomainHandlers(policy, withDomains, services) : undefined;
  const domainFn = (key: keyof typeof DOMAIN_FUNCTIONS): MembershipFunction[] =>
    d ? [{ name: DOMAIN_FUNCTIONS[key], route: DOMAIN_ROUTES[key], handler: d[key] }] : [];
  const withJoins = withDomains && api.joins ? (api as JoinsApi) : undefined;
  const j = withJoins ? createJoinHandlers(policy, withJoins, services) : undefined;
  const joinFn = (key: keyof typeof JOIN_FUNCTIONS): MembershipFunction[] =>
    j ? [{ name: JOIN_FUNCTIONS[key], route: JOIN_ROUTES[key], handler: j[key] }] : [];
  const fn = (key: keyof typeof MEMBERSHIP_FUNCTIONS): MembershipFunction => ({
    name: MEMBERSHIP_FUNCTIONS[key],
    route: MEMBERSHIP_ROUTES[key],
    handler: h[key],
  });
  const functions = [
    fn('meTenants'),
    fn('tenantUndelete'),
    fn('accept'),
    fn('members'),
    fn('member'),
    fn('invitations'),
    fn('invitation'),
    fn('invitationResend'),
    fn('preview'),
    ...domainFn('domains'),
    ...domainFn('domain'),
    ...domainFn('verify'),
    ...directoryFunctions(policy, api, services),
    ...(['joinable', 'join', 'requests', 'approve', 'decline'] as const).flatMap(joinFn),
    ...(api.scim ? scimFunctions(policy, { ...api, scim: api.scim }, services) : []),
    ...(api.keys ? apiKeyFunctions(policy, api as KeysApi, services) : []),
  ];
  return { functions, tenant: h.tenant };
}
