import type { Server } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Container, CosmosClient } from '@azure/cosmos';
import { localCosmosClient } from './local-cosmos-client.js';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { serveGroupBy } from '../../src/cli/dev/cosmos/group-by.js';
import { shareQueryCompilation } from '../../src/cli/dev/cosmos/query-cache.js';
import { serveQueryPlans } from '../../src/cli/dev/cosmos/query-plan.js';

/** A local Cosmos DB server over verified TLS (the CLI's `ATAKORA_COSMOS_CA` path), and a client of it. */
export interface TlsCosmos {
  readonly endpoint: string;
  readonly client: CosmosClient;
  /** The container `db/id` keyed by `pk`, made when missing. */
  container(db: string, id: string, pk: string): Promise<Container>;
  stop(): Promise<void>;
}

/**
 * Start `@vercel/cosmosdb-server` on 127.0.0.1 with `tls`'s certificate and a real `@azure/cosmos` client that
 * trusts it, as the tenant commands' tests need (they reach the server as the deployed account).
 *
 * @example
 * ```ts
 * const tls = loopbackCertificate(dir);
 * const local = await startTlsCosmos(tls);
 * const notes = await local.container('note-db', 'note', '/tenantId');
 * await local.stop();
 * ```
 */
export async function startTlsCosmos(tls: { cert: string; key: string }): Promise<TlsCosmos> {
  const agent = new Agent({ ca: tls.cert, keepAlive: true });
  shareQueryCompilation();
  // Query plans answered as the gateway does, not by running the query twice (src/cli/dev/cosmos/query-plan.ts).
  const server = serveQueryPlans(
    serveGroupBy(
      // keepAlive: answer `connection: keep-alive`, not the server's default `close` (a TLS handshake a request).
      createHttpsServer({ cert: tls.cert, key: tls.key, keepAlive: true }) as unknown as Server,
    ),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
  const client = localCosmosClient(endpoint, agent);
  return {
    endpoint,
    client,
    async container(db, id, pk) {
      const { database } = await client.databases.createIfNotExists({ id: db });
      return (await database.containers.createIfNotExists({ id, partitionKey: { paths: [pk] } }))
        .container;
    },
    async stop() {
      client.dispose();
      agent.destroy();
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    },
  };
}
