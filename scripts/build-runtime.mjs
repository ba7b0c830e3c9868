#!/usr/bin/env node
// Bundles src/runtime into a deployable Azure Functions app: dist/runtime-app/{host.json,package.json,index.js},
// then zips it once, deterministically, into dist/runtime-package/atakora-runtime-<sha256>.zip: the package a
// CRUD-only Function App runs, referenced by apply as a file asset (no zipping at synth).
// Everything is bundled except @azure/functions-core, which the Functions Node.js worker injects at run time.
// One ES module (src/packaging/esm-package.ts, compiled by tsc just before): bundled ES dependencies keep
// import.meta, and a banner gives @azure/functions the real require() through which the worker provides its API.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// HTTP concurrency limits (host.json reference, "host.json settings" of
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-http-webhook): the host runs at most
// maxConcurrentRequests HTTP functions in parallel per instance and holds at most maxOutstandingRequests
// (running + queued); past that it answers 429 itself. Both default to unbounded, which let a burst of
// 1 MiB bodies pile up in the one Node.js worker until its heap ran out. 50 × (1 MiB body + its bounded
// parse, a few MB) stays far below the worker's ~1.5 GB heap; the host queues the rest.
export const HTTP_LIMITS = { maxConcurrentRequests: 50, maxOutstandingRequests: 200 };

// Queue polling (Learn, "Azure Queue storage trigger for Azure Functions", "Polling algorithm" and the host.json
// settings, https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#polling-algorithm:
// the trigger backs off on an idle queue "until it reaches the maximum wait time, which defaults to one minute";
// `maxPollingInterval` "must not be less than 00:00:00.100"): the webhooks' deliveries and the cascades run from
// queues a request writes to, so on an instance whose queue sat idle the default let a delivery wait up to a minute
// (the bar: seconds). 2 s bounds that wait; the cost is at most 30 empty reads a minute per queue while an
// instance runs (Flex Consumption scales an idle app to zero, when the host polls nothing).
export const QUEUE_POLLING = { maxPollingInterval: '00:00:02' };

export const HOST_JSON = {
  version: '2.0',
  extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
  extensions: { http: { routePrefix: 'api', ...HTTP_LIMITS }, queues: QUEUE_POLLING },
  // The host's own logs at Warning (its per-execution "Executing/Executed" traces and the runtime's JSON lines at
  // Information are most of a Functions app's ingestion bill), but its request telemetry (category Host.Results →
  // the requests table) and its aggregated execution metrics (Host.Aggregator → customMetrics) kept: both are written
  // at Information, and a Warning filter on them would drop every success (Learn, "Configure monitoring for Azure
  // Functions", "Configure categories"). The runtime's spans are exported by the worker (ATAKORA_TRACES), not logged.
  // Packages with the user's own functions add `Function.<name>.User: Information` (packaging/bundle-app.ts).
  logging: {
    logLevel: {
      default: 'Warning',
      'Host.Results': 'Information',
      'Host.Aggregator': 'Information',
    },
    applicationInsights: { samplingSettings: { isEnabled: true, excludedTypes: 'Request' } },
  },
};

/** Name of the file, in the package directory, that names the current zip (read by src/apply/runtime-asset.ts). */
export const PACKAGE_POINTER = 'runtime-package.json';

/**
 * Build the Functions app bundle, and its deterministic content-hashed zip.
 * @param {{ outDir?: string, packageDir?: string, libDir?: string, quiet?: boolean }} [options]
 * @returns {Promise<{ outDir: string, files: string[], bundleBytes: number, zipFile: string | undefined, zipBytes: number }>}
 * @example
 *   const { outDir, zipFile } = await buildRuntime({ outDir: 'dist/runtime-app' });
 */
export async function buildRuntime(options = {}) {
  const outDir = resolve(repoRoot, options.outDir ?? 'dist/runtime-app');
  // A build elsewhere (`--out`, as tests do) zips only when told where (`--package-out`): nothing left behind.
  const packageDir = options.packageDir
    ? resolve(repoRoot, options.packageDir)
    : options.outDir
      ? undefined
      : resolve(repoRoot, 'dist/runtime-package');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const esm = await builtModule('packaging/esm-package.js');
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'src/runtime/index.ts')],
    outfile: join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    ...esm.esmPackageOptions(),
    // The trace exporter is a file of its own (below), loaded only by an app that exports traces.
    external: ['@azure/functions-core', ...esm.SIDE_EXTERNAL],
    keepNames: true,
    sourcemap: 'linked',
    // The map maps every frame to its file and line; the files' text is left out, as in the packages dev builds
    // (packaging/bundle-app.ts). It was 8 of the map's 10.8 MB (and 71 % of the runtime package's bytes): every
    // `atakora dev` worker read and parsed it at start under --enable-source-maps (~0.1 CPU-s of its ~0.6), dev
    // inflated it from the package, each deploy uploaded it, and the npm package ships it.
    sourcesContent: false,
    legalComments: 'linked',
    logLevel: options.quiet ? 'silent' : 'warning',
    metafile: true,
  });
  // Files of their own beside index.js (packaging/esm-package.ts): the trace exporter (TELEMETRY_FILE), which every
  // package built at apply copies, and the billing export's Stripe client (BILLING_FILE, the official SDK), loaded
  // only by an app whose manifest has tenants.billing.
  const side = (entry, file) =>
    build({
      absWorkingDir: repoRoot,
      entryPoints: [join(repoRoot, entry)],
      outfile: join(outDir, file),
      bundle: true,
      platform: 'node',
      target: 'node20',
      ...esm.esmPackageOptions(),
      keepNames: true,
      legalComments: 'linked',
      logLevel: options.quiet ? 'silent' : 'warning',
      metafile: true,
    });
  const telemetry = await side('src/runtime/telemetry/atakora-telemetry.ts', esm.TELEMETRY_FILE);
  const billing = await side('src/runtime/billing/atakora-billing.ts', esm.BILLING_FILE);
  // The invitation e-mail's ACS client (EMAIL_FILE, the official SDK), loaded only with tenants.email.
  const email = await side('src/runtime/email/atakora-email.ts', esm.EMAIL_FILE);
  // The embedding client (OPENAI_FILE, the official `openai` SDK), loaded only by a CrudApi whose search embeds.
  const openai = await side('src/runtime/embed/atakora-openai.ts', esm.OPENAI_FILE);
  // The CRUD runtime as a library for the packages of apps that host it beside handlers (dist/runtime-lib).
  const libDir = options.libDir
    ? resolve(repoRoot, options.libDir)
    : options.outDir
      ? undefined
      : resolve(repoRoot, 'dist/runtime-lib');
  if (libDir) await buildRuntimeLibrary(libDir, esm, options);
  const pkg = esm.esmPackageJson('atakora-runtime-app');
  await writeFile(join(outDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  await writeFile(join(outDir, 'host.json'), JSON.stringify(HOST_JSON, null, 2) + '\n');
  const bundleBytes = (await stat(join(outDir, 'index.js'))).size;
  const files = [
    ...Object.keys(result.metafile.outputs),
    ...Object.keys(telemetry.metafile.outputs),
    ...Object.keys(billing.metafile.outputs),
    ...Object.keys(email.metafile.outputs),
    ...Object.keys(openai.metafile.outputs),
  ].map((f) => resolve(repoRoot, f));
  const { zipFile, zipBytes } = packageDir
    ? await zipRuntime(outDir, packageDir)
    : { zipFile: undefined, zipBytes: 0 };
  return {
    outDir,
    files: [...files, join(outDir, 'package.json'), join(outDir, 'host.json')],
    bundleBytes,
    zipFile,
    zipBytes,
  };
}

/**
 * The CRUD runtime prebuilt as one ES module (src/packaging/runtime-library.ts): the three modules a package's entry
 * takes from it when its app hosts the runtime beside handlers (register-hosted, start-runtime, start-telemetry;
 * settings/hide-unresolved stays the entry's own first import, for its effect on process.env before any module
 * reads it), with every dependency inlined and
 * minified, names kept — but `@azure/functions`, which the package bundle resolves to its one copy (a handler may
 * import it too: two copies would each set a programming model), and what packages leave out anyway
 * (`@azure/functions-core`, the side files). bundleApp then bundles one file of ours instead of ~1,450 sources and
 * dependency files: ~0.6 instead of ~1.3 CPU-s of esbuild per package (docs/performance.md, "The suite"). Its
 * legal comments stay inline, so the package bundle gathers them as it does every input's; its source map (lines
 * only) lets dev's source-mapped bundles map the runtime's frames. `inputs.json` lists our sources that went in:
 * from the sources (tests, tsx) the library is used only while none is newer than it.
 * @param {string} libDir
 * @param {{ esmPackageOptions: () => { format: string, minify: boolean }, SIDE_EXTERNAL: string[] }} esm
 * @param {{ quiet?: boolean }} options
 */
async function buildRuntimeLibrary(libDir, esm, options) {
  await rm(libDir, { recursive: true, force: true });
  await mkdir(libDir, { recursive: true });
  const { runtimeLibrarySource, RUNTIME_LIBRARY_FILE } = await builtModule(
    'packaging/runtime-library.js',
  );
  const { format, minify } = esm.esmPackageOptions();
  const result = await build({
    absWorkingDir: repoRoot,
    stdin: {
      contents: runtimeLibrarySource(join(repoRoot, 'src'), 'ts'),
      resolveDir: join(repoRoot, 'src/packaging'),
      sourcefile: 'atakora-crud-runtime.ts',
      loader: 'ts',
    },
    outfile: join(libDir, RUNTIME_LIBRARY_FILE),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format,
    minify,
    external: ['@azure/functions', '@azure/functions-core', ...esm.SIDE_EXTERNAL],
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'inline',
    logLevel: options.quiet ? 'silent' : 'warning',
    metafile: true,
  });
  // Our sources, by their paths from the repository root (the generated entry is no file).
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => f.startsWith('src/') && existsSync(join(repoRoot, f)))
    .sort();
  await writeFile(join(libDir, 'inputs.json'), JSON.stringify(inputs, null, 2) + '\n');
}

/** A module of the library compiled by tsc (run before this script: npm run build does). */
async function builtModule(path) {
  const file = join(repoRoot, 'dist', path);
  if (!existsSync(file))
    throw new Error(
      `${file} is missing: run tsc -p tsconfig.build.json first (npm run build does).`,
    );
  return await import(pathToFileURL(file).href);
}

/** Zip the app directory with the library's own deterministic writer. */
async function zipRuntime(appDir, packageDir) {
  const { zipEntries, directoryEntries } = await builtModule('packaging/zip.js');
  const { writeContentHashed } = await builtModule('packaging/content-hashed.js');
  await rm(packageDir, { recursive: true, force: true });
  const bytes = zipEntries(directoryEntries(appDir));
  const zipFile = writeContentHashed(packageDir, 'atakora-runtime', bytes);
  await writeFile(
    join(packageDir, PACKAGE_POINTER),
    JSON.stringify({ file: zipFile.slice(packageDir.length + 1) }, null, 2) + '\n',
  );
  return { zipFile, zipBytes: bytes.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = Date.now();
  // `--out <dir>` builds elsewhere (tests use a temp dir so they never race a real build).
  const outFlag = process.argv.indexOf('--out');
  const outArg = outFlag > 0 ? process.argv[outFlag + 1] : undefined;
  const packageFlag = process.argv.indexOf('--package-out');
  const packageArg = packageFlag > 0 ? process.argv[packageFlag + 1] : undefined;
  const { outDir, bundleBytes, zipFile, zipBytes } = await buildRuntime({
    ...(outArg ? { outDir: resolve(outArg) } : {}),
    ...(packageArg ? { packageDir: resolve(packageArg) } : {}),
  });
  const kib = (bundleBytes / 1024).toFixed(1);
  console.log(
    `runtime bundle: ${outDir}/index.js ${kib} KiB (${bundleBytes} bytes) in ${Date.now() - started} ms`,
  );
  if (zipFile) console.log(`runtime package: ${zipFile} ${(zipBytes / 1024).toFixed(1)} KiB`);
}
