import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AtakoraError } from '../../src/model/errors.js';
import { afterAll, describe, expect, it } from 'vitest';
import { compileEntry, withOwnLocation } from '../../src/cli/entry/compile-entry.js';
import { loadBackends } from '../../src/cli/entry/load-entry.js';
import { userProject } from '../support/user-project.js';
import { ENGINE_PACKAGES } from '../support/engine-names.js';

// A TypeScript entry is bundled by esbuild and imported natively: what the entry and its local
// modules see of their own location must be what they would see unbundled, packages must be the instances
// Node loads for everyone, and what Node cannot load natively goes through tsx.
const imports = `import { defineBackend } from '@atakora/component/backend';\nimport { CrudApi } from '@atakora/component/crud';\n`;
const api = `CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })`;

for (const kind of ['module', 'commonjs'] as const) {
  describe(`a .ts entry in a ${kind} project`, () => {
    const project = userProject(kind);
    afterAll(() => project.remove());
    mkdirSync(join(project.dir, 'config'));
    project.write(
      'config/flags.json',
      JSON.stringify({ backendId: `flags${kind === 'module' ? 'esm' : 'cjs'}` }),
    );
    // A local module in another folder reading a file beside itself, both ways.
    project.write(
      'config/flags.ts',
      [
        `import { readFileSync } from 'node:fs';`,
        `import { fileURLToPath } from 'node:url';`,
        `export const viaUrl = JSON.parse(readFileSync(new URL('./flags.json', import.meta.url), 'utf8')) as { backendId: string };`,
        `export const viaDirname = JSON.parse(readFileSync(__dirname + '/flags.json', 'utf8')) as { backendId: string };`,
        `export const file = fileURLToPath(import.meta.url);`,
        `export const meta = { dirname: import.meta.dirname, filename: import.meta.filename, __filename };`,
      ].join('\n'),
    );
    project.write(
      'main.ts',
      [
        imports,
        `import { dirname } from 'node:path';`,
        `import { fileURLToPath } from 'node:url';`,
        `import { viaUrl, viaDirname, file, meta } from './config/flags.js';`,
        `import { App } from '${ENGINE_PACKAGES.cdktf}';`,
        `const __dirname = dirname(fileURLToPath(import.meta.url));`,
        `export const seen = { viaUrl, viaDirname, file, meta, entryUrl: import.meta.url, entryDir: __dirname };`,
        `export { App };`,
        `export default defineBackend({ api: ${api} }, { backendId: viaUrl.backendId, environment: 'dev' });`,
      ].join('\n'),
    );

    it('keeps import.meta and __dirname/__filename per file, and leaves no bundle behind', async () => {
      const [backend] = await loadBackends(join(project.dir, 'main.ts'));
      expect(backend!.plan().backendId).toBe(`flags${kind === 'module' ? 'esm' : 'cjs'}`);
      expect(readdirSync(project.dir).filter((f) => f.includes('atakora'))).toEqual([]);

      const compiled = (await compileEntry(join(project.dir, 'main.ts')))!;
      try {
        const mod = (await import(compiled.url)) as { seen: Record<string, unknown>; App: unknown };
        const flags = join(project.dir, 'config/flags.ts');
        expect(mod.seen).toEqual({
          viaUrl: { backendId: expect.any(String) },
          viaDirname: mod.seen['viaUrl'],
          file: flags,
          meta: { dirname: join(project.dir, 'config'), filename: flags, __filename: flags },
          entryUrl: pathToFileURL(join(project.dir, 'main.ts')).href,
          entryDir: project.dir,
        });
        // Packages are external and load natively: the entry's cdktf is the one everybody else gets.
        expect(mod.App).toBe(
          (createRequire(join(project.dir, 'main.ts'))(ENGINE_PACKAGES.cdktf) as { App: unknown })
            .App,
        );
      } finally {
        await compiled.dispose();
      }
    });
  });
}

describe('entry errors and the tsx fallback', () => {
  const project = userProject('module');
  afterAll(() => project.remove());

  it('a syntax error is ENTRY_SYNTAX_ERROR at the line and column esbuild found (columns from 1)', async () => {
    const file = project.write(
      'broken.ts',
      `${imports}export default defineBackend({ api: ${api}, });\nconst x = (;\n`,
    );
    const error = await loadBackends(file).then(
      () => undefined,
      (e: unknown) => e as AtakoraError,
    );
    expect(error?.code).toBe('ENTRY_SYNTAX_ERROR');
    expect(error?.details).toMatchObject({ line: 4, column: 12 });
    expect(error?.message).toContain('broken.ts:4:12:');
  });

  it('an error thrown by the entry points at the TypeScript line, not the bundle', async () => {
    const file = project.write(
      'throws.ts',
      `${imports}\ninterface Unused { a: string }\nthrow new Error('boom from the entry');\n`,
    );
    // Node's own formatting, as in the CLI's process: not the test runner's source-map interceptor, which an
    // earlier file in this worker may have replaced (the bundle is imported natively: vitest.config.ts).
    const intercept = Error.prepareStackTrace;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    const error = await loadBackends(file)
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      )
      .finally(() => {
        Error.prepareStackTrace = intercept;
      });
    // The CLI's message names the user's line; the original error (its stack mapped back) is the cause.
    expect(error?.message).toContain('boom from the entry');
    expect(error?.message).toContain('throws.ts:5:7');
    const cause = error?.cause as Error | undefined;
    expect(cause?.message).toBe('boom from the entry');
    expect(cause?.stack).toContain(`${file}:5:7`);
    expect(cause?.stack).not.toContain('.atakora.mjs');
  });

  it('a package that is TypeScript source (a workspace package) loads through tsx', async () => {
    mkdirSync(join(project.dir, 'node_modules/ts-source-pkg'), { recursive: true });
    project.write(
      'node_modules/ts-source-pkg/package.json',
      JSON.stringify({ name: 'ts-source-pkg', type: 'module', main: 'index.ts' }),
    );
    project.write(
      'node_modules/ts-source-pkg/index.ts',
      `export const backendId: string = 'fromtspkg';\n`,
    );
    const file = project.write(
      'workspace.ts',
      `${imports}import { backendId } from 'ts-source-pkg';\nexport default defineBackend({ api: ${api} }, { backendId, environment: 'dev' });\n`,
    );
    const [backend] = await loadBackends(file);
    expect(backend!.plan().backendId).toBe('fromtspkg');
  });
});

describe('the bundle cache (node_modules/.cache/atakora/entries)', () => {
  const project = userProject('module');
  afterAll(() => project.remove());
  const cacheDir = () => join(project.dir, 'node_modules/.cache/atakora/entries');

  it('reuses the last bundle while its files are unchanged, and bundles again when one changes', async () => {
    project.write('dep.ts', `export const backendId: string = 'first';\n`);
    const file = project.write(
      'cached.ts',
      `${imports}import { backendId } from './dep.js';\nexport default defineBackend({ api: ${api} }, { backendId, environment: 'dev' });\n`,
    );
    expect((await loadBackends(file))[0]!.plan().backendId).toBe('first');
    const [stored] = readdirSync(cacheDir());
    // Proof that the stored bundle is what runs: change its code, not the sources.
    const path = join(cacheDir(), stored!);
    writeFileSync(path, readFileSync(path, 'utf8').replace('first', 'fromcache'));
    expect((await loadBackends(file))[0]!.plan().backendId).toBe('fromcache');
    // A changed local import (another size, so the stamp differs whatever the clock's resolution) invalidates it.
    project.write('dep.ts', `export const backendId: string = 'second1';\n`);
    expect((await loadBackends(file))[0]!.plan().backendId).toBe('second1');
  });
});

describe('withOwnLocation', () => {
  const path = '/p/src/a.ts';
  it('spells out import.meta.url, dirname and filename', () => {
    expect(
      withOwnLocation('f(import.meta.url, import.meta.dirname, import.meta.filename)', path),
    ).toBe('f("file:///p/src/a.ts", "/p/src", "/p/src/a.ts")');
  });
  it('declares __dirname/__filename on the first line only where used and not declared', () => {
    expect(withOwnLocation('a\nb(__dirname)', path)).toBe(
      'var __dirname = "/p/src";a\nb(__dirname)',
    );
    expect(withOwnLocation('const __dirname = x;\nb(__dirname)', path)).toBe(
      'const __dirname = x;\nb(__dirname)',
    );
    expect(withOwnLocation('b(__filename)', path)).toBe(
      'var __filename = "/p/src/a.ts";b(__filename)',
    );
    expect(withOwnLocation('plain()', path)).toBe('plain()');
  });
  it('leaves a shebang line where it is', () => {
    expect(withOwnLocation('#!/usr/bin/env node\nb(__dirname)', path)).toBe(
      '#!/usr/bin/env node\nb(__dirname)',
    );
  });
});
