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
import { negotiateEndpoint, type NegotiateBounds } from '../realtime/negotiate.js';
import { Publisher } from '../realtime/publisher.js';
import { serviceEventsEndpoint } from '../realtime/service-events.js';
import { registryGate } from '../realtime/tenant-gate.js';
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
  const reg = deps.caller?.registry;
  // A suspended tenant hears nothing more (tenant-gate.ts); each tenant's messages are counted in the ledger.
  if (reg)
    publisher.gateTenants(
      registryGate(records, deps.caller?.homeTenant, realtime.service, {
        ...(bounds ? { ledger: bounds.ledger } : {}),
        ...(deps.tenantRegistry?.maxAgeMs === undefined
          ? {}
          : { sweepEveryMs: deps.tenantRegistry.maxAgeMs }),
      }),
    );
  if (services.meter) publisher.meterMessages(services.meter);
  return {
    publisher,
    register: (add) => {
      const events = eventsRoute(manifest, deps, services, records, bounds);
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
 * ledger is the registry's usage container (`auth.registry.usage`), through the first entity's client.
 */
function connectionBounds(
  manifest: RuntimeManifest,
  deps: RegisterDeps,
): NegotiateBounds | undefined {
  const reg = deps.caller?.registry;
  if (!reg || reg.database === '' || !deps.realtime) return undefined;
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
): HttpFunctionOptions['handler'] | undefined {
  const realtime = deps.realtime;
  const events = realtime?.events;
  if (!bounds || !events || !realtime || !manifest.realtime) return undefined;
  const closer = registryGate(records, deps.caller?.homeTenant, realtime.service);
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
        closeTenant: (tenant: string) => void closer.close(tenant),
      }),
      // Its span is the realtime component's (DESIGN §2 names no operation of its own for it).
      trace: { route: REALTIME_EVENTS_ROUTE, component: 'realtime', operationOf: () => 'handler' },
    },
    services,
  );
}
