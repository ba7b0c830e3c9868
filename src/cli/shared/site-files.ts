import { realpathSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Content types of the files a static site usually holds; anything else is sent as bytes. */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The content type a site file is served with, by its extension.
 *
 * @example
 * ```ts
 * contentTypeOf('app.js'); // 'text/javascript; charset=utf-8'
 * ```
 */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` a URL path names, or why not: `'refused'` for a path that leaves the folder (`..`,
 * an encoded `%2e%2e`, a NUL, a backslash, a symbolic link pointing out), `'missing'` when there is no such
 * file (a folder serves its `index`).
 *
 * @example
 * ```ts
 * siteFileFor('/srv/site', '/app.js');          // { file: '/srv/site/app.js' }
 * siteFileFor('/srv/site', '/../etc/passwd');   // 'refused'
 * ```
 */
export function siteFileFor(
  root: string,
  pathname: string,
  index = 'index.html',
): { readonly file: string } | 'refused' | 'missing' {
  let path: string;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return 'refused';
  }
  if (path.includes('\0') || path.includes('\\') || path.split('/').includes('..'))
    return 'refused';
  const base = resolve(root);
  const target = resolve(base, `.${path.startsWith('/') ? path : `/${path}`}`);
  const rel = relative(base, target);
  if (rel.startsWith('..') || isAbsolute(rel)) return 'refused';
  let file = target;
  try {
    if (statSync(file).isDirectory()) file = join(file, index);
    if (!statSync(file).isFile()) return 'missing';
    // A symbolic link inside the folder may point anywhere: serve only what really lies under it.
    const real = realpathSync(file);
    const realBase = realpathSync(base);
    if (real !== realBase && !real.startsWith(realBase + sep)) return 'refused';
  } catch {
    return 'missing';
  }
  return { file };
}
