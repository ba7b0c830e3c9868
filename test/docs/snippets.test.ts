import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every ```ts block of README.md and docs/*.md is type-checked against the built package (strict, NodeNext),
// importing it by name as a user would, and then executed with node. The docs' convention (docs/README.md):
// - A snippet may use the public names (defineBackend, CrudApi, ResourceGroupStack, …) and the usual variables
//   (app, stack, backend, a component `api`, …) without declaring them. For the type check PRELUDE supplies
//   whichever of them the snippet does not declare itself (`declare const` for the variables); for the run
//   RUN_PRELUDE gives those variables real values.
// - A block that is not TypeScript on its own (an excerpt with `…`) is marked `<!-- snippet: fragment (why) -->`
//   on the line before it and is skipped; a block that type-checks but must not run here is marked
//   `<!-- snippet: no-run (why) -->`. The test keeps both lists short and every marker gives its reason.
// - A snippet whose first line is a file name comment (`// backend.ts`) is that module: another snippet of the
//   same doc may import it (`./backend.js`).
// - Failure examples: a top-level statement after a `// ✗ …` comment (up to the next `// ✓ …` comment) may throw
//   an AtakoraError only with a code the ✗ comment names; when it does not throw and its value is a backend,
//   a component definition, a plan or a diff, the plan (or diff) must list one of those codes, or applying that
//   backend to a fresh stack must throw one. A statement after `// ✓ …` must not throw, and a backend,
//   definition, plan or diff it gives must have no error issue and no limit violation. Anything else a
//   snippet throws fails it — an AtakoraError too, where no ✗ comment names its code.
// Snippets run in two node processes (the runner below), each module in a fresh cwd under the temp dir, so
// what they write (cdktf.out, …) is removed with it; a failure shows the doc's line and the snippet's output.
// docs/api-reference.md is generated from TSDoc and left out.
const root = resolve(import.meta.dirname, '../..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'api-reference.md').map((f) => `docs/${f}`)];

/** name → the line that provides it when the snippet does not (type check). */
const PRELUDE: Readonly<Record<string, string>> = {
  defineBackend: "import { defineBackend } from '@atakora/component/backend';",
  defineComponent: "import { defineComponent } from '@atakora/component/backend';",
  BaseProvider: "import { BaseProvider } from '@atakora/component/backend';",
  AtakoraError: "import { AtakoraError } from '@atakora/component/backend';",
  PlanError: "import { PlanError } from '@atakora/component/backend';",
  ResourceLimitError: "import { ResourceLimitError } from '@atakora/component/backend';",
  diffPlans: "import { diffPlans } from '@atakora/component/backend';",
  CrudApi: "import { CrudApi } from '@atakora/component/crud';",
  FunctionsApp: "import { FunctionsApp } from '@atakora/component/functions';",
  StaticSite: "import { StaticSite } from '@atakora/component/web';",
  StaticSiteWithCdn: "import { StaticSiteWithCdn } from '@atakora/component/web';",
  ResourceGroupStack: "import { ResourceGroupStack } from '@atakora/component/cdk';",
  App: "import { App } from 'cdktf';",
  TerraformStack: "import { TerraformStack } from 'cdktf';",
  app: "declare const app: import('cdktf').App;",
  stack: "declare const stack: import('@atakora/component/cdk').ResourceGroupStack;",
  backend: "declare const backend: import('@atakora/component/backend').Backend;",
  api: "declare const api: ReturnType<typeof import('@atakora/component/crud').CrudApi.define>;",
  users: "declare const users: ReturnType<typeof import('@atakora/component/crud').CrudApi.define>;",
  orders: "declare const orders: ReturnType<typeof import('@atakora/component/crud').CrudApi.define>;",
  flags: "declare const flags: Record<string, boolean>;",
};

/** The real values of PRELUDE's variables when a snippet runs: one app with one stack, a CrudApi, a backend of it, every flag on. */
const RUN_PRELUDE: Readonly<Record<string, string>> = {
  app: 'const app = __app;',
  stack: 'const stack = __stack;',
  backend: 'const backend = __defineBackend({ api: __users });',
  api: 'const api = __users;',
  users: 'const users = __users;',
  orders: "const orders = __CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string', total: 'number' } });",
  flags: 'const flags: Record<string, boolean> = new Proxy({}, { get: () => true });',
};
const RUN_HEADER = [
  "import { App as __App } from 'cdktf';",
  "import { defineBackend as __defineBackend } from '@atakora/component/backend';",
  "import { CrudApi as __CrudApi } from '@atakora/component/crud';",
  "import { ResourceGroupStack as __ResourceGroupStack } from '@atakora/component/cdk';",
  "import { bad as __bad, good as __good } from '../guard.mjs';",
  'const __app = new __App();',
  "const __stack = new __ResourceGroupStack(__app, 'DocStack', { resourceGroupName: 'rg-docs', location: 'eastus' });",
  "const __users = __CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', name: 'string' } });",
].join(' ');

const declares = (code: string, name: string) =>
  new RegExp(`\\b(const|let|var|function|class|interface|type)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from|import\\s+${name}\\b`).test(code);
/** The names of `table` the snippet uses but neither imports nor declares. */
const undeclared = (code: string, table: Readonly<Record<string, string>>) =>
  Object.keys(table).filter((name) => new RegExp(`\\b${name}\\b`).test(code) && !declares(code, name));
/** The prelude lines for the names the snippet uses but neither imports nor declares. */
const preludeFor = (code: string) => undeclared(code, PRELUDE).map((name) => PRELUDE[name]).join('\n');

interface Snippet {
  readonly doc: string;
  readonly line: number;
  /** `fragment` is not checked at all, `no-run` is type-checked only; the marker's reason in `why`. */
  readonly mark: 'fragment' | 'no-run' | undefined;
  readonly why: string | undefined;
  readonly code: string;
}

function snippetsOf(doc: string): Snippet[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const marker = lines.slice(Math.max(0, i - 2), i).map((l) => /<!-- snippet: (fragment|no-run)(?: \((.+)\))? -->/.exec(l)).find(Boolean);
    out.push({ doc, line: i + 1, mark: marker?.[1] as Snippet['mark'], why: marker?.[2], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

/** The UPPER_SNAKE codes a comment names. */
const codesIn = (text: string) => [...text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)].map((m) => m[0]);

/**
 * The snippet with each top-level statement under a `// ✗` or `// ✓` comment run through the guard of
 * guard.mjs (`__bad` with the codes the comment names, or `__good`), in place, so every line keeps its number.
 */
function instrument(s: Snippet): string {
  const { code } = s;
  if (!code.includes('✗')) return code;
  const file = ts.createSourceFile('snippet.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  let section: { bad: boolean; codes: string[] } | undefined;
  for (const st of file.statements) {
    for (const c of ts.getLeadingCommentRanges(code, st.pos) ?? []) {
      const m = /^\/\/\s*([✗✓])(.*)$/.exec(code.slice(c.pos, c.end));
      if (m) section = { bad: m[1] === '✗', codes: codesIn(m[2]!) };
    }
    if (!section) continue;
    const where = JSON.stringify(`${s.doc}:${s.line + 1 + file.getLineAndCharacterOfPosition(st.getStart()).line}`);
    const { bad, codes } = section;
    const guard = (e: ts.Expression) => bad
      ? { start: e.getStart(), end: e.end, text: `await __bad(async () => (${e.getText()}), ${JSON.stringify(codes)}, ${where})` }
      : { start: e.getStart(), end: e.end, text: `await __good(async () => (${e.getText()}), ${where})` };
    if (ts.isExpressionStatement(st)) edits.push(guard(st.expression));
    else if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (d.initializer) edits.push(guard(d.initializer));
  }
  return edits.reverse().reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), code);
}

// Loaded by every executed snippet: the guards of the ✗/✓ convention.
const GUARD = `
import { App } from 'cdktf';
import { AtakoraError, defineBackend } from '@atakora/component/backend';
import { ResourceGroupStack } from '@atakora/component/cdk';
const isObject = (v) => v !== null && typeof v === 'object';
const isBackend = (v) => isObject(v) && typeof v.plan === 'function' && typeof v.validate === 'function' && typeof v.apply === 'function';
const isDefinition = (v) => isObject(v) && typeof v.componentId === 'string' && typeof v.componentType === 'string';
/** A backend for a value that is a backend or a component definition, else undefined. */
const backendOf = (v) => isBackend(v) ? v : isDefinition(v) ? defineBackend({ component: v }) : undefined;
/** The issues a backend's plan, a plan or a diff reports (limit violations as LIMIT_EXCEEDED errors), or undefined for other values. */
function issuesOf(value) {
  const backend = backendOf(value);
  const v = backend ? backend.plan() : value;
  if (!isObject(v) || !Array.isArray(v.issues)) return undefined;
  const limits = Array.isArray(v.limitViolations) && v.limitViolations.length > 0 ? [{ severity: 'error', code: 'LIMIT_EXCEEDED' }] : [];
  return [...v.issues, ...limits];
}
const show = (e) => e instanceof AtakoraError ? e.name + ' ' + e.code + ': ' + e.message : e instanceof Error ? e.stack : String(e);
function fail(where, message, cause) {
  const e = new Error(where + ': ' + message + (cause === undefined ? '' : '\\n' + show(cause)));
  e.name = 'SnippetFailure';
  throw e;
}
const named = (codes) => codes.join(', ') || 'none';
/**
 * A ✗ statement: it throws an AtakoraError with one of \`codes\`, or its value shows one — a backend's (or a
 * component definition's own backend's) plan or a plan or diff lists it among its issues, or applying that
 * backend to a fresh stack throws it. Other values (an applied backend, …) pass as they are.
 */
export async function bad(fn, codes, where) {
  let value;
  try {
    value = await fn();
  } catch (e) {
    if (e instanceof AtakoraError && codes.includes(e.code)) return undefined;
    fail(where, e instanceof AtakoraError ? '✗ statement threw ' + e.code + ', which its ✗ comment does not name (' + named(codes) + ')' : '✗ statement threw something other than an AtakoraError', e);
  }
  const issues = issuesOf(value);
  if (issues === undefined || issues.some((i) => codes.includes(i.code))) return value;
  const backend = backendOf(value);
  if (backend) {
    try {
      backend.apply(new ResourceGroupStack(new App(), 'GuardStack', { resourceGroupName: 'rg-guard', location: 'eastus' }));
    } catch (e) {
      if (e instanceof AtakoraError && codes.includes(e.code)) return value;
      fail(where, '✗ statement: applying it threw a code its ✗ comment does not name (' + named(codes) + ')', e);
    }
  }
  fail(where, '✗ statement did not throw, and its plan' + (backend ? ' and apply' : '') + ' report none of ' + named(codes) +
    ' (the plan reports: ' + (issues.map((i) => i.severity + ' ' + i.code).join(', ') || 'nothing') + ')');
}
/** A ✓ statement: it does not throw, and a backend, definition, plan or diff it gives has no error issue and no limit violation. */
export async function good(fn, where) {
  let value;
  try {
    value = await fn();
  } catch (e) {
    fail(where, '✓ statement threw', e);
  }
  const errors = (issuesOf(value) ?? []).filter((i) => i.severity === 'error');
  if (errors.length > 0) fail(where, '✓ statement reports errors: ' + errors.map((i) => i.code + (i.message ? ' (' + i.message + ')' : '')).join(', '));
  return value;
}
`;

// Runs snippet modules one after the other in a fresh directory each (its cwd), capturing their output;
// writes { file: { output, errors } } as JSON after each.
const RUNNER = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [out, ...files] = process.argv.slice(2);
const results = {};
let current = { output: '', errors: [] };
const show = (e) => e instanceof Error ? (e.name === 'SnippetFailure' ? e.message : (e.code ? e.name + ' ' + e.code + ': ' : '') + e.stack) : String(e);
for (const stream of [process.stdout, process.stderr]) stream.write = (chunk) => { current.output += String(chunk); return true; };
process.on('unhandledRejection', (e) => current.errors.push('unhandled rejection: ' + show(e)));
process.on('uncaughtException', (e) => current.errors.push('uncaught exception: ' + show(e)));
for (const file of files) {
  current = { output: '', errors: [] };
  const cwd = file.replace(/\\.m?js$/, '.cwd');
  mkdirSync(cwd);
  process.chdir(cwd);
  let timer;
  const late = new Promise((r) => { timer = setTimeout(r, 10_000, 'late'); });
  try {
    const end = await Promise.race([import(pathToFileURL(file).href), late]);
    if (end === 'late') current.errors.push('did not finish within 10 s: a snippet must not start anything long-running (mark it no-run)');
  } catch (e) {
    current.errors.push(show(e));
  }
  clearTimeout(timer);
  await new Promise((r) => setImmediate(r));
  results[file] = current;
  // after each snippet, so that a snippet that hangs is the one the test names when the runner is killed
  writeFileSync(out, JSON.stringify(results));
}
process.exit(0);
`;

const snippets = docs.flatMap(snippetsOf);
// Inside the package so that `@atakora/component/*` resolves to dist/ through the package's own exports.
const dir = mkdtempSync(join(root, '.tmp-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checked = snippets.filter((s) => s.mark !== 'fragment');
/** A snippet whose first line is a file name comment (`// backend.ts`) is that file: another snippet of its doc may import it (`./backend.js`). */
const fileNameOf = (s: Snippet) => /^\/\/ ([\w-]+)\.ts\b/.exec(s.code)?.[1];
/** Each doc's snippets live in a folder of their own, one module per snippet, named by its line or its file name comment. */
const slug = (s: Snippet) => s.doc.replace(/[/.]/g, '_');
const baseName = (s: Snippet) => fileNameOf(s) ?? `line${s.line}`;
for (const s of snippets) {
  mkdirSync(join(dir, slug(s)), { recursive: true });
  mkdirSync(join(dir, 'run', slug(s)), { recursive: true });
}
const files = checked.map((s) => {
  const file = join(dir, slug(s), `${baseName(s)}.ts`);
  // `export {}`: each snippet is its own module, so two snippets may declare the same names.
  writeFileSync(file, `${preludeFor(s.code)}\n${s.code}\nexport {};\n`);
  return file;
});
const program = ts.createProgram(files, {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'], skipLibCheck: true, noUnusedLocals: false,
});
const diagnosticsOf = (file: string) => ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
  const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
  return `line ${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
});

// The executed snippets: the header and the run prelude on line 1, the snippet from line 2, so line n of the
// module is line `s.line + n - 1` of the doc.
const runDir = join(dir, 'run');
writeFileSync(join(runDir, 'guard.mjs'), GUARD);
writeFileSync(join(runDir, 'runner.mjs'), RUNNER);
const executed = checked.map((s, i) => ({ s, i })).filter(({ s }) => s.mark !== 'no-run');
const modules = new Map(executed.map(({ s, i }) => {
  const name = baseName(s);
  const source = `${RUN_HEADER} ${undeclared(s.code, RUN_PRELUDE).map((n) => RUN_PRELUDE[n]).join(' ')} ${undeclared(s.code, PRELUDE).filter((n) => !(n in RUN_PRELUDE)).map((n) => PRELUDE[n]).join(' ')}\n${instrument(s)}\nexport {};\n`;
  const js = ts.transpileModule(source, {
    fileName: `${name}.ts`,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, inlineSourceMap: true, inlineSources: true },
  }).outputText;
  // `.js` (ESM: the package is `type: module`) so that `./backend.js` finds a named snippet.
  const file = join(runDir, slug(s), `${name}.js`);
  writeFileSync(file, js);
  return [i, { file, ts: join(runDir, slug(s), `${name}.ts`) }] as const;
}));

interface RunResult { readonly output: string; readonly errors: readonly string[] }
const results = new Map<string, RunResult>();
const BATCHES = 2;

function runBatch(batch: readonly string[], n: number): Promise<void> {
  const out = join(runDir, `results-${n}.json`);
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--enable-source-maps', join(runDir, 'runner.mjs'), out, ...batch], {
      cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 45_000, env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stderr += String(d); });
    child.stderr.on('data', (d: Buffer) => { stderr += String(d); });
    child.on('close', (code, signal) => {
      let parsed: Record<string, RunResult> = {};
      try {
        parsed = JSON.parse(readFileSync(out, 'utf8')) as Record<string, RunResult>;
      } catch {
        // the child died before its first snippet finished
      }
      for (const file of batch) {
        results.set(file, parsed[file] ?? { output: stderr, errors: [`the runner exited (${signal ?? code}: a snippet hung or crashed) before this snippet finished`] });
      }
      done();
    });
  });
}

beforeAll(async () => {
  const all = [...modules.values()].map((m) => m.file);
  await Promise.all(Array.from({ length: BATCHES }, (_, n) => runBatch(all.filter((_, k) => k % BATCHES === n), n)));
});

/** The run's errors of a snippet, with the module's line numbers turned into the doc's. */
function runErrorsOf(s: Snippet, i: number): string[] {
  const m = modules.get(i)!;
  const r = results.get(m.file)!;
  const escaped = m.ts.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const where = (text: string) => text.replace(new RegExp(`(?:file://)?${escaped}:(\\d+)(?::\\d+)?`, 'g'), (_, n: string) => `${s.doc}:${s.line + Number(n) - 1}`);
  return r.errors.map((e) => where(e) + (r.output ? `\n--- output ---\n${r.output}` : ''));
}

describe('code snippets in the docs type-check and run', () => {
  it('finds the snippets, and few are fragments or not run', () => {
    expect(snippets.length).toBeGreaterThan(50);
    expect(snippets.length - checked.length).toBeLessThanOrEqual(Math.ceil(snippets.length / 10));
    expect(checked.length - executed.length).toBeLessThanOrEqual(Math.ceil(snippets.length / 20));
    expect(snippets.filter((s) => s.mark && !s.why).map((s) => `${s.doc}:${s.line}`), 'a fragment or no-run marker says why').toEqual([]);
    const named = checked.map((s) => `${s.doc}/${baseName(s)}`);
    expect(named.filter((n, k) => named.indexOf(n) !== k), 'a file name comment is used once per page').toEqual([]);
  });
  checked.forEach((s, i) => {
    it(`${s.doc}:${s.line}`, () => {
      expect(diagnosticsOf(files[i]!)).toEqual([]);
      const unnamed = s.code.split('\n').flatMap((l, k) => /^\s*\/\/\s*✗/.test(l) && codesIn(l).length === 0 ? [`${s.doc}:${s.line + 1 + k}`] : []);
      expect(unnamed, 'a ✗ comment names the code(s) its statements produce').toEqual([]);
      if (modules.has(i)) expect(runErrorsOf(s, i)).toEqual([]);
    });
  });
});
