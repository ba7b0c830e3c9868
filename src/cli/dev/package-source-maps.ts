import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The hooks module: ES modules under the package folder are loaded as written, ahead of any other loader's hooks.
 * (A `data:` module: the hooks run on the loader's own thread.)
 */
const HOOKS = `
let prefix = '';
export function initialize(data) { prefix = data.prefix; }
export async function load(url, context, next) {
  if (!url.startsWith(prefix) || !url.endsWith('.js')) return next(url, context);
  const { readFile } = await import('node:fs/promises');
  return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
}
`;

/**
 * Under tsx (`atakora dev` from the sources: tests), load the package's own modules as Node loads them from dist:
 * tsx's loader rewrites every ES module that holds a dynamic `import(` — a package's `index.js` among them — with a
 * source map of its own, and the package's map (the user's files and lines in a handler's stack trace) would be
 * lost. From dist no loader runs and nothing is registered.
 *
 * @example
 * ```ts
 * keepPackageSourceMaps(appDir); // before the package's main is imported
 * ```
 */
export function keepPackageSourceMaps(appDir: string): void {
  if (!import.meta.url.endsWith('.ts')) return;
  register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
    data: { prefix: pathToFileURL(`${appDir.replace(/\/+$/, '')}/`).href },
  });
}
