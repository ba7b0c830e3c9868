import { REALTIME_EVENTS_ROUTE } from '../../model/runtime-manifest.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { ResourcePlan } from '../../model/plan.js';
import { apiAuthInfo } from '../../kit/pure/entra.js';

export { HUB_SYSTEM_EVENTS } from '../../model/runtime-manifest.js';

/**
 * Whether the hub posts its connection events to the runtime, and why not when it does not. The runtime serves
 * `api/realtime/events` wherever it bounds live connections: beside a tenant registry in its usage ledger, and
 * without one in each instance's own count (realtime/instance-ledger.ts: a token's sockets per instance). The service's token must be for an audience App Service authentication
 * accepts (the API registration's client id), so without a client id there is none. Isolated networking turns the
 * Function App's public access off, and the service's upstream calls come from outside the VNet (reaching a private
 * app takes a shared private endpoint the app side approves: not planned), so the events would never arrive.
 *
 * @example
 * ```ts
 * connectionEventsOf(config); // { enabled: true } for a public backend with an API registration
 * ```
 */
export function connectionEventsOf(
  config: NormalizedConfig,
): { enabled: true } | { enabled: false; reason: string } {
  if (config.networking.mode === 'isolated')
    return {
      enabled: false,
      reason: 'isolated networking (the Function App takes no public calls)',
    };
  if (!apiAuthInfo(config, ''))
    return { enabled: false, reason: 'no API client id to issue tokens for' };
  return { enabled: true };
}

/** Where and how the hub posts its connection events (see {@link eventHandlerOf}). */
export interface HubEventHandler {
  /** `https://<app>.azurewebsites.net/api/realtime/events`. */
  readonly url: string;
  /** The planned Function App that receives them (its key). */
  readonly appKey: string;
  /** The token audience: the API registration's client id (a Terraform reference when the stack creates it). */
  readonly audience: string;
}

/**
 * The hub's event handler: the Function App of the first publisher (sorted) that has one, at its
 * `<name>.azurewebsites.net` host — the name the plan chose, not the app's `default_hostname` attribute, so the hub
 * does not depend on the app (which waits for the service's private endpoint, which waits for the hub: a cycle);
 * every handle of the backend names its API by the same host. Every app with realtime entities
 * serves the route against the same ledger (without a registry each instance counts its own), so one app
 * receives them all.
 *
 * @example
 * ```ts
 * eventHandlerOf(plan, config, ['NoteApi'])?.url; // 'https://func-notes-dev-k3x9a1.azurewebsites.net/api/realtime/events'
 * ```
 */
export function eventHandlerOf(
  plan: Pick<ResourcePlan, 'components' | 'resources'>,
  config: NormalizedConfig,
  publishers: readonly string[],
): HubEventHandler | undefined {
  const auth = apiAuthInfo(config, '');
  if (!connectionEventsOf(config).enabled || !auth) return undefined;
  for (const id of publishers) {
    const key = plan.components.find((c) => c.id === id)?.resources['functions'];
    const app = key ? plan.resources.find((r) => r.key === key) : undefined;
    if (!app) continue;
    return {
      url: `https://${app.name}.azurewebsites.net/api/${REALTIME_EVENTS_ROUTE}`,
      appKey: app.key,
      // The client id, not `api://<client id>`: a v2 token's `aud` is the client id, which App Service always
      // accepts ("is *always* implicitly considered to be an allowed audience", auth-settings.ts), and an existing
      // registration given by client id may have no such identifier URI.
      audience: auth.clientId,
    };
  }
  return undefined;
}
