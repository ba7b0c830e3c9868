import type { AccessMatrix } from './types.js';

/**
 * The file `atakora.access.json`: pretty-printed with two spaces, keys in the matrix's own order (principals,
 * rows and cells stable by construction), one newline at the end — so a review shows only what changed.
 *
 * @example
 * ```ts
 * writeFileSync(join(dirname(entry), ACCESS_FILE), formatAccessMatrix(matrix));
 * ```
 */
export function formatAccessMatrix(matrix: AccessMatrix): string {
  return `${JSON.stringify(matrix, null, 2)}\n`;
}

/** The matrix file's name, beside the entry. */
export const ACCESS_FILE = 'atakora.access.json';
