import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Container, CosmosClient, PartitionKeyDefinition } from '@azure/cosmos';
import { localCosmosClient, testAgent } from '../../support/local-cosmos-client.js';
import { createHttpServer, createHttpsServer } from '@vercel/cosmosdb-server';
import { serveGroupBy } from '../../../src/cli/dev/cosmos/group-by.js';
import { shareQueryCompilation } from '../../../src/cli/dev/cosmos/query-cache.js';
import { serveQueryPlans } from '../../../src/cli/dev/cosmos/query-plan.js';
import { indexSortsOf } from '../../../src/contract/query/child-sort.js';
import type { RuntimeEntity } from '../../../src/model/runtime-manifest.js';
import { localCompositeIndexes } from '../../../src/runtime/queries/list-query.js';
import { timedStart } from '../../support/profile.js';

/** A Cosmos DB protocol server on loopback plus a key-auth client to it (test only). */
export interface LocalCosmos {
  readonly endpoint: string;
  /** The protocol server itself, e.g. to put a policy layer in front of its 'request' listeners. */
  readonly server: https.Server | http.Server;
  readonly client: CosmosClient;
  /**
   * Create (or get) a container in database `db`; with `indexed`, the composite indexes its sorts need (its own and
   * its children routes', as `atakora dev` creates them: the local server refuses a sort on several fields without).
   */
  container(
    id: string,
    partitionKey: string,
    db?: string,
    indexed?: Pick<RuntimeEntity, 'sortable' | 'relations'>,
  ): Promise<Container>;
  stop(): Promise<void>;
}

// The test client's agent (the server's bundled certificate has expired), made beside the client itself.
export { testAgent } from '../../support/local-cosmos-client.js';

/** How the local server is reached. */
export interface LocalCosmosOptions {
  /**
   * Plain HTTP on loopback instead of TLS: a request costs about a fifth less CPU, client and server together
   * (docs/performance.md, "The suite"). For the files whose subject is the data, not the connection (the stateful
   * models send thousands of requests); the client then uses the SDK's own keep-alive agent, the only way it
   * accepts an `http:` endpoint (a custom agent makes it refuse one). Default: HTTPS, as Azure and `atakora dev`.
   */
  readonly plain?: boolean;
}

export function startLocalCosmos(options: LocalCosmosOptions = {}): Promise<LocalCosmos> {
  return timedStart('local Cosmos DB server', () => startServer(options.plain === true));
}

async function startServer(plain: boolean): Promise<LocalCosmos> {
  // Each query text compiled once per worker, not once per container (src/cli/dev/cosmos/query-cache.ts).
  shareQueryCompilation();
  // GROUP BY as Azure answers it (src/cli/dev/cosmos/group-by.ts), as `atakora dev` serves it. `keepAlive`: the
  // server answers `connection: keep-alive` (its default is `close`, so every request paid a TLS handshake and a
  // secure context, ~40% of a model test's CPU; src/cli/dev/cosmos/local-cosmos.ts).
  // The SDK's query plans answered without running the query a second time (src/cli/dev/cosmos/query-plan.ts).
  const server = serveQueryPlans(
    serveGroupBy(
      plain ? createHttpServer({ keepAlive: true }) : createHttpsServer({ keepAlive: true }),
    ),
  );
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `${plain ? 'http' : 'https'}://127.0.0.1:${port}`;
  const agent = plain ? undefined : testAgent();
  const client = localCosmosClient(endpoint, agent);
  return {
    endpoint,
    server,
    client,
    async container(id, partitionKey, db = 'atakora', indexed) {
      const { database } = await client.databases.createIfNotExists({ id: db });
      const paths: PartitionKeyDefinition = { paths: [partitionKey] };
      const compositeIndexes = localCompositeIndexes(indexed && indexSortsOf(indexed));
      const { container } = await database.containers.createIfNotExists({
        id,
        partitionKey: paths,
        ...(compositeIndexes.length ? { indexingPolicy: { compositeIndexes } } : {}),
      });
      return container;
    },
    async stop() {
      client.dispose();
      agent?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every item in a container, read with the raw client (the source of truth in assertions). */
export async function allItems(container: Container): Promise<Record<string, unknown>[]> {
  const { resources } = await container.items
    .query<Record<string, unknown>>('SELECT * FROM c')
    .fetchAll();
  return resources;
}

// Kept here too for the files that import it from here; support/heap-probe.ts reads it without the server.
export { boundedAll } from './bounded-all.js';
