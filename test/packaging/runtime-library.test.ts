/**
 * A Function App that hosts the CRUD runtime beside handlers is bundled from the prebuilt CRUD runtime library
 * (`dist/runtime-lib/`, scripts/build-runtime.mjs; src/packaging/runtime-library.ts): esbuild reads one file of ours
 * instead of the runtime's sources and their dependencies — bounded work (the files that go in), not time. Running
 * from the sources, a library older than one of its sources is not used.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appPackageFile } from '../../src/apply/package/app-package.js';
import { forgetBundles } from '../../src/packaging/bundle-app.js';
import {
  prebuiltRuntimeLibrary,
  RUNTIME_LIBRARY_FILE,
  usableRuntimeLibrary,
} from '../../src/packaging/runtime-library.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';
import { unzip } from './support/unzip.js';
import { helloFunction, keptBundleFolders } from './support/kept-bundles.js';

const repo = resolve(import.meta.dirname, '../..');
const dir = sourceEntryDir('atakora-runtime-library-');
const fn = helloFunction('./library-hello.ts');
afterAll(() => {
  for (const kept of keptFolders()) rmSync(kept, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** dev's kept bundles of this project (bundle-cache.ts): their meta.json lists every input esbuild read. */
function keptFolders(): string[] {
  return keptBundleFolders(dir, '"library-hello.ts"');
}

describe('the CRUD runtime in a package with handlers', () => {
  it('is bundled from the prebuilt library: no source of the runtime goes in, and the package holds both', () => {
    writeFileSync(
      join(dir, 'library-hello.ts'),
      "export default async () => ({ body: 'library-handler-marker' });\n",
    );
    const library = prebuiltRuntimeLibrary();
    expect(library).toBe(join(repo, 'dist', 'runtime-lib', RUNTIME_LIBRARY_FILE));
    forgetBundles();
    // dev's package (source maps): kept across processes with the inputs it was made from.
    const file = appPackageFile({ appName: 'func-lib', crudRuntime: true, functions: [fn] }, dir, {
      sourceMaps: true,
    })!;
    const [kept] = keptFolders();
    const inputs = (
      JSON.parse(readFileSync(join(kept!, 'meta.json'), 'utf8')) as { inputs: [string][] }
    ).inputs.map(([f]) => resolve(dir, f));
    expect(inputs).toContain(library);
    // Our modules that went in (the meta also stamps the compiler option files esbuild looked for, and the entry).
    const ours = inputs.filter(
      (f) => f.startsWith(`${repo}${sep}src${sep}`) && f.endsWith('.ts') && existsSync(f),
    );
    // The entry's first import (hide-unresolved, before @azure/functions) and its one import are all of them.
    expect(ours.map((f) => f.slice(repo.length + 1)).sort()).toEqual([
      'src/runtime/settings/hide-unresolved.ts',
      'src/runtime/settings/unresolved-references.ts',
    ]);
    expect(inputs.filter((f) => f.includes(`${sep}node_modules${sep}`)).length).toBeLessThan(40);
    const files = unzip(readFileSync(file));
    const code = files.get('index.js')!.toString('utf8');
    expect(code).toContain('library-handler-marker');
    expect(code).toContain('ATAKORA_MANIFEST'); // the CRUD runtime is in the same index.js
    // The library's own source map carries on: a frame of the runtime still maps to its source file.
    const map = JSON.parse(files.get('index.js.map')!.toString('utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('src/runtime/start-runtime.ts'))).toBe(true);
    expect(map.sources.some((s) => s.endsWith('library-hello.ts'))).toBe(true);
  });
});

describe('a library older than its sources', () => {
  it('is not used when running from the sources; a built package (no source root) always uses it', () => {
    const root = join(dir, 'stale');
    const libDir = join(root, 'dist', 'runtime-lib');
    mkdirSync(join(root, 'src'), { recursive: true });
    mkdirSync(libDir, { recursive: true });
    const lib = join(libDir, RUNTIME_LIBRARY_FILE);
    expect(usableRuntimeLibrary(libDir, root)).toBeUndefined(); // none built
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(lib, 'export const a = 1;\n');
    const at = (f: string, s: number) => utimesSync(f, new Date(s * 1000), new Date(s * 1000));
    at(join(root, 'src', 'a.ts'), 1_000);
    at(lib, 2_000);
    expect(usableRuntimeLibrary(libDir, root)).toBeUndefined(); // no list of its inputs
    writeFileSync(join(libDir, 'inputs.json'), JSON.stringify(['src/a.ts']));
    expect(usableRuntimeLibrary(libDir, root)).toBe(lib);
    at(join(root, 'src', 'a.ts'), 3_000); // an edit after the build
    expect(usableRuntimeLibrary(libDir, root)).toBeUndefined();
    expect(usableRuntimeLibrary(libDir)).toBe(lib);
    rmSync(join(root, 'src', 'a.ts')); // a source that went away
    expect(usableRuntimeLibrary(libDir, root)).toBeUndefined();
  });
});
