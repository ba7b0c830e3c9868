#!/usr/bin/env node
// The package where users install it: `npm pack`, then in fresh projects **without a lock file** (so npm resolves
// every range as a user's machine does today, not as our package-lock.json froze it), one per scenario:
//   newest          every peer at the newest version its range admits, with the optional peers beside it
//                   (azurite, @azure/functions, tsx, esbuild, @vercel/cosmosdb-server);
//   lowest          every peer at the lowest version its range admits (constructs ^10.4.2 → 10.4.2);
//   storage-common  as newest, with @azure/storage-common forced to 12.4.1 by npm `overrides`: the version a
//                   Node 20 machine resolves (12.5.0 asks for Node >= 22), whose ES build runs
//                   createRequire(import.meta.url) at load.
// Each project declares a CrudApi, a FunctionsApp (an HTTP handler, and one that sends to a queue another function
// is triggered by) and a FileStore, then
//   - runs `atakora dev`: a CRUD create answers 201, the handler answers, the queue trigger fires on the message,
//     a file upload declaration (POST to the FileStore's route) answers 201; the create is in the trace view
//     (`/_atakora/traces`, its Cosmos DB calls under its server span) and reaches a loopback OTLP/HTTP collector
//     (OTEL_EXPORTER_OTLP_ENDPOINT, http/json) within 10 s;
//   - runs `atakora synth` and loads the Function App package it wrote as the Functions worker does
//     (scripts/load-as-worker.cjs: ESM by import(), CommonJS by require(), `@azure/functions-core` provided), then
//     invokes the HTTP handler in it.
// Exits non-zero on the first failure. Run after `npm run build`, on Node 20 (our `engines` floor) in CI:
//   node scripts/fresh-install.mjs                       (all three)
//   node scripts/fresh-install.mjs storage-common        (one; --keep leaves the projects in the temp folder)
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const SCENARIOS = ['newest', 'lowest', 'storage-common'];
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const chosen = args.filter((a) => !a.startsWith('--'));
for (const s of chosen)
  if (!SCENARIOS.includes(s)) {
    console.error(`fresh-install: unknown scenario ${s} (one of ${SCENARIOS.join(', ')})`);
    process.exit(2);
  }
const scenarios = chosen.length ? chosen : SCENARIOS;
// The first version a range names is its low end (^10.4.2, ~4.20.0, >=0.25.0 <1.0.0).
const lowest = (range) => /\d+\.\d+\.\d+/.exec(range)[0];
// The site uploader is a whole tool dev and synth never run (its keychain module builds only with libsecret;
// docs/deploying.md installs it with --ignore-scripts).
const NOT_INSTALLED = new Set(['@azure/static-web-apps-cli']);
const shell = process.platform === 'win32';
const started = performance.now();
const step = (what) =>
  console.log(`[fresh-install ${((performance.now() - started) / 1000).toFixed(1)}s] ${what}`);

function run(cmd, argv, cwd, env = {}) {
  try {
    return execFileSync(cmd, argv, {
      cwd,
      encoding: 'utf8',
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    throw new Error(
      `${cmd} ${argv.join(' ')} (in ${cwd}) exited ${e.status}\n--- stdout\n${e.stdout}\n--- stderr\n${e.stderr}`,
    );
  }
}
/** `run` without blocking: the installs of the scenarios download at the same time. */
function runAsync(cmd, argv, cwd) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, argv, {
      cwd,
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', rej);
    child.once('exit', (code) =>
      code === 0
        ? res(out)
        : rej(
            new Error(
              `${cmd} ${argv.join(' ')} (in ${cwd}) exited ${code}\n--- stdout\n${out}\n--- stderr\n${err}`,
            ),
          ),
    );
  });
}
function check(condition, message) {
  if (!condition) throw new Error(`fresh-install: ${message}`);
}

if (!existsSync(join(repo, 'dist/index.js'))) {
  console.error('fresh-install: dist/ is missing; run `npm run build` first.');
  process.exit(2);
}
if (!process.version.startsWith('v20.'))
  console.warn(
    `fresh-install: running on Node ${process.version}; CI runs it on Node 20, our engines floor, where npm ` +
      'resolves @azure/storage-common 12.4.1.',
  );

const BACKEND = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';
import { FileStore } from '@atakora/component/files';

export default defineBackend(
  {
    notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string', title: 'string' } }),
    jobs: FunctionsApp.define('Jobs', {
      runtime: 'node',
      functions: {
        hello: { trigger: 'http', route: 'hello', methods: ['GET'], handler: './src/hello.ts' },
        submit: { trigger: 'http', route: 'orders', methods: ['POST'], handler: './src/submit.ts' },
        process: { trigger: 'queue', queueName: 'orders', handler: './src/process.ts' },
      },
    }),
    attachments: FileStore.define('Attachments', {
      maxSizeMb: 1,
      contentTypes: ['text/plain'],
      access: [{ allow: 'owner' }],
    }),
  },
  { backendId: 'fresh', environment: 'dev', location: 'eastus' },
);
`;
const HELLO = `import type { HttpRequest, HttpResponseInit } from '@azure/functions';

export default async function hello(_request: HttpRequest): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: { hello: 'world' } };
}
`;
const SUBMIT = `import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { queueClient } from '@atakora/component/runtime';

export default async function submit(request: HttpRequest): Promise<HttpResponseInit> {
  const { messageId } = await queueClient('orders').send(await request.json());
  return { status: 202, jsonBody: { messageId } };
}
`;
// The queue trigger leaves a file named by the message's id in the temp folder: the script waits for it.
const PROCESS = `import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function process(order: { id: string }): void {
  const dir = join(tmpdir(), 'atakora-fresh-install');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, order.id.replace(/[^\\w-]/g, '_')), JSON.stringify(order));
}
`;

/** The install line of a scenario: the tarball, every peer (newest or lowest in range), @azure/functions. */
function installArgs(scenario, tarball) {
  const low = scenario === 'lowest';
  const peers = Object.entries(pkg.peerDependencies)
    .filter(([name]) => !NOT_INSTALLED.has(name))
    .map(([name, range]) => `${name}@${low ? lowest(range) : range}`);
  // Handlers import @azure/functions for its types; a user installs it beside us (major 4, what we run on).
  const functions = `@azure/functions@${low ? pkg.dependencies['@azure/functions'] : '^4'}`;
  return [tarball, ...peers, functions];
}

async function project(work, scenario, tarball) {
  const dir = join(work, scenario);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `atakora-fresh-${scenario}`,
        private: true,
        ...(scenario === 'storage-common'
          ? { overrides: { '@azure/storage-common': '12.4.1' } }
          : {}),
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, 'backend.ts'), BACKEND);
  writeFileSync(join(dir, 'src/hello.ts'), HELLO);
  writeFileSync(join(dir, 'src/submit.ts'), SUBMIT);
  writeFileSync(join(dir, 'src/process.ts'), PROCESS);
  step(`${scenario}: npm install (no lock file) ${installArgs(scenario, 'atakora.tgz').join(' ')}`);
  await runAsync(
    'npm',
    [
      'install',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...installArgs(scenario, tarball),
    ],
    dir,
  );
  check(!existsSync(join(dir, 'package-lock.json')), 'a lock file was written');
  const version = (name) =>
    JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  const resolved = ['@azure/storage-common', '@azure/storage-blob', 'azurite', 'esbuild', 'tsx']
    .map((n) => `${n} ${version(n)}`)
    .join(', ');
  step(`${scenario}: resolved ${resolved}`);
  if (scenario === 'storage-common')
    check(version('@azure/storage-common') === '12.4.1', 'the override did not apply');
  return dir;
}

/** `atakora dev` in the project: the four answers, then SIGTERM and wait for it to stop. */
/**
 * A loopback OTLP/HTTP collector (http/json): the spans of every export it got, flattened, with `traced(name)`
 * resolving once a span of that name has arrived.
 */
async function otlpCollector() {
  const spans = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const r of body.resourceSpans ?? [])
          for (const s of r.scopeSpans ?? []) spans.push(...(s.spans ?? []));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    spans,
    stop: () => new Promise((res) => server.close(res)),
  };
}

/**
 * Why `spans` do not hold the server span `name` with its Cosmos DB calls as its children (undefined when they
 * do). `spans`: one request's in the trace view (kind a word, attributes a record, no trace id) or every span the
 * collector got, as OTLP JSON (kind 2 is SERVER, attributes a list of key and value; the server span's trace id
 * picks its calls).
 */
function tracedCreate(spans, name) {
  const isServer = (s) => s.kind === 'server' || s.kind === 2;
  const attribute = (s, key) =>
    Array.isArray(s.attributes)
      ? s.attributes.find((a) => a.key === key)?.value?.stringValue
      : s.attributes?.[key];
  const server = spans.find((s) => s.name === name && isServer(s));
  if (!server) return `no server span '${name}'`;
  const calls = spans.filter(
    (s) => s.traceId === server.traceId && attribute(s, 'db.system') === 'cosmosdb',
  );
  if (calls.length === 0) return `no Cosmos DB span in the trace of '${name}'`;
  const orphan = calls.find((c) => c.parentSpanId !== server.spanId);
  return orphan ? `Cosmos DB span '${orphan.name}' is not a child of '${name}'` : undefined;
}

async function dev(dir, scenario) {
  step(`${scenario}: atakora dev backend.ts`);
  const collector = await otlpCollector();
  const child = spawn(
    join(dir, 'node_modules/.bin/atakora'),
    ['dev', 'backend.ts', '--port', '0', '--data-dir', '.atakora/data'],
    {
      cwd: dir,
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NO_COLOR: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      },
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const failed = (what) =>
    new Error(`fresh-install: ${scenario}: ${what}\n--- stdout\n${out}\n--- stderr\n${err}`);
  // Timers that outlive their wait would keep this script alive after its last step: none does.
  let gone = false;
  exited.then(() => (gone = true));
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  try {
    const readyBy = Date.now() + 180_000;
    while (!out.includes('Ready.') && !gone && Date.now() < readyBy) await sleep(200);
    const ready = out.includes('Ready.') && !gone;
    if (!ready) throw failed('atakora dev did not get ready');
    const base = /^\S+: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
    if (!base) throw failed('no app URL in the banner');
    const call = async (path, init = {}) => {
      const r = await fetch(base + path, init);
      const text = await r.text();
      return { status: r.status, text };
    };
    const json = { 'content-type': 'application/json' };
    const crud = await call('/api/notes', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: 'n1', title: 'first' }),
    });
    if (crud.status !== 201) throw failed(`POST /api/notes answered ${crud.status}: ${crud.text}`);
    // Traces, as the user's project runs them (the SDK in dev's worker host bundle): the view, then OTLP.
    if (!/^\s*trace view\s+http:\/\/127\.0\.0\.1:\d+\/_atakora\/traces$/m.test(out))
      throw failed('no trace view URL in the banner');
    const view = await call('/_atakora/traces?format=json');
    if (view.status !== 200) throw failed(`GET /_atakora/traces answered ${view.status}`);
    const viewed = JSON.parse(view.text).requests.find((r) => r.name === 'POST api/notes');
    const inView = viewed
      ? tracedCreate(viewed.spans, 'POST api/notes')
      : 'no POST api/notes in the trace view';
    if (inView) throw failed(`trace view: ${inView}`);
    const exportedBy = Date.now() + 10_000;
    let exported = 'nothing';
    while (Date.now() < exportedBy) {
      exported = tracedCreate(collector.spans, 'POST api/notes');
      if (!exported) break;
      await sleep(250);
    }
    if (exported) throw failed(`OTLP within 10 s: ${exported}`);
    const hello = await call('/api/hello');
    if (hello.status !== 200 || !hello.text.includes('world'))
      throw failed(`GET /api/hello answered ${hello.status}: ${hello.text}`);
    const id = `fresh-${randomUUID()}`;
    const marker = join(tmpdir(), 'atakora-fresh-install', id);
    const sent = await call('/api/orders', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id }),
    });
    if (sent.status !== 202) throw failed(`POST /api/orders answered ${sent.status}: ${sent.text}`);
    const deadline = Date.now() + 60_000;
    while (!existsSync(marker) && Date.now() < deadline) await sleep(250);
    if (!existsSync(marker)) throw failed('the queue trigger did not fire within 60 s');
    rmSync(marker, { force: true });
    const upload = await call('/api/attachments', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'a.txt', contentType: 'text/plain', size: 5 }),
    });
    if (upload.status !== 201)
      throw failed(`POST /api/attachments answered ${upload.status}: ${upload.text}`);
    step(
      `${scenario}: dev answered CRUD 201 (traced: trace view, OTLP), handler 200, queue trigger fired, upload declaration 201`,
    );
  } finally {
    if (!gone) child.kill('SIGTERM');
    const stopBy = Date.now() + 30_000;
    while (!gone && Date.now() < stopBy) await sleep(100);
    if (!gone) child.kill('SIGKILL');
    await collector.stop();
  }
}

/** `atakora synth`, then the Function App package it references, loaded as the worker loads it. */
function synthAndLoad(dir, scenario) {
  step(`${scenario}: atakora synth backend.ts`);
  run(join(dir, 'node_modules/.bin/atakora'), ['synth', 'backend.ts'], dir);
  const zips = [];
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.zip')) zips.push(p);
    }
  };
  walk(join(dir, 'cdktf.out'));
  const app = zips.filter((z) => /atakora-(?!runtime)/.test(z));
  check(app.length === 1, `expected one Function App package in cdktf.out, got ${zips.join(', ')}`);
  return app[0];
}

async function loadAsWorker(dir, zip, scenario) {
  const appDir = join(dir, 'app');
  // The package's own unzip (the deploy path's): no unzip tool is assumed on the machine.
  const { unzipTo } = await import(
    pathToFileURL(join(dir, 'node_modules/@atakora/component/dist/packaging/unzip.js')).href
  );
  unzipTo(readFileSync(zip), appDir);
  step(`${scenario}: load ${zip.slice(dir.length + 1)} as the Functions worker does`);
  // Outside the project: the worker resolves nothing from the user's node_modules.
  const output = run(
    process.execPath,
    [join(repo, 'scripts/load-as-worker.cjs'), appDir, 'Jobs-hello'],
    tmpdir(),
  );
  const result = JSON.parse(output.slice(output.indexOf('@@RESULT@@') + '@@RESULT@@'.length));
  check(
    result.functions.includes('Jobs-process'),
    `functions registered: ${result.functions.join(', ')}`,
  );
  check(result.invoked?.status === 200, `Jobs-hello answered ${JSON.stringify(result.invoked)}`);
  step(
    `${scenario}: loaded (${result.module}, main ${result.main}), ${result.functions.length} functions, Jobs-hello answered 200`,
  );
}

// --keep leaves this run's projects behind; an earlier run's are removed by a detached rm that outlives this
// script, so a machine that runs CI again and again holds one set (~2.4 GB), not one per run.
if (keep)
  for (const old of readdirSync(tmpdir()).filter((n) => n.startsWith('atakora-fresh-install-')))
    spawn('rm', ['-rf', join(tmpdir(), old)], { detached: true, stdio: 'ignore' }).unref();
const work = mkdtempSync(join(tmpdir(), 'atakora-fresh-install-'));
let code = 0;
try {
  step('npm pack');
  const [info] = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo).replace(
      /^[^[]*/,
      '',
    ),
  );
  const tarball = join(work, info.filename);
  // The installs download at the same time (network, not CPU); the servers of each dev run start one at a time.
  const dirs = await Promise.all(scenarios.map((scenario) => project(work, scenario, tarball)));
  for (const [i, scenario] of scenarios.entries()) {
    const dir = dirs[i];
    await dev(dir, scenario);
    await loadAsWorker(dir, synthAndLoad(dir, scenario), scenario);
  }
  step(`ok: ${scenarios.join(', ')}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  code = 1;
} finally {
  if (keep) console.log(`fresh-install: projects kept in ${work}`);
  else {
    step('removing the projects (three node_modules trees)');
    rmSync(work, { recursive: true, force: true });
    step('done');
  }
}
process.exitCode = code;
