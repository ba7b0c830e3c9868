import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { AtakoraError } from '../../model/errors.js';
import {
  HOME_TENANT_SETTING,
  REALTIME_DEV_KEY_SETTING,
  REALTIME_SERVICE_PRINCIPAL_SETTING,
  type RuntimeManifest,
} from '../../model/runtime-manifest.js';
import type { ServiceEventsAuth } from './service-events-auth.js';
import { type RealtimeService, webPubSubService } from './service.js';

/**
 * The Web PubSub service of a manifest with realtime entities, from the app settings apply wrote: the endpoint
 * (each realtime entity's `settings.realtimeEndpoint`, one service per backend) and the identity of the first
 * realtime entity's component (each holds Web PubSub Service Owner), or — under `atakora dev` only — the loopback
 * hub's key. `undefined` without realtime entities.
 *
 * @throws AtakoraError `RUNTIME_CONFIG_INVALID` when the endpoint setting is missing or not http(s).
 *
 * @example
 * ```ts
 * const service = realtimeServiceFromEnv(manifest, process.env);
 * ```
 */
export function realtimeServiceFromEnv(
  manifest: RuntimeManifest,
  env: Readonly<Record<string, string | undefined>>,
  credential?: TokenCredential,
): RealtimeService | undefined {
  const first = manifest.realtime ? manifest.entities.find((e) => e.realtime) : undefined;
  if (!first || !manifest.realtime) return undefined;
  const name = first.settings.realtimeEndpoint;
  const endpoint = name ? env[name]?.trim() : undefined;
  if (!endpoint || !/^https?:\/\/[^/\s]+\/?$/.test(endpoint))
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      `App setting ${name ?? '(realtimeEndpoint)'} (the Web PubSub endpoint of ${first.componentId}) is ` +
        `${endpoint ? `not an http(s) origin: ${JSON.stringify(endpoint)}` : 'missing'}.`,
      { path: ['appSettings', name ?? 'realtimeEndpoint'] },
    );
  const devKey = env[REALTIME_DEV_KEY_SETTING]?.trim();
  const clientId = first.settings.clientId ? env[first.settings.clientId]?.trim() : undefined;
  return webPubSubService({
    endpoint,
    hub: manifest.realtime.hub,
    credential: devKey
      ? { key: devKey }
      : (credential ??
        (clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential())),
  });
}

/**
 * Who may post the hub's connection events and the service's host, from the app settings: the Web PubSub's
 * identity (`ATAKORA_REALTIME_SERVICE_PRINCIPAL`, apply) in the home directory, or under `atakora dev` the hub's key.
 * `undefined` without realtime entities or a usable endpoint (then no events route: nothing is counted).
 *
 * @example
 * ```ts
 * const events = realtimeEventsFromEnv(manifest, process.env);
 * ```
 */
export function realtimeEventsFromEnv(
  manifest: RuntimeManifest,
  env: Readonly<Record<string, string | undefined>>,
): { auth: ServiceEventsAuth; serviceHost: string } | undefined {
  const first = manifest.realtime ? manifest.entities.find((e) => e.realtime) : undefined;
  const name = first?.settings.realtimeEndpoint;
  const endpoint = name ? env[name]?.trim() : undefined;
  if (!endpoint || !/^https?:\/\/[^/\s]+\/?$/.test(endpoint)) return undefined;
  const devKey = env[REALTIME_DEV_KEY_SETTING]?.trim();
  const principal = env[REALTIME_SERVICE_PRINCIPAL_SETTING]?.trim();
  const homeTenant = env[HOME_TENANT_SETTING]?.trim();
  return {
    serviceHost: new URL(endpoint).host,
    auth: {
      ...(devKey ? { devKey } : {}),
      ...(principal ? { principal } : {}),
      ...(homeTenant ? { homeTenant } : {}),
    },
  };
}
