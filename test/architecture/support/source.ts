import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { sharedWhileUsed } from '../../support/shared-while-used.js';

/** Every `.ts` file below `dir`, recursively. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

const parsed = new Map<string, ts.SourceFile>();
/** codeOf's answers by text: several tests read the code of the same files (as sourceOf, once per worker). */
const codes = new Map<string, string>();
// Kept while the worker's files keep reading them: ~130–160 MiB of trees otherwise marked by every later file's
// major GCs (test/support/shared-while-used.ts).
const used = sharedWhileUsed(() => {
  parsed.clear();
  codes.clear();
});

/**
 * A file's syntax tree (parent nodes set), parsed once per worker while its text stays the same. The architecture
 * tests walk the same ~1,150 files of src/ (~2–3 CPU-seconds a parse of them all), and with `isolate: false`
 * (vitest.config.ts) a worker's test files share this module, so a worker parses each file once, not once per test
 * file that reads it (docs/performance.md, "The suite") — while they read them one after another.
 */
export function sourceOf(file: string): ts.SourceFile {
  used();
  const text = readFileSync(file, 'utf8');
  const known = parsed.get(file);
  if (known?.text === text) return known;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  parsed.set(file, source);
  return source;
}

/**
 * A source's code with each comment made one space: a comment may name a header, a host or a call (TSDoc examples,
 * citations); only code reads or builds one.
 */
export function codeOf(text: string): string {
  used();
  const known = codes.get(text);
  if (known !== undefined) return known;
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    ts.LanguageVariant.Standard,
    text,
  );
  let out = '';
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan())
    out +=
      k === ts.SyntaxKind.SingleLineCommentTrivia || k === ts.SyntaxKind.MultiLineCommentTrivia
        ? ' '
        : scanner.getTokenText();
  codes.set(text, out);
  return out;
}
