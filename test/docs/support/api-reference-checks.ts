// The checks of the package's public surface as the docs state it, all read from one TypeScript program of the
// entry points (src/entry/*.ts and src/index.ts under tsconfig.json's options: scripts/gen-api-docs.mjs's
// createApiProgram), built once per worker here. The program is ~10 CPU-seconds (the whole of src/ and the types it
// reaches: stripe, openai, @types/node, the providers); the generator's own process, readme.test.ts and
// docs-match-code.test.ts built one each before, so the checks that need it are these (docs/performance.md, "The
// suite"), and they run in test/docs/snippets.test.ts, whose type check of the snippets reuses the program's parsed
// declaration files of node_modules (./shared-source-files.ts; they were a file of their own, and the two programs
// parsed stripe, @types/node, cdktf and the Azure SDKs once each):
// - docs/api-reference.md is what the generator makes of the program now, and lists exactly the exports;
// - README.md's subpath table names what each entry point exports (readme.test.ts keeps the quick start);
// - every name a doc imports from the package is exported by that subpath (docs-match-code.test.ts keeps the rest).
// The export names are read with this file's own code (the checker for types, import() for values), not the
// generator's, so a generator that drops an export still fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const docPath = join(root, 'docs/api-reference.md');
const PACKAGE = '@atakora/component';

/** What this file uses of scripts/gen-api-docs.mjs (plain JavaScript, so typed here). */
interface Generator {
  createApiProgram(root?: string): ts.Program;
  generateApiReference(root?: string, program?: ts.Program): string;
}
const generator = (await import(
  pathToFileURL(join(root, 'scripts/gen-api-docs.mjs')).href
)) as Generator;

/** `src/entry/<name>.ts` → `@atakora/component/<name>`, and `src/index.ts` → `@atakora/component`. */
const entries = [
  ...readdirSync(join(root, 'src/entry'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ subpath: `${PACKAGE}/${f.slice(0, -3)}`, file: join(root, 'src/entry', f) })),
  { subpath: PACKAGE, file: join(root, 'src/index.ts') },
];
const entryFile = (subpath: string) => entries.find((e) => e.subpath === subpath)?.file;

/**
 * The API reference's program and its checker, built on first use, and let go once its checks are done
 * (describeApiReference): with `isolate: false` (vitest.config.ts) a test file's module scope lives as long as its
 * worker, and this program with the snippets' own is ~0.5 GiB that every later file's full garbage collection in
 * the worker would mark again (~1 CPU-second a collection; docs/performance.md, "The suite").
 */
let api: { program: ts.Program; checker: ts.TypeChecker } | undefined;
function apiProgram(): { program: ts.Program; checker: ts.TypeChecker } {
  if (api) return api;
  const program = generator.createApiProgram(root);
  api = { program, checker: program.getTypeChecker() };
  return api;
}
/** The API reference's program, which the snippets' type check shares declaration files with. */
export const program = (): ts.Program => apiProgram().program;
/** Export names of an entry point (by its subpath) as the checker sees them; undefined for no such subpath. */
function exportsOf(subpath: string): string[] | undefined {
  const { program, checker } = apiProgram();
  const file = entryFile(subpath);
  const sf = file === undefined ? undefined : program.getSourceFile(file);
  const symbol = sf && checker.getSymbolAtLocation(sf);
  return symbol && checker.getExportsOfModule(symbol).map((s) => s.name);
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

/** Registers the checks of docs/api-reference.md, README's subpath table and the docs' imports (see the top). */
export function describeApiReference(): void {
  describe('the API reference', describeChecks);
}

/** The checks, in one block whose end lets the program go (a caller's later tests run without it in the heap). */
function describeChecks(): void {
  afterAll(() => {
    api = undefined;
  });
  describe('docs/api-reference.md', () => {
    let doc = '';
    let documented = new Map<string, Set<string>>();
    let exported = new Map<string, string[]>();

    beforeAll(() => {
      doc = readFileSync(docPath, 'utf8');
      documented = documentedNames(doc);
      exported = new Map(entries.map((e) => [e.subpath, (exportsOf(e.subpath) ?? []).sort()]));
    });

    it('is what scripts/gen-api-docs.mjs generates now (run `node scripts/gen-api-docs.mjs` after changing an export or its TSDoc)', () => {
      const generated = generator.generateApiReference(root, program());
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

  // README.md's table of entry points (moved from readme.test.ts: it reads the same program).
  describe('README subpath table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `(@atakora\/component[^`]*)` \| (.*) \|$/gm)].map(
      (m) => ({
        subpath: m[1]!,
        text: m[2]!,
      }),
    );
    const namesOf = (subpath: string) => {
      const names = exportsOf(subpath);
      if (!names) throw new Error(`README names ${subpath}, which is no entry point`);
      return names;
    };

    it('has a row per entry point', () => {
      const subpaths = readdirSync(join(root, 'src/entry'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${PACKAGE}/${f.slice(0, -3)}`);
      expect(rows.map((r) => r.subpath).sort()).toEqual([PACKAGE, ...subpaths].sort());
    });

    it('the root holds every export of the subpaths it names, none of those it leaves out', () => {
      const rootRow = rows.find((r) => r.subpath === PACKAGE)!;
      const [included = '', excluded = ''] = rootRow.text.split(/;/);
      const named = (s: string) => [...s.matchAll(/`\/(\w+)`/g)].map((m) => `${PACKAGE}/${m[1]!}`);
      const rootExports = new Set(namesOf(PACKAGE));
      expect(named(included).length).toBeGreaterThan(0);
      for (const sub of named(included))
        expect(
          namesOf(sub).filter((n) => !rootExports.has(n)),
          sub,
        ).toEqual([]);
      const leftOut = named(rootRow.text.slice(rootRow.text.indexOf(excluded)));
      expect(leftOut.sort()).toEqual([`${PACKAGE}/runtime`, `${PACKAGE}/testing`]);
      for (const sub of leftOut)
        expect(
          namesOf(sub).some((n) => !rootExports.has(n)),
          sub,
        ).toBe(true);
    });

    it('every name a row lists is exported by that subpath', () => {
      for (const r of rows.filter((x) => x.subpath !== PACKAGE)) {
        const names = [...r.text.matchAll(/`([A-Za-z]\w*)`/g)].map((m) => m[1]!);
        const exported = namesOf(r.subpath);
        expect(
          names.filter((n) => !exported.includes(n)),
          r.subpath,
        ).toEqual([]);
      }
    });
  });

  // Moved from docs-match-code.test.ts (the docs name what exists), for the same program.
  describe('every name a doc imports from the package is exported by that subpath', () => {
    const docs = [
      'README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];

    it('(README.md and docs/*.md, code blocks and fragments alike)', () => {
      const unknown: string[] = [];
      for (const d of docs) {
        const t = readFileSync(join(root, d), 'utf8');
        for (const m of t.matchAll(
          /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(@atakora\/component(?:\/[a-z]+)?)'/g,
        )) {
          const names = exportsOf(m[2]!);
          if (!names) {
            unknown.push(`${d}: ${m[2]} (no such subpath)`);
            continue;
          }
          for (const part of m[1]!.split(',')) {
            const name = part
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)[0]!
              .trim();
            if (name && !names.includes(name)) unknown.push(`${d}: ${name} from ${m[2]}`);
          }
        }
      }
      expect(unknown).toEqual([]);
    });
  });
}
