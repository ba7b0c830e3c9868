import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container, CosmosClient } from '../../azure/cosmos.js';
import type { Backend } from '../../../backend/backend.js';
import { AtakoraError } from '../../../model/errors.js';
import type { ResourcePlan } from '../../../model/plan.js';
import { isIsolated, TENANT_FIELD } from '../../../runtime/values/tenancy.js';
import { seedSets, stampSeedItems, type SeedSet } from '../../shared/seed-file.js';
import { seedReportLine, writeSeedItems } from '../../shared/seed-write.js';
import { StoredBytesTally, storedIn } from '../../shared/ledger-bytes.js';
import { registryLocation } from '../../shared/registry-location.js';
import { USAGE_LEDGER } from '../../../kit/pure/tenant-registry.js';
import type { DevUser } from '../sign-in/sign-in.js';
import { DEV_SEED_KEY_HEADER } from './tenant-seed-signal.js';

// `atakora dev`'s seeding: each CrudApi's `seed` (its file for the dev environment) goes into each tenant's empty
// view of its container — the session user's tenant at start, every other tenant the first time one of its users
// signs in (the worker asks: dev/tenant-seed-signal.ts) — stamped as a create through the API is
// (shared/seed-file.ts: tenant, owner, id, migrations from the file's version, defaults, schema check, version)
// and created where absent, never over another tenant's item (shared/seed-write.ts). A view that holds anything
// (a restart with --data-dir, items created since) is left alone. A seed is read and checked only when it would
// be loaded: a file naming a field the schema dropped stops nothing while every view it would fill holds data.

/** Who a tenant's seeded items are created by: its first signed-in user (the session's user at start). */
type Creator = Pick<DevUser, 'oid' | 'tid'>;

/** The seeds of the current load, and the tenants already seeded (each tenant once per session). */
export interface DevSeeder {
  /** The backend as loaded now (at start and after each reload). */
  update(backend: Backend, plan: ResourcePlan): void;
  /**
   * Seed `creator.tid`'s empty views (once per tenant); one line per CrudApi with a seed. An invalid seed that
   * would be loaded throws CRUD_SEED_INVALID (at start it stops dev; on a sign-in it is logged).
   */
  seedTenant(creator: Creator): Promise<string[]>;
  /** The loopback endpoint the workers ask (`POST /seed`, the session's key) and its key. */
  readonly endpoint: { readonly url: string; readonly key: string };
  stop(): Promise<void>;
}

/**
 * Start dev's seeder for the local Cosmos DB server's `client`: `log` gets each line of a tenant seeded on a
 * sign-in (or why not).
 *
 * @example
 * ```ts
 * const seeder = await startDevSeeder(cosmos.client, log);
 * seeder.update(backend, plan);
 * for (const line of await seeder.seedTenant(DEFAULT_DEV_USER)) log(line);
 * // 'seed OrderApi: 3 created (tenant local-dev)'
 * ```
 */
export async function startDevSeeder(
  client: CosmosClient,
  log: (line: string) => void,
): Promise<DevSeeder> {
  let loaded: { backend: Backend; plan: ResourcePlan } | undefined;
  const done = new Map<string, Promise<string[]>>();
  const key = randomBytes(24).toString('base64url');
  const seedTenant = (creator: Creator): Promise<string[]> => {
    let pending = done.get(creator.tid);
    if (!pending) {
      pending = loaded
        ? seedTenantViews(loaded.backend, loaded.plan, client, creator)
        : Promise.resolve([]);
      done.set(creator.tid, pending);
    }
    return pending;
  };
  const server: Server = createServer((req, res) => {
    const given = Buffer.from(String(req.headers[DEV_SEED_KEY_HEADER] ?? ''));
    const expected = Buffer.from(key);
    if (
      req.method !== 'POST' ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected)
    ) {
      res.writeHead(403).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => {
      body += d;
      if (body.length > 4096) req.destroy();
    });
    req.on('end', () => {
      const creator = creatorOf(body);
      if (!creator) {
        res.writeHead(400).end();
        return;
      }
      seedTenant(creator).then(
        (lines) => {
          for (const l of lines) log(l);
          res.writeHead(204).end();
        },
        (e: unknown) => {
          // A seed that cannot load never stops dev: the tenant is served without it, and the reason is shown.
          log(
            `seed for tenant ${creator.tid} not loaded: ${e instanceof AtakoraError ? `${e.code}: ${e.message}` : String(e)}`,
          );
          res.writeHead(204).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    update(backend, plan) {
      loaded = { backend, plan };
    },
    seedTenant,
    endpoint: { url: `http://127.0.0.1:${String(port)}/seed`, key },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function creatorOf(body: string): Creator | undefined {
  try {
    const v = JSON.parse(body) as { tid?: unknown; oid?: unknown };
    return typeof v.tid === 'string' && ID.test(v.tid) && typeof v.oid === 'string'
      ? { tid: v.tid, oid: v.oid }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seed each CrudApi's empty view for the tenant: its items for that tenant (isolated), or the whole container
 * when it is shared and empty. Every file that would be loaded is stamped and checked before anything is written.
 */
async function seedTenantViews(
  backend: Backend,
  plan: ResourcePlan,
  client: CosmosClient,
  creator: Creator,
): Promise<string[]> {
  const lines: string[] = [];
  const wanted: { set: SeedSet; container: Container }[] = [];
  for (const set of seedSets(backend, plan)) {
    const container = client.database(set.databaseName).container(set.containerName);
    const held = await viewCount(container, set, creator.tid);
    if (held > 0) {
      lines.push(
        `seed ${set.componentId}: not loaded, ${isIsolated(set.entity) ? `tenant ${creator.tid}'s view` : 'the container'} ` +
          `already holds ${String(held)} item(s)`,
      );
      continue;
    }
    wanted.push({ set, container });
  }
  const stamped = [];
  for (const w of wanted)
    stamped.push({
      ...w,
      items: await stampSeedItems(w.set, { tenant: creator.tid, owner: creator.oid }),
    });
  // What it stores counted in the usage ledger (a registry backend's), as the runtime counts a create.
  const tally = new StoredBytesTally(
    registryLocation(plan)
      ? client.database(USAGE_LEDGER.database).container(USAGE_LEDGER.container)
      : undefined,
    (line) => lines.push(line.trimEnd()),
  );
  for (const { set, container, items } of stamped) {
    const report = await writeSeedItems(container, set.entity, items, {
      tenant: creator.tid,
      stored: storedIn(tally, isIsolated(set.entity)),
    });
    await tally.flush();
    lines.push(seedReportLine(set.componentId, report, creator.tid, set.file));
  }
  return lines;
}

/** The items the tenant sees in the container (all of them for a shared entity). */
async function viewCount(container: Container, set: SeedSet, tenant: string): Promise<number> {
  const query = isIsolated(set.entity)
    ? {
        query: `SELECT VALUE COUNT(1) FROM c WHERE c["${TENANT_FIELD}"] = @tenant`,
        parameters: [{ name: '@tenant', value: tenant }],
      }
    : { query: 'SELECT VALUE COUNT(1) FROM c' };
  const { resources } = await container.items.query<number>(query).fetchAll();
  return resources[0] ?? 0;
}
