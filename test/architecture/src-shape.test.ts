import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceOf } from './support/source.js';

// Two sizes a reader can hold: a function of at most 150 lines (its whole span, nested closures included) and a
// folder of at most 25 files directly in it (more and it wants rooms by concern). Counted with the TypeScript
// parser, so a function is what the language calls one: declarations, methods, accessors, arrows and
// function expressions with a body. (File sizes and line lengths: codebase-shape.test.ts and cli-house.test.ts.)
const root = resolve(import.meta.dirname, '../..');
const SRC = join(root, 'src');
const MAX_FUNCTION_LINES = 150;
const MAX_FILES_IN_FOLDER = 25;

function folders(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => folders(join(dir, e.name))),
  ];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.(ts|mts|cts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** A function's name as a reader finds it: its own, or the variable, property or class member holding it. */
function nameOf(node: ts.SignatureDeclaration): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (
    ts.isVariableDeclaration(parent) ||
    ts.isPropertyAssignment(parent) ||
    ts.isPropertyDeclaration(parent)
  )
    return parent.name.getText();
  return '<anonymous>';
}

/** Every function of a source (its text, or its tree) longer than `max` lines, as `file:line name (N lines)`. */
function longFunctions(file: string, text: string | ts.SourceFile, max: number): string[] {
  const sf =
    typeof text === 'string' ? ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true) : text;
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      if (lines > max)
        found.push(`${file}:${String(start + 1)} ${nameOf(node)} (${String(lines)} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('the sizes of src/', () => {
  it(`no function in src/ is over ${String(MAX_FUNCTION_LINES)} lines`, () => {
    const long = sourceFiles(SRC).flatMap((f) =>
      longFunctions(relative(root, f), sourceOf(f), MAX_FUNCTION_LINES),
    );
    expect(long).toEqual([]);
  });

  it(`no folder of src/ holds more than ${String(MAX_FILES_IN_FOLDER)} files directly`, () => {
    const crowded = folders(SRC)
      .map((d) => ({
        folder: relative(root, d),
        files: readdirSync(d, { withFileTypes: true }).filter((e) => e.isFile()).length,
      }))
      .filter((d) => d.files > MAX_FILES_IN_FOLDER);
    expect(crowded).toEqual([]);
  });

  it('the function counter sees what it counts: a 151-line function, nested or not, is caught; 150 is not', () => {
    const body = Array.from(
      { length: MAX_FUNCTION_LINES - 1 },
      (_, i) => `  const a${String(i)} = ${String(i)};`,
    );
    const long = `export function tooLong() {\n${body.join('\n')}\n}\n`;
    const nested = `export const outer = () => {\n  const inner = function () {\n${body.join('\n')}\n  };\n  return inner;\n};\n`;
    expect(longFunctions('x.ts', long, MAX_FUNCTION_LINES)).toEqual(['x.ts:1 tooLong (151 lines)']);
    // The outer arrow spans the inner one (154 lines), which is 151 on its own: both are named.
    expect(longFunctions('y.ts', nested, MAX_FUNCTION_LINES)).toEqual([
      'y.ts:1 outer (154 lines)',
      'y.ts:2 inner (151 lines)',
    ]);
    const short = `export function fits() {\n${body.slice(1).join('\n')}\n}\n`;
    expect(longFunctions('z.ts', short, MAX_FUNCTION_LINES)).toEqual([]);
  });
});
