import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceOf } from './support/source.js';

// Small named functions of one role each: no function of src/runtime spans more than 100 lines, counting its
// whole span (nested closures included) — a closure holding a whole engine shows as the one long function it is.
const RUNTIME = resolve(import.meta.dirname, '../../src/runtime');
const MAX_LINES = 100;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every function (declarations, methods, arrows, expressions) longer than `max` lines, as `file:line name (n)`. */
export function longFunctions(file: string, max: number): string[] {
  const source = sourceOf(file);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      const name =
        node.name && ts.isIdentifier(node.name) ? node.name.text : ts.SyntaxKind[node.kind];
      if (lines > max) out.push(`${relative(RUNTIME, file)}:${start + 1} ${name} (${lines})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe('function size', () => {
  it(`no function in src/runtime is over ${MAX_LINES} lines`, () => {
    expect(files(RUNTIME).flatMap((f) => longFunctions(f, MAX_LINES))).toEqual([]);
  });
});
