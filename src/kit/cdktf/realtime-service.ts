import type { WebPubsub } from './azurerm-types.js';
import type { ProvisionContext } from './provision-context.js';

/**
 * Where the Web PubSub type leaves its service for the Function App its hub posts connection events to (in the
 * provision context's `constructs`, under the app's planned key): the service is provisioned first, and the app's
 * settings name the service's identity, which one resource type cannot ask another for directly.
 *
 * @example
 * ```ts
 * ctx.constructs.set(realtimeServiceKey('functions:shared'), service);
 * ```
 */
export function realtimeServiceKey(appKey: string): string {
  return `${appKey}#realtime-service`;
}

/**
 * The object id of the Web PubSub identity whose connection events the Function App `appKey` admits (a reference
 * into the service, which never depends on the app: no cycle), or undefined when its hub posts none there.
 *
 * @example
 * ```ts
 * const principal = realtimeServicePrincipalOf(ctx, resource.key);
 * if (principal) appSettings[REALTIME_SERVICE_PRINCIPAL_SETTING] = principal;
 * ```
 */
export function realtimeServicePrincipalOf(
  ctx: ProvisionContext,
  appKey: string,
): string | undefined {
  const service = ctx.constructs.get(realtimeServiceKey(appKey)) as WebPubsub | undefined;
  return service?.identity.principalId;
}
