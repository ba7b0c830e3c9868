/**
 * A Function App package keeps `import.meta` for the ES dependencies bundled into it: a dependency that runs
 * `createRequire(import.meta.url)` when loaded (as @azure/storage-common 12.4.1 does, the version npm resolves on
 * Node 20) loads and answers when the package is loaded as the Functions worker loads it (scripts/load-as-worker.cjs).
 * The same dependency bundled as CommonJS — what packages were — throws at load, and the loader exits non-zero:
 * the check the fresh-install CI step relies on fails when a package throws.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleApp } from '../../src/packaging/bundle-app.js';
import { esmPackageJson } from '../../src/packaging/esm-package.js';
import type { HostedFunction } from '../../src/model/requirements.js';

const loader = join(import.meta.dirname, '../../scripts/load-as-worker.cjs');
const work = mkdtempSync(join(tmpdir(), 'atakora-esm-package-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The dependency, shaped as storage-common's dist/esm/crc64.js: module-level `require`, `__filename` and
// `__dirname` of its own, set from import.meta.url when the module is evaluated.
const dep = join(work, 'node_modules', 'meta-dep');
mkdirSync(dep, { recursive: true });
writeFileSync(
  join(dep, 'package.json'),
  JSON.stringify({ name: 'meta-dep', version: '1.0.0', type: 'module', exports: './index.js' }),
);
writeFileSync(
  join(dep, 'index.js'),
  `import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
let require;
let __filename;
let __dirname;
require = createRequire(import.meta.url);
__filename = fileURLToPath(import.meta.url);
__dirname = dirname(__filename);
export const where = { url: import.meta.url, file: __filename, dir: __dirname, sep: require('node:path').sep };
`,
);
writeFileSync(
  join(work, 'where.ts'),
  `import { where } from 'meta-dep';
export default async function handler() {
  return { status: 200, jsonBody: where };
}
`,
);
const functions: HostedFunction[] = [
  {
    name: 'Jobs-where',
    componentId: 'Jobs',
    trigger: 'http',
    handler: './where.ts',
    route: 'where',
    methods: ['GET'],
  },
];

function load(appDir: string) {
  const r = spawnSync(process.execPath, [loader, appDir, 'Jobs-where'], {
    cwd: tmpdir(),
    encoding: 'utf8',
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'));
  return {
    status: r.status,
    stderr: r.stderr,
    result: line
      ? (JSON.parse(line.slice('@@RESULT@@'.length)) as {
          module: string;
          functions: string[];
          invoked: { status: number; body: Record<string, string> };
        })
      : undefined,
  };
}

describe('the Function App package as an ES module', () => {
  it('keeps import.meta for a bundled ES dependency: createRequire(import.meta.url) loads, the handler answers', () => {
    const appDir = join(work, 'app');
    mkdirSync(appDir, { recursive: true });
    for (const f of bundleApp({
      functions,
      handlerFiles: new Map([['Jobs-where', join(work, 'where.ts')]]),
      workingDir: work,
    }))
      writeFileSync(join(appDir, f.name), f.data);
    writeFileSync(join(appDir, 'package.json'), JSON.stringify(esmPackageJson('atakora-app')));
    const { status, result, stderr } = load(appDir);
    expect(stderr).not.toMatch(/ERR_INVALID_ARG_VALUE/);
    expect(status).toBe(0);
    expect(result?.module).toBe('esm');
    expect(result?.functions).toContain('Jobs-where');
    const main = join(appDir, 'index.js');
    expect(result?.invoked.status).toBe(200);
    // The dependency sees the bundle's own file: what import.meta.url is for the module it was inlined into.
    expect(result?.invoked.body).toEqual({
      url: `file://${main}`,
      file: main,
      dir: appDir,
      sep: '/',
    });
  });

  it('the same dependency bundled as CommonJS throws at load, and the loader exits non-zero', () => {
    const appDir = join(work, 'cjs-app');
    mkdirSync(appDir, { recursive: true });
    buildSync({
      stdin: {
        contents: "import { where } from 'meta-dep'; console.log(where);",
        resolveDir: work,
      },
      outfile: join(appDir, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    writeFileSync(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'cjs-app', type: 'commonjs', main: 'index.js' }),
    );
    const { status, stderr } = load(appDir);
    expect(status).toBe(1);
    expect(stderr).toMatch(/the package threw while the worker loaded it/);
    expect(stderr).toMatch(/ERR_INVALID_ARG_VALUE/);
    expect(readFileSync(join(appDir, 'index.js'), 'utf8')).toMatch(/import_meta/);
  });
});
