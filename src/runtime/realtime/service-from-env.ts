import type { TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { AtakoraError } from '../../model/errors.js';
import { REALTIME_DEV_KEY_SETTING, type RuntimeManifest } from '../../model/runtime-manifest.js';
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
