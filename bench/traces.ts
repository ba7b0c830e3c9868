/**
 * `npx tsx bench/traces.ts [rounds=20] [block=25]`: what tracing costs a CRUD request (budget: on ≤ 1.1× off).
 *
 * One local Cosmos DB server (bench/support/cosmos-server.mjs, its own process, 127.0.0.1, connections kept alive
 * as Cosmos DB keeps them) and the runtime's handlers as the deployed app registers them (a tenant-confined entity,
 * signed-in callers). "Off" is the app without a tracer provider (no `ATAKORA_TRACES`); "on" is the deployed app's
 * export: the Azure Monitor exporter behind a batch processor, every trace kept (100 %: the worst case), sending
 * over HTTPS to a loopback stand-in of Application Insights' ingestion in a process of its own (the real one is
 * another machine: receiving the spans is not the app's work). The provider and its exporter are made once, as
 * the app makes them once at start; blocks of `block` requests (a create, then a read of it) alternate off and on
 * `rounds` times — the provider registered for an "on" block and unregistered after it, its batch flushed at the
 * block's end and that flush counted in the block's CPU — so that drift and warm-up affect both alike. Prints
 * p50/p95 per request, the on ÷ off ratios and the load average, and records the p50 ratio for bench/summary.ts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { HttpFunctionOptions, HttpHandler, HttpResponseInit } from '@azure/functions';
// Default import: @azure/functions is a webpack CJS bundle whose classes Node's ESM loader cannot name.
import azureFunctions from '@azure/functions';
import { AzureMonitorTraceExporter } from '@azure/monitor-opentelemetry-exporter';
import { context, propagation, trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ApplicationInsightsSampler } from '@azure/monitor-opentelemetry-exporter';
import { loopbackCertificate } from '../src/cli/dev/loopback-certificate.js';
import type { RuntimeEntity, RuntimeManifest } from '../src/model/runtime-manifest.js';
import { callerPolicyOf } from '../src/runtime/access/tenant-source.js';
import { registerCrudRoutes } from '../src/runtime/register-routes.js';
import { registerTracerProvider } from '../src/runtime/telemetry/register-provider.js';
import { BENCH_ENTITY } from './baseline/bare-crud-handler.js';
import { benchCosmos } from './support/cosmos-client.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const ROUNDS = Math.min(Math.max(Number(process.argv[2] ?? 20) || 20, 2), 500);
const BLOCK = Math.min(Math.max(Number(process.argv[3] ?? 25) || 25, 5), 500);

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
  const invocation = new InvocationContext({
    invocationId: 'bench',
    functionName: 'bench',
    logHandler: () => {},
  });
  const headers = { 'x-ms-client-principal': principal, 'content-type': 'application/json' };
  let n = 0;
  const request = async (): Promise<number> => {
    const id = `t-${String(n++)}`;
    const post = new HttpRequest({
      method: 'POST',
      url: 'https://bench.local/api/docs',
      headers,
      body: { string: JSON.stringify({ id, name: `doc ${id}`, n }) },
    });
    const get = new HttpRequest({
      method: 'GET',
      url: `https://bench.local/api/docs/${id}`,
      headers,
      params: { id },
    });
    const t = performance.now();
    const created = (await collection(post, invocation)) as HttpResponseInit;
    const read = (await item(get, invocation)) as HttpResponseInit;
    const ms = performance.now() - t;
    if (created.status !== 201 || read.status !== 200)
      throw new Error(
        `expected 201 and 200, got ${String(created.status)} and ${String(read.status)}`,
      );
    return ms / 2;
  };

  // Made once, as the deployed app makes them at start (runtime/telemetry/azure-monitor.ts): the exporter keeps its
  // connection to the ingestion endpoint from one block to the next.
  const provider = new BasicTracerProvider({
    sampler: new ApplicationInsightsSampler(1),
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
  const tracingOn = () => {
    if (!registerTracerProvider(provider))
      throw new Error('a tracer provider is registered already');
  };
  const tracingOff = async () => {
    await provider.forceFlush();
    trace.disable();
    context.disable();
    propagation.disable();
  };

  // Warm-up: both paths, so the JIT and the connection pool are ready for each.
  for (let i = 0; i < BLOCK; i++) await request();
  tracingOn();
  for (let i = 0; i < BLOCK; i++) await request();
  await tracingOff();

  const off: number[] = [];
  const on: number[] = [];
  // This process's CPU per request (the Cosmos DB server runs elsewhere): what tracing adds, less diluted by the
  // server's time and less sensitive to a loaded machine than the latency.
  const cpu = { off: [] as number[], on: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
    for (const mode of order) {
      if (mode === 'on') tracingOn();
      const before = process.cpuUsage();
      for (let i = 0; i < BLOCK; i++) (mode === 'on' ? on : off).push(await request());
      // The export's flush (serializing, compressing, sending the block's spans) is counted in its block's CPU.
      if (mode === 'on') await tracingOff();
      const used = process.cpuUsage(before);
      cpu[mode].push((used.user + used.system) / 1000 / (2 * BLOCK));
    }
  }
  await provider.shutdown();
  received = await ingestion.stop();
  const p = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
  const fmt = (x: number) => `${x.toFixed(3)} ms`;
  const p50 = median(on) / median(off);
  const p95 = p(on, 0.95) / p(off, 0.95);
  const cpuRatio = median(cpu.on) / median(cpu.off);
  console.log(
    `Tracing, per CRUD request (a create and a read of it, halved): ${String(ROUNDS)} alternating rounds of ${String(BLOCK)}, ` +
      `local Cosmos DB server in another process, Node ${process.version}, load average ${load.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `  off (no provider)                         p50 ${fmt(median(off))}  p95 ${fmt(p(off, 0.95))}`,
  );
  console.log(
    `  on (Azure Monitor exporter, 100 %, batch) p50 ${fmt(median(on))}  p95 ${fmt(p(on, 0.95))}`,
  );
  console.log(
    `  CPU of this process per request, median of the blocks: off ${fmt(median(cpu.off))}, on ${fmt(median(cpu.on))} ` +
      `(×${cpuRatio.toFixed(3)}), the export's flush included`,
  );
  console.log(
    `  on ÷ off: p50 ×${p50.toFixed(3)} (budget ≤ 1.1×), p95 ×${p95.toFixed(3)}; ` +
      `${String(received.items)} spans in ${String(received.requests)} export requests received`,
  );
  recordRatio('traced-request', {
    label: 'a CRUD request traced (Azure Monitor export, 100 %) ÷ untraced (bench/traces.ts)',
    ratio: p50,
    budget: 1.1,
    detail: `p50 ${fmt(median(on))} vs ${fmt(median(off))}, p95 ×${p95.toFixed(2)}, CPU ×${cpuRatio.toFixed(2)}; ${String(ROUNDS)} interleaved rounds of ${String(BLOCK)}`,
  });
} finally {
  if (!received) ingestion.kill();
  await cosmos.close();
  rmSync(work, { recursive: true, force: true });
}
