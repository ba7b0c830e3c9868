import type { ConnectionCounts, ConnectionLedger } from './connection-ledger.js';

/**
 * A {@link ConnectionLedger} in this instance's memory, for a backend without a tenant registry (so without the usage
 * container live connections are otherwise kept in): the sockets the hub's events told this instance of, each living
 * until its `disconnected` or its TTL. It bounds what one caller (or one anonymous token) opens through this instance
 * — nothing across instances, which a registry's ledger does — at no cost: no Cosmos DB call, no container.
 *
 * @example
 * ```ts
 * const ledger = instanceConnectionLedger();
 * await ledger.open('contoso', 'alice', 'c1', new Date(), 120);
 * await ledger.count('contoso', 'alice'); // { tenant: 1, user: 1 }
 * ```
 */
export function instanceConnectionLedger(now: () => number = Date.now): ConnectionLedger {
  /** tenant → connection id → its user and when its place expires (ms). */
  const live = new Map<string, Map<string, { user: string; until: number }>>();
  const of = (tenant: string) => {
    const connections = live.get(tenant);
    if (!connections) return undefined;
    const t = now();
    for (const [id, c] of connections) if (c.until <= t) connections.delete(id);
    if (connections.size === 0) live.delete(tenant);
    return connections.size === 0 ? undefined : connections;
  };
  return {
    open(tenant, user, connectionId, at, ttl) {
      const connections = of(tenant) ?? new Map<string, { user: string; until: number }>();
      connections.set(connectionId, { user, until: at.getTime() + ttl * 1000 });
      live.set(tenant, connections);
      return Promise.resolve();
    },
    close(tenant, connectionId) {
      of(tenant)?.delete(connectionId);
      of(tenant);
      return Promise.resolve();
    },
    count(tenant, user): Promise<ConnectionCounts> {
      const connections = [...(of(tenant)?.values() ?? [])];
      return Promise.resolve({
        tenant: connections.length,
        user: connections.filter((c) => c.user === user).length,
      });
    },
    tenants: () => Promise.resolve([...live.keys()].filter((t) => of(t) !== undefined)),
  };
}
