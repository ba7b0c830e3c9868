// `@atakora/component/elements` as one self-contained browser module (the typed client bundled in): what `atakora
// dev` serves at /_atakora/elements, what a page may load from a plain <script type="module">, and what the size
// budget measures (DESIGN §2: the set ≤ 55 kB gzip without the client; docs/performance.md, "Elements").
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The elements' budget in bytes of gzip, the typed client left out (DESIGN §2: 55 kB). */
export const ELEMENTS_BUDGET_BYTES = 55_000;

/**
 * The elements' bundle from `entry` (the TypeScript source by default, or tsc's dist/entry/elements.js): minified
 * ES2022 for browsers. With `withoutClient`, the typed client's modules (src/client, dist/client) stay imports:
 * what the budget counts. Returns the code (and writes `outfile` when given). `onInputs` is given the files the bundle
 * was built from (relative to the repository, esbuild's metafile): what a cache of the bundle keys it by.
 * @param {{ entry?: string, outfile?: string, withoutClient?: boolean, onInputs?: (files: string[]) => void }} [options]
 */
export async function bundleElements({
  entry = join(root, 'src', 'entry', 'elements.ts'),
  outfile,
  withoutClient = false,
  onInputs,
} = {}) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    write: outfile !== undefined,
    ...(outfile !== undefined ? { outfile } : { outdir: join(root, '.elements-out') }),
    logLevel: 'warning',
    metafile: onInputs !== undefined,
    plugins: withoutClient
      ? [
          {
            name: 'client-external',
            setup(b) {
              // The client's own modules (what createClient needs) as imports the budget leaves out.
              b.onResolve({ filter: /\/client\// }, (args) => ({
                path: args.path,
                external: true,
              }));
            },
          },
        ]
      : [],
  });
  if (onInputs) onInputs(Object.keys(result.metafile.inputs));
  if (outfile !== undefined) {
    const { readFileSync } = await import('node:fs');
    return readFileSync(outfile, 'utf8');
  }
  return new TextDecoder().decode(result.outputFiles[0].contents);
}

/** The gzip sizes of the elements: with the typed client and without it. */
export async function elementsSizes() {
  const gz = (code) => gzipSync(Buffer.from(code), { level: 9 }).length;
  const [all, withoutClient] = await Promise.all([
    bundleElements(),
    bundleElements({ withoutClient: true }),
  ]);
  return { withClient: gz(all), withoutClient: gz(withoutClient), budget: ELEMENTS_BUDGET_BYTES };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = await elementsSizes();
  console.log(
    `elements: ${(sizes.withoutClient / 1000).toFixed(1)} kB gzip without the client ` +
      `(${(sizes.withClient / 1000).toFixed(1)} kB with it), budget ${(sizes.budget / 1000).toFixed(0)} kB`,
  );
  if (sizes.withoutClient > sizes.budget) process.exitCode = 1;
}
