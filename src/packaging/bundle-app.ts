import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, BuildOptions, Metafile, OutputFile } from 'esbuild';
import { AtakoraError } from '../model/errors.js';
import { builtPath, libraryModule, libraryPath } from '../kit/node/library-files.js';
import type { HostedFunction } from '../model/requirements.js';
import { entrySource, type EntryModules } from './entry-source.js';
import type { ZipEntry } from './zip.js';
import { checkQueueCalls, literalQueueCalls, type FoundQueueCall } from './queue-calls.js';
import { devBundleCache, type KeptBundle } from './bundle-cache.js';
import { at } from '../model/at.js';
import {
  BILLING_FILE,
  EMAIL_FILE,
  OPENAI_FILE,
  esmPackageOptions,
  SIDE_EXTERNAL,
  TELEMETRY_FILE,
} from './esm-package.js';
import { configFilesAbove } from '../kit/node/config-files.js';

const require = createRequire(import.meta.url);

/** What one app's bundle holds: the CRUD runtime (or not) and the handlers, by absolute file. */
export interface BundleRequest {
  readonly functions: readonly HostedFunction[];
  /** Absolute handler file per function name (checked to exist by the caller). */
  readonly handlerFiles: ReadonlyMap<string, string>;
  /** Absolute path of the CRUD runtime's `start-runtime` module, when the app hosts CrudApis. */
  readonly crudRuntime?: string;
  /**
   * With `crudRuntime`: the prebuilt CRUD runtime library (runtime-library.ts `prebuiltRuntimeLibrary`) to take
   * register-hosted, start-runtime and start-telemetry from instead of their sources — the same modules, one
   * minified file for esbuild to read.
   */
  readonly runtimeLibrary?: string;
  /** Where relative imports in messages and source maps are resolved from (the working directory). */
  readonly workingDir: string;
  /**
   * Add `index.js.map` (`atakora dev`): stack traces of a worker run with `--enable-source-maps` then name the
   * user's files and lines. Its sources are absolute paths of this machine, so deployed packages never have one.
   */
  readonly sourceMaps?: boolean;
  /**
   * The queues the app declares: a `queueClient('name')` literal in a bundled file of the user's naming another is
   * refused (QUEUE_UNDECLARED). Absent: none declared.
   */
  readonly queues?: readonly string[];
}

/**
 * Bundle the app's `main` with esbuild (synchronously: apply is synchronous) into one ES module, everything
 * inlined but `@azure/functions-core`, which the Functions Node.js worker injects — as
 * `scripts/build-runtime.mjs` does for the prebuilt CRUD runtime. Returns the files for the zip.
 *
 * @example
 * ```ts
 * const files = bundleApp({ functions, handlerFiles, workingDir: process.cwd() });
 * ```
 */
export function bundleApp(request: BundleRequest): ZipEntry[] {
  const library = request.crudRuntime ? request.runtimeLibrary : undefined;
  const modules: EntryModules = {
    registerHosted: library ?? libraryModule('packaging', 'register-hosted'),
    hideUnresolved: libraryModule('runtime', 'settings', 'hide-unresolved'),
    startTelemetry: library ?? libraryModule('runtime', 'telemetry', 'start-telemetry'),
    handlerFiles: request.handlerFiles,
    ...(request.crudRuntime ? { crudRuntime: library ?? request.crudRuntime } : {}),
  };
  const source = entrySource(request.functions, modules);
  const key = JSON.stringify([request.workingDir, source, request.sourceMaps === true]);
  const cached = bundles.get(key);
  if (cached && unchanged(cached, request.workingDir)) {
    checkQueueCalls(cached.queueCalls, request.queues ?? []);
    return cached.files;
  }
  const esbuild = loadEsbuild();
  const outfile = join(request.workingDir, 'atakora-package', 'index.js');
  const options: BuildOptions = {
    absWorkingDir: request.workingDir,
    // Bare imports of the entry (@azure/functions) resolve from this package; a handler's from its own folder.
    stdin: {
      contents: source,
      resolveDir: libraryPath('packaging'),
      sourcefile: ENTRY_NAME,
      loader: 'ts',
    },
    // One copy of @azure/functions in the bundle, whoever imports it: two would each set a programming model.
    alias: { '@azure/functions': dirname(require.resolve('@azure/functions/package.json')) },
    outfile,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // An ES module, so bundled ES dependencies keep import.meta (esm-package.ts says how the worker loads it).
    ...esmPackageOptions(),
    // The trace exporter and the billing client stay out of index.js: the package copies the prebuilt files
    // (sideFilesOf).
    external: ['@azure/functions-core', ...SIDE_EXTERNAL],
    keepNames: true,
    legalComments: 'eof',
    logLevel: 'silent',
    metafile: true,
    // Absolute sources: the package is unpacked elsewhere (a temp folder), where relative ones would not resolve.
    ...(request.sourceMaps
      ? {
          sourcemap: 'linked' as const,
          sourceRoot: pathToFileURL(
            `${dirname(join(request.workingDir, 'atakora-package', 'index.js'))}/`,
          ).href,
          sourcesContent: false,
        }
      : {}),
  };
  // dev's bundles are also kept across processes, by esbuild's version and these options (the entry among them).
  const disk = request.sourceMaps
    ? devBundleCache(JSON.stringify([esbuild.version, options]), request.workingDir)
    : undefined;
  const kept = disk?.read((b) => unchanged(b, request.workingDir));
  if (kept) {
    bundles.set(key, kept);
    checkQueueCalls(kept.queueCalls, request.queues ?? []);
    return kept.files;
  }
  let result: { outputFiles?: OutputFile[]; metafile?: Metafile };
  try {
    result = esbuild.buildSync(options);
  } catch (e) {
    throw bundleError(e as BuildFailure, request);
  }
  const files = (result.outputFiles ?? []).map((f) => ({
    name: f.path.slice(dirname(outfile).length + 1),
    data: f.contents,
  }));
  const inputs = Object.keys(result.metafile?.inputs ?? {})
    .filter((f) => f !== ENTRY_NAME)
    .map((f) => [f, ...stamp(resolve(request.workingDir, f))] as const);
  const queueCalls = userQueueCalls(result.metafile, request);
  bundles.set(key, { inputs, files, queueCalls });
  disk?.write({
    inputs: [...inputs, ...configStamps(inputs, request.workingDir)],
    files,
    queueCalls,
  });
  checkQueueCalls(queueCalls, request.queues ?? []);
  return files;
}

const ENTRY_NAME = 'atakora-entry.ts';

/**
 * Bundles already made in this process, by entry source, with the size and mtime of every file that went
 * in: several stacks (per environment, per region) hosting the same handlers bundle once, and any edit to an
 * input rebuilds. A cache of file-derived bytes, safe to lose, so module state is fine here.
 */
const bundles = new Map<string, KeptBundle>();

/**
 * The literal `queueClient('name')` calls in the bundled files of the user's (not under node_modules, not this
 * library's), each with the first function (by name) whose handler imports its file, directly or not.
 */
function userQueueCalls(metafile: Metafile | undefined, request: BundleRequest): FoundQueueCall[] {
  const inputs = metafile?.inputs ?? {};
  // The library's code folder, and its build outputs (the prebuilt runtime library is one, also from `src/`).
  const library = [libraryPath() + sep, builtPath() + sep];
  const own = (f: string) =>
    f !== ENTRY_NAME &&
    !/(^|[\\/])node_modules[\\/]/.test(f) &&
    !library.some((l) => resolve(request.workingDir, f).startsWith(l));
  const files = Object.keys(inputs).filter(own);
  if (files.length === 0) return [];
  const reaches = new Map<string, readonly string[]>();
  for (const f of [...request.functions].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const handler = request.handlerFiles.get(f.name);
    if (handler === undefined) continue;
    const start = files.find((x) => resolve(request.workingDir, x) === handler);
    const queue = start === undefined ? [] : [start];
    for (let x = queue.pop(); x !== undefined; x = queue.pop()) {
      if (reaches.has(x)) continue;
      reaches.set(x, handlerPath(f));
      for (const imported of inputs[x]?.imports ?? [])
        if (own(imported.path) && !reaches.has(imported.path)) queue.push(imported.path);
    }
  }
  const out: FoundQueueCall[] = [];
  for (const file of files.sort()) {
    let text: string;
    try {
      text = readFileSync(resolve(request.workingDir, file), 'utf8');
    } catch {
      continue;
    }
    // Most files never name the helper: one substring test spares them the lexer.
    if (!text.includes('queueClient')) continue;
    for (const call of literalQueueCalls(text))
      out.push({ ...call, file, path: reaches.get(file) ?? ['runtime'] });
  }
  return out;
}

/** Drop the reused bundles (tests that check a fresh build gives the same bytes). */
export function forgetBundles(): void {
  bundles.clear();
}

function stamp(file: string): [number, number] {
  try {
    const s = statSync(file);
    return [s.size, s.mtimeMs];
  } catch {
    return [-1, -1];
  }
}

/**
 * The compiler options esbuild read beside the inputs of the user's (`tsconfig.json`, `jsconfig.json`, `package.json`
 * from each one's folder up), stamped: a bundle kept across processes is stale once one of them changes or appears.
 */
function configStamps(
  inputs: readonly (readonly [string, number, number])[],
  workingDir: string,
): (readonly [string, number, number])[] {
  const own = inputs.filter(([f]) => !/(^|[\\/])node_modules[\\/]/.test(f));
  return configFilesAbove(own.map(([f]) => dirname(resolve(workingDir, f)))).map(
    (f) => [f, ...stamp(f)] as const,
  );
}

function unchanged(
  cached: { readonly inputs: readonly (readonly [string, number, number])[] },
  workingDir: string,
): boolean {
  return cached.inputs.every(([f, size, mtime]) => {
    const [s, m] = stamp(resolve(workingDir, f));
    return s === size && m === mtime;
  });
}

function loadEsbuild(): typeof import('esbuild') {
  try {
    return require('esbuild') as typeof import('esbuild');
  } catch {
    throw new AtakoraError(
      'PACKAGE_BUNDLER_MISSING',
      'Bundling the Function App handlers needs esbuild, which is not installed.',
      { path: ['runtime'] },
    );
  }
}

/** esbuild's first error, as an AtakoraError pointing at the function whose handler caused it. */
function bundleError(failure: BuildFailure, request: BundleRequest): AtakoraError {
  const first = failure.errors[0];
  const text = first?.text ?? String(failure);
  const file = first?.location?.file ?? '';
  const missing = /^No matching export in "(.+)" for import "(.+)"$/.exec(text);
  // esbuild names files relative to absWorkingDir.
  const target = missing
    ? resolve(request.workingDir, at(missing, 1))
    : file
      ? resolve(request.workingDir, file)
      : undefined;
  const culprit = request.functions.find(
    (f) => target !== undefined && request.handlerFiles.get(f.name) === target,
  );
  const path = culprit ? handlerPath(culprit) : ['runtime'];
  if (missing) {
    return new AtakoraError(
      'FUNCTIONS_HANDLER_EXPORT_MISSING',
      `The handler module ${culprit?.handler ?? at(missing, 1)} has no export "${at(missing, 2)}"${culprit ? ` (function ${culprit.name})` : ''}.`,
      { path },
    );
  }
  const where = first?.location
    ? ` at ${first.location.file}:${String(first.location.line)}:${String(first.location.column)}`
    : '';
  // The Stripe SDK is an optional peer (README, "Optional peers"): say which package to install rather than blame
  // the handlers. The runtime itself never makes a bundle reach it (scripts/bundle-dist.mjs keeps the billing client
  // a file of its own), so this is a module of the user's, or one they import, that does.
  if (/^Could not resolve "stripe(\/[^"]*)?"/.test(text)) {
    return new AtakoraError(
      'BILLING_STRIPE_UNAVAILABLE',
      `A module bundled into the Function App package imports the Stripe SDK "stripe", which is not installed here${where}.`,
      {
        path,
        resolution: 'Install it beside the package: npm install stripe (an optional peer of ours).',
      },
    );
  }
  return new AtakoraError(
    'PACKAGE_BUNDLE_FAILED',
    `Bundling the Function App package failed: ${text}${where}.`,
    { path },
  );
}

/** Where a function's handler sits in the user's input. */
export function handlerPath(f: HostedFunction): string[] {
  if (f.trigger === 'change') return ['components', f.componentId, 'config', 'onChange'];
  if (f.trigger === 'migration')
    return ['components', f.componentId, 'config', 'migrations', String(f.version)];
  return [
    'components',
    f.componentId,
    'config',
    'functions',
    f.name.slice(f.componentId.length + 1),
    'handler',
  ];
}

/**
 * The trace exporter's file every package carries beside `index.js` (esm-package.ts `TELEMETRY_FILE`), as the
 * runtime build made it: library code only, the same for every app.
 *
 * @example
 * ```ts
 * const entry: ZipEntry = telemetryFileOf(runtimeAppDir());
 * ```
 */
export function telemetryFileOf(runtimeAppDir: string): ZipEntry {
  return { name: TELEMETRY_FILE, data: readFileSync(join(runtimeAppDir, TELEMETRY_FILE)) };
}

/**
 * The prebuilt files every package carries beside `index.js`: the trace exporter, the billing client
 * (esm-package.ts `BILLING_FILE`) and the e-mail client (`EMAIL_FILE`), as the runtime build made them.
 *
 * @example
 * ```ts
 * const entries: ZipEntry[] = sideFilesOf(runtimeAppDir());
 * ```
 */
export function sideFilesOf(runtimeAppDir: string): ZipEntry[] {
  return [
    telemetryFileOf(runtimeAppDir),
    { name: BILLING_FILE, data: readFileSync(join(runtimeAppDir, BILLING_FILE)) },
    { name: EMAIL_FILE, data: readFileSync(join(runtimeAppDir, EMAIL_FILE)) },
    { name: OPENAI_FILE, data: readFileSync(join(runtimeAppDir, OPENAI_FILE)) },
  ];
}

/**
 * `host.json` of a package: the prebuilt CRUD runtime's (every package gets the same host configuration), whose
 * logging keeps the host's own logs at Warning (scripts/build-runtime.mjs) — plus, per function of the user's, its
 * own logs (`context.log`, category `Function.<name>.User`) at Information: what the user's code writes is kept,
 * what the host writes about every execution is not.
 *
 * @example
 * ```ts
 * hostJsonOf(runtimeAppDir(), ['Orders-refund']); // … "Function.Orders-refund.User": "Information" …
 * ```
 */
export function hostJsonOf(
  runtimeAppDir: string,
  userFunctions: readonly string[] = [],
): Uint8Array {
  const bytes = readFileSync(join(runtimeAppDir, 'host.json'));
  if (userFunctions.length === 0) return bytes;
  const host = JSON.parse(bytes.toString('utf8')) as {
    logging?: { logLevel?: Record<string, string> };
  };
  const logLevel: Record<string, string> = { ...host.logging?.logLevel };
  for (const name of [...userFunctions].sort()) logLevel[`Function.${name}.User`] = 'Information';
  return Buffer.from(
    JSON.stringify({ ...host, logging: { ...host.logging, logLevel } }, null, 2) + '\n',
  );
}
