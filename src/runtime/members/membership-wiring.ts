import type { Container } from '@azure/cosmos';
import type { HttpHandler } from '@azure/functions';
import { MEMBERSHIP_FUNCTIONS, MEMBERSHIP_ROUTES } from '../../contract/members.js';
import type { RuntimeAuth, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import type { CosmosCallPolicy } from '../data/cosmos-policy.js';
import type { RealtimeService } from '../realtime/service.js';
import type { RegistryAdminStore } from '../tenants/registry-admin-store.js';
import { boundTenantRegistry } from '../tenants/registry-binding.js';
import { memberGroup } from '../realtime/member-group.js';
import { cosmosMemberStore, type MemberStore } from './member-store.js';
import { MembershipCache, type MembershipCacheOptions } from './membership-cache.js';
import { createMembershipHandlers } from './membership-routes.js';
import type { MembersApi } from './members-api.js';
import { bindMembers } from './members-binding.js';

/** What {@link wireMembership} is given at start: the registry's database, its stores, the cache bounds, the hub. */
export interface MembershipWiring {
  readonly policy: RuntimeAuth;
  readonly registry: RuntimeTenantRegistry;
  /** The `members` container (through the identity that reads the registry), unless `store` is given. */
  readonly container?: Container;
  readonly store?: MemberStore;
  readonly admin: RegistryAdminStore;
  readonly cosmos?: CosmosCallPolicy;
  readonly cache?: MembershipCacheOptions;
  /** The Web PubSub: a removed (or changed) member's connections to the organization are closed. */
  readonly realtime?: Pick<RealtimeService, 'closeGroup'>;
}

/** One membership route as the host registers it: function name, route, methods, handler. */
export interface MembershipFunction {
  readonly name: string;
  readonly route: string;
  readonly handler: HttpHandler;
}

/**
 * Tenants by membership, wired once at start: the members store and its bounded cache (bound for the membership
 * stage of every route), and the membership routes' handlers to register. A removal or role change closes the
 * member's realtime connections to the organization (their member group), so a new negotiate decides again.
 *
 * @example
 * ```ts
 * const { api, functions } = wireMembership({ policy, registry, container, admin });
 * for (const f of functions) app.http(f.name, { route: f.route, methods: [...ROUTE_METHODS], handler: f.handler });
 * ```
 */
export function wireMembership(
  w: MembershipWiring,
): { readonly api: MembersApi; readonly functions: readonly MembershipFunction[] } | undefined {
  const membership = w.registry.membership;
  const store = w.store ?? (w.container ? cosmosMemberStore(w.container, w.cosmos) : undefined);
  if (!membership || !store) return undefined;
  const api: MembersApi = bindMembers(w.registry, {
    store,
    cache: new MembershipCache(store, w.cache ?? {}),
    registry: w.registry,
    membership,
    admin: w.admin,
    forgetRecord: (tenant) => boundTenantRegistry(w.registry)?.forget(tenant),
    onChanged: (tenant, userId) => {
      void w.realtime
        ?.closeGroup?.(memberGroup(tenant, userId), 'membership changed')
        .catch(() => undefined);
    },
  });
  const h = createMembershipHandlers(w.policy, api);
  const fn = (key: keyof typeof MEMBERSHIP_FUNCTIONS): MembershipFunction => ({
    name: MEMBERSHIP_FUNCTIONS[key],
    route: MEMBERSHIP_ROUTES[key],
    handler: h[key],
  });
  return {
    api,
    functions: [
      fn('meTenants'),
      fn('accept'),
      fn('members'),
      fn('member'),
      fn('invitations'),
      fn('invitation'),
    ],
  };
}
