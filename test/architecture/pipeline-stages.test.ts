import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceOf, tsFiles } from './support/source.js';

// DESIGN §6 "One request pipeline": `pipeline/stages/` holds exactly the stages the stage lists name — a
// reader who opens it finds the request's way and nothing else — and the code a stage or a write shares (a plan's
// quotas: the day quota, the rate limit, the storage holds) lives in a room of its own, `runtime/limits/`. The
// handler folders never reach into the stages: a write that holds storage imports the limits room.
const SRC = resolve(import.meta.dirname, '../../src');
const RUNTIME = join(SRC, 'runtime');
const STAGES = join(RUNTIME, 'pipeline', 'stages');

interface Parsed {
  readonly file: string;
  readonly source: ts.SourceFile;
  /** Each imported (or re-exported) relative module, resolved to its `.ts` path, with the names it binds. */
  readonly imports: ReadonlyMap<string, string>;
  readonly modules: readonly string[];
}

function parse(file: string): Parsed {
  const source = sourceOf(file);
  const imports = new Map<string, string>();
  const modules: string[] = [];
  const resolved = (spec: string) => resolve(dirname(file), spec).replace(/\.js$/, '.ts');
  const visit = (node: ts.Node) => {
    const spec =
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
        ? node.moduleSpecifier.text
        : ts.isCallExpression(node) &&
            node.expression.kind === ts.SyntaxKind.ImportKeyword &&
            node.arguments[0] &&
            ts.isStringLiteral(node.arguments[0])
          ? node.arguments[0].text
          : undefined;
    if (spec?.startsWith('.')) {
      const target = resolved(spec);
      modules.push(target);
      const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : undefined;
      if (bindings && ts.isNamedImports(bindings))
        for (const b of bindings.elements) imports.set(b.name.text, target);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { file, source, imports, modules };
}

/** The stages a file's stage lists name: each `.use(x)` / `.wrap(x)` of a file that composes a `StageList`. */
function stagesNamed(p: Parsed): { name: string; from: string | undefined }[] {
  if (!composesStageList(p)) return [];
  const named: { name: string; from: string | undefined }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ['use', 'wrap'].includes(node.expression.name.text) &&
      node.arguments.length === 1 &&
      node.arguments[0] &&
      ts.isIdentifier(node.arguments[0])
    ) {
      const name = node.arguments[0].text;
      named.push({ name, from: p.imports.get(name) });
    }
    ts.forEachChild(node, visit);
  };
  visit(p.source);
  return named;
}

/** Whether a file composes a stage list (`StageList.of<…>()…`). */
const STAGE_LIST_OF = /\bStageList\s*\.\s*of\b/;
const composesStageList = (p: Parsed): boolean => STAGE_LIST_OF.test(p.source.text);

const inStages = (file: string) => dirname(file) === STAGES;
const folderOf = (file: string) => relative(RUNTIME, file).split(sep)[0];
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Whether a file can bear on these tests: it composes a stage list, or its text says `stages` — a relative import
 * (the only kind `parse` follows) that resolves into pipeline/stages/ from a file outside it names that folder. The
 * rest of src/ (~1,100 files) is not parsed here: a parse of all of it was this file's ~3.5 CPU-s whenever it was
 * the first of its worker's files to read the trees (docs/performance.md, "The suite").
 */
const mayNameStages = (file: string) => {
  const text = readFileSync(file, 'utf8');
  return text.includes('stages') || STAGE_LIST_OF.test(text);
};

describe('pipeline/stages holds the stages and nothing else', () => {
  const runtime = tsFiles(RUNTIME).filter(mayNameStages).map(parse);
  const everything = tsFiles(SRC).filter(mayNameStages).map(parse);
  const named = runtime.flatMap(stagesNamed);

  it('the stage lists are found in the source (REQUEST_STAGES names its ten stages)', () => {
    const requestStages = runtime.find((p) => p.file.endsWith(`${sep}request-stages.ts`));
    expect(requestStages && composesStageList(requestStages)).toBe(true);
    expect(named.map((s) => s.name)).toEqual(expect.arrayContaining(['trace', 'admit', 'limits']));
  });

  it('its files are exactly the stages the stage lists name', () => {
    const files = readdirSync(STAGES)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    const listed = [
      ...new Set(named.flatMap((s) => (s.from && inStages(s.from) ? [basename(s.from)] : []))),
    ].sort();
    expect(files).toEqual(listed);
  });

  it("each stage's file is named by what it does: its stage's name", () => {
    const misnamed = named
      .filter((s) => s.from && inStages(s.from))
      .filter((s) => basename(s.from ?? '') !== `${kebab(s.name)}.ts`)
      .map((s) => `${s.name} in ${relative(RUNTIME, s.from ?? '')}`);
    expect([...new Set(misnamed)]).toEqual([]);
  });

  it('nothing outside the pipeline imports a stage, except where a stage list is composed', () => {
    const outside = everything
      .filter((p) => !p.file.startsWith(join(RUNTIME, 'pipeline') + sep))
      .filter((p) => !composesStageList(p))
      .flatMap((p) =>
        p.modules.filter(inStages).map((m) => `${relative(SRC, p.file)} → ${relative(SRC, m)}`),
      );
    expect(outside).toEqual([]);
  });

  it('crud/ and files/ import nothing from pipeline/stages/ (their quota code is runtime/limits/)', () => {
    const writes = runtime
      .filter((p) => ['crud', 'files'].includes(folderOf(p.file) ?? ''))
      .flatMap((p) =>
        p.modules
          .filter(inStages)
          .map((m) => `${relative(RUNTIME, p.file)} → ${relative(RUNTIME, m)}`),
      );
    expect(writes).toEqual([]);
  });
});
