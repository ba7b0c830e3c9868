import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth, RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { cosmosErrorResponse } from '../http/cosmos-errors.js';
import { withLogNote } from '../http/log.js';
import { problemResponse } from '../http/response.js';
import type { Endpoint } from '../pipeline/context.js';
import { refuse } from '../pipeline/stage-list.js';
import { boundsOf, overBound } from './connection-bounds.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { isHomeDirectory } from '../tenants/tenant-record.js';
import {
  CONNECTION_TTL_SECONDS,
  type ConnectionLedger,
  RESERVATION_TTL_SECONDS,
} from './connection-ledger.js';
import { parseConnectionUser } from './connection-user.js';
import { fromTheService, type ServiceEventsAuth } from './service-events-auth.js';

/**
 * The system events the hub's event handler sends here (Learn, "CloudEvents extension for Azure Web PubSub event
 * handler with HTTP protocol": `ce-type` `azure.webpubsub.sys.connect` — blocking, its answer decides whether the
 * client connects — and `…sys.connected`, `…sys.disconnected`, which are not).
 */
export const SERVICE_EVENT_TYPES = {
  connect: 'azure.webpubsub.sys.connect',
  connected: 'azure.webpubsub.sys.connected',
  disconnected: 'azure.webpubsub.sys.disconnected',
} as const;

/** What the events route needs: the hub, the ledger, the registry, who may post, and the service's host. */
export interface ServiceEventsOptions {
  readonly hub: string;
  readonly ledger: ConnectionLedger;
  /** The tenant registry; none: every tenant admitted, each caller under the default bound (negotiate.ts). */
  readonly registry?: RuntimeTenantRegistry | undefined;
  /** The tenant registry as this instance reads it (made once at start); none → no record. */
  readonly records?: RegistryCache;
  readonly policy: RuntimeAuth | undefined;
  readonly auth: ServiceEventsAuth;
  /** The service's host name (`<name>.webpubsub.azure.com`, or the dev hub's `127.0.0.1:<port>`). */
  readonly serviceHost: string;
  /**
   * Tenants by membership: whether the connection's user is (still) a member of its organization — a token minted
   * before a removal opens no socket after it.
   */
  readonly isMember?: (tenant: string, user: string) => Promise<boolean>;
  readonly now?: () => number;
}

type ServiceEvent =
  | { readonly kind: 'validate'; readonly origin: string }
  | {
      readonly kind: keyof typeof SERVICE_EVENT_TYPES;
      readonly connectionId: string;
      readonly tenant: string;
      readonly user: string;
    };

const refused = (detail: string) =>
  refuse(
    problemResponse(
      'realtime-event-refused',
      `Only this backend's Web PubSub may post connection events: ${detail}.`,
    ),
  );
const invalid = (detail: string) => refuse(problemResponse('realtime-event-invalid', detail));

/**
 * `api/realtime/events`: the Web PubSub hub's event handler. The service's abuse-protection handshake (`OPTIONS`
 * with `WebHook-Request-Origin`) is answered `WebHook-Allowed-Origin` for the service's own host only; then, from
 * the service alone (service-events-auth.ts), the connection's three system events, its tenant and user read from
 * the `userId` negotiate minted (`ce-userId`, connection-user.ts):
 * - `connect` (blocking): refused 403 for a suspended or unregistered tenant (its record read afresh), 429
 *   `too-many-connections` when the tenant's or the user's live connections reach their bounds — so one token cannot open a connection the bounds
 *   do not allow, however often it is used. Admitted, it reserves the place (a `connection` item living
 *   {@link RESERVATION_TTL_SECONDS} s). Connects of one tenant are decided one at a time per instance.
 * - `connected`: the `connection` item, living a day unless deleted — or, when the tenant's record read afresh is
 *   no longer active, nothing recorded and the tenant's sockets closed (Azure posts no blocking `connect`).
 * - `disconnected`: the item deleted, the place free.
 *
 * @example
 * ```ts
 * app.http('realtime-events', { route: 'realtime/events', methods: ['POST', 'OPTIONS'], handler: serve(serviceEventsEndpoint(o)) });
 * ```
 */
export function serviceEventsEndpoint(o: ServiceEventsOptions): Endpoint<ServiceEvent> {
  const now = o.now ?? Date.now;
  const turns = new Map<string, Promise<unknown>>();
  // One connect of a tenant decided at a time on this instance: a burst of connects cannot all read the same count.
  const inTurn = <T>(tenant: string, run: () => Promise<T>): Promise<T> => {
    const next = (turns.get(tenant) ?? Promise.resolve()).then(run, run);
    const tail = next.catch(() => undefined);
    turns.set(tenant, tail);
    void tail.then(() => {
      if (turns.get(tenant) === tail) turns.delete(tenant);
    });
    return next;
  };
  return {
    policy: o.policy,
    // The service is no user of any directory: the route decides who it admits (fromTheService).
    anonymous: true,
    // Web PubSub's own calls act in no organization (tenants by membership).
    withoutTenant: true,
    route: (ctx) => {
      const method = ctx.request.method.toUpperCase();
      const headers = ctx.request.headers;
      if (method === 'OPTIONS') {
        // Learn, reference-cloud-events, "Webhook validation": allow delivery by echoing the origin; several
        // origins may come comma-separated (replicas, custom domains).
        const asked = (headers.get('webhook-request-origin') ?? '')
          .split(',')
          .map((s) => s.trim().toLowerCase());
        const origin = asked.find((a) => a === o.serviceHost.toLowerCase());
        return origin === undefined
          ? refused(`WebHook-Request-Origin is not ${o.serviceHost}`)
          : { ok: true, value: { kind: 'validate', origin } };
      }
      const who = fromTheService(ctx.caller, headers.get('authorization'), o.auth, o.hub, now());
      if (!who.ok) return refused(who.reason);
      if (method !== 'POST')
        return invalid(`${method} is not a connection event (POST, or OPTIONS).`);
      const type = headers.get('ce-type');
      const kind = (Object.keys(SERVICE_EVENT_TYPES) as (keyof typeof SERVICE_EVENT_TYPES)[]).find(
        (k) => SERVICE_EVENT_TYPES[k] === type,
      );
      if (!kind)
        return invalid(`ce-type ${String(type)} is not a system event this route handles.`);
      if (headers.get('ce-hub') !== o.hub) return invalid(`ce-hub is not ${o.hub}.`);
      const connectionId = headers.get('ce-connectionid') ?? '';
      if (!/^[\w.:-]{1,200}$/.test(connectionId))
        return invalid('ce-connectionId is missing or malformed.');
      const who2 = parseConnectionUser(headers.get('ce-userid'));
      // A connection without a userId negotiate minted is refused at connect; a later event of it is ignored.
      if (!who2) return invalid('ce-userId is not a tenant and user negotiate minted.');
      return { ok: true, value: { kind, connectionId, ...who2 } };
    },
    handle: async (ctx) => {
      const e = ctx.route;
      if (e.kind === 'validate')
        return { status: 200, headers: { 'WebHook-Allowed-Origin': e.origin } };
      try {
        if (e.kind === 'connect') return await inTurn(e.tenant, () => admitConnect(o, e, now));
        if (e.kind === 'disconnected') await o.ledger.close(e.tenant, e.connectionId);
        // Azure posts no blocking connect: a socket opened with a token minted before a suspension is closed here
        // (the fresh read of a suspended record closes the tenant's group: suspended-sockets.ts), not recorded.
        else if (
          !o.registry ||
          home(o, e.tenant) ||
          (await o.records?.fresh(e.tenant))?.status === 'active'
        )
          await o.ledger.open(
            e.tenant,
            e.user,
            e.connectionId,
            new Date(now()),
            CONNECTION_TTL_SECONDS,
          );
        return { status: 204 };
      } catch (err) {
        const response = cosmosErrorResponse(err, 'the usage ledger');
        if (response) return withLogNote(response, `connection event ${e.kind} not recorded`);
        throw err;
      }
    },
  };
}

/** Whether `tenant` is the backend's home directory (always admitted, with or without a record). */
const home = (o: ServiceEventsOptions, tenant: string): boolean =>
  isHomeDirectory(tenant, o.policy);

/** The blocking `connect`: the tenant admitted and under its bounds, the place reserved; else the refusal. */
async function admitConnect(
  o: ServiceEventsOptions,
  e: { connectionId: string; tenant: string; user: string },
  now: () => number,
): Promise<HttpResponseInit> {
  // Read now, not as cached: a connect is where a token minted before a suspension would come back.
  const record = await o.records?.fresh(e.tenant);
  if (o.registry && !home(o, e.tenant) && record?.status !== 'active') {
    return problemResponse(
      record ? 'tenant-suspended' : 'tenant-not-registered',
      `The tenant ${e.tenant} is ${record ? 'suspended' : 'not registered'}: no realtime connection opens for it.`,
    );
  }
  if (o.isMember && !(await o.isMember(e.tenant, e.user)))
    return problemResponse(
      'not-a-member',
      `The user of this connection is no member of organization ${e.tenant} (any more): no connection opens.`,
    );
  const refusal = overBound(await o.ledger.count(e.tenant, e.user), boundsOf(o.registry, record));
  if (refusal) return refusal;
  await o.ledger.open(e.tenant, e.user, e.connectionId, new Date(now()), RESERVATION_TTL_SECONDS);
  return { status: 204 };
}
