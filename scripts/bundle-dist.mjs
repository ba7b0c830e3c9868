#!/usr/bin/env node
// Runs after `tsc -p tsconfig.build.json` (npm run build): replaces the JavaScript of the package's entry points
// (package.json "exports" and "bin", and the apply layer that Backend.apply requires by path) with esbuild
// bundles of the same modules, code shared between them in dist/chunks/. Dependencies stay external.
//
// Why: a process that imports the package loaded ~190 small ES modules of ours, and under a loader hook (tsx,
// which runs every TypeScript entry, and which loads the package a second time for the entry) each one is a
// resolve and a load request to the hook thread. As bundles they are about twenty. Measured with
// bench/cli-start.ts (docs/performance.md, "CLI start-up").
//
// tsc's per-file output stays: its .d.ts files are the package's types, and three of its modules are loaded by
// path rather than imported: packaging/register-hosted.js and runtime/start-runtime.js are bundled into
// Function App packages at synth, cli/dev/host/host.js runs in its own process (src/kit/node/library-files.ts).
import { build } from 'esbuild';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleElements } from './elements-bundle.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const staging = join(dist, '.bundle');
const BILLING_IMPORT = './atakora-billing.js';
// The invitation e-mail's ACS client (packaging/esm-package.ts EMAIL_FILE), kept apart as the billing client is.
const EMAIL_IMPORT = './atakora-email.js';
// The embedding client (packaging/esm-package.ts OPENAI_FILE), kept apart the same way: `openai` is an optional peer.
const OPENAI_IMPORT = './atakora-openai.js';

const entryPoints = [
  'index.js',
  ...readdirSync(join(dist, 'entry'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `entry/${f}`),
  'cli/bin.js',
  'apply/apply-backend.js',
].map((f) => join(dist, f));

rmSync(staging, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints,
  outbase: dist,
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // The billing export's Stripe client stays a module of its own, imported as written by the billing timer (the
  // specifier packaging/esm-package.ts's BILLING_FILE names): as a chunk of ours it would be followed by every
  // bundler of a handler that imports `@atakora/component/runtime` (atakora dev, synth, deploy), which then needs
  // the optional peer `stripe` installed with billing or without it. Each output importing it gets the file beside it
  // (below), a re-export of tsc's module.
  external: [BILLING_IMPORT, EMAIL_IMPORT, OPENAI_IMPORT],
  chunkNames: 'chunks/[name]-[hash]',
  // Names kept: error classes and constructs are read by name (AtakoraError's `name`, cdktf's node ids).
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
});
// The elements as one browser module with the client inside (scripts/elements-bundle.mjs): `atakora dev` serves it
// at /_atakora/elements, a page may load it from a plain <script type="module">.
await bundleElements({
  entry: join(dist, 'entry', 'elements.js'),
  outfile: join(staging, 'elements', 'atakora-elements.js'),
});
beside(staging, BILLING_IMPORT, 'runtime/billing/atakora-billing.js');
beside(staging, EMAIL_IMPORT, 'runtime/email/atakora-email.js');
beside(staging, OPENAI_IMPORT, 'runtime/embed/atakora-openai.js');
// Only now, with every output written: the bundles replace tsc's files of the same name.
rmSync(join(dist, 'chunks'), { recursive: true, force: true });
cpSync(staging, dist, { recursive: true });
rmSync(staging, { recursive: true, force: true });

/**
 * Beside each staged bundle that imports `specifier` (BILLING_IMPORT, EMAIL_IMPORT), the file it names: a re-export
 * of the client tsc compiled (`compiled` under dist/, e.g. runtime/billing/atakora-billing.js, which imports `stripe`
 * only when loaded).
 * @param {string} dir
 * @param {string} specifier
 * @param {string} compiled
 */
function beside(dir, specifier, compiled) {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    if (!readFileSync(file, 'utf8').includes(`import(${JSON.stringify(specifier)})`)) continue;
    // Where the importer will sit in dist/ once the staging is copied over it.
    const target = relative(dirname(join(dist, relative(dir, file))), join(dist, compiled));
    writeFileSync(
      join(entry.parentPath, specifier),
      `export * from ${JSON.stringify(target.startsWith('.') ? target : `./${target}`)};\n`,
    );
  }
}

const outputs = Object.entries(result.metafile.outputs);
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
console.log(
  `dist bundles: ${entryPoints.length} entry points, ${outputs.length - entryPoints.length} shared chunks, ${(bytes / 1024).toFixed(0)} KiB`,
);

// dev's worker host (cli/dev/host/host.js, run by path in a process of its own for every app and at every reload): one
// bundle with the OpenTelemetry SDK it loads for the trace view, its dynamic imports separate files loaded only when
// used — with the options tsc's cli/dev/host/host-bundle.js gives, which dev also bundles the host with when it runs
// from the sources (tests, tsx), so both load the same (docs/performance.md, "Traces" and "The suite").
const hostDir = join(dist, 'cli', 'dev', 'host');
const hostStaging = join(hostDir, '.bundle');
rmSync(hostStaging, { recursive: true, force: true });
const { hostBundleOptions } = await import(pathToFileURL(join(hostDir, 'host-bundle.js')).href);
await build(hostBundleOptions(join(hostDir, 'host.js'), hostStaging, { absWorkingDir: root }));
rmSync(join(hostDir, 'host-chunks'), { recursive: true, force: true });
cpSync(hostStaging, hostDir, { recursive: true });
rmSync(hostStaging, { recursive: true, force: true });
