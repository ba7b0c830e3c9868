import type { CosmosClient } from '../azure/cosmos.js';
import type { Backend } from '../../backend/backend.js';
import type { ResourcePlan } from '../../model/plan.js';
import { seedSets, stampSeedItems } from '../shared/seed-file.js';
import type { DevUser } from './sign-in.js';

/**
 * `atakora dev`'s seed step: each CrudApi's `seed` (its file for the dev environment) is loaded into its local
 * container when that container is empty, in the dev user's tenant and with the dev user as creator, stamped as
 * a create through the API is (cli/shared/seed-file.ts: tenant, owner, id, defaults, schema check, version). A
 * container that holds anything (a second start with `--data-dir`, items created since) is left alone, so a
 * restart never duplicates. Every file is checked before anything is written: an invalid seed throws
 * CRUD_SEED_INVALID and writes nothing. Returns one line per CrudApi with a seed.
 *
 * @example
 * ```ts
 * for (const line of await seedLocalContainers(backend, plan, client, DEFAULT_DEV_USER)) log(line);
 * // 'seed OrderApi: 3 items from ./seed/orders.json (tenant local-dev)'
 * ```
 */
export async function seedLocalContainers(
  backend: Backend,
  plan: ResourcePlan,
  client: CosmosClient,
  user: DevUser,
): Promise<string[]> {
  const prepared = seedSets(backend, plan).map((set) => ({
    set,
    items: stampSeedItems(set, { tenant: user.tid, owner: user.oid }),
  }));
  const lines: string[] = [];
  for (const { set, items } of prepared) {
    const container = client.database(set.databaseName).container(set.containerName);
    // Any item at all, of any tenant: the container is someone's data, not an empty one to start from.
    const { resources } = await container.items
      .query<number>('SELECT VALUE COUNT(1) FROM c')
      .fetchAll();
    if ((resources[0] ?? 0) > 0) {
      lines.push(
        `seed ${set.componentId}: not loaded, the container already holds ${String(resources[0])} item(s)`,
      );
      continue;
    }
    for (const item of items) await container.items.create(item);
    lines.push(
      `seed ${set.componentId}: ${String(items.length)} item(s) from ${set.file} (tenant ${user.tid})`,
    );
  }
  return lines;
}
