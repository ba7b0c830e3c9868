/**
 * Realtime against its budgets, on the local Cosmos DB server (a process of its own) and the loopback hub
 * `atakora dev` runs, with 10 WebSocket connections listening:
 *
 * - publish cost per write: the same CRUD create with and without `realtime` (the event queued after the answer),
 *   interleaved, p50 ratio — budget ≤ 1.1× the write alone. The sends happen after the answer, so a second figure
 *   runs each side's creates back to back without waiting for the sends (their CPU then competes with the
 *   writes): the ratio of the two runs' totals.
 * - write → event: from the create's request to its event arriving on a listening socket, p50 and p95 (reported;
 *   under `atakora dev` the hub is in the same process).
 *
 *   npx tsx bench/realtime.ts [ops=300]
 */
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import WebSocket from 'ws';
import { startRealtimeHub } from '../src/cli/dev/realtime/hub.js';
import { createCrudHandlers } from '../src/runtime/crud/handlers.js';
import { callerGroups, epochOf, tokenMinutes } from '../src/runtime/realtime/audience.js';
import { entityRealtime } from '../src/runtime/realtime/events.js';
import { Publisher } from '../src/runtime/realtime/publisher.js';
import { webPubSubService } from '../src/runtime/realtime/service.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const OPS = Math.min(Math.max(Number(process.argv[2] ?? 300) || 300, 20), 5000);
const WARMUP = 30;
const LISTENERS = 10;

const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const expectStatus = (r: HttpResponseInit, status: number) => {
  if (r.status !== status) throw new Error(`expected ${status}, got ${String(r.status)}`);
};

const cosmos = await benchCosmos();
const hub = await startRealtimeHub({ hub: 'atakora' });
const sockets: WebSocket[] = [];
try {
  const entity = { ...BENCH_ENTITY, realtime: true as const };
  const service = webPubSubService({
    endpoint: hub.endpoint,
    hub: 'atakora',
    credential: { key: hub.key },
  });
  const publisher = new Publisher(service);
  const plain = createCrudHandlers(BENCH_ENTITY, cosmos.container);
  const live = createCrudHandlers(entity, cosmos.container, {
    realtime: entityRealtime(entity, publisher, undefined),
  });
  // Listeners in the readers' group, as negotiate would mint them for any caller of this shared entity.
  const arrivals = new Map<string, number>();
  const groups = callerGroups(
    entity,
    { id: undefined, roles: [] },
    undefined,
    false,
    epochOf(Date.now()),
  );
  for (let i = 0; i < LISTENERS; i++) {
    const url = await service.clientUrl({ groups, minutes: tokenMinutes(Date.now()) });
    const ws = new WebSocket(url, 'json.webpubsub.azure.v1');
    ws.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString('utf8')) as { type: string; data?: { id?: string } };
      const id = msg.data?.id;
      if (msg.type === 'message' && id && !arrivals.has(id)) arrivals.set(id, performance.now());
    });
    await new Promise((r) => ws.once('message', r));
    sockets.push(ws);
  }
  const context = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => undefined,
  });
  const create = (id: string) =>
    new HttpRequest({
      method: 'POST',
      url: 'https://bench.local/api/docs',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify({ id, name: id, n: 1, at: '2026-01-31T10:00:00Z' }) },
    });
  const write = async (h: typeof plain, id: string) => {
    const t = performance.now();
    expectStatus((await h.collection(create(id), context)) as HttpResponseInit, 201);
    return { t, ms: performance.now() - t };
  };

  for (let i = 0; i < WARMUP; i++) {
    await write(plain, `wp-${String(i)}`);
    await write(live, `wl-${String(i)}`);
    await publisher.idle();
  }
  // 1. Latency, interleaved; the sends are let go between pairs (outside the timings).
  const s = { plain: [] as number[], live: [] as number[], toEvent: [] as number[] };
  const started = new Map<string, number>();
  for (let i = 0; i < OPS; i++) {
    s.plain.push((await write(plain, `p-${String(i)}`)).ms);
    const id = `l-${String(i)}`;
    const w = await write(live, id);
    started.set(id, w.t);
    s.live.push(w.ms);
    await publisher.idle();
  }
  // Every event reaches the listeners: wait for the last one, then read the latencies.
  const deadline = Date.now() + 10_000;
  while (arrivals.size < WARMUP + OPS && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 10));
  for (const [id, t] of started) {
    const at = arrivals.get(id);
    if (at === undefined) throw new Error(`no event arrived for ${id}`);
    s.toEvent.push(at - t);
  }
  // 2. Back to back: each side's creates in a row, the live side's sends competing for the CPU.
  const burst = async (h: typeof plain, prefix: string) => {
    const t = performance.now();
    for (let i = 0; i < OPS; i++) await write(h, `${prefix}-${String(i)}`);
    await publisher.idle();
    return performance.now() - t;
  };
  const burstPlain = await burst(plain, 'bp');
  const burstLive = await burst(live, 'bl');

  const ms = (n: number) => `${n.toFixed(3)} ms`;
  const [p50, l50] = [median(s.plain), median(s.live)];
  const ratio = l50 / p50;
  console.log(
    `Realtime — ${String(OPS)} interleaved creates each; @vercel/cosmosdb-server (own process) and the loopback hub on 127.0.0.1, ${String(LISTENERS)} listeners, Node ${process.version}`,
  );
  console.log(`CRUD create without / with realtime      p50 ${ms(p50)} / ${ms(l50)}`);
  console.log(
    `publish cost per write: ×${ratio.toFixed(3)} the write alone (budget ≤ ×1.10) ${ratio <= 1.1 ? 'ok' : 'OVER'}`,
  );
  console.log(
    `back to back, sends competing: ${ms(burstPlain)} / ${ms(burstLive)} for ${String(OPS)} creates (×${(burstLive / burstPlain).toFixed(3)})`,
  );
  console.log(
    `write → event on a listening socket (dev hub)  p50 ${ms(median(s.toEvent))}  p95 ${ms(percentile(s.toEvent, 95))}`,
  );
  console.log(`hub delivered ${String(hub.delivered)} messages`);
} finally {
  for (const ws of sockets) ws.terminate();
  await hub.close();
  await cosmos.close();
}
