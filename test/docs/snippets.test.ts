import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

// Every ```ts block of README.md and docs/*.md is type-checked against the built package (strict, NodeNext),
// importing it by name as a user would. The docs' convention (docs/README.md): a snippet may use the public
// names (defineBackend, CrudApi, ResourceGroupStack, …) and the usual variables (app, stack, backend, a
// component `api`, …) without declaring them; PRELUDE supplies whichever of them the snippet does not declare
// itself. A block that is not TypeScript on its own (an excerpt with `…`) is marked `<!-- snippet: fragment -->`
// on the line before it and is skipped; the test keeps that list short. docs/api-reference.md is generated
// from TSDoc and left out.
const root = resolve(import.meta.dirname, '../..');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'api-reference.md').map((f) => `docs/${f}`)];

/** name → the line that provides it when the snippet does not. */
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

/** The prelude lines for the names the snippet uses but neither imports nor declares. */
function preludeFor(code: string): string {
  const declared = (name: string) =>
    new RegExp(`\\b(const|let|var|function|class|interface|type)\\s+${name}\\b|import[^;]*\\b${name}\\b[^;]*from|import\\s+${name}\\b`).test(code);
  return Object.entries(PRELUDE).filter(([name]) => new RegExp(`\\b${name}\\b`).test(code) && !declared(name)).map(([, line]) => line).join('\n');
}

interface Snippet { readonly doc: string; readonly line: number; readonly fragment: boolean; readonly code: string }

function snippetsOf(doc: string): Snippet[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const fragment = lines.slice(Math.max(0, i - 2), i).some((l) => l.includes('<!-- snippet: fragment -->'));
    out.push({ doc, line: i + 1, fragment, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

const snippets = docs.flatMap(snippetsOf);
// Inside the package so that `@atakora/component/*` resolves to dist/ through the package's own exports.
const dir = mkdtempSync(join(root, '.tmp-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checked = snippets.filter((s) => !s.fragment);
const files = checked.map((s, i) => {
  const file = join(dir, `${s.doc.replace(/[/.]/g, '_')}_${s.line}_${i}.ts`);
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

describe('code snippets in the docs type-check', () => {
  it('finds the snippets, and few are fragments', () => {
    expect(snippets.length).toBeGreaterThan(50);
    expect(snippets.length - checked.length).toBeLessThanOrEqual(Math.ceil(snippets.length / 10));
  });
  checked.forEach((s, i) => {
    it(`${s.doc}:${s.line}`, () => {
      expect(diagnosticsOf(files[i]!)).toEqual([]);
    });
  });
});
