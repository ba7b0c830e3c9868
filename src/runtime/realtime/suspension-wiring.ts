import type { RuntimeAuth, RuntimeManifest } from '../../model/runtime-manifest.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { SUSPENSION_SWEEP_MS, SuspendedSockets } from './suspended-sockets.js';
import type { RealtimeService } from './service.js';

/** What the watch reads of the app's dependencies (register-routes.ts `RegisterDeps`). */
export interface SuspensionDeps {
  readonly caller?: RuntimeAuth | undefined;
  readonly realtime?:
    | {
        readonly service: RealtimeService;
        readonly suspension?:
          | { readonly sweepEveryMs?: number; readonly signal?: AbortSignal }
          | undefined;
      }
    | undefined;
  readonly tenantRegistry?: { readonly maxAgeMs?: number | undefined } | undefined;
}

/**
 * The app's watch on suspended tenants' sockets, where a tenant registry and realtime entities meet: the registry
 * the routes read (`cache`, made once at start: routes/app-services.ts), the hub's service, and the registry cache told to
 * close a tenant's sockets before it answers from a suspended record. Sweeps every
 * {@link SUSPENSION_SWEEP_MS}, or as often as this instance's registry answers may age when that is shorter
 * (`atakora dev`: a second), unless `deps.realtime.suspension` says otherwise.
 *
 * @example
 * ```ts
 * const sockets = suspendedSocketsOf(manifest, deps, registry); // then publisher.gateTenants(sockets)
 * ```
 */
export function suspendedSocketsOf(
  manifest: RuntimeManifest,
  deps: SuspensionDeps,
  cache: RegistryCache | undefined,
): SuspendedSockets | undefined {
  const reg = deps.caller?.registry;
  const realtime = deps.realtime;
  if (!reg || reg.database === '' || !realtime || !manifest.realtime) return undefined;
  if (!manifest.entities.some((e) => e.realtime)) return undefined;
  const sockets = new SuspendedSockets({
    cache,
    homeTenant: deps.caller?.homeTenant,
    plans: reg,
    service: realtime.service,
    sweepEveryMs:
      realtime.suspension?.sweepEveryMs ??
      Math.min(SUSPENSION_SWEEP_MS, deps.tenantRegistry?.maxAgeMs ?? SUSPENSION_SWEEP_MS),
  });
  cache?.whenInactive((record) => sockets.close(record.id));
  const signal = realtime.suspension?.signal;
  if (signal?.aborted) return sockets;
  sockets.start();
  signal?.addEventListener('abort', () => {
    sockets.stop();
  });
  return sockets;
}
