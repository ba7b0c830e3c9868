/**
 * `atakora dev` cold start (budget ≤ 3 s): a fresh `node dist/cli/bin.js dev examples/team-notes/backend.ts
 * --port 0` (a CrudApi and a static site), timed from spawn until both the site's page and an API route
 * (`GET /api/notes` as the signed-in dev user) have answered 200. Every start is a fresh process with a fresh
 * local Cosmos DB server and worker; the entry's bundle cache (node_modules/.cache/atakora) is kept, as on every
 * start after the first.
 *
 * Two baselines in the same run, interleaved round by round (dev, plan, static, dev, plan, static …), so a
 * machine that slows down moves all three alike:
 * - `atakora plan` of the same entry, to its exit: the CLI's start, loading the entry and planning it — what
 *   `dev` must do before it starts anything. dev ÷ plan is the price of what dev adds (the Cosmos server, the
 *   package build, the worker, the site server);
 * - a plain `node:http` static server in a fresh `node` process, to its first 200: the floor of "a process that
 *   serves a page", so dev ÷ static is the whole start-up overhead over a process start.
 * And what tracing costs the start (budget ≤ 1.1×), in the same rounds: `atakora dev` as above (the trace view on,
 * as always), the same with `OTEL_EXPORTER_OTLP_ENDPOINT` set (a loopback collector: the OTLP exporter loads too),
 * against the same with `ATAKORA_DEV_TRACES=off` (no OpenTelemetry SDK loaded at all).
 * Prints medians, the spread (min–max) and the per-round ratios' median; asserts nothing (a shared machine is
 * noisy). Needs `npm run build` (the CLI runs from dist/).
 *
 *   npx tsx bench/dev-start.ts [runs=5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { startTelemetryReceiver } from '../test/support/telemetry-receiver.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const root = resolve(import.meta.dirname, '..');
const RUNS = Math.min(Math.max(Number(process.argv[2] ?? 5) || 5, 1), 50);
const BUDGET_MS = 3000;
const bin = resolve(root, 'dist/cli/bin.js');
const entry = 'examples/team-notes/backend.ts';

/** A GET until it answers 200 (a server that printed its URL may still be finishing its start). */
async function firstOk(url: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) return;
      if (tries > 500) throw new Error(`${url} answered ${res.status}`);
    } catch (e) {
      if (tries > 500) throw e;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) => {
    if (child.exitCode !== null || child.signalCode !== null) r();
    else child.once('exit', () => r());
  });
}

/** Spawn → both URLs printed → both answer 200; the process is then stopped (SIGTERM, as Ctrl+C) and awaited. */
async function devStart(env: NodeJS.ProcessEnv = {}): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'dev', entry, '--port', '0'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    const { api, site } = await new Promise<{ api: string; site: string }>((done, fail) => {
      let api: string | undefined;
      let site: string | undefined;
      child.once('exit', (code) => {
        fail(new Error(`atakora dev exited (${String(code)}) before its banner: ${stderr}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        api ??= /^\S+: (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1];
        site ??= /^site \S+ (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line)?.[1];
        if (api && site) done({ api, site });
      });
    });
    await Promise.all([firstOk(site), firstOk(`${api}/api/notes`)]);
    return performance.now() - t0;
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

function planOnce(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, 'plan', entry], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((done, fail) =>
    child.once('exit', (code) => {
      if (code === 0) done(performance.now() - t0);
      else fail(new Error(`atakora plan exited ${String(code)}: ${stderr}`));
    }),
  );
}

const STATIC_SERVER = `const http = require('node:http'); const fs = require('node:fs');
const page = fs.readFileSync(${JSON.stringify(resolve(root, 'examples/team-notes/site/index.html'))});
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end(page); });
s.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + s.address().port + '/'));`;

async function staticStart(): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['-e', STATIC_SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((done) =>
      createInterface({ input: child.stdout! }).once('line', done),
    );
    await firstOk(url);
    return performance.now() - t0;
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

// Dev's own environment decides its tracing: none of the developer's shell settings leak into the baseline.
delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
delete process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
delete process.env['ATAKORA_DEV_TRACES'];
const collector = await startTelemetryReceiver();
const OFF = { ATAKORA_DEV_TRACES: 'off' };
const OTLP = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url };
const load = loadavg()[0] ?? 0;
try {
  // Warm-up round (the OS file cache, the entry's bundle cache), not counted.
  await devStart();
  await devStart(OFF);
  await devStart(OTLP);
  await planOnce();
  await staticStart();
  const dev: number[] = [],
    off: number[] = [],
    otlp: number[] = [],
    plan: number[] = [],
    stat: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // The three dev starts in a rotating order, so that none always follows the same one.
    const order = [
      () => devStart().then((ms) => dev.push(ms)),
      () => devStart(OFF).then((ms) => off.push(ms)),
      () => devStart(OTLP).then((ms) => otlp.push(ms)),
    ];
    for (let k = 0; k < order.length; k++) await order[(i + k) % order.length]!();
    plan.push(await planOnce());
    stat.push(await staticStart());
  }
  const fmt = (xs: number[]) =>
    `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
  const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
  const spread = (xs: number[]) =>
    `×${median(xs).toFixed(2)} (×${Math.min(...xs).toFixed(2)}–×${Math.max(...xs).toFixed(2)})`;
  console.log(
    `atakora dev cold start to the first 200 of its site and of an API route (${entry}), ${RUNS} interleaved rounds after a warm-up, Node ${process.version}, load average ${load.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)}:`,
  );
  console.log(
    `  atakora dev             ${fmt(dev)}  budget ≤ ${BUDGET_MS} ms: ${median(dev) <= BUDGET_MS ? 'ok' : 'OVER'}`,
  );
  console.log(
    `  atakora plan (to exit)  ${fmt(plan)}   dev ÷ plan per round ${spread(ratios(dev, plan))}`,
  );
  console.log(
    `  node:http static server ${fmt(stat)}   dev ÷ static per round ${spread(ratios(dev, stat))}`,
  );
  const withOtlp = ratios(otlp, off);
  console.log(`  tracing (budget ≤ ×1.1), against ATAKORA_DEV_TRACES=off ${fmt(off)}:`);
  console.log(`    trace view (the default)        per round ${spread(ratios(dev, off))}`);
  console.log(`    trace view + OTLP export        per round ${spread(withOtlp)}  ${fmt(otlp)}`);
  recordRatio('dev-start-traces', {
    label:
      'atakora dev start with tracing (trace view + OTLP export) ÷ without (bench/dev-start.ts)',
    ratio: median(withOtlp),
    budget: 1.1,
    detail: `medians ${median(otlp).toFixed(0)} vs ${median(off).toFixed(0)} ms; trace view alone ×${median(ratios(dev, off)).toFixed(2)}; ${String(RUNS)} interleaved rounds`,
  });
} finally {
  await collector.stop();
}
