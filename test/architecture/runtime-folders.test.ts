import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// src/runtime's folders import one way, type imports included (docs/architecture.md, "The runtime's rooms"): the
// pipeline's context types live with its stages, below the handler folders; crud reaches relations through their
// interfaces and relations never import crud. A knot of folders — two that import each other, even by a type
// alone — is a house a reader cannot walk floor by floor. `npm run lint`'s dependency-cruiser rules hold the
// rooms' order; this test holds the property itself, whatever the list says.
const RUNTIME = resolve(import.meta.dirname, '../../src/runtime');
const FIXTURE = resolve(import.meta.dirname, 'fixtures/runtime-knot');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Folder → folders it imports under `root` (static, export-from and `import()`, types included). */
function folderGraph(root: string): Map<string, Map<string, string>> {
  const folderOf = (file: string) => {
    const parts = relative(root, file).split(sep);
    return parts.length > 1 ? (parts[0] ?? '') : '(root)';
  };
  const graph = new Map<string, Map<string, string>>();
  for (const file of files(root)) {
    const from = folderOf(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      if (!target.startsWith(root + sep)) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      // One import that makes the arrow, to name in a failure.
      if (!edges.has(to)) edges.set(to, `${relative(root, file)} → ${fileName}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The knots (strongly connected sets of two folders or more), each with the imports that tie it. */
function knots(graph: Map<string, Map<string, string>>): string[][] {
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((e) => [...e.keys()])]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const knot: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack.delete(w);
      knot.push(w);
      if (w === v) break;
    }
    if (knot.length > 1) found.push(knot.sort());
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return found.map((knot) =>
    knot.flatMap((a) =>
      knot.flatMap((b) => {
        const via = graph.get(a)?.get(b);
        return via ? [`${a} → ${b} (${via})`] : [];
      }),
    ),
  );
}

describe("src/runtime's folders", () => {
  it('import one way, type imports included', () => {
    expect(knots(folderGraph(RUNTIME))).toEqual([]);
  });

  it('the check finds a knot made of type imports alone (a fixture of two folders naming each other)', () => {
    expect(knots(folderGraph(FIXTURE))).toEqual([
      ['a → b (a/one.ts → ../b/two.js)', 'b → a (b/two.ts → ../a/one.js)'],
    ]);
  });

  it('crud and relations: relations never import crud (crud reaches them through their interfaces)', () => {
    expect(folderGraph(RUNTIME).get('relations')?.has('crud') ?? false).toBe(false);
  });

  it("the quota room (limits) stands below the pipeline: it imports neither the pipeline's types nor a handler", () => {
    const below = folderGraph(RUNTIME).get('limits') ?? new Map<string, string>();
    const above = [
      'pipeline',
      'in-process',
      'mcp',
      'crud',
      'files',
      'relations',
      'realtime',
      'routes',
    ];
    expect([...below.keys()].filter((f) => above.includes(f))).toEqual([]);
  });

  it("the pipeline's context types live in the pipeline, which imports no handler folder", () => {
    const below = folderGraph(RUNTIME).get('pipeline') ?? new Map<string, string>();
    const handlers = ['crud', 'files', 'relations', 'realtime', 'routes'];
    expect([...below.keys()].filter((f) => handlers.includes(f))).toEqual([]);
  });
});
