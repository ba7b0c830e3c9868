import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const docPath = join(root, 'docs/api-reference.md');
const PACKAGE = '@atakora/component';

/** `src/entry/<name>.ts` → `@atakora/component/<name>`, and `src/index.ts` → `@atakora/component`. */
const entries = [
  ...readdirSync(join(root, 'src/entry'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ subpath: `${PACKAGE}/${f.slice(0, -3)}`, file: join(root, 'src/entry', f) })),
  { subpath: PACKAGE, file: join(root, 'src/index.ts') },
];

/** Export names per subpath, read independently of the generator: the checker for types, import() for values. */
function exportNamesByChecker(): Map<string, string[]> {
  const program = ts.createProgram({
    rootNames: entries.map((e) => e.file),
    options: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
    },
  });
  const checker = program.getTypeChecker();
  const out = new Map<string, string[]>();
  for (const e of entries) {
    const sf = program.getSourceFile(e.file)!;
    const symbol = checker.getSymbolAtLocation(sf)!;
    out.set(
      e.subpath,
      checker
        .getExportsOfModule(symbol)
        .map((s) => s.name)
        .sort(),
    );
  }
  return out;
}

/** `### \`name\`` headings (or, for the root, the first column of its table) per `## \`subpath\`` section. */
function documentedNames(doc: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const section of doc.split(/^## /m).slice(1)) {
    const subpath = /^`([^`]+)`/.exec(section)?.[1];
    if (!subpath) continue;
    const names = new Set<string>();
    for (const m of section.matchAll(/^### `([^`]+)`\s*$/gm)) names.add(m[1]!);
    for (const m of section.matchAll(/^\| `([^`]+)` \|/gm)) names.add(m[1]!);
    out.set(subpath, names);
  }
  return out;
}

describe('docs/api-reference.md', () => {
  let doc = '';
  let documented = new Map<string, Set<string>>();
  let exported = new Map<string, string[]>();

  beforeAll(() => {
    doc = readFileSync(docPath, 'utf8');
    documented = documentedNames(doc);
    exported = exportNamesByChecker();
  });

  it('is what scripts/gen-api-docs.mjs generates now (run `node scripts/gen-api-docs.mjs` after changing an export or its TSDoc)', () => {
    const generated = execFileSync(
      process.execPath,
      [join(root, 'scripts/gen-api-docs.mjs'), '--stdout'],
      {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect(generated.length).toBeGreaterThan(1000);
    // Compare line by line first so a failure names the first stale line rather than dumping both pages.
    const want = generated.split('\n');
    const have = doc.split('\n');
    const first = want.findIndex((line, i) => line !== have[i]);
    expect(
      first === -1 ? null : { line: first + 1, generated: want[first], committed: have[first] },
    ).toBeNull();
    expect(doc).toBe(generated);
  });

  it('has a section for every entry point', () => {
    expect([...documented.keys()].sort()).toEqual(entries.map((e) => e.subpath).sort());
  });

  it.each(entries.map((e) => [e.subpath]))(
    'lists every export of %s, and nothing else',
    (subpath) => {
      const names = exported.get(subpath)!;
      expect(names.length).toBeGreaterThan(0);
      const section = documented.get(subpath) ?? new Set<string>();
      expect(names.filter((n) => !section.has(n))).toEqual([]);
      expect([...section].filter((n) => !names.includes(n)).sort()).toEqual([]);
    },
  );

  it.each(entries.filter((e) => e.subpath !== PACKAGE).map((e) => [e.subpath, e.file]))(
    'lists every runtime value exported by %s',
    async (subpath, file) => {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const section = documented.get(subpath) ?? new Set<string>();
      expect(
        Object.keys(mod)
          .filter((n) => !section.has(n))
          .sort(),
      ).toEqual([]);
    },
  );

  it('gives every documented export a kind and a declaration', () => {
    const bare = doc
      .split(/^### /m)
      .slice(1)
      .filter(
        (s) =>
          !/\n\*(class|function|interface|type|const|let|enum|namespace)\*/.test(s) ||
          !s.includes('```ts signature\n'),
      )
      .map((s) => s.split('\n')[0]);
    expect(bare).toEqual([]);
  });
});
