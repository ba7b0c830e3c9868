import { tenantGroup } from './audience.js';
import type { RegistryCache } from '../tenants/registry-cache.js';
import { isHomeDirectory } from '../tenants/tenant-record.js';
import type { ConnectionLedger } from './connection-ledger.js';
import type { TenantGate } from './publisher.js';
import type { RealtimeService } from './service.js';

/** How often one instance closes a suspended tenant's connections at most (the registry cache's own bound). */
const CLOSE_EVERY_MS = 30_000;

/** Options of {@link registryGate}: the live connections to sweep, and how often (default 30 s). */
export interface GateOptions {
  readonly ledger?: Pick<ConnectionLedger, 'tenants'>;
  readonly sweepEveryMs?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * The {@link TenantGate} of a tenant registry: a tenant receives events while its record is active (the home
 * directory always), as this instance's registry cache reads it — so a suspension holds within the cache's 30 s,
 * as on every route. A send refused for a suspended tenant also closes every connection of the tenant (its
 * tenant group's `closeConnections`, Web PubSub REST API "Close connections in a specific group": Learn,
 * https://learn.microsoft.com/rest/api/webpubsub/dataplane/web-pub-sub/close-group-connections), shared
 * entities' groups included; their reconnects are refused at `connect` (service-events.ts) and at negotiate.
 * A shared entity's send carries no tenant: before one goes out, at most every `sweepEveryMs`, the tenants with
 * live connections (the ledger) are checked the same way and the suspended ones' connections closed first — so a
 * suspended tenant hears no shared event either once its suspension is read.
 *
 * @example
 * ```ts
 * publisher.gateTenants(registryGate(services.registry, homeTenant, service));
 * ```
 */
export function registryGate(
  records: RegistryCache | undefined,
  homeTenant: string | undefined,
  service: Pick<RealtimeService, 'closeGroup'>,
  options: GateOptions = {},
): TenantGate & { close(tenant: string): Promise<void> } {
  const log = options.log ?? console.error;
  const now = options.now ?? Date.now;
  const sweepEvery = options.sweepEveryMs ?? CLOSE_EVERY_MS;
  const closedAt = new Map<string, number>();
  let swept: { at: number; done: Promise<void> } | undefined;
  const close = async (tenant: string): Promise<void> => {
    const last = closedAt.get(tenant);
    if (last !== undefined && now() - last < Math.min(sweepEvery, CLOSE_EVERY_MS)) return;
    closedAt.set(tenant, now());
    if (closedAt.size > 1000) closedAt.delete(closedAt.keys().next().value as string);
    await service.closeGroup?.(tenantGroup(tenant), 'tenant suspended').catch((e: unknown) => {
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
  const admits = async (tenant: string): Promise<boolean> => {
    if (isHomeDirectory(tenant, { homeTenant })) return true;
    try {
      return (await records?.get(tenant))?.status === 'active';
    } catch {
      // The registry unreachable: the event goes (the write it reports was admitted moments ago).
      return true;
    }
  };
  const sweep = async (): Promise<void> => {
    const tenants = await options.ledger?.tenants().catch(() => [] as string[]);
    for (const t of tenants ?? []) if (!(await admits(t))) await close(t);
  };
  return {
    admits,
    refused: (tenant) => {
      void close(tenant);
    },
    beforeShared() {
      if (!options.ledger) return Promise.resolve();
      if (!swept || now() - swept.at >= sweepEvery) swept = { at: now(), done: sweep() };
      return swept.done;
    },
    close,
  };
}
