import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtakoraError } from '../../model/errors.js';
import { UsageError } from '../shared/usage-error.js';
import { at } from '../../model/at.js';

// What a user's entry can go wrong with, as short messages with the fix: the raw errors (esbuild's
// TransformError, Node's ERR_UNSUPPORTED_DIR_IMPORT, ERR_IMPORT_ASSERTION_TYPE_MISSING) carry internals and
// stacks that say nothing about the fix. Kept apart from how the entry is loaded (tsx hooks or a bundle).

const MODULE = /\.[cm]?[jt]sx?$/;

/**
 * The entry's absolute path, after the checks a usage error covers: it exists, is a file, and is a module
 * (.ts/.mts/.cts/.tsx/.js/.mjs/.cjs/.jsx).
 *
 * @example
 * ```ts
 * checkEntryPath('src'); // UsageError: src is a directory: pass the entry file, e.g. src/main.ts.
 * checkEntryPath('backnd.ts'); // AtakoraError ENTRY_NOT_FOUND: Entry not found: backnd.ts (no file at /project/backnd.ts).
 * checkEntryPath('flags.json'); // UsageError: flags.json is not a module …
 * ```
 */
export function checkEntryPath(entry: string): string {
  const file = resolve(entry);
  if (!existsSync(file)) {
    // A command-line mistake (main exits 2 for it), with the path as resolved: a typo or the wrong folder.
    throw new AtakoraError('ENTRY_NOT_FOUND', `Entry not found: ${entry} (no file at ${file}).`, {
      path: ['entry'],
      resolution:
        `Pass the path of the module that exports your backend, relative to the working directory ` +
        `${process.cwd()}, e.g. atakora plan backend.ts.`,
    });
  }
  if (statSync(file).isDirectory()) {
    throw new UsageError(
      `${entry} is a directory: pass the entry file that exports the backend, e.g. ` +
        `${entry.replace(/\/+$/, '')}/main.ts.`,
    );
  }
  if (!MODULE.test(file)) {
    const json =
      extname(file) === '.json'
        ? ` To switch components by a flags file, read it in the entry: parseFlags(readFileSync('${entry}', ` +
          `'utf8'), { users: false }).`
        : '';
    throw new UsageError(
      `${entry} is not a module: the entry is a .ts/.mts/.cts/.js/.mjs/.cjs file that exports a backend.${json}`,
    );
  }
  return file;
}

/** An esbuild message (tsx's TransformError and esbuild's BuildFailure carry a list of them). */
interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number; lineText?: string } | null;
}

/**
 * What the CLI says when importing the entry failed: an AtakoraError (a define-time mistake in the entry)
 * as it is; a syntax error as `ENTRY_SYNTAX_ERROR` with file, line and column; anything else as one line
 * with the place in the user's code it came from, never the loader's stack.
 *
 * @example
 * ```ts
 * try { await import(url); } catch (e) { throw entryLoadError('backend.ts', file, e); }
 * ```
 */
export function entryLoadError(entry: string, file: string, error: unknown): Error {
  const e = error as
    | {
        code?: unknown;
        resolution?: unknown;
        errors?: EsbuildMessage[];
        name?: string;
        message?: string;
        stack?: string;
      }
    | undefined;
  if (
    error instanceof UsageError ||
    (e && typeof e.code === 'string' && typeof e.resolution === 'string')
  )
    return error as Error;
  const located = e?.errors?.find((m) => m.location);
  if (located?.location) {
    const { file: at, line, column, lineText } = located.location;
    // esbuild's columns count from 0; editors (and Node) from 1.
    return syntaxError(entry, at, line, column + 1, located.text, lineText);
  }
  // tsx rethrows esbuild's TransformError with its message only: `<file>:<line>:<column>: ERROR: <text>`.
  const transform = /^(.+?):(\d+):(\d+): ERROR: (.+)$/m.exec(e?.message ?? '');
  if (
    transform &&
    (e?.name === 'TransformError' || (e?.message ?? '').startsWith('Transform failed'))
  ) {
    return syntaxError(
      entry,
      at(transform, 1),
      Number(transform[2]),
      Number(transform[3]) + 1,
      at(transform, 4),
    );
  }
  if (e?.name === 'SyntaxError') {
    // "does not provide an export named x" is a SyntaxError of the importing module that names the export.
    const place = (e.message ?? '').includes('does not provide an export')
      ? null
      : checkSyntax(file);
    if (place)
      return syntaxError(
        entry,
        place.file,
        place.line,
        place.column,
        e.message ?? 'syntax error',
        place.lineText,
      );
    return new EntryError(
      `${entry} could not be loaded: SyntaxError: ${e.message ?? ''}${place === undefined ? ` (${entry} itself parses: the error is in a module it imports)` : ''}`,
      { cause: error },
    );
  }
  const where = userFrame(e?.stack, file);
  return new EntryError(
    `${entry} failed while loading: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${where ? `\n  at ${where}` : ''}`,
    { cause: error },
  );
}

/** A failure of the user's entry: the CLI prints its message (no stack) and exits 1. */
export class EntryError extends Error {
  override readonly name = 'EntryError';
}

function syntaxError(
  entry: string,
  file: string,
  line: number,
  column: number,
  text: string,
  lineText?: string,
): AtakoraError {
  const shown = relative(process.cwd(), resolve(file)) || file;
  lineText ??= sourceLine(file, line);
  const excerpt =
    lineText === undefined ? '' : `\n    ${lineText}\n    ${' '.repeat(Math.max(0, column - 1))}^`;
  return new AtakoraError(
    'ENTRY_SYNTAX_ERROR',
    `${shown}:${String(line)}:${String(column)}: ${text}${excerpt}`,
    {
      path: [entry],
      details: { file: shown, line, column },
      ...(COMMONJS_AWAIT.test(text) ? { resolution: commonJsAwait(shown) } : {}),
    },
  );
}

// esbuild's (and so tsx's) words for a top-level await in a file it compiles as CommonJS.
const COMMONJS_AWAIT = /Top-level await is currently not supported with the "cjs" output format/;

/**
 * What to change when a `.ts` file of a CommonJS project awaits at the top level: not a syntax error of the
 * user's, but of the project's module system (npm init writes `"type": "commonjs"`), which has no top-level await.
 */
function commonJsAwait(shown: string): string {
  return (
    `${shown} is CommonJS (the nearest package.json has no "type": "module", npm init's default), and CommonJS ` +
    'has no top-level await. Either make the project ESM: npm pkg set type=module (then relative imports name the ' +
    `.js file: './backend.js'); or rename ${shown} to .mts; or move the awaits into an async function the module ` +
    'calls (export default async () => defineBackend(…) is loaded too).'
  );
}

function sourceLine(file: string, line: number): string | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/)[line - 1];
  } catch {
    return undefined;
  }
}

/**
 * Where Node's parser stops in a JavaScript file (its ESM SyntaxError from import() names no position):
 * `node --check` prints `<file>:<line>`, the line, and a caret under the column. Undefined when the file
 * itself parses (the error is in a module it imports).
 */
function checkSyntax(
  file: string,
): { file: string; line: number; column: number; lineText: string } | undefined | null {
  if (/\.[cm]?tsx?$/.test(file)) return null;
  const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return undefined;
  const lines = (r.stderr ?? '').split('\n');
  const head = lines.findIndex((l) => /:(\d+)$/.test(l));
  const [, lineNumber] = head >= 0 ? (/:(\d+)$/.exec(at(lines, head)) ?? []) : [];
  const line = lineNumber === undefined ? NaN : Number(lineNumber);
  if (!Number.isInteger(line)) return null;
  const lineText = lines[head + 1] ?? '';
  const caret = (lines[head + 2] ?? '').indexOf('^');
  return { file, line, column: caret >= 0 ? caret + 1 : 1, lineText };
}

/** The first stack frame in the user's files (not node_modules, not Node's own): where to look. */
function userFrame(stack: string | undefined, file: string): string | undefined {
  const frames = (stack ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '));
  const inUserCode = (l: string) =>
    !l.includes('node_modules') && !l.includes('node:') && !l.includes('/dist/');
  const frame =
    frames.find((l) => l.includes(file) || l.includes(encodeURI(file))) ?? frames.find(inUserCode);
  if (!frame) return undefined;
  const [, where, position] = /\(?((?:file:\/\/)?[^()\s]+)(:\d+:\d+)\)?$/.exec(frame) ?? [];
  if (!where || !position) return undefined;
  const path = (where.startsWith('file://') ? fileURLToPath(where) : where) + position;
  return relative(process.cwd(), path) || path;
}

/**
 * "exports no backend", saying which exported functions were skipped because they take parameters (atakora
 * cannot know what to pass): `export default function forFlags(flags)` is a common first try.
 *
 * @example
 * ```ts
 * noBackendError('main.ts', ['forFlags (default export)']);
 * ```
 */
export function noBackendError(entry: string, skipped: readonly string[]): AtakoraError {
  const fn = (label: string) =>
    label.startsWith('the function') ? 'build' : (/^[\w$]+/.exec(label)?.[0] ?? 'build');
  const why =
    skipped.length === 0
      ? ''
      : ` Skipped ${skipped.join(', ')}: ${skipped.length === 1 ? 'it takes' : 'they take'} parameters, and ` +
        `atakora calls only functions without parameters.`;
  return new AtakoraError('COMPONENT_INVALID', `${entry} exports no backend.${why}`, {
    path: [entry],
    resolution:
      skipped.length === 0
        ? 'Export a backend, a builder or a function returning one: `export default defineBackend({ ... })`.'
        : `Export what the function returns for your inputs, e.g. \`export default ${fn(at(skipped, 0))}(parseFlags(readFileSync('flags.json', 'utf8'), { users: false }))\`, or give its parameters defaults so it takes none.`,
  });
}
