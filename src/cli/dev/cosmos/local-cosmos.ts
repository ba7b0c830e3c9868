import type { AddressInfo } from 'node:net';
import { keepIdleConnections } from '../../../kit/node/keep-alive.js';
import { AtakoraError } from '../../../model/errors.js';
import type { RuntimeEntity } from '../../../model/runtime-manifest.js';
import { localCompositeIndexes } from '../../../runtime/queries/list-query.js';
import { indexSortsOf } from '../../../contract/query/child-sort.js';
import { localCosmos, type CosmosClient } from '../../azure/cosmos.js';
import { loadLocalData, saveLocalData } from './data.js';
import { serveGroupBy } from './group-by.js';
import { shareQueryCompilation } from './query-cache.js';
import { serveQueryPlans } from './query-plan.js';
import type { LoopbackCertificate } from '../loopback/loopback-certificate.js';

/** The key of dev's clients: the local server checks none. */
export const LOCAL_COSMOS_KEY = 'bG9jYWw=';

/** `atakora dev`'s local Cosmos DB protocol server and its client. */
export interface LocalCosmos {
  readonly endpoint: string;
  readonly client: CosmosClient;
  /** Create (or keep) a container; `indexed`: the entity whose sorts (its own and its children routes') it serves. */
  create(
    db: string,
    container: string,
    partitionKey: string,
    indexed?: Pick<RuntimeEntity, 'sortable' | 'relations'>,
  ): Promise<void>;
  save(dir: string): Promise<void>;
  load(dir: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Start the local Cosmos DB protocol server (`@vercel/cosmosdb-server`, an optional peer: DEV_SERVER_MISSING
 * without it) on 127.0.0.1 over HTTPS with the session's loopback certificate, and a client that trusts that
 * certificate only, checks on.
 *
 * @example
 * ```ts
 * const cosmos = await startCosmos(tls);
 * await cosmos.create('user-db', 'users', '/id');
 * ```
 */
export async function startCosmos(tls: LoopbackCertificate): Promise<LocalCosmos> {
  let createHttpsServer: typeof import('@vercel/cosmosdb-server')['createHttpsServer'];
  try {
    ({ createHttpsServer } = await import('@vercel/cosmosdb-server'));
  } catch {
    throw new AtakoraError(
      'DEV_SERVER_MISSING',
      'atakora dev needs @vercel/cosmosdb-server (a local Cosmos DB protocol server), which is not installed.',
      { path: ['dev'] },
    );
  }
  shareQueryCompilation();
  // The SDK's agent keeps connections alive; the server must not close them first (kit/node/keep-alive.ts).
  // `keepAlive`: the server's own default answers every request `connection: close`, so each one paid a new TLS
  // handshake and secure context on both sides (docs/performance.md, "The local Cosmos DB server").
  // GROUP BY as Azure answers it (group-by.ts): aggregates run the same query text under dev as deployed.
  // The SDK's query plans answered as the gateway does, not by running each query a second time (query-plan.ts).
  const server = keepIdleConnections(
    serveQueryPlans(
      serveGroupBy(createHttpsServer({ cert: tls.cert, key: tls.key, keepAlive: true })),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `https://127.0.0.1:${String((server.address() as AddressInfo).port)}/`;
  const { client, dispose } = await localCosmos({ endpoint, key: LOCAL_COSMOS_KEY, ca: tls.cert });
  return {
    endpoint,
    client,
    async create(db, container, partitionKey, indexed) {
      const { database } = await client.databases.createIfNotExists({ id: db });
      // The local server refuses a sort on several fields without a composite index in its directions: the
      // entity's declared sorts and its children routes' parent-led ones (contract/query/child-sort.ts).
      const compositeIndexes = localCompositeIndexes(indexed && indexSortsOf(indexed));
      const definition = {
        id: container,
        partitionKey: { paths: [partitionKey] },
        ...(compositeIndexes.length ? { indexingPolicy: { compositeIndexes } } : {}),
      };
      const made = await database.containers.createIfNotExists(definition);
      const had = made.resource?.indexingPolicy?.compositeIndexes;
      if (compositeIndexes.length === 0 || covers(had, compositeIndexes)) return;
      // Made earlier without these indexes (the saved data is loaded before the apps are read; a sort declared
      // since): this server empties a container it replaces, so its items are read first and written back.
      const { resources } = await made.container.items
        .query<Record<string, unknown>>('SELECT * FROM c')
        .fetchAll();
      await made.container.replace(definition);
      for (const item of resources) await made.container.items.upsert(item);
    },
    save: (dir) => saveLocalData(client, dir),
    load: (dir) => loadLocalData(client, dir),
    async stop() {
      dispose();
      server.closeAllConnections();
      await new Promise<void>((r) => {
        server.close(() => {
          r();
        });
      });
    },
  };
}

/** Whether a container's composite indexes include every one of `wanted` (paths and orders alike). */
function covers(
  had: readonly (readonly { path: string; order?: string }[])[] | undefined,
  wanted: readonly (readonly { path: string; order: string }[])[],
): boolean {
  const key = (index: readonly { path: string; order?: string }[]) =>
    index.map((p) => `${p.path} ${p.order ?? 'ascending'}`).join(',');
  const present = new Set((had ?? []).map(key));
  return wanted.every((w) => present.has(key(w)));
}
