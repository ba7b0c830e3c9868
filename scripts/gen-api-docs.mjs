#!/usr/bin/env node
// Generates docs/api-reference.md from the TSDoc of the public entry points (src/entry/*.ts and src/index.ts),
// with the TypeScript compiler API. Every export is resolved through re-exports and aliases to its declaration;
// the page lists, per subpath, each export's kind, signature (in a ```ts signature fence, not run), summary
// and @example blocks (in ```ts fences, which test/docs/snippets.test.ts type-checks and runs). Output is
// deterministic (sorted by subpath, then name; no absolute paths), so test/docs/snippets.test.ts can
// regenerate it and compare.
//
//   node scripts/gen-api-docs.mjs            write docs/api-reference.md
//   node scripts/gen-api-docs.mjs --stdout   print the page instead
//   node scripts/gen-api-docs.mjs --check    exit 1 when docs/api-reference.md is stale
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = '@atakora/component';
/**
 * The fence of a declaration block. GitHub highlights it as TypeScript (the first word of the info string); the
 * snippet test (test/docs/snippets.test.ts) runs only fences whose info string is exactly `ts` or `typescript`.
 */
export const SIGNATURE_FENCE = '```ts signature';
/** Longest signature printed for a constant before it is cut (zod schemas print as pages of types). */
const MAX_VALUE_TYPE = 300;

/**
 * The public entry points: `src/entry/<name>.ts` → `@atakora/component/<name>`, plus `src/index.ts` → `.`.
 * @param {string} root
 * @returns {{ subpath: string, file: string }[]}
 */
export function entryPoints(root = repoRoot) {
  const dir = join(root, 'src/entry');
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ subpath: `${PACKAGE}/${f.slice(0, -3)}`, file: join(dir, f) }));
  entries.push({ subpath: PACKAGE, file: join(root, 'src/index.ts') });
  return entries.sort((a, b) => compare(a.subpath, b.subpath));
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The program the page is generated from: the entry points under tsconfig.json's options. Exported so that
 * test/docs/support/api-reference-checks.ts (run by test/docs/snippets.test.ts) builds it once and reads both the
 * page and, with its own code, the entry points' export names from it (one program of the whole package per test
 * run instead of one per check).
 * @param {string} [root]
 * @returns {ts.Program}
 */
export function createApiProgram(root = repoRoot) {
  return createProgram(
    root,
    entryPoints(root).map((e) => e.file),
  );
}

function createProgram(root, files) {
  const configPath = join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const options = { ...parsed.options, noEmit: true };
  return ts.createProgram({
    rootNames: files,
    options,
    host: hostParsingDocsOfSourcesOnly(options),
  });
}

/**
 * A compiler host that parses the TSDoc of the package's own files, which the page is made of, and parses the
 * declaration files of node_modules (stripe's, openai's, @types/node's, …: most of their text is TSDoc) as `tsc`
 * itself does (JSDocParsingMode.ParseForTypeErrors, its default since TypeScript 5.3): a comment is parsed there
 * only where a type error could come from it (`@see`, `@link`). The page documents only this package's exports,
 * whose TSDoc is parsed in full. test/docs/snippets.test.ts's type check takes these declaration files from this
 * program (test/docs/support/shared-source-files.ts) and parses its own the same way.
 * @param {ts.CompilerOptions} options
 * @returns {ts.CompilerHost}
 */
function hostParsingDocsOfSourcesOnly(options) {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version, onError, fresh) =>
    read(
      fileName,
      fileName.includes('/node_modules/')
        ? {
            ...(typeof version === 'object' ? version : { languageVersion: version }),
            jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
          }
        : version,
      onError,
      fresh,
    );
  return host;
}

/**
 * Collect every export of every entry point, resolved to its declaration.
 * @param {string} [root]
 * @param {ts.Program} [program] createApiProgram(root)'s program, when the caller has it already
 * @returns {{ subpath: string, file: string, summary: string, exports: ApiExport[] }[]}
 *
 * @typedef {{ name: string, kind: string, signature: string, summary: string, examples: string[],
 *   source: string, aliasOf?: string }} ApiExport
 */
export function collectApi(root = repoRoot, program = createApiProgram(root)) {
  const entries = entryPoints(root);
  const checker = program.getTypeChecker();
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  return entries.map(({ subpath, file }) => {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`Cannot load ${file}`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
    return {
      subpath,
      file: toPosix(relative(root, file)),
      summary: packageSummary(sf),
      exports: exports
        .map((symbol) => describeExport(symbol, checker, printer, root))
        .sort((a, b) => compare(a.name, b.name)),
    };
  });
}

function toPosix(p) {
  return p.split('\\').join('/');
}

/** The `@packageDocumentation` comment of an entry file, without its tags. */
function packageSummary(sf) {
  const text = sf.getFullText();
  for (const range of ts.getLeadingCommentRanges(text, 0) ?? []) {
    const raw = text.slice(range.pos, range.end);
    if (!raw.includes('@packageDocumentation')) continue;
    return raw
      .replace(/^\/\*\*|\*\/$/g, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .filter((l) => !l.trim().startsWith('@packageDocumentation'))
      .join('\n')
      .trim();
  }
  return '';
}

function resolveAlias(symbol, checker) {
  let target = symbol;
  const seen = new Set();
  while (target.flags & ts.SymbolFlags.Alias && !seen.has(target)) {
    seen.add(target);
    target = checker.getAliasedSymbol(target);
  }
  return target;
}

function describeExport(symbol, checker, printer, root) {
  const target = resolveAlias(symbol, checker);
  const declarations = (target.declarations ?? []).filter((d) => !ts.isExportSpecifier(d));
  const primary = declarations[0];
  const kind = kindOf(target, primary);
  const docs = documentation(target, checker);
  const source = primary ? toPosix(relative(root, primary.getSourceFile().fileName)) : '';
  return {
    name: symbol.name,
    kind,
    signature: signatureOf(target, declarations, kind, checker, printer),
    summary: docs.summary,
    examples: docs.examples,
    source: source.startsWith('node_modules/')
      ? source.replace(/^(node_modules\/(?:@[^/]+\/)?[^/]+).*$/, '$1')
      : source,
    ...(target.name !== symbol.name && target.name !== 'default' ? { aliasOf: target.name } : {}),
  };
}

function kindOf(symbol, decl) {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Class) return 'class';
  if (f & ts.SymbolFlags.Function) return 'function';
  if (f & ts.SymbolFlags.Interface) return 'interface';
  if (f & ts.SymbolFlags.Enum) return 'enum';
  // Before TypeAlias: a value with a type of the same name (the root's lazily loaded ResourceGroupStack) is a value first.
  if (f & ts.SymbolFlags.Variable) {
    const list = decl?.parent;
    return list && ts.isVariableDeclarationList(list) && !(list.flags & ts.NodeFlags.Const)
      ? 'let'
      : 'const';
  }
  if (f & ts.SymbolFlags.TypeAlias) return 'type';
  if (f & ts.SymbolFlags.Module) return 'namespace';
  return 'unknown';
}

/** The comment text (all paragraphs before the tags) and the `@example` blocks, each fenced. */
function documentation(symbol, checker) {
  const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
  const examples = symbol
    .getJsDocTags(checker)
    .filter((t) => t.name === 'example')
    .map((t) => ts.displayPartsToString(t.text ?? []).trim())
    .filter(Boolean)
    .map(fenceExample);
  return { summary, examples };
}

/**
 * An @example as markdown: a ```ts fence around it unless it brings its own. A first line that is a snippet
 * marker (`<!-- snippet: no-run (why) -->`, see docs/README.md) stays above the fence, where the snippet test
 * reads it.
 */
function fenceExample(text) {
  const marker = /^<!-- snippet: [^\n]*-->\n/.exec(text)?.[0] ?? '';
  const body = text.slice(marker.length).trim();
  return marker + (body.startsWith('```') ? body : '```ts\n' + body + '\n```');
}

const EXPORT_MODIFIERS = new Set([
  ts.SyntaxKind.ExportKeyword,
  ts.SyntaxKind.DefaultKeyword,
  ts.SyntaxKind.DeclareKeyword,
]);

function withoutExport(modifiers) {
  const kept = (modifiers ?? []).filter((m) => !EXPORT_MODIFIERS.has(m.kind));
  return kept.length ? kept : undefined;
}

function isInternal(node) {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
}

function isHiddenMember(member) {
  if (member.name && ts.isPrivateIdentifier(member.name)) return true;
  const flags = ts.getCombinedModifierFlags(member);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return true;
  if (ts.isClassStaticBlockDeclaration(member) || ts.isSemicolonClassElement(member)) return true;
  return isInternal(member);
}

function print(printer, node, sf) {
  return printer.printNode(ts.EmitHint.Unspecified, node, sf).trim();
}

function cut(text, max) {
  return text.length > max ? `${text.slice(0, max).trimEnd()} …` : text;
}

/** Type text without `import("/abs/path").` qualifiers, so the page is the same on every machine. */
function typeText(checker, type, decl) {
  const text = checker.typeToString(
    type,
    decl,
    ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType,
  );
  return text.replace(/import\("[^"]*"\)\./g, '');
}

function signatureOf(symbol, declarations, kind, checker, printer) {
  const f = ts.factory;
  const parts = [];
  if (kind === 'function') {
    const fns = declarations.filter(ts.isFunctionDeclaration);
    const overloads = fns.filter((d) => !d.body);
    for (const d of overloads.length ? overloads : fns) {
      const node = f.updateFunctionDeclaration(
        d,
        withoutExport(d.modifiers),
        d.asteriskToken,
        d.name,
        d.typeParameters,
        d.parameters,
        d.type,
        undefined,
      );
      parts.push(print(printer, node, d.getSourceFile()));
    }
  }
  if (kind === 'class') {
    for (const d of declarations.filter(ts.isClassDeclaration)) {
      // An overloaded method shows its overloads, not the implementation signature.
      const overloaded = new Set(
        d.members.filter((m) => ts.isMethodDeclaration(m) && !m.body).map((m) => m.name.getText()),
      );
      const members = d.members
        .filter(
          (m) =>
            !isHiddenMember(m) &&
            !(ts.isMethodDeclaration(m) && m.body && overloaded.has(m.name.getText())),
        )
        .map((m) => stripBody(m, checker));
      const node = f.updateClassDeclaration(
        d,
        withoutExport(d.modifiers),
        d.name,
        d.typeParameters,
        d.heritageClauses,
        members,
      );
      parts.push(print(printer, node, d.getSourceFile()));
    }
  }
  if (kind === 'interface') {
    for (const d of declarations.filter(ts.isInterfaceDeclaration)) {
      const node = f.updateInterfaceDeclaration(
        d,
        withoutExport(d.modifiers),
        d.name,
        d.typeParameters,
        d.heritageClauses,
        d.members,
      );
      parts.push(print(printer, node, d.getSourceFile()));
    }
  }
  if (kind === 'type') {
    for (const d of declarations.filter(ts.isTypeAliasDeclaration)) {
      const node = f.updateTypeAliasDeclaration(
        d,
        withoutExport(d.modifiers),
        d.name,
        d.typeParameters,
        d.type,
      );
      parts.push(print(printer, node, d.getSourceFile()));
    }
  }
  if (kind === 'enum') {
    for (const d of declarations.filter(ts.isEnumDeclaration)) {
      parts.push(
        print(
          printer,
          f.updateEnumDeclaration(d, withoutExport(d.modifiers), d.name, d.members),
          d.getSourceFile(),
        ),
      );
    }
  }
  if (kind === 'const' || kind === 'let') {
    const d = declarations.find(ts.isVariableDeclaration);
    if (d) {
      const type = d.type
        ? print(printer, d.type, d.getSourceFile())
        : typeText(checker, checker.getTypeOfSymbolAtLocation(symbol, d), d);
      parts.push(`${kind} ${symbol.name}: ${cut(type, MAX_VALUE_TYPE)};`);
    }
  }
  if (parts.length === 0 && declarations[0]) {
    parts.push(
      `${kind} ${symbol.name}: ${cut(typeText(checker, checker.getTypeOfSymbolAtLocation(symbol, declarations[0]), declarations[0]), MAX_VALUE_TYPE)};`,
    );
  }
  return parts.join('\n');
}

/** A class member as a declaration: no bodies, no initializers (their type is written instead). */
function stripBody(m, checker) {
  const f = ts.factory;
  if (ts.isMethodDeclaration(m))
    return f.updateMethodDeclaration(
      m,
      m.modifiers,
      m.asteriskToken,
      m.name,
      m.questionToken,
      m.typeParameters,
      m.parameters,
      m.type,
      undefined,
    );
  if (ts.isConstructorDeclaration(m))
    return f.updateConstructorDeclaration(m, m.modifiers, m.parameters, undefined);
  if (ts.isGetAccessorDeclaration(m))
    return f.updateGetAccessorDeclaration(m, m.modifiers, m.name, m.parameters, m.type, undefined);
  if (ts.isSetAccessorDeclaration(m))
    return f.updateSetAccessorDeclaration(m, m.modifiers, m.name, m.parameters, undefined);
  if (ts.isPropertyDeclaration(m) && m.initializer) {
    const type =
      m.type ?? f.createTypeReferenceNode(typeText(checker, checker.getTypeAtLocation(m), m));
    return f.updatePropertyDeclaration(
      m,
      m.modifiers,
      m.name,
      m.questionToken ?? m.exclamationToken,
      type,
      undefined,
    );
  }
  return m;
}

function anchor(heading) {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}

/**
 * The whole page, as markdown.
 * @param {string} [root]
 * @param {ts.Program} [program] createApiProgram(root)'s program, when the caller has it already
 * @returns {string}
 */
export function generateApiReference(root = repoRoot, program = createApiProgram(root)) {
  const api = collectApi(root, program);
  const links = linkRenderer(new Set(api.flatMap((e) => e.exports.map((x) => x.name))));
  const out = [];
  out.push('# API reference', '');
  out.push(
    'Generated from the TSDoc comments of the public entry points by `node scripts/gen-api-docs.mjs`; do not edit',
    'by hand. `test/docs/snippets.test.ts` fails when this page is out of date (its API reference checks), so a',
    'change to an export or its comment comes with `node scripts/gen-api-docs.mjs`.',
    '',
    "Every export is listed under the subpath that provides it (`import { … } from '@atakora/component/<subpath>'`),",
    'sorted by name, with its kind, its declaration (bodies, private members and comments left out) and the',
    'examples from its comment. The root `@atakora/component` re-exports the `backend`, `crud` and `cdk` entries.',
    '',
    'The declarations (```` ```ts signature ```` blocks) are read, not run. The examples (```` ```ts ```` blocks)',
    "are type-checked and run by `test/docs/snippets.test.ts` like every other page's snippets, with the",
    "conventions of [the docs' README](README.md) (the usual `app`, `stack`, `backend`, … supplied when not declared).",
    '',
  );
  out.push('| import | exports | what |', '|---|---|---|');
  for (const e of api) {
    const heading = `\`${e.subpath}\``;
    const what = links
      .render(e.summary)
      .split(/\n\s*\n/)[0]
      .replace(/\s*\n\s*/g, ' ')
      .replace(/^`[^`]+`:\s*/, '')
      .replace(/\|/g, '\\|');
    out.push(`| [${heading}](#${anchor(heading)}) | ${e.exports.length} | ${what} |`);
  }
  out.push('');
  const homes = new Map();
  for (const e of api) {
    if (e.subpath === PACKAGE) continue;
    for (const x of e.exports) if (!homes.has(x.name)) homes.set(x.name, e.subpath);
  }
  for (const e of api) {
    out.push(`## \`${e.subpath}\``, '');
    if (e.summary) out.push(links.render(e.summary), '');
    out.push(`Source: \`${e.file}\`.`, '');
    if (e.subpath === PACKAGE) {
      out.push('| export | kind | documented under |', '|---|---|---|');
      for (const x of e.exports) {
        const home = homes.get(x.name);
        out.push(
          `| \`${x.name}\` | ${x.kind} | ${home ? `[\`${home}\`](#${anchor(`\`${home}\``)})` : '—'} |`,
        );
      }
      out.push('');
      continue;
    }
    for (const x of e.exports) {
      out.push(`### \`${x.name}\``, '');
      const meta = [`*${x.kind}*`];
      if (x.aliasOf) meta.push(`alias of \`${x.aliasOf}\``);
      if (x.source) meta.push(`defined in \`${x.source}\``);
      out.push(meta.join(' · '), '');
      // A declaration is not code to run: its fence says so (```ts signature), and test/docs/snippets.test.ts runs
      // only the plain ```ts blocks, the @example ones.
      if (x.signature) out.push(SIGNATURE_FENCE, x.signature, '```', '');
      if (x.summary) out.push(links.render(x.summary), '');
      for (const ex of x.examples) out.push('**Example**', '', ex, '');
    }
  }
  if (links.unknown.size > 0) {
    throw new Error(
      `TSDoc {@link …} names what the package does not export: ${[...links.unknown].sort().join(', ')}`,
    );
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/**
 * `{@link Name}`, `{@link Name.member}` and `{@link Name | text}` as inline code (`Name.member`, or the text).
 * A link to a name no entry point exports would send the reader to nothing, so it is collected in `unknown`
 * and the generator fails on it.
 * @param {Set<string>} exported
 */
function linkRenderer(exported) {
  const unknown = new Set();
  const render = (text) =>
    text.replace(/\{@link\s+([^\s|}]+)\s*(?:\|\s*([^}]*?)\s*)?\}/g, (_, target, label) => {
      if (!exported.has(target.split('.')[0])) unknown.add(target);
      return `\`${label || target}\``;
    });
  return { render, unknown };
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const args = new Set(process.argv.slice(2));
  const target = join(repoRoot, 'docs/api-reference.md');
  const page = generateApiReference();
  if (args.has('--stdout')) process.stdout.write(page);
  else if (args.has('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== page) {
      process.stderr.write(
        'docs/api-reference.md is out of date: run node scripts/gen-api-docs.mjs\n',
      );
      process.exitCode = 1;
    }
  } else {
    writeFileSync(target, page);
    process.stderr.write(`Wrote ${relative(process.cwd(), target) || target}\n`);
  }
}
