import type { HttpFunctionOptions } from '@azure/functions';
import type { RuntimeManifest } from '../../model/runtime-manifest.js';
import { AtakoraError } from '../../model/errors.js';
import {
  REALTIME_EVENTS_FUNCTION,
  REALTIME_EVENTS_ROUTE,
  REALTIME_NEGOTIATE_FUNCTION,
  REALTIME_NEGOTIATE_ROUTE,
} from '../../contract/routes.js';
import type { Caller, RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import { cosmosConnectionLedger } from '../realtime/connection-ledger.js';
import { instanceConnectionLedger } from '../realtime/instance-ledger.js';
import { negotiateEndpoint, type NegotiateBounds } from '../realtime/negotiate.js';
import { Publisher } from '../realtime/publisher.js';
import { serviceEventsEndpoint } from '../realtime/service-events.js';
import { suspendedSocketsOf } from '../realtime/suspension-wiring.js';
import type { MembersApi } from '../members/members-api.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { registryContainer } from './app-services.js';
import type { AddRoute, RegisterDeps } from './register-deps.js';

/**
 * The app's realtime: one publisher for every realtime entity's sends (runtime/realtime/publisher.ts) — gated on the
 * registry's suspensions and counting each tenant's messages in the ledger — and its two routes, the hub's
 * connection events (`api/realtime/events`, where a registry bounds live connections) and negotiate.
 *
 * @example
 * ```ts
 * const publisher = registerRealtime(manifest, deps, services, registry, add);
 * ```
 */
export function registerRealtime(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  services: RuntimeServices,
  records: RegistryCache | undefined,
  members: MembersApi | undefined,
): { readonly publisher?: Publisher; register(add: AddRoute): void } {
  const entities = manifest.realtime ? manifest.entities.filter((e) => e.realtime) : [];
  if (entities.length > 0 && !deps.realtime)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `Realtime entities (${entities.map((e) => e.componentId).join(', ')}) have no Web PubSub service ` +
        '(RegisterDeps.realtime).',
    );
  const realtime = deps.realtime;
  if (entities.length === 0 || !realtime) return { register: () => undefined };
  const bounds = connectionBounds(manifest, deps);
  const publisher = realtime.publisher ?? new Publisher(realtime.service);
  // A suspended tenant hears nothing more, its sockets closed (realtime/suspended-sockets.ts); each tenant's
  // messages are counted in the ledger.
  const suspended = suspendedSocketsOf(manifest, deps, records);
  if (suspended) publisher.gateTenants(suspended);
  if (services.meter) publisher.meterMessages(services.meter);
  return {
    publisher,
    register: (add) => {
      const events = eventsRoute(manifest, deps, services, records, bounds, members);
      // OPTIONS too: the service's abuse-protection handshake (Learn, reference-cloud-events, "Webhook validation").
      if (events)
        add(REALTIME_EVENTS_FUNCTION, REALTIME_EVENTS_ROUTE, events, {
          host: ['POST', 'OPTIONS'],
          listed: ['POST'],
        });
      // One server span per negotiation, never the token.
      add(
        REALTIME_NEGOTIATE_FUNCTION,
        REALTIME_NEGOTIATE_ROUTE,
        serve(
          {
            ...negotiateEndpoint(entities, realtime.service, deps.caller, Date.now, bounds),
            trace: {
              route: REALTIME_NEGOTIATE_ROUTE,
              component: 'realtime',
              operationOf: () => 'negotiate',
              ...(deps.caller ? { caller: (caller: Caller) => caller.tracedFunction() } : {}),
            },
          },
          services,
        ),
      );
    },
  };
}

/**
 * The registry and the ledger of live connections, where a tenant registry and realtime entities exist: the
 * ledger is the registry's usage container (`auth.registry.usage`), through the first entity's client. Without a
 * registry, where the hub's events reach this app (someone may post them: dev's hub, the service's identity), this
 * instance's own ledger: one token still opens no more sockets than a caller's default bound through it.
 */
function connectionBounds(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): NegotiateBounds | undefined {
  const reg = deps.caller?.registry;
  if (!deps.realtime) return undefined;
  if (!reg) {
    const auth = deps.realtime.events?.auth;
    return auth?.devKey !== undefined || auth?.principal !== undefined
      ? { ledger: deps.realtime.ledger ?? instanceConnectionLedger() }
      : undefined;
  }
  if (reg.database === '') return undefined;
  const container = registryContainer(manifest, deps, reg.usage);
  const ledger =
    deps.realtime.ledger ?? (container && cosmosConnectionLedger(container, deps.cosmos));
  return ledger ? { registry: reg, ledger } : undefined;
}

/** The hub's event handler route: live connections recorded, over-bound connects refused (service-events.ts). */
function eventsRoute(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
  services: RuntimeServices,
  records: RegistryCache | undefined,
  bounds: NegotiateBounds | undefined,
  members: MembersApi | undefined,
): HttpFunctionOptions['handler'] | undefined {
  const realtime = deps.realtime;
  const events = realtime?.events;
  if (!bounds || !events || !realtime || !manifest.realtime) return undefined;
  return serve(
    {
      ...serviceEventsEndpoint({
        hub: manifest.realtime.hub,
        ledger: bounds.ledger,
        registry: bounds.registry,
        ...(records ? { records } : {}),
        policy: deps.caller,
        auth: events.auth,
        serviceHost: events.serviceHost,
        // Tenants by membership: a removed member's old token opens no socket.
        ...(members
          ? {
              isMember: async (tenant: string, user: string) =>
                (await members.cache.membership(tenant, user)) !== undefined,
            }
          : {}),
      }),
      // Its span is the realtime component's (DESIGN §2 names no operation of its own for it).
      trace: { route: REALTIME_EVENTS_ROUTE, component: 'realtime', operationOf: () => 'handler' },
    },
    services,
  );
}
