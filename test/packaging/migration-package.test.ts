/**
 * A CrudApi's migration modules ride in the Function App package like onChange: bundled, their files checked at
 * build (a missing one names its `migrations` step), handed to the runtime by version, never registered as a
 * function of the app.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appPackageFile } from '../../src/apply/package/app-package.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { HostedFunction } from '../../src/model/requirements.js';
import { entrySource } from '../../src/packaging/entry-source.js';
import { thrown } from '../support/errors.js';
import { unzip } from './support/unzip.js';

const work = mkdtempSync(join(tmpdir(), 'atakora-migration-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const orders = (migrations: Record<number, string>) =>
  defineBackend({
    orders: CrudApi.define('OrderApi', {
      entityName: 'Order',
      schema: { id: 'string', status: { type: 'string', required: true } },
      schemaVersion: 2,
      migrations,
    }),
  })
    .plan()
    .resources.find((r) => r.type === 'functions')!;

describe('migration modules in the package', () => {
  const module = join(work, 'order-v2.ts');
  writeFileSync(
    module,
    'export default (item: Record<string, unknown>) => ({ ...item, status: item.done ? "closed" : "open" });\n',
  );

  it('the plan carries one migration entry per step, and the entry hands them to startRuntime', () => {
    const app = orders({ 2: module });
    const functions = app.config['hostedFunctions'] as unknown as HostedFunction[];
    expect(functions).toEqual([
      {
        name: 'OrderApi-migration-v2',
        componentId: 'OrderApi',
        trigger: 'migration',
        handler: module,
        version: 2,
      },
    ]);
    const source = entrySource(functions, {
      crudRuntime: '/rt.js',
      registerHosted: '/rh.js',
      handlerFiles: new Map([['OrderApi-migration-v2', module]]),
    });
    expect(source).toContain(
      'startRuntime(app, process.env, { migrations: { "OrderApi": { 2: h0 } } });',
    );
  });

  it('is bundled, and loading the package registers no migration function', () => {
    const app = orders({ 2: module });
    const file = appPackageFile({
      appName: app.name,
      crudRuntime: true,
      functions: app.config['hostedFunctions'] as never,
    })!;
    const dir = join(work, 'pkg');
    for (const [name, data] of unzip(readFileSync(file))) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), data);
    }
    expect(readFileSync(join(dir, 'index.js'), 'utf8')).toContain('"closed"');
    const script = `
      const core = require('@azure/functions-core');
      require(${JSON.stringify(join(dir, 'index.js'))});
      console.log(JSON.stringify(core.state.functions.map((f) => f.metadata.name)));`;
    const out = execFileSync(process.execPath, ['-e', script], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_PATH: join(import.meta.dirname, '../runtime/support/functions-core-stub'),
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const names = JSON.parse(out.trim().split('\n').pop()!) as string[];
    expect(names.some((n) => n.includes('migration'))).toBe(false);
  });

  it('a missing migration file fails the build at its step', () => {
    const app = orders({ 2: join(work, 'nope.ts') });
    const error = thrown(() =>
      appPackageFile({
        appName: app.name,
        crudRuntime: true,
        functions: app.config['hostedFunctions'] as never,
      }),
    );
    expect(error.code).toBe('FUNCTIONS_HANDLER_NOT_FOUND');
    expect(error.path).toEqual(['components', 'OrderApi', 'config', 'migrations', '2']);
  });
});
