import { createRequire, SourceMap } from 'node:module';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, Loader, Plugin } from 'esbuild';
import { entryCache, type CachedBundle } from './cache.js';

const requireHere = createRequire(import.meta.url);

/** A TypeScript entry bundled into one ES module beside it, ready for a native `import()`. */
export interface CompiledEntry {
  /** The bundle's file URL (the file exists until `dispose`). */
  readonly url: string;
  /** Removes the bundle (the module stays loaded). */
  readonly dispose: () => Promise<void>;
  /** Rewrites stack frames that point into the bundle to the user's files, lines and columns. */
  readonly mapStack: (error: unknown) => void;
}

/**
 * Bundle a TypeScript entry and its local imports with esbuild, every package external, into one ES module
 * written beside the entry, so Node imports it without loader hooks: packages resolve from the entry's folder
 * and load natively, so `@atakora/component`, cdktf and the bindings are the instances the CLI itself uses.
 * Returns `undefined` when esbuild is not installed or the folder is not writable (the caller falls back to
 * tsx). A syntax or resolution error rejects with esbuild's `BuildFailure` (`errors[].location` holds the
 * file, line and column).
 *
 * What a module sees is kept: `import.meta.url`, `import.meta.dirname`, `import.meta.filename`, `__dirname` and
 * `__filename` in each local file are replaced by that file's own values (a bundle is one file, so they would
 * otherwise all name the bundle), and `require` works (a `createRequire` at the bundle, i.e. the entry's folder).
 *
 * @example
 * ```ts
 * const compiled = await compileEntry('/project/main.ts');
 * if (compiled) try { mod = await import(compiled.url); } finally { await compiled.dispose(); }
 * ```
 */
export async function compileEntry(file: string): Promise<CompiledEntry | undefined> {
  const out = join(
    dirname(file),
    `.${basename(file)}.${String(process.pid)}-${Date.now().toString(36)}.atakora.mjs`,
  );
  const cache = entryCache(file);
  const bundle = cache?.read() ?? (await bundleEntry(file, out, cache));
  if (!bundle) return undefined;
  try {
    await writeFile(out, bundle.code, { flag: 'wx' });
  } catch {
    return undefined;
  }
  const url = pathToFileURL(out).href;
  return {
    url,
    dispose: () => rm(out, { force: true }),
    mapStack: (error) => {
      mapStackFrames(error, out, url, bundle.map, dirname(file));
    },
  };
}

/** esbuild's bundle of the entry (undefined without esbuild), remembered in the project's cache. */
async function bundleEntry(
  file: string,
  out: string,
  cache: ReturnType<typeof entryCache>,
): Promise<CachedBundle | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = requireHere('esbuild') as typeof import('esbuild');
  } catch {
    return undefined;
  }
  const result = await esbuild
    .build({
      entryPoints: [file],
      outfile: out,
      absWorkingDir: dirname(file),
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      write: false,
      metafile: true,
      // Not linked from the code (the file name changes each run): stack frames are mapped by mapStack.
      sourcemap: 'external',
      sourcesContent: false,
      // Class and function names are read at run time (error names, cdktf construct classes).
      keepNames: true,
      logLevel: 'silent',
      // A CommonJS-style entry (`require(...)` of a package) keeps working in the ES module bundle.
      banner: {
        js:
          "import { createRequire as __atakoraCreateRequire } from 'node:module'; const require = " +
          '__atakoraCreateRequire(import.meta.url);',
      },
      plugins: [ownLocation],
    })
    .catch((e: unknown) => {
      throw absoluteLocations(e as BuildFailure, dirname(file));
    });
  const code = result.outputFiles.find((f) => f.path === out)?.text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))?.text;
  if (code === undefined || map === undefined) return undefined;
  const bundle = { code, map };
  cache?.write(
    bundle,
    Object.keys(result.metafile.inputs).map((p) => resolve(dirname(file), p)),
  );
  return bundle;
}

const LOADERS: Record<string, Loader> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
};

/** Gives each local module its own location values; packages are external, so only the user's files pass here. */
const ownLocation: Plugin = {
  name: 'atakora-own-location',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      const loader = LOADERS[extname(args.path)];
      if (!loader) return undefined;
      const source = await readFile(args.path, 'utf8');
      return { contents: withOwnLocation(source, args.path), loader };
    });
  },
};

/**
 * The source with its location values spelled out. Declarations go on the first line (no line moves, so
 * esbuild's error lines and the source map stay right), and only where the file uses the name without
 * declaring it (`const __dirname = dirname(fileURLToPath(import.meta.url))` is a common ES module idiom).
 */
export function withOwnLocation(source: string, path: string): string {
  const url = pathToFileURL(path).href;
  let text = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) =>
    JSON.stringify(key === 'url' ? url : key === 'dirname' ? dirname(path) : path),
  );
  if (text.startsWith('#!')) return text;
  const declared = (name: string): boolean =>
    new RegExp(`\\b(?:const|let|var|function|class|import)\\s+${name}\\b`).test(text);
  let prefix = '';
  if (/\b__dirname\b/.test(text) && !declared('__dirname'))
    prefix += `var __dirname = ${JSON.stringify(dirname(path))};`;
  if (/\b__filename\b/.test(text) && !declared('__filename'))
    prefix += `var __filename = ${JSON.stringify(path)};`;
  if (prefix) text = prefix + text;
  return text;
}

/** esbuild names files relative to absWorkingDir; the error names them absolutely, like tsx's did. */
function absoluteLocations(failure: BuildFailure, dir: string): BuildFailure {
  for (const m of failure.errors ?? []) {
    if (m.location && !isAbsolute(m.location.file))
      (m.location as { file: string }).file = join(dir, m.location.file);
  }
  const lines = (failure.errors ?? []).map(
    (m) =>
      `${m.location ? `${m.location.file}:${String(m.location.line)}:${String(m.location.column)}: ` : ''}ERROR: ${m.text}`,
  );
  if (lines.length > 0)
    failure.message = `Build failed with ${String(lines.length)} error${lines.length > 1 ? 's' : ''}:\n${lines.join('\n')}`;
  return failure;
}

/** `at fn (file:///…/.entry.ts.123.atakora.mjs:12:5)` → `at fn (/…/lib/config.ts:3:7)`, via the bundle's source map. */
function mapStackFrames(
  error: unknown,
  out: string,
  url: string,
  mapText: string,
  dir: string,
): void {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return;
  const stack = error.stack;
  if (!stack.includes(out)) return;
  const map = new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]);
  const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`(?:${escaped(url)}|${escaped(out)}):(\\d+):(\\d+)`, 'g');
  error.stack = stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry.originalSource) return whole;
    const source = isAbsolute(entry.originalSource)
      ? entry.originalSource
      : join(dir, entry.originalSource);
    return `${source}:${String((entry.originalLine ?? 0) + 1)}:${String((entry.originalColumn ?? 0) + 1)}`;
  });
}
