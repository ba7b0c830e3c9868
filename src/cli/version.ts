import { readFileSync } from 'node:fs';
import { builtPath } from '../kit/node/library-files.js';

/**
 * This package's version, read from its package.json (found the way the library finds its other files, so
 * it holds for the bundled dist and for src under tsx).
 *
 * @example
 * ```ts
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(builtPath('..', 'package.json'), 'utf8')) as { version: string })
    .version;
}
