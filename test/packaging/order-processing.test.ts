/**
 * The order-processing example (a CrudApi, a queue worker, a timer and an HTTP function
 * with handler files) is synthesized; the package Terraform would deploy is unzipped, loaded the way the
 * Functions worker loads `main`, its triggers are indexed, and the HTTP handler answers.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stacks, type TfJson } from '../examples/support.js';
import { unzip } from './support/unzip.js';
import { appPackages, functionApps, nonBuiltinImports } from '../support/app-packages.js';
import { ESM_PACKAGE_BANNER } from '../../src/packaging/esm-package.js';
import { principalHeader } from '../runtime/support/built-app.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const stub = join(repo, 'test/runtime/support/functions-core-stub');
const temp: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temp.push(d);
  return d;
};

interface Synthesized {
  json: TfJson;
  zip: Buffer;
  zipPath: string;
  settings: Record<string, string>;
}
let first: Synthesized;

async function synthExample(): Promise<Synthesized> {
  const dir = tempDir('atakora-order-processing-');
  const { synthOrderProcessing } = await import('../../examples/order-processing.js');
  synthOrderProcessing(dir);
  const json = stacks(dir)['orders-dev']!;
  const apps = functionApps(json.resource!);
  expect(apps).toHaveLength(1); // the CrudApi and the FunctionsApp share one app, hence one package
  const zipPath = String(appPackages(json.resource!).get(String(apps[0]!['name'])));
  return {
    json,
    zipPath,
    zip: readFileSync(join(dir, 'stacks/orders-dev', zipPath)),
    settings: apps[0]!['app_settings'] as Record<string, string>,
  };
}

/** The package unpacked as the platform would (run-from-package mounts it read-only as wwwroot). */
function unpack(zip: Buffer): string {
  const dir = tempDir('atakora-wwwroot-');
  for (const [name, data] of unzip(zip)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
  return dir;
}

async function worker(
  appDir: string,
  env: Record<string, string>,
  invoke?: { name: string; request: object },
) {
  const args = [
    join(import.meta.dirname, 'support/worker-standin.cjs'),
    appDir,
    ...(invoke ? [invoke.name, JSON.stringify(invoke.request)] : []),
  ];
  const { stdout } = await run(process.execPath, args, {
    cwd: appDir,
    env: { PATH: process.env.PATH ?? '', NODE_PATH: stub, ...env },
  });
  const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
  if (!line) throw new Error(`no result:\n${stdout}`);
  return JSON.parse(line.slice('@@RESULT@@'.length)) as {
    main: string;
    programmingModel: { name: string };
    functions: { name: string; bindings: Record<string, Record<string, unknown>> }[];
    invoked?: { result: { status: number; jsonBody: unknown }; logs: string[] };
  };
}

/** App settings as the worker's environment: Terraform references (known only at deploy) become local URLs. */
function envOf(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([k, v]) => [k, v.includes('${') ? 'https://localhost:8081/' : v]),
  );
}

beforeAll(async () => {
  first = await synthExample();
});
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe('order-processing example: one package for the CRUD runtime and the handlers', () => {
  it('is a content-hashed zip file asset with host.json, package.json main and a self-contained index.js', () => {
    expect(first.zipPath).toMatch(
      /^assets\/.+\/atakora-func-orders-dev-[a-z0-9]+-[0-9a-f]{16}\.zip$/,
    );
    const files = unzip(first.zip);
    // index.js, the trace exporter loaded only when the app exports traces, and the billing client loaded only with
    // tenants.billing (packaging/esm-package.ts).
    expect([...files.keys()].sort()).toEqual([
      'atakora-billing.js',
      'atakora-email.js',
      'atakora-openai.js',
      'atakora-telemetry.js',
      'host.json',
      'index.js',
      'package.json',
    ]);
    expect(JSON.parse(files.get('package.json')!.toString())).toMatchObject({
      main: 'index.js',
      type: 'module',
    });
    const host = JSON.parse(files.get('host.json')!.toString());
    expect(host.version).toBe('2.0');
    // The host's own logs at Warning, its request telemetry kept; the handlers' own logs (context.log) kept too.
    const levels = host.logging.logLevel as Record<string, string>;
    expect(levels).toMatchObject({ default: 'Warning', 'Host.Results': 'Information' });
    const own = Object.keys(levels).filter((k) => /^Function\..+\.User$/.test(k));
    expect(own.length).toBeGreaterThan(0);
    for (const k of own) expect(levels[k]).toBe('Information');
    expect(own.some((k) => k.startsWith('Function.OrderApi-'))).toBe(false);
    const code = files.get('index.js')!.toString();
    // One ES module importing Node built-ins only; the worker's @azure/functions-core is required by name.
    expect(nonBuiltinImports(code, builtinModules)).toEqual([]);
    expect(code).toContain('"@azure/functions-core"');
    expect(code.startsWith(ESM_PACKAGE_BANNER)).toBe(true);
    // Flex Consumption (the default plan) reads the package from its deployment container, not run-from-package.
    expect(first.settings['WEBSITE_RUN_FROM_PACKAGE']).toBeUndefined();
    expect(first.settings['ORDER_WORKER_STORAGE__queueServiceUri']).toMatch(
      /^https:\/\/st[a-z0-9]+\.queue\.core\.windows\.net/,
    );
  });

  it('indexes the CRUD routes, the http, storageQueue and timer triggers when loaded as the worker loads main', async () => {
    const result = await worker(unpack(first.zip), envOf(first.settings));
    expect(result.main).toBe('index.js');
    expect(result.programmingModel.name).toBe('@azure/functions');
    const triggers = Object.fromEntries(
      result.functions.map((f) => {
        const t = Object.values(f.bindings).find((b) => b['direction'] === 'in')!;
        const { name: _name, properties: _p, direction: _d, ...rest } = t;
        return [f.name, rest];
      }),
    );
    expect(triggers).toEqual({
      'OrderApi-collection': {
        type: 'httpTrigger',
        route: 'orders',
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        authLevel: 'anonymous',
      },
      'OrderApi-item': {
        type: 'httpTrigger',
        route: 'orders/{id}',
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        authLevel: 'anonymous',
      },
      health: { type: 'httpTrigger', route: 'health', methods: ['GET'], authLevel: 'anonymous' },
      // Signed in like every route but health: App Service authentication guards it, as it guards the CRUD routes.
      openapi: {
        type: 'httpTrigger',
        route: 'openapi.json',
        methods: ['GET'],
        authLevel: 'anonymous',
      },
      'OrderWorker-nightly-report': { type: 'timerTrigger', schedule: '0 0 2 * * *' },
      'OrderWorker-order-status': {
        type: 'httpTrigger',
        route: 'order-status/{id}',
        methods: ['GET'],
        authLevel: 'anonymous',
      },
      'OrderWorker-process-order': {
        type: 'queueTrigger',
        queueName: 'orders',
        connection: 'ORDER_WORKER_STORAGE',
      },
    });
  });

  it('the HTTP handler answers', async () => {
    const dir = unpack(first.zip);
    // The handler runs behind the runtime's gate: a signed-in caller (the principal App Service injects) reaches it,
    // an anonymous one gets 401 and no handler code runs (no log line).
    const ada = principalHeader([
      ['oid', 'ada-oid'],
      ['tid', 't1'],
      ['name', 'Ada'],
    ]);
    const ok = await worker(dir, envOf(first.settings), {
      name: 'OrderWorker-order-status',
      request: { params: { id: 'o-1' }, headers: ada },
    });
    expect(ok.invoked!.result).toEqual({
      status: 200,
      // TRACKING_URL under the name the example wrote, from the synthesized app settings.
      jsonBody: {
        id: 'o-1',
        status: 'queued',
        requestedBy: 'Ada',
        tracking: 'https://track.example.com/orders/o-1',
      },
    });
    const anonymous = await worker(dir, envOf(first.settings), {
      name: 'OrderWorker-order-status',
      request: { params: { id: 'o-1' } },
    });
    expect(anonymous.invoked!.result.status).toBe(401);
    expect(anonymous.invoked!.logs).toEqual([]);
    expect(JSON.parse(ok.invoked!.logs[0]!)).toMatchObject({
      operation: 'order-status',
      id: 'o-1',
    });
    const bad = await worker(dir, envOf(first.settings), {
      name: 'OrderWorker-order-status',
      request: { params: { id: 'no/slash' }, headers: ada },
    });
    expect(bad.invoked!.result.status).toBe(400);
  });

  it('gives byte-identical packages and asset paths for the same inputs (no spurious redeploys)', async () => {
    // A fresh esbuild run, not the bundle reused within this process. The example imports the package by its
    // name, i.e. the built dist/, whose module instance holds that cache.
    const built = (await import(
      pathToFileURL(join(repo, 'dist/packaging/bundle-app.js')).href
    )) as { forgetBundles(): void };
    built.forgetBundles();
    const second = await synthExample();
    expect(second.zipPath).toBe(first.zipPath);
    expect(second.zip.equals(first.zip)).toBe(true);
  });
});
