import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CosmosClient } from '../../azure/cosmos.js';
import { AtakoraError } from '../../../model/errors.js';

/** The file `atakora dev --data-dir <dir>` keeps the local Cosmos DB data in. */
export const DATA_FILE = 'cosmos-data.json';

interface Snapshot {
  readonly version: 1;
  readonly databases: {
    readonly id: string;
    readonly containers: {
      readonly id: string;
      readonly partitionKey: string;
      readonly items: Record<string, unknown>[];
    }[];
  }[];
}

/** Cosmos DB's system properties: the server sets them again on write. */
const SYSTEM = new Set(['_rid', '_self', '_etag', '_attachments', '_ts']);

/**
 * Write every database, container and item of the local Cosmos DB server to `<dir>/cosmos-data.json`
 * (through a temporary file and a rename, so a crash never leaves half a file).
 *
 * @example
 * ```ts
 * await saveLocalData(client, '.atakora/data');
 * ```
 */
export async function saveLocalData(client: CosmosClient, dir: string): Promise<void> {
  const databases: Snapshot['databases'][number][] = [];
  const { resources: dbs } = await client.databases.readAll().fetchAll();
  for (const db of dbs) {
    const database = client.database(db.id);
    const { resources: containers } = await database.containers.readAll().fetchAll();
    const saved: Snapshot['databases'][number]['containers'][number][] = [];
    for (const c of containers) {
      const { resources: items } = await database
        .container(c.id)
        .items.query<Record<string, unknown>>('SELECT * FROM c')
        .fetchAll();
      saved.push({
        id: c.id,
        partitionKey: c.partitionKey?.paths?.[0] ?? '/id',
        items: items.map((i) =>
          Object.fromEntries(Object.entries(i).filter(([k]) => !SYSTEM.has(k))),
        ),
      });
    }
    databases.push({ id: db.id, containers: saved });
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, DATA_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify({ version: 1, databases } satisfies Snapshot));
  renameSync(`${file}.tmp`, file);
}

/**
 * Load `<dir>/cosmos-data.json` (when it exists) into the local Cosmos DB server: databases and containers
 * created as saved, items upserted. A file that is not such a snapshot is a `DEV_DATA_INVALID` error.
 *
 * @example
 * ```ts
 * const items = await loadLocalData(client, '.atakora/data'); // how many items were restored
 * ```
 */
export async function loadLocalData(client: CosmosClient, dir: string): Promise<number> {
  const file = join(dir, DATA_FILE);
  if (!existsSync(file)) return 0;
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    if (snapshot.version !== 1 || !Array.isArray(snapshot.databases))
      throw new Error('not a snapshot');
  } catch {
    throw new AtakoraError('DEV_DATA_INVALID', `${file} is not a data file atakora dev wrote.`, {
      path: ['dev', 'dataDir'],
    });
  }
  let count = 0;
  for (const db of snapshot.databases) {
    const { database } = await client.databases.createIfNotExists({ id: db.id });
    for (const c of db.containers) {
      const { container } = await database.containers.createIfNotExists({
        id: c.id,
        partitionKey: { paths: [c.partitionKey] },
      });
      for (const item of c.items) {
        await container.items.upsert(item);
        count += 1;
      }
    }
  }
  return count;
}
