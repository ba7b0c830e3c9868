/**
 * The CRUD runtime's handlers against a hand-written baseline doing the same parse/validate/respond
 * (bench/baseline/bare-crud-handler.ts), and against direct @azure/cosmos calls, on one local Cosmos protocol
 * server (@vercel/cosmosdb-server) running in a process of its own (bench/support/cosmos-server.mjs) on
 * 127.0.0.1. Per-operation latency: the three interleaved, operation by operation, so that server warm-up and
 * drift affect all alike; HttpRequest construction (done by the host in production) is outside the timing.
 *
 * Then lists: a plain page of 20 against a `$filter` page of the same 20 items (compiled to parameterized SQL,
 * src/runtime/queries/list-query.ts), interleaved, printed as a ratio (budget ≤ 1.1×).
 *
 * Then load: `load` requests at concurrency 20, a read/create mix through the bare handlers and through the
 * runtime's (alternated, twice each), and the runtime's full mix (reads of a cached and an uncached entity,
 * creates, merges without If-Match on a few hot items, replaces, lists) with requests/s, p50/p99 latency, the
 * status counts and the peak heap of this process (heapUsed sampled every ms; the server's heap is elsewhere).
 *
 *   npx tsx bench/runtime.ts [ops=300] [load=2000]
 */
import type { HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import type { RuntimeEntity } from '../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../src/runtime/crud/handlers.js';
import { BENCH_ENTITY, bareCrudHandlers } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';

const { HttpRequest, InvocationContext } = azureFunctions;
type HttpRequest = InstanceType<typeof HttpRequest>;

const OPS = Math.min(Math.max(Number(process.argv[2] ?? 300) || 300, 10), 5000);
const LOAD = Math.min(Math.max(Number(process.argv[3] ?? 2000) || 2000, 100), 50_000);
const CONCURRENCY = 20;
const WARMUP = 50;

const entity = BENCH_ENTITY;
const cachedEntity: RuntimeEntity = {
  ...entity,
  componentId: 'BenchCachedApi',
  cache: { enabled: true, ttlSeconds: 300 },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const cosmos = await benchCosmos();

try {
  const { container } = cosmos;
  const handlers = createCrudHandlers(entity, container);
  const cached = createCrudHandlers(cachedEntity, container);
  const context = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => {},
  });
  const body = (i: number) => ({ name: `doc ${i}`, n: i, at: '2025-01-31T10:00:00Z' });
  const post = (i: number, prefix: string) =>
    new HttpRequest({
      method: 'POST',
      url: 'https://bench.local/api/docs',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify({ id: `${prefix}-${i}`, ...body(i) }) },
    });
  const get = (id: string) =>
    new HttpRequest({ method: 'GET', url: `https://bench.local/api/docs/${id}`, params: { id } });
  const expectStatus = (r: HttpResponseInit, status: number) => {
    if (r.status !== status)
      throw new Error(`expected ${status}, got ${r.status}: ${String(r.body)}`);
  };

  for (let i = 0; i < WARMUP; i++) {
    await container.items.create({ id: `warm-d-${i}`, ...body(i) });
    expectStatus((await handlers.collection(post(i, 'warm-h'), context)) as HttpResponseInit, 201);
    await container.item(`warm-d-${i}`, `warm-d-${i}`).read();
    expectStatus((await handlers.item(get(`warm-h-${i}`), context)) as HttpResponseInit, 200);
  }

  const bare = bareCrudHandlers(container);
  for (let i = 0; i < WARMUP; i++) expectStatus(await bare.create(post(i, 'warm-b')), 201);

  const samples = {
    createDirect: [] as number[],
    createBare: [] as number[],
    createHandler: [] as number[],
    readDirect: [] as number[],
    readBare: [] as number[],
    readHandler: [] as number[],
    readCached: [] as number[],
  };
  for (let i = 0; i < OPS; i++) {
    samples.createDirect.push(
      await timed(() => container.items.create({ id: `d-${i}`, ...body(i) })),
    );
    const bareRequest = post(i, 'b');
    samples.createBare.push(
      await timed(async () => expectStatus(await bare.create(bareRequest), 201)),
    );
    const request = post(i, 'h');
    samples.createHandler.push(
      await timed(async () =>
        expectStatus((await handlers.collection(request, context)) as HttpResponseInit, 201),
      ),
    );
  }
  for (let i = 0; i < OPS; i++) {
    samples.readDirect.push(await timed(() => container.item(`d-${i}`, `d-${i}`).read()));
    const bareRequest = get(`b-${i}`);
    samples.readBare.push(await timed(async () => expectStatus(await bare.read(bareRequest), 200)));
    const request = get(`h-${i}`);
    samples.readHandler.push(
      await timed(async () =>
        expectStatus((await handlers.item(request, context)) as HttpResponseInit, 200),
      ),
    );
  }
  // Cached reads: one miss fills the cache, then every read is a hit.
  expectStatus((await cached.item(get('h-0'), context)) as HttpResponseInit, 200);
  for (let i = 0; i < OPS; i++) {
    const request = get('h-0');
    samples.readCached.push(
      await timed(async () =>
        expectStatus((await cached.item(request, context)) as HttpResponseInit, 200),
      ),
    );
  }

  const fmt = (n: number) => n.toFixed(3).padStart(8);
  const row = (label: string, s: { p50: number; p95: number }) =>
    console.log(`${label.padEnd(30)}${fmt(s.p50)} ms${fmt(s.p95)} ms`);
  const cd = stats(samples.createDirect),
    cb = stats(samples.createBare),
    ch = stats(samples.createHandler);
  const rd = stats(samples.readDirect),
    rb = stats(samples.readBare),
    rh = stats(samples.readHandler),
    rc = stats(samples.readCached);
  console.log(
    `CRUD runtime vs a bare handler — ${OPS} ops each, local @vercel/cosmosdb-server in another process on 127.0.0.1, Node ${process.version}`,
  );
  console.log(`${''.padEnd(30)}${'p50'.padStart(11)}${'p95'.padStart(11)}`);
  row('create  direct @azure/cosmos', cd);
  row('create  bare handler', cb);
  row('create  runtime handler', ch);
  row('read    direct @azure/cosmos', rd);
  row('read    bare handler', rb);
  row('read    runtime handler', rh);
  row('read    runtime (cache hit)', rc);
  console.log(
    `runtime ÷ bare handler: create p50 ×${(ch.p50 / cb.p50).toFixed(2)} p95 ×${(ch.p95 / cb.p95).toFixed(2)}; ` +
      `read p50 ×${(rh.p50 / rb.p50).toFixed(2)} p95 ×${(rh.p95 / rb.p95).toFixed(2)}`,
  );
  const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${Math.abs(ms).toFixed(3)} ms`;
  console.log(
    `added latency p50 over the bare handler: create ${signed(ch.p50 - cb.p50)}, read ${signed(rh.p50 - rb.p50)} ` +
      `(bare over direct: create ${signed(cb.p50 - cd.p50)}, read ${signed(rb.p50 - rd.p50)})`,
  );

  // Lists: a plain page against a $filter page of the same 20 items (every doc has n >= 0), interleaved.
  const listPlain = () =>
    new HttpRequest({
      method: 'GET',
      url: 'https://bench.local/api/docs?limit=20',
      query: { limit: '20' },
    });
  const listFiltered = () =>
    new HttpRequest({
      method: 'GET',
      url: 'https://bench.local/api/docs',
      query: { $filter: "n ge 0 and startswith(name,'doc')", $first: '20' },
    });
  const listSamples = { plain: [] as number[], filtered: [] as number[] };
  const listed = async (r: HttpRequest) => {
    const res = (await handlers.collection(r, context)) as HttpResponseInit;
    expectStatus(res, 200);
    if ((JSON.parse(String(res.body)) as { items: unknown[] }).items.length !== 20)
      throw new Error('a list page without 20 items');
  };
  for (let i = 0; i < WARMUP; i++) {
    await listed(listPlain());
    await listed(listFiltered());
  }
  for (let i = 0; i < OPS; i++) {
    const a = listPlain(),
      b = listFiltered();
    if (i % 2 === 0) {
      listSamples.plain.push(await timed(() => listed(a)));
      listSamples.filtered.push(await timed(() => listed(b)));
    } else {
      listSamples.filtered.push(await timed(() => listed(b)));
      listSamples.plain.push(await timed(() => listed(a)));
    }
  }
  const lp = stats(listSamples.plain),
    lf = stats(listSamples.filtered);
  row('list    plain (20 items)', lp);
  row('list    $filter (same 20)', lf);
  console.log(
    `$filter list ÷ plain list: p50 ×${(lf.p50 / lp.p50).toFixed(2)} p95 ×${(lf.p95 / lp.p95).toFixed(2)}  budget p50 ≤ ×1.1: ${lf.p50 / lp.p50 <= 1.1 ? 'ok' : 'OVER'}`,
  );

  // Load, read/create mix, bare vs runtime: the same requests by index, alternated A B A B.
  const simpleLoad = async (
    label: string,
    create: (r: HttpRequest) => Promise<HttpResponseInit>,
    read: (r: HttpRequest) => Promise<HttpResponseInit>,
    round: number,
  ) => {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < LOAD) {
          const i = next++;
          const t = performance.now();
          if (i % 5 === 0) expectStatus(await create(post(i, `${label}-load${round}`)), 201);
          else expectStatus(await read(get(`${label === 'bare' ? 'b' : 'h'}-${i % OPS}`)), 200);
          latencies.push(performance.now() - t);
        }
      }),
    );
    return { rps: LOAD / ((performance.now() - started) / 1000), ...stats(latencies) };
  };
  const runs = {
    bare: [] as { rps: number; p50: number; p99: number }[],
    runtime: [] as { rps: number; p50: number; p99: number }[],
  };
  for (let round = 0; round < 2; round++) {
    runs.bare.push(
      await simpleLoad(
        'bare',
        (r) => bare.create(r),
        (r) => bare.read(r),
        round,
      ),
    );
    runs.runtime.push(
      await simpleLoad(
        'runtime',
        async (r) => handlers.collection(r, context) as Promise<HttpResponseInit>,
        async (r) => handlers.item(r, context) as Promise<HttpResponseInit>,
        round,
      ),
    );
  }
  console.log(
    `\nload, read/create 4:1: ${LOAD} requests at concurrency ${CONCURRENCY}, bare and runtime alternated, two runs each`,
  );
  for (const [label, rs] of Object.entries(runs)) {
    console.log(
      `  ${label.padEnd(8)} ${rs.map((r) => `${r.rps.toFixed(0)} req/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms`).join('   |   ')}`,
    );
  }
  const mean = (rs: { rps: number }[]) => rs.reduce((n, r) => n + r.rps, 0) / rs.length;
  console.log(`  runtime ÷ bare throughput ×${(mean(runs.runtime) / mean(runs.bare)).toFixed(2)}`);

  // Load: LOAD requests, CONCURRENCY in flight, a fixed mix chosen by request index (same in every run).
  const hot = Array.from({ length: 10 }, (_, i) => `hot-${i}`);
  for (let i = 0; i < hot.length; i++)
    expectStatus((await handlers.collection(post(i, 'hot'), context)) as HttpResponseInit, 201);
  const json = { 'content-type': 'application/json' };
  const request = (i: number) => {
    const kind = i % 10;
    const id = `h-${i % OPS}`;
    if (kind <= 2) return { kind: 'read', h: handlers.item, r: get(id) };
    if (kind <= 4) return { kind: 'cached read', h: cached.item, r: get(id) };
    if (kind === 5) return { kind: 'create', h: handlers.collection, r: post(i, 'load') };
    if (kind === 6 || kind === 7) {
      const hid = hot[i % hot.length]!;
      return {
        kind: 'patch',
        h: handlers.item,
        r: new HttpRequest({
          method: 'PATCH',
          url: `https://bench.local/api/docs/${hid}`,
          params: { id: hid },
          headers: json,
          body: { string: JSON.stringify({ n: i }) },
        }),
      };
    }
    if (kind === 8) {
      return {
        kind: 'put',
        h: handlers.item,
        r: new HttpRequest({
          method: 'PUT',
          url: `https://bench.local/api/docs/${id}`,
          params: { id },
          headers: json,
          body: { string: JSON.stringify(body(i)) },
        }),
      };
    }
    return {
      kind: 'list',
      h: handlers.collection,
      r: new HttpRequest({
        method: 'GET',
        url: 'https://bench.local/api/docs?limit=20',
        query: { limit: '20' },
      }),
    };
  };
  const byKind = new Map<string, number[]>();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(
    () => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)),
    1,
  );
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < LOAD) {
        const { kind, h, r } = request(next++);
        const t = performance.now();
        const res = (await h(r, context)) as HttpResponseInit;
        const ms = performance.now() - t;
        latencies.push(ms);
        byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
        statuses.set(res.status ?? 200, (statuses.get(res.status ?? 200) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const load = stats(latencies);
  console.log(
    `\nload, the runtime's full mix: ${LOAD} requests at concurrency ${CONCURRENCY} (30% read, 20% cached read, 10% create, 20% PATCH of ${hot.length} hot items, 10% PUT, 10% list)`,
  );
  console.log(
    `  ${(LOAD / elapsed).toFixed(0)} requests/s   p50 ${load.p50.toFixed(1)} ms   p99 ${load.p99.toFixed(1)} ms`,
  );
  console.log(
    `  by kind (p50/p99 ms): ${[...byKind]
      .map(([k, v]) => {
        const x = stats(v);
        return `${k} ${x.p50.toFixed(0)}/${x.p99.toFixed(0)}`;
      })
      .join(', ')}`,
  );
  console.log(
    `  statuses ${[...statuses]
      .sort(([a], [b]) => a - b)
      .map(([k, v]) => `${k}×${v}`)
      .join(' ')}`,
  );
  console.log(
    `  heap: before ${(heapBefore / 2 ** 20).toFixed(1)} MB, peak ${(heapPeak / 2 ** 20).toFixed(1)} MB (+${((heapPeak - heapBefore) / 2 ** 20).toFixed(1)} MB)`,
  );
} finally {
  await cosmos.close();
}
