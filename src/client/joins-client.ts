import {
  JOIN_ROUTES,
  type JoinableOrganization,
  type JoinRequest,
} from '../contract/enterprise/joins.js';
import type { Membership } from '../contract/member-shapes.js';
import { apiPrefixOf } from './domains-client.js';
import { list } from './crud-client.js';
import { send, type Transport } from './transport.js';
import type { JoinRequestsClient, JoinResult, MeClient, TenantsClient } from './types.js';
import { urlSegment } from './url-segment.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * Joins by verified domain in the typed client (tenants by membership), over the API a component's base URL belongs
 * to: `me.joinable()` and `tenants.join(id)` act in no organization (no `X-Atakora-Tenant` sent);
 * `tenant.joinRequests` in the one the client acts in.
 *
 * @example
 * ```ts
 * const { joinable, join, joinRequests } = joinMembers(transport);
 * ```
 */
export function joinMembers(t: Transport): {
  readonly joinable: MeClient['joinable'];
  readonly join: TenantsClient['join'];
  readonly joinRequests: JoinRequestsClient;
} {
  const api = apiPrefixOf(t.baseUrl);
  const nowhere: Transport = { ...t, baseUrl: api, tenant: () => undefined };
  const requests: Transport = { ...t, baseUrl: `${api}/${JOIN_ROUTES.requests}` };
  const one = (id: string, method: string) =>
    `/${urlSegment(id, ['tenant', 'joinRequests', method, 'id'])}`;
  return {
    joinable: async (options) =>
      (
        (
          await send(nowhere, {
            method: 'GET',
            path: `/${JOIN_ROUTES.joinable}`,
            ...signal(options),
          })
        ).body as { items: JoinableOrganization[] }
      ).items,
    join: async (id, options): Promise<JoinResult> => {
      const r = await send(nowhere, {
        method: 'POST',
        path: `/tenants/${urlSegment(id, ['tenants', 'join', 'id'])}/join`,
        ...signal(options),
      });
      return r.status === 202
        ? { status: 'pending', request: r.body as JoinRequest }
        : { status: 'joined', membership: r.body as Membership };
    },
    joinRequests: {
      list: (options) => list<JoinRequest>(requests, options ?? {}),
      approve: async (id, options) =>
        (
          await send(requests, {
            method: 'POST',
            path: `${one(id, 'approve')}/approve`,
            ...signal(options),
          })
        ).body as Membership,
      decline: async (id, options) => {
        await send(requests, {
          method: 'POST',
          path: `${one(id, 'decline')}/decline`,
          ...signal(options),
        });
      },
    },
  };
}
