/**
 * `npx tsx bench/traces.ts [rounds=40] [block=50]`: what tracing costs a CRUD request (budget: on ≤ 1.1× off).
 *
 * One local Cosmos DB server (bench/support/cosmos-server.mjs, its own process, 127.0.0.1, connections kept alive
 * as Cosmos DB keeps them) and the runtime's handlers as the deployed app registers them (a tenant-confined entity,
 * signed-in callers). "Off" is the app without a tracer provider (no `ATAKORA_TRACES`); "on" is the deployed app's
 * export: the Azure Monitor exporter behind a batch processor, every trace kept (100 %: the worst case, and the
 * headline), sending over HTTPS to a loopback stand-in of Application Insights' ingestion in a process of its own
 * (the real one is another machine: receiving the spans is not the app's work); "on at 25 %" is the same at a
 * `prod` environment's default sampling. The providers and their exporters are made once, as the app makes them
 * once at start. Blocks of `block` requests (a create, then a read of it) rotate through the three modes `rounds`
 * times, so that drift and warm-up affect all alike: a provider is registered for its block and unregistered after
 * it, its batch flushed at the block's end and that flush counted in the block's CPU. Prints p50/p95 per request,
 * the ratios to off and the load average, and records the p50 ratio at 100 % for bench/summary.ts.
 * `PARTS=1` adds two modes that take the cost apart: spans recorded but not exported, and "on" while a user's
 * handler runs in the same worker throughout (its active context keeps Node 20's AsyncLocalStorage promise hooks
 * on for every promise meanwhile: runtime/telemetry/context-manager.ts).
 */
import { benchInvocation, createThenRead } from './support/create-read.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ApplicationInsightsSampler } from '@azure/monitor-opentelemetry-exporter';
import { loopbackCertificate } from '../src/cli/dev/loopback/loopback-certificate.js';
import type { RuntimeEntity, RuntimeManifest } from '../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../src/runtime/caller/tenant-source.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { registerTracerProvider } from '../src/runtime/telemetry/register-provider.js';
import { userCode } from '../src/runtime/telemetry/user-code.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

// Blocks of 50: every block switches the provider (the app registers one once, at start), and at 25 a block the
// ratio swung by ±5 % from run to run (docs/performance.md, "Traces").
const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 40) || 40, 2), 500);
const BLOCK = Math.min(Math.max(Number(process.argv[3] ?? 50) || 50, 5), 500);

// The default CrudApi: every item confined to the caller's tenant, callers signed in.
const { tenancy: _shared, ...isolated } = BENCH_ENTITY;
const entity: RuntimeEntity = isolated;
const manifest: RuntimeManifest = { version: 1, backendId: 'bench', entities: [entity] };
const principal = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'tid', val: 'tenant-bench' },
      { typ: 'oid', val: 'oid-bench' },
    ],
  }),
).toString('base64');

/** The ingestion stand-in's process: its URL, and what it received once told to stop. */
async function startIngestion(certFile: string, keyFile: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./support/ingestion-server.ts', import.meta.url).pathname,
      certFile,
      keyFile,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the ingestion stand-in exited');
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const { url } = (await next()) as { url: string };
  return {
    url,
    /** Stops it; resolves with the track requests and items (spans) it received. */
    stop: async () => {
      child.stdin!.end();
      return (await next()) as { requests: number; items: number };
    },
    kill: () => child.kill(),
  };
}

const work = mkdtempSync(join(tmpdir(), 'atakora-bench-traces-'));
const certificate = loopbackCertificate(work);
const load = loadavg()[0]!;
const [cosmos, ingestion] = await Promise.all([
  benchCosmos({ keepAlive: true }),
  startIngestion(certificate.certFile, certificate.keyFile),
]);
process.env['APPLICATIONINSIGHTS_STATSBEAT_DISABLED'] = 'true';
let received: { requests: number; items: number } | undefined;

try {
  const fns = new Map<string, HttpFunctionOptions>();
  registerCrudRoutes({ http: (name, o) => fns.set(name, o) }, manifest, {
    containerFor: () => cosmos.container,
    caller: callerPolicyOf(manifest),
    logger: () => {},
  });
  const collection = fns.get('BenchApi-collection')!.handler as HttpHandler;
  const item = fns.get('BenchApi-item')!.handler as HttpHandler;
  const invocation = benchInvocation();
  const headers = { 'x-ms-client-principal': principal, 'content-type': 'application/json' };
  let n = 0;
  const request = async (): Promise<number> => {
    const id = `t-${String(n++)}`;
    const ms = await createThenRead(collection, item, invocation, headers, id, n);
    return ms / 2;
  };

  // Made once, as the deployed app makes them at start (runtime/telemetry/azure-monitor.ts): the exporter keeps its
  // connection to the ingestion endpoint from one block to the next. Two: every trace kept (the headline, the worst
  // case), and 25 % kept, the default of a `prod` environment (backend/normalize-config.ts).
  const exportAt = (share: number) =>
    new BasicTracerProvider({
      sampler: new ApplicationInsightsSampler(share),
      spanProcessors: [
        new BatchSpanProcessor(
          new AzureMonitorTraceExporter({
            connectionString: `InstrumentationKey=00000000-0000-0000-0000-0000000000be;IngestionEndpoint=${ingestion.url}/`,
            credential: {
              getToken: () =>
                Promise.resolve({ token: 'bench', expiresOnTimestamp: Date.now() + 3_600_000 }),
            },
            tlsOptions: { ca: certificate.cert },
            disableOfflineStorage: true,
          }),
        ),
      ],
    });
  // With PARTS=1, two more modes take the cost apart: "spans", every span recorded but none exported, and
  // "handler", the export at 100 % while a user's handler runs beside the block's requests (AsyncLocalStorage on).
  const providers = {
    on: exportAt(1),
    prod: exportAt(0.25),
    spans: new BasicTracerProvider({ sampler: new AlwaysOnSampler() }),
    handler: exportAt(1),
  };
  let handlerDone: (() => void) | undefined;
  let handlerRun: Promise<void> | undefined;
  type Mode = 'off' | keyof typeof providers;
  const tracingOn = (mode: Mode) => {
    if (mode === 'off') return;
    if (!registerTracerProvider(providers[mode]))
      throw new Error('a tracer provider is registered already');
    if (mode === 'handler')
      handlerRun = context.with(
        userCode(ROOT_CONTEXT),
        () => new Promise<void>((resolve) => (handlerDone = resolve)),
      );
  };
  const tracingOff = async (mode: Mode) => {
    if (mode === 'off') return;
    handlerDone?.();
    await handlerRun;
    handlerDone = handlerRun = undefined;
    await providers[mode].forceFlush();
    trace.disable();
    context.disable();
    propagation.disable();
  };
  const modes: readonly Mode[] =
    process.env['PARTS'] === '1'
      ? ['off', 'spans', 'handler', 'on', 'prod']
      : ['off', 'on', 'prod'];

  // Warm-up: every path, so the JIT and the connection pool are ready for each.
  for (const mode of modes) {
    tracingOn(mode);
    for (let i = 0; i < BLOCK; i++) await request();
    await tracingOff(mode);
  }

  const ms: Record<Mode, number[]> = { off: [], spans: [], handler: [], on: [], prod: [] };
  // This process's CPU per request (the Cosmos DB server runs elsewhere): what tracing adds, less diluted by the
  // server's time and less sensitive to a loaded machine than the latency.
  const cpu: Record<Mode, number[]> = { off: [], spans: [], handler: [], on: [], prod: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // A rotating order, so that no mode always follows the same one.
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(r + k) % modes.length]!;
      tracingOn(mode);
      const before = process.cpuUsage();
      for (let i = 0; i < BLOCK; i++) ms[mode].push(await request());
      // The export's flush (serializing, compressing, sending the block's spans) is counted in its block's CPU.
      await tracingOff(mode);
      const used = process.cpuUsage(before);
      cpu[mode].push((used.user + used.system) / 1000 / (2 * BLOCK));
    }
  }
  const { off, on } = ms;
  await Promise.all(Object.values(providers).map((x) => x.shutdown()));
  received = await ingestion.stop();
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
  const fmt = (x: number) => `${x.toFixed(3)} ms`;
  const p50 = median(on) / median(off);
  const p95 = p(on, 0.95) / p(off, 0.95);
  const cpuRatio = median(cpu.on) / median(cpu.off);
  console.log(
    `Tracing, per CRUD request (a create and a read of it, halved): ${String(ROUNDS)} rotating rounds of ${String(BLOCK)}, ` +
      `local Cosmos DB server in another process, Node ${process.version}, load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `  off (no provider)                         p50 ${fmt(median(off))}  p95 ${fmt(p(off, 0.95))}`,
  );
  console.log(
    `  on (Azure Monitor exporter, 100 %, batch) p50 ${fmt(median(on))}  p95 ${fmt(p(on, 0.95))}`,
  );
  console.log(
    `  on at 25 % (prod's default)               p50 ${fmt(median(ms.prod))}  p95 ${fmt(p(ms.prod, 0.95))}  ` +
      `(p50 ×${(median(ms.prod) / median(off)).toFixed(3)}, p95 ×${(p(ms.prod, 0.95) / p(off, 0.95)).toFixed(3)})`,
  );
  if (modes.includes('handler'))
    for (const mode of ['spans', 'handler'] as const)
      console.log(
        `  ${mode === 'spans' ? 'spans recorded, none exported            ' : 'on, a user’s handler running meanwhile   '} ` +
          `p50 ${fmt(median(ms[mode]))}  (p50 ×${(median(ms[mode]) / median(off)).toFixed(3)}, ` +
          `CPU ×${(median(cpu[mode]) / median(cpu.off)).toFixed(3)})`,
      );
  console.log(
    `  CPU of this process per request, median of the blocks: off ${fmt(median(cpu.off))}, on ${fmt(median(cpu.on))} ` +
      `(×${cpuRatio.toFixed(3)}), at 25 % ${fmt(median(cpu.prod))} (×${(median(cpu.prod) / median(cpu.off)).toFixed(3)}), ` +
      `the export's flush included`,
  );
  console.log(
    `  on (100 %) ÷ off: p50 ×${p50.toFixed(3)} (budget ≤ 1.1×), p95 ×${p95.toFixed(3)}; ` +
      `${String(received.items)} spans in ${String(received.requests)} export requests received`,
  );
  recordRatio('traced-request', {
    label: 'a CRUD request traced (Azure Monitor export, 100 %) ÷ untraced (bench/traces.ts)',
    ratio: p50,
    budget: 1.1,
    detail: `p50 ${fmt(median(on))} vs ${fmt(median(off))}, p95 ×${p95.toFixed(2)}, CPU ×${cpuRatio.toFixed(2)}; at 25 % p50 ×${(median(ms.prod) / median(off)).toFixed(2)}; ${String(ROUNDS)} interleaved rounds of ${String(BLOCK)}`,
  });
} finally {
  if (!received) ingestion.kill();
  await cosmos.close();
  rmSync(work, { recursive: true, force: true });
}
