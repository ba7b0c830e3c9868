import type { RuntimeTenantRegistry } from '../../model/runtime-manifest.js';
import { tenantGroup } from './audience.js';
import { registryRecord } from './connection-bounds.js';
import type { TenantGate } from './publisher.js';
import type { RealtimeService } from './service.js';

/** How often one instance closes a suspended tenant's connections at most (the registry cache's own bound). */
const CLOSE_EVERY_MS = 30_000;

/**
 * The {@link TenantGate} of a tenant registry: a tenant receives events while its record is active (the home
 * directory always), as this instance's registry cache reads it — so a suspension holds within the cache's 30 s,
 * as on every route. A send refused for a suspended tenant also closes every connection of the tenant (its
 * tenant group's `closeConnections`, Web PubSub REST API "Close connections in a specific group": Learn,
 * https://learn.microsoft.com/rest/api/webpubsub/dataplane/web-pub-sub/close-group-connections), shared
 * entities' groups included; their reconnects are refused at `connect` (service-events.ts) and at negotiate.
 *
 * @example
 * ```ts
 * publisher.gateTenants(registryGate(registry, homeTenant, service, console.error));
 * ```
 */
export function registryGate(
  registry: RuntimeTenantRegistry,
  homeTenant: string | undefined,
  service: Pick<RealtimeService, 'closeGroup'>,
  log: (line: string) => void = console.error,
  now: () => number = Date.now,
): TenantGate & { close(tenant: string): void } {
  const closedAt = new Map<string, number>();
  const close = (tenant: string) => {
    const last = closedAt.get(tenant);
    if (last !== undefined && now() - last < CLOSE_EVERY_MS) return;
    closedAt.set(tenant, now());
    if (closedAt.size > 1000) closedAt.delete(closedAt.keys().next().value as string);
    service.closeGroup?.(tenantGroup(tenant), 'tenant suspended').catch((e: unknown) => {
      log(
        JSON.stringify({
          component: 'realtime',
          operation: 'close_tenant',
          outcome: 'failed',
          message: e instanceof Error ? e.message : String(e),
        }),
      );
    });
  };
  return {
    async admits(tenant) {
      if (homeTenant !== undefined && tenant.toLowerCase() === homeTenant.toLowerCase()) return true;
      try {
        return (await registryRecord(registry, tenant))?.status === 'active';
      } catch {
        // The registry unreachable: the event goes (the write it reports was admitted moments ago).
        return true;
      }
    },
    refused: close,
    close,
  };
}
