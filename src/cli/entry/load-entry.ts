import { pathToFileURL } from 'node:url';
import type { Backend } from '../../backend/backend.js';
import type { BackendBuilder } from '../../backend/backend-builder.js';
import { compileEntry } from './compile-entry.js';
import { checkEntryPath, entryLoadError, noBackendError } from './errors.js';
import { UsageError } from '../shared/usage-error.js';

/**
 * Load a TypeScript or JavaScript module and collect the backends it exports: a Backend, a builder, a
 * function returning either (or an array of them), as the default export or named exports.
 */
export async function loadBackends(entry: string): Promise<Backend[]> {
  const file = checkEntryPath(entry);
  let mod: unknown;
  try {
    mod = await importModule(file);
  } catch (e) {
    throw entryLoadError(entry, file, e);
  }
  const found: Backend[] = [];
  const skipped = new Set<string>();
  const visit = async (value: unknown, call: boolean, name = ''): Promise<void> => {
    if (isBackend(value)) found.push(value);
    else if (isBuilder(value)) found.push(value.build());
    else if (Array.isArray(value)) for (const v of value) await visit(v, false);
    else if (
      typeof value === 'function' &&
      !/^class\s/.test(Function.prototype.toString.call(value))
    ) {
      if (value.length > 0)
        skipped.add(name === 'default' ? `${value.name || 'the function'} (default export)` : name);
      else if (call) await visit(await (value as () => unknown)(), false);
    }
  };
  const layers = exportLayers(mod);
  // Values first; then a default export that is a function; then build*/create* factories. Other functions
  // (an example's synth*, say) are never called: they may write files.
  for (const exports of layers)
    for (const [name, value] of Object.entries(exports)) await visit(value, false, name);
  for (const exports of layers)
    if (found.length === 0 && typeof exports['default'] === 'function')
      await visit(exports['default'], true, 'default');
  if (found.length === 0) {
    for (const exports of layers)
      for (const [name, value] of Object.entries(exports))
        if (/^(build|create|make|define)[A-Z]/.test(name)) await visit(value, true, name);
  }
  const unique = [...new Set(found)];
  if (unique.length === 0) throw noBackendError(entry, [...skipped]);
  return unique;
}

/**
 * The export maps to search. An ES module's namespace is one. A CommonJS module (a `.ts` entry in a project
 * without `"type": "module"` compiles to one, as do `.cts`/`.cjs`) is seen through `default` = `module.exports`:
 * `export default x` there is `module.exports.default`, named exports are properties of `module.exports`,
 * and `module.exports = backend` is the default itself.
 */
function exportLayers(mod: unknown): Record<string, unknown>[] {
  const layers: Record<string, unknown>[] = [];
  let current: unknown = mod;
  // Two levels at most: namespace → module.exports → its `default` (compiled `export default`).
  for (let depth = 0; depth < 3 && isPlainObject(current) && !layers.includes(current); depth++) {
    layers.push(current);
    const next = current['default'];
    if (isBackend(next) || isBuilder(next)) break;
    current = next;
  }
  return layers;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// The entry may load its own copy of this package (tsx, or another install), so check shapes, not classes.
function isBackend(v: unknown): v is Backend {
  return hasMethods(v, 'plan', 'apply', 'validate');
}
function isBuilder(v: unknown): v is BackendBuilder {
  return hasMethods(v, 'build', 'addComponent');
}

/** An object with a function under each name. */
function hasMethods(v: unknown, ...names: string[]): boolean {
  return isObject(v) && names.every((n) => typeof v[n] === 'function');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

async function importModule(file: string): Promise<unknown> {
  if (/\.[cm]?tsx?$/.test(file)) {
    // ATAKORA_TS_LOADER=tsx keeps the loader hooks (a comparison, or an entry the bundle gets wrong).
    const compiled =
      process.env['ATAKORA_TS_LOADER'] === 'tsx' ? undefined : await compileEntry(file);
    if (compiled) {
      try {
        return await import(compiled.url);
      } catch (e) {
        // Only what Node cannot link natively goes to tsx (see needsTsx); the entry's own errors surface.
        if (!needsTsx(e)) {
          compiled.mapStack(e);
          throw e;
        }
      } finally {
        await compiled.dispose();
      }
    }
    return importWithTsx(file);
  }
  return import(pathToFileURL(file).href);
}

/**
 * Where tsx is still needed after bundling: a package that is TypeScript source (a workspace package whose
 * `main` is a `.ts` file: ERR_UNKNOWN_FILE_EXTENSION) or a named import of a CommonJS module whose exports
 * Node cannot detect (tsx runs the entry as CommonJS where Node would). Both fail while Node links the
 * module graph, before any of the entry's code runs, so loading again through tsx repeats nothing.
 */
function needsTsx(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION') return true;
  return e instanceof SyntaxError && /does not provide an export named/.test(e.message);
}

/**
 * tsx's loader hooks: when esbuild is not installed (or the entry's folder is not writable), or for what
 * needsTsx finds. Every module loaded after `tsImport` goes through its hook thread, hence the bundle first.
 */
async function importWithTsx(file: string): Promise<unknown> {
  let tsImport: (specifier: string, parent: string) => Promise<unknown>;
  try {
    ({ tsImport } = (await import('tsx/esm/api')) as { tsImport: typeof tsImport });
  } catch {
    throw new UsageError(
      `Loading ${file} needs esbuild or tsx: npm install --save-dev esbuild (or compile it and pass the .js file).`,
    );
  }
  return tsImport(pathToFileURL(file).href, import.meta.url);
}
