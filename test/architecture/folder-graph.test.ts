import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The layer rule read at the level a reader sees first: the top-level folders of src/ must depend one way
// only, type-only imports included (a type import is still something a reader has to follow).
const SRC = resolve(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const folderOf = (file: string) =>
  relative(SRC, file).split(sep).length > 1 ? relative(SRC, file).split(sep)[0]! : '(root)';

/** Folder → folders it imports, from every static import, export-from and `import()` (types included). */
export function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files(SRC)) {
    const from = folderOf(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), fileName));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** One cycle as a path of folders, or undefined when the graph is acyclic. */
export function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of [...(graph.get(n) ?? [])].sort()) {
      if (state.get(m) === 'open') return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...graph.keys()].sort())
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  return undefined;
}

describe('the folders of src/', () => {
  it('form a one-way graph, type-only imports included', () => {
    expect(findCycle(folderGraph())).toBeUndefined();
  });

  it('the check finds a cycle when there is one (it can fail)', () => {
    const g = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('sees type-only imports and import() types', () => {
    const info = ts.preProcessFile(
      "import type { A } from '../apply/x.js'; type B = import('../backend/y.js').B;",
      true,
      true,
    );
    expect(info.importedFiles.map((f) => f.fileName)).toEqual(['../apply/x.js', '../backend/y.js']);
  });
});
