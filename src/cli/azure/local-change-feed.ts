import { readFileSync } from 'node:fs';
import { localCosmos } from './cosmos.js';

/** One container's documents changed since a moment, as dev's change feed emulation reads them. */
export interface LocalFeedReader {
  /** Every document whose `_ts` is `sinceTs` or later, in `_ts` then `_lsn` order. */
  since(sinceTs: number): Promise<Record<string, unknown>[]>;
  dispose(): void;
}

/**
 * A reader of one container of `atakora dev`'s local Cosmos DB server, from dev's worker: the server is the one
 * the connection's `<connection>__accountEndpoint` setting names, verified with dev's loopback certificate (the
 * worker trusts it through `NODE_EXTRA_CA_CERTS`); the local server checks no key. Loaded on first use.
 *
 * @example
 * ```ts
 * const feed = await localFeedReader('https://127.0.0.1:8081', 'app', 'bookings', process.env);
 * const changed = await feed.since(1700000000);
 * ```
 */
export async function localFeedReader(
  endpoint: string,
  database: string,
  container: string,
  env: NodeJS.ProcessEnv,
): Promise<LocalFeedReader> {
  const caFile = env['NODE_EXTRA_CA_CERTS'];
  const { client, dispose } = await localCosmos({
    endpoint,
    key: 'local',
    ca: caFile ? readFileSync(caFile, 'utf8') : '',
  });
  const items = client.database(database).container(container).items;
  return {
    async since(sinceTs) {
      const { resources } = await items
        .query<Record<string, unknown>>({
          query: 'SELECT * FROM c WHERE c._ts >= @since',
          parameters: [{ name: '@since', value: sinceTs }],
        })
        .fetchAll();
      const at = (d: Record<string, unknown>, field: '_ts' | '_lsn') => Number(d[field] ?? 0);
      return resources.sort((a, b) => at(a, '_ts') - at(b, '_ts') || at(a, '_lsn') - at(b, '_lsn'));
    },
    dispose,
  };
}
