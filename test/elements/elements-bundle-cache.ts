import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { version as esbuildVersion } from 'esbuild';
// @ts-expect-error: a build script in JavaScript, no declarations
import { bundleElements } from '../../scripts/elements-bundle.mjs';

const root = resolve(import.meta.dirname, '../..');
const DIR = join(root, 'node_modules', '.cache', 'atakora', 'elements-test-bundle');
const MANIFEST = join(DIR, 'inputs.json');

/**
 * The elements' bundle (scripts/elements-bundle.mjs, from the sources) written to `outfile`, built once per content:
 * the browser files of test/elements each serve it from their site, and it was built again for every file, by both
 * workers (~0.2–0.3 CPU-s of esbuild and 0.5–1 s of wall apiece, measured: docs/performance.md, "The suite, round
 * 5, the Chromium files"). Kept under node_modules/.cache, named by a hash of the files the last build read (esbuild's
 * metafile, listed beside it), the bundling script, tsconfig.json, package.json and esbuild's version: a change to any of them, or a file the
 * entry newly imports (which a listed file must name), is a different hash and a new build. Written by rename, so
 * two workers building at once each leave a whole file.
 */
export async function elementsBundleTo(outfile: string): Promise<void> {
  const listed = listedInputs();
  const key = listed && keyOf(listed);
  if (key) {
    try {
      copyFileSync(join(DIR, `${key}.js`), outfile);
      return;
    } catch {
      // not built for this content yet
    }
  }
  let inputs: string[] = [];
  await bundleElements({ outfile, onInputs: (files: string[]) => (inputs = files) });
  const built = keyOf(inputs);
  if (!built) return;
  mkdirSync(DIR, { recursive: true });
  const temp = `.${process.pid}-${Date.now()}.tmp`;
  copyFileSync(outfile, join(DIR, temp));
  renameSync(join(DIR, temp), join(DIR, `${built}.js`));
  writeFileSync(join(DIR, temp), JSON.stringify(inputs));
  renameSync(join(DIR, temp), MANIFEST);
  // One bundle kept: an older content's is not read again once its sources changed.
  for (const old of readdirSync(DIR))
    if (old.endsWith('.js') && old !== `${built}.js`) rmSync(join(DIR, old), { force: true });
}

/** What decides the output beside the sources: the script's options, the TypeScript settings esbuild reads, the package. */
const BUILD_FILES = ['scripts/elements-bundle.mjs', 'tsconfig.json', 'package.json'];

/** The files the last build read, or undefined before the first. */
function listedInputs(): string[] | undefined {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8')) as string[];
  } catch {
    return undefined;
  }
}

/** The hash of `inputs`' names and contents, the script's and esbuild's version; undefined when one is gone. */
function keyOf(inputs: readonly string[]): string | undefined {
  const hash = createHash('sha256').update(`esbuild ${esbuildVersion}\0`);
  try {
    for (const file of [...BUILD_FILES, ...inputs])
      hash
        .update(`${file}\0`)
        .update(readFileSync(join(root, file)))
        .update('\0');
  } catch {
    return undefined;
  }
  return hash.digest('hex').slice(0, 32);
}
