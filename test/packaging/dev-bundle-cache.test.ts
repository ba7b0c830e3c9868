/**
 * `atakora dev`'s app bundles are kept in the project's `node_modules/.cache/atakora/dev-bundles/` across processes
 * (src/packaging/bundle-cache.ts): a start whose inputs are unchanged reads the bundle back instead of running
 * esbuild again (a handler app with the CRUD runtime is ~1.5 CPU-s of esbuild); an edited input or a compiler option
 * file that appears bundles afresh, and a deploy's bundle (no source maps) never reads it. Shown by a marker written
 * into the kept copy: it comes back only from the cache.
 */
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleApp, forgetBundles } from '../../src/packaging/bundle-app.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';
import { helloFunction, keptBundleFolders } from './support/kept-bundles.js';

const dir = sourceEntryDir('atakora-dev-bundle-');
const handler = join(dir, 'hello.ts');
const fn = helloFunction('./hello.ts');
const MARKER = '\n// read back from the cache\n';
afterAll(() => {
  for (const kept of keptFolders()) rmSync(kept, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const bundled = (sourceMaps = true) => {
  forgetBundles();
  const files = bundleApp({
    functions: [fn],
    handlerFiles: new Map([[fn.name, handler]]),
    workingDir: dir,
    sourceMaps,
  });
  return Buffer.from(files.find((f) => f.name === 'index.js')!.data).toString();
};
/** The cache's folders of this project's bundles (the cache is the linked node_modules' and shared). */
function keptFolders(): string[] {
  return keptBundleFolders(dir, join(dir, 'tsconfig.json'));
}
/** Append the marker to the kept index.js. */
function mark(): void {
  const [kept] = keptFolders();
  const names = (JSON.parse(readFileSync(join(kept!, 'meta.json'), 'utf8')) as { names: string[] })
    .names;
  appendFileSync(join(kept!, String(names.indexOf('index.js'))), MARKER);
}

describe("atakora dev's bundles kept across processes", () => {
  it('reads an unchanged bundle back; an edit or a new tsconfig.json bundles again; a deploy never reads it', () => {
    writeFileSync(handler, "export default async () => ({ body: 'one' });\n");
    expect(bundled().includes('"one"')).toBe(true);
    expect(keptFolders()).toHaveLength(1);
    mark();
    expect(bundled().endsWith(MARKER)).toBe(true);
    // A deploy's package: bundled by esbuild, never from dev's cache, and not kept there.
    expect(bundled(false).includes(MARKER)).toBe(false);
    expect(keptFolders()).toHaveLength(1);

    writeFileSync(handler, "export default async () => ({ body: 'two, edited' });\n");
    const edited = bundled();
    expect(edited.includes('"two, edited"')).toBe(true);
    expect(edited.includes(MARKER)).toBe(false);
    mark();
    expect(bundled().endsWith(MARKER)).toBe(true);

    // Compiler options that appear beside the input (esbuild reads tsconfig.json) make the kept bundle stale.
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": {} }\n');
    expect(bundled().includes(MARKER)).toBe(false);
  });
});
