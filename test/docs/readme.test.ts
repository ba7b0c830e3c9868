/**
 * What the README says about the quick start and the entry points holds.
 * - The quick start's `backend.ts` is an entry the CLI reads: `atakora plan backend.ts` prints its plan and
 *   writes nothing (the snippet runner of snippets.test.ts runs both files; this runs the CLI on one).
 * - The subpath table: the root exports everything of the subpaths it names and nothing of the ones it says
 *   it leaves out; every name a row lists is exported by that subpath.
 * Uses dist/ (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The ```ts block whose first line is `// <file>`. */
function block(file: string): string {
  const m = new RegExp(`\`\`\`ts\\n// ${file.replace('.', '\\.')}\\n([\\s\\S]*?)\`\`\``).exec(
    readme,
  );
  if (!m) throw new Error(`README has no \`// ${file}\` block`);
  return m[1]!;
}

describe('README quick start', () => {
  // Under the repository, so `@atakora/component/...` resolves to this package (self-reference).
  const dir = join(root, `.tmp-readme-${String(process.pid)}`);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('`atakora plan backend.ts` reads the backend the quick start exports, and writes nothing', () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'backend.ts'), block('backend.ts'));
    expect(readme).toContain('npx atakora plan backend.ts');
    const out = execFileSync(
      process.execPath,
      [join(root, 'dist/cli/bin.js'), 'plan', 'backend.ts'],
      { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(out).toContain('Plan for backend (prod, eastus)');
    expect(out).toMatch(/Resources: 3 shared instead of 6 stand-alone/);
    expect(readdirSync(dir)).toEqual(['backend.ts']);
  });

  it('main.ts imports that backend, and the README says what its run writes', () => {
    expect(block('main.ts')).toContain("import backend from './backend.js';");
    for (const path of [
      'cdktf.out/',
      'manifest.json',
      'stacks/MyStack/cdk.tf.json',
      'stacks/MyStack/assets/',
    ])
      expect(readme).toContain(path);
    expect(readme).toContain('npm install --save-dev cdktf-cli');
  });
});

describe('README subpath table', () => {
  const PACKAGE = '@atakora/component';
  const entryFile = (subpath: string) =>
    subpath === PACKAGE
      ? join(root, 'src/index.ts')
      : join(root, 'src/entry', `${subpath.slice(PACKAGE.length + 1)}.ts`);
  const rows = [...readme.matchAll(/^\| `(@atakora\/component[^`]*)` \| (.*) \|$/gm)].map((m) => ({
    subpath: m[1]!,
    text: m[2]!,
  }));
  const program = ts.createProgram({
    rootNames: rows.map((r) => entryFile(r.subpath)),
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
  const exportsOf = (subpath: string) =>
    checker
      .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entryFile(subpath))!)!)
      .map((s) => s.name);

  it('has a row per entry point', () => {
    const entries = readdirSync(join(root, 'src/entry'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `${PACKAGE}/${f.slice(0, -3)}`);
    expect(rows.map((r) => r.subpath).sort()).toEqual([PACKAGE, ...entries].sort());
  });

  it('the root holds every export of the subpaths it names, none of those it leaves out', () => {
    const rootRow = rows.find((r) => r.subpath === PACKAGE)!;
    const [included = '', excluded = ''] = rootRow.text.split(/;/);
    const named = (s: string) => [...s.matchAll(/`\/(\w+)`/g)].map((m) => `${PACKAGE}/${m[1]!}`);
    const rootExports = new Set(exportsOf(PACKAGE));
    expect(named(included).length).toBeGreaterThan(0);
    for (const sub of named(included))
      expect(
        exportsOf(sub).filter((n) => !rootExports.has(n)),
        sub,
      ).toEqual([]);
    const leftOut = named(rootRow.text.slice(rootRow.text.indexOf(excluded)));
    expect(leftOut.sort()).toEqual([`${PACKAGE}/runtime`, `${PACKAGE}/testing`]);
    for (const sub of leftOut)
      expect(
        exportsOf(sub).some((n) => !rootExports.has(n)),
        sub,
      ).toBe(true);
  });

  it('every name a row lists is exported by that subpath', () => {
    for (const r of rows.filter((x) => x.subpath !== PACKAGE)) {
      const names = [...r.text.matchAll(/`([A-Za-z]\w*)`/g)].map((m) => m[1]!);
      const exported = exportsOf(r.subpath);
      expect(
        names.filter((n) => !exported.includes(n)),
        r.subpath,
      ).toEqual([]);
    }
  });
});
