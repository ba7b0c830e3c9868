#!/usr/bin/env node
// `tsc -p tsconfig.build.json` through TypeScript's API (scripts/build.mjs runs it): the same program, the same
// diagnostics in the same order, the same files written and the same exit code (0, 1 when errors stopped the emit,
// 2 when files were written beside errors). Why not tsc itself: with `--lint` (scripts/test.mjs) the program it built
// and type-checked is then linted in this process — eslint's typed rules reuse it (typescript-eslint's
// `parserOptions.programs`) instead of parsing src/ and checking its types a second time in a program of their own
// (docs/performance.md, "The suite"). It tells its parent "emitted" first (the bundling and vitest start on it), then
// lowers its priority and lints; the lint's output and code go to the parent as a message.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// TypeScript through require, as tsc and typescript-eslint load it (the same module for the lint): imported as an ES
// module, Node first scans its 9 MB for module syntax and lexes it for the names it exports (cjs-module-lexer), ~1
// CPU-s of the process's start for the same exports (docs/performance.md, "round 5, fifth pass").
const ts = createRequire(import.meta.url)('typescript');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const lint = process.argv.includes('--lint');

/** tsc's reporter: with colour and context on a terminal (or `pretty`), tsc's plain lines otherwise. */
const reporter = (options) => {
  const host = {
    getCanonicalFileName: (f) => (ts.sys.useCaseSensitiveFileNames ? f : f.toLowerCase()),
    getCurrentDirectory: () => root,
    getNewLine: () => ts.sys.newLine,
  };
  const pretty = options?.pretty ?? Boolean(process.stdout.isTTY);
  return (diagnostic) =>
    process.stdout.write(
      pretty
        ? ts.formatDiagnosticsWithColorAndContext([diagnostic], host) + ts.sys.newLine
        : ts.formatDiagnostic(diagnostic, host),
    );
};

/**
 * The program of tsconfig.build.json, as tsc makes it. JSDoc: tsc parses only what can give a type error
 * (ParseForTypeErrors), the linter needs every tag (`@deprecated` for no-deprecated), as typescript-eslint's own
 * program does (ParseAll); what is emitted does not depend on it (dist is byte for byte the same).
 */
function createProgram() {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        reporter()(d);
        process.exit(1);
      },
    },
  );
  const host = ts.createCompilerHost(config.options);
  host.jsDocParsingMode = lint
    ? ts.JSDocParsingMode.ParseAll
    : ts.JSDocParsingMode.ParseForTypeErrors;
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    host,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
  return { program, options: config.options };
}

/** tsc's emitFilesAndReportErrors: each kind of diagnostic only when the ones before it found nothing, then the emit. */
function emit(program, options) {
  const all = [...program.getConfigFileParsingDiagnostics()];
  const configErrors = all.length;
  all.push(...program.getSyntacticDiagnostics());
  if (all.length === configErrors) {
    all.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
    if (all.length === configErrors) all.push(...program.getSemanticDiagnostics());
  }
  const result = program.emit();
  all.push(...result.diagnostics);
  const diagnostics = ts.sortAndDeduplicateDiagnostics(all);
  diagnostics.forEach(reporter(options));
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  if (errors > 0)
    process.stdout.write(`Found ${errors} error${errors === 1 ? '' : 's'}.${ts.sys.newLine}`);
  if (diagnostics.length === 0) return 0;
  return result.emitSkipped ? 1 : 2;
}

/**
 * `eslint src` with eslint.config.js, its typed rules reading `program`; eslint keeps its results per file under
 * node_modules/.cache (scripts/static-checks.mjs says when to clear it). Resolves to the exit code and the report.
 */
async function lintWith(program) {
  const { ESLint } = await import('eslint');
  // The config's hash (eslint's cache key) is taken of its JSON: a program has none of its own.
  const programs = Object.assign([program], { toJSON: () => ['tsconfig.build.json'] });
  const eslint = new ESLint({
    cwd: root,
    cache: true,
    cacheStrategy: 'content',
    cacheLocation: join(root, 'node_modules', '.cache', 'eslint', ''),
    overrideConfig: { files: ['src/**/*.ts'], languageOptions: { parserOptions: { programs } } },
  });
  const results = await eslint.lintFiles(['src']);
  const formatter = await eslint.loadFormatter('stylish');
  const output = await formatter.format(results, {
    cwd: root,
    rulesMeta: eslint.getRulesMetaForResults(results),
  });
  const failed = results.some((r) => r.errorCount > 0 || r.fatalErrorCount > 0);
  return { code: failed ? 1 : 0, output };
}

/**
 * The lint's priority: below the suite's, as the other static checks run (scripts/static-checks.mjs). On Linux
 * setpriority(2) sets one thread's, so each of this process's threads (V8's garbage collection helpers too).
 */
function lowerPriority() {
  let threads = [0];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // No /proc: the process's own call.
  }
  for (const thread of threads) {
    try {
      setPriority(thread, 10);
    } catch {
      // Not permitted here: that thread at normal priority.
    }
  }
}

const { program, options } = createProgram();
const code = emit(program, options);
if (!lint) process.exit(code);
process.send({ emitted: code });
lowerPriority();
const started = Date.now();
const linted = await lintWith(program).catch((e) => ({ code: 2, output: `${e?.stack ?? e}\n` }));
process.send({ linted: { ...linted, ms: Date.now() - started } }, () => process.exit(0));
