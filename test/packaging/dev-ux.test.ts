/**
 * `atakora dev` reports progress while it starts, its banner lists what each route really
 * serves, handler stack traces name the user's files (source maps), and an edit of the entry or a handler
 * restarts the apps (same port, same local data store).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crudServedMethods, devBanner } from '../../src/cli/dev/session/banner.js';
import { devProgress } from '../../src/cli/dev/session/progress.js';
import { restartOnChange, watchFiles } from '../../src/cli/shared/watch-files.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import type { CrudOperation, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { HANG_MS } from '../support/patience.js';

const OPS: readonly CrudOperation[] = ['create', 'read', 'update', 'delete', 'list'];
const waitFor = async (check: () => boolean | Promise<boolean>, ms = HANG_MS) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('dev banner: what each CRUD route serves', () => {
  it('agrees with the runtime for every set of operations', () => {
    for (let mask = 1; mask < 32; mask++) {
      const operations = OPS.filter((_, i) => mask & (1 << i));
      const entity = {
        componentId: 'C',
        entityName: 'E',
        route: 'es',
        partitionKey: '/id',
        schema: {},
        operations,
      } as unknown as RuntimeEntity;
      const { allowed } = createCrudHandlers(entity, {} as Container);
      expect(
        [crudServedMethods(operations, 'collection'), crudServedMethods(operations, 'item')].map(
          (m) => [...m].sort(),
        ),
      ).toEqual([[...allowed.collection].sort(), [...allowed.item].sort()]);
    }
  });

  it('prints a read-only API with GET only', () => {
    const lines = devBanner([
      {
        name: 'func-x',
        url: 'http://127.0.0.1:7071',
        functions: [
          {
            name: 'CatalogApi-item',
            type: 'httpTrigger',
            route: 'products/{id}',
            methods: crudServedMethods(['read', 'list'], 'item'),
          },
          { name: 'W-job', type: 'queueTrigger', queueName: 'jobs' },
        ],
      },
    ]);
    expect(lines).toEqual([
      'func-x: http://127.0.0.1:7071',
      `  ${'trace view'.padEnd(32)} http://127.0.0.1:7071/_atakora/traces`,
      `  ${'CatalogApi-item'.padEnd(32)} GET http://127.0.0.1:7071/api/products/{id}`,
      `  ${'W-job'.padEnd(32)} queue jobs (POST http://127.0.0.1:7071/admin/functions/W-job)`,
    ]);
  });
});

describe('dev progress', () => {
  it('one line per step, with the time the previous step took', () => {
    const lines: string[] = [];
    let t = 0;
    const progress = devProgress(
      (l) => lines.push(l),
      () => t,
    );
    progress('Loading main.ts');
    t = 1500;
    progress('Starting the local Cosmos DB server');
    expect(lines).toEqual([
      'atakora dev: Loading main.ts…',
      'atakora dev: Starting the local Cosmos DB server… (previous step 1.5 s)',
    ]);
  });
});

describe('watching files', () => {
  it('reports a burst of writes to a watched file once, and ignores other files in the folder', async () => {
    const dir = resolve(`.tmp-watch-${String(process.pid)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.ts'), '1');
    writeFileSync(join(dir, 'other.ts'), '1');
    const seen: string[][] = [];
    const w = watchFiles([join(dir, 'a.ts')], (files) => seen.push(files), 100);
    try {
      writeFileSync(join(dir, 'other.ts'), '2');
      for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'a.ts'), String(i));
      await waitFor(() => seen.length > 0);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual([[join(dir, 'a.ts')]]);
    } finally {
      w.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A project of its own (an entry and a handler file it can rewrite), under the repository so that the entry's
// relative imports of the library resolve.
const project = resolve(`.tmp-dev-ux-${String(process.pid)}`);
const rel = (f: string) => `./${join(project.slice(process.cwd().length + 1), f)}`;
const entrySource = (operations: string) => `
import { defineBackend } from '../src/backend/define-backend.js';
import { CrudApi } from '../src/components/crud/index.js';
import { FunctionsApp } from '../src/components/functions/index.js';
export default defineBackend({
  catalog: CrudApi.define('CatalogApi', { entityName: 'Product', schema: { id: 'string', name: 'string' }, partitionKey: '/id', operations: ${operations} }),
  hello: FunctionsApp.define('Hello', { runtime: 'node', functions: { greet: { trigger: 'http', route: 'greet', methods: ['GET'], handler: '${rel('greet.ts')}' } } }),
}, { backendId: 'devux' });
`;
const handlerSource = (word: string) => `import type { HttpRequest } from '@azure/functions';

export default async function greet(request: HttpRequest) {
  await Promise.resolve();
  if (request.query.get('fail') === '1') throw new Error('handler failed on purpose');
  return { status: 200, jsonBody: { word: '${word}' } };
}
`;

describe('atakora dev session: source maps and restart on change', () => {
  let dev: DevSession;
  const logs: string[] = [];
  const steps: string[] = [];
  beforeAll(async () => {
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'main.ts'), entrySource("['read', 'list']"));
    writeFileSync(join(project, 'greet.ts'), handlerSource('hello'));
    dev = await startDev(join(project, 'main.ts'), {
      log: (l) => logs.push(l),
      progress: (s) => steps.push(s),
    });
  });
  afterAll(async () => {
    await dev?.stop();
    rmSync(project, { recursive: true, force: true });
  });
  const get = async (path: string) => fetch(`${dev.apps[0]!.url}${path}`);

  it('reports each start-up step and lists only the methods a read-only API serves', () => {
    expect(steps[0]).toBe(`Loading ${join(project, 'main.ts')}`);
    expect(steps).toEqual(
      expect.arrayContaining([
        'Starting the local Cosmos DB server',
        expect.stringMatching(
          /^Building the package of func-devux-dev-\w+ \(bundling its handlers with esbuild\)$/,
        ),
        expect.stringMatching(/^Starting the worker of /),
      ]),
    );
    const fns = Object.fromEntries(dev.apps[0]!.functions.map((f) => [f.name, f.methods]));
    expect(fns['CatalogApi-collection']).toEqual(['GET']);
    expect(fns['CatalogApi-item']).toEqual(['GET']);
    expect(fns['Hello-greet']).toEqual(['GET']);
    expect(dev.watched).toEqual([join(project, 'main.ts'), join(project, 'greet.ts')]);
  });

  it("a handler's stack trace names the user's file and line, not the bundle", async () => {
    const failed = await get('/api/greet?fail=1');
    expect(failed.status).toBe(500);
    // An RFC 9457 problem, as every other error of dev and the runtime, naming the function and its message.
    expect(failed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await failed.json()).toMatchObject({
      type: 'urn:atakora:problem:internal',
      status: 500,
      detail: expect.stringMatching(/^Hello-greet threw: handler failed on purpose/),
    });
    // A page on a dev origin (Vite's, the default) can read that answer: the CORS headers come with it.
    const fromPage = await fetch(`${dev.apps[0]!.url}/api/greet?fail=1`, {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(fromPage.status).toBe(500);
    expect(fromPage.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    await waitFor(() => logs.some((l) => l.includes('handler failed on purpose')));
    const trace = logs.slice(logs.findIndex((l) => l.includes('handler failed on purpose')));
    expect(trace.find((l) => l.trim().startsWith('at '))).toContain(
      `${join(project, 'greet.ts')}:5:`,
    );
  });

  it('restarts on an edit of the handler and of the entry: same port, new code, data kept', async () => {
    const url = dev.apps[0]!.url;
    expect(await (await get('/api/greet')).json()).toEqual({ word: 'hello' });
    expect((await fetch(`${url}/api/products`, { method: 'POST', body: '{}' })).status).toBe(405);
    const reloaded: number[] = [];
    const failures: unknown[] = [];
    const loop = restartOnChange(dev, {
      changed: () => undefined,
      reloaded: () => reloaded.push(Date.now()),
      failed: (e) => failures.push(e),
    });
    try {
      writeFileSync(join(project, 'greet.ts'), handlerSource('again'));
      await waitFor(() => reloaded.length >= 1);
      expect(dev.apps[0]!.url).toBe(url);
      expect(await (await get('/api/greet')).json()).toEqual({ word: 'again' });

      writeFileSync(join(project, 'main.ts'), entrySource("['create', 'read', 'list']"));
      await waitFor(() => reloaded.length >= 2);
      const created = await fetch(`${url}/api/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'p1', name: 'Pen' }),
      });
      expect(created.status).toBe(201);
      expect(
        dev.apps[0]!.functions.find((f) => f.name === 'CatalogApi-collection')?.methods,
      ).toEqual(['GET', 'POST']);

      // A broken save keeps the running apps; the next good one restarts them.
      writeFileSync(join(project, 'main.ts'), 'export default {');
      await waitFor(() => failures.length >= 1);
      expect((await get('/api/products/p1')).status).toBe(200);
      writeFileSync(join(project, 'main.ts'), entrySource("['read', 'list']"));
      await waitFor(() => reloaded.length >= 3);
      // The local Cosmos DB server outlived three restarts: the item is still there.
      expect(await (await get('/api/products/p1')).json()).toMatchObject({ id: 'p1', name: 'Pen' });
    } finally {
      loop.close();
    }
  });
});
