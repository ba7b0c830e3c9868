/**
 * The local Cosmos DB server's CPU a request (`atakora dev`'s and the tests' data plane): the server as it was
 * (`@vercel/cosmosdb-server`'s default `connection: close`: a TLS handshake and a client secure context per
 * request; each container compiling its query texts again) against it as `atakora dev` starts it now (keep-alive,
 * src/cli/dev/cosmos/local-cosmos.ts; each query text compiled once per process, query-cache.ts).
 *
 * A round: a fresh container (as a dev session, a test or a seed makes them), 20 creates, 40 point reads and 20
 * queries of two texts (one single-partition with a parameter, one cross-partition with ORDER BY) — the server
 * and the SDK client in this one process, as in a test worker, so the CPU is both sides' (process.cpuUsage).
 * `close` and `keep-alive` rounds alternate (so a machine that slows down moves both alike); the shared query
 * compilation cannot be undone in a process, so its rounds come last, after the rest, alternating with rounds whose
 * server also answers the SDK's query-plan requests itself (query-plan.ts) instead of running each query twice.
 * Prints medians of CPU ms a request; asserts nothing.
 *
 *   npx tsx bench/local-cosmos.ts [rounds=7]
 */
import { Agent } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { CosmosClient } from '@azure/cosmos';
import { createHttpsServer } from '@vercel/cosmosdb-server';
import { shareQueryCompilation } from '../src/cli/dev/cosmos/query-cache.js';
import { serveQueryPlans } from '../src/cli/dev/cosmos/query-plan.js';
import { median } from './support/stats.js';

const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 7) || 7, 1), 50);
const REQUESTS = 1 + 20 + 40 + 20;

async function round(keepAlive: boolean, n: number, plans = false): Promise<number> {
  const made = createHttpsServer({ keepAlive });
  const server = plans ? serveQueryPlans(made) : made;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const agent = new Agent({ rejectUnauthorized: false, keepAlive: true });
  const client = new CosmosClient({
    endpoint: `https://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    key: 'dGVzdA==',
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: 'bench' });
  const start = process.cpuUsage();
  const { container } = await database.containers.createIfNotExists({
    id: `c${String(n)}`,
    partitionKey: { paths: ['/tenantId'] },
  });
  for (let i = 0; i < 20; i++)
    await container.items.create({ id: `i${String(i)}`, tenantId: `t${String(i % 3)}`, n: i });
  for (let i = 0; i < 40; i++)
    await container.item(`i${String(i % 20)}`, `t${String((i % 20) % 3)}`).read();
  for (let i = 0; i < 10; i++) {
    await container.items
      .query(
        {
          query: 'SELECT * FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: 't1' }],
        },
        { partitionKey: 't1' },
      )
      .fetchAll();
    await container.items.query('SELECT * FROM c ORDER BY c.id DESC').fetchAll();
  }
  const used = process.cpuUsage(start);
  client.dispose();
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  return (used.user + used.system) / 1000 / REQUESTS;
}

const close: number[] = [];
const kept: number[] = [];
const shared: number[] = [];
const planned: number[] = [];
let n = 0;
await round(true, n++); // warm-up: the JIT, the modules' first use
for (let r = 0; r < ROUNDS; r++) {
  close.push(await round(false, n++));
  kept.push(await round(true, n++));
}
shareQueryCompilation(createRequire(import.meta.url).resolve('@vercel/cosmosdb-server'));
for (let r = 0; r < ROUNDS; r++) {
  shared.push(await round(true, n++));
  planned.push(await round(true, n++, true));
}
const line = (label: string, xs: number[]) =>
  `  ${median(xs).toFixed(2)} ms CPU a request (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})  ${label}`;
console.log(
  `The local Cosmos DB server, CPU a request (server + client, ${String(REQUESTS)} requests a round, ${String(ROUNDS)} rounds; load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
console.log(line('connection: close (the server default, before)', close));
console.log(line('keep-alive', kept));
console.log(line('keep-alive + each query text compiled once a process', shared));
console.log(
  line('… and the query plans answered without running the query (atakora dev now)', planned),
);
console.log(`  ×${(median(planned) / median(close)).toFixed(2)} of before`);
