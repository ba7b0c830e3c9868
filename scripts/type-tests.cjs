#!/usr/bin/env node
// `tsd` (the type tests in type-tests/, against the built package's dist/*.d.ts), as its own command runs it: the
// same package.json config, files, assertions, report and exit code — with one cost left out. tsd forces
// `skipLibCheck: false` and asks its program for every file's semantic diagnostics, so TypeScript type-checked all
// ~1,130 declaration files of node_modules the tests reach (cdktf, the providers, the Azure SDKs, TypeScript's own
// libs: ~7 of tsd's ~19 CPU-s) — and tsd then dropped every diagnostic located under node_modules unread
// (node_modules/tsd/dist/lib/compiler.js, "files under node_modules are most definitely not under test"). Here the
// program tsd makes answers that whole-program question with the files tsd reads: the type tests and dist/*.d.ts
// (still checked: a broken emitted declaration is a fault of ours), sorted and de-duplicated as TypeScript does for
// the whole program. A diagnostic tsd reports is the same diagnostic; only unread ones are not computed
// (docs/performance.md, "The suite"). CommonJS, as tsd is: its `require('@tsd/typescript')` gets the wrapped module.
'use strict';
const Module = require('node:module');
const { dirname, join } = require('node:path');

// tsd's folder (its package exports only dist/index.js).
const tsdDir = join(dirname(require.resolve('tsd')), '..');
const tsdRequire = Module.createRequire(join(tsdDir, 'package.json'));
const tsPath = tsdRequire.resolve('@tsd/typescript');
const ts = tsdRequire('@tsd/typescript');

/** tsd's own test for a file it ignores (compiler.js). */
const ignoredByTsd = (fileName) => /[/\\]node_modules[/\\]/.test(fileName);

/** `program`, whose whole-program semantic diagnostics are those of the files tsd does not ignore. */
function readByTsd(program) {
  const perFile = program.getSemanticDiagnostics.bind(program);
  program.getSemanticDiagnostics = (sourceFile, cancellationToken) =>
    sourceFile
      ? perFile(sourceFile, cancellationToken)
      : ts.sortAndDeduplicateDiagnostics(
          program
            .getSourceFiles()
            .filter((f) => !ignoredByTsd(f.fileName))
            .flatMap((f) => perFile(f, cancellationToken)),
        );
  return program;
}

// tsd's assertions that read a declaration's JSDoc (its tags, its text): any of them in a type test, and every comment
// is parsed as TypeScript's createProgram does by default (ParseAll).
const readsJsDoc = /\b(expectDeprecated|expectNotDeprecated|expectDocCommentIncludes)\b/;

/**
 * tsd's `createProgram(testFiles, compilerOptions)` with the host TypeScript would make, parsing JSDoc as tsc does
 * (ParseForTypeErrors): in .ts and .d.ts files only the comments a type error can depend on (`@see`/`@link`, which can
 * use an import), so the same diagnostics; the other comments (~5 % of tsd's CPU) are left unparsed unless a type
 * test reads them (`readsJsDoc`).
 */
function createProgram(rootNames, options, host, ...rest) {
  if (host !== undefined || !Array.isArray(rootNames))
    return ts.createProgram(rootNames, options, host, ...rest);
  const ownHost = ts.createCompilerHost(options);
  const tests = rootNames.map((f) => ts.sys.readFile(f) ?? '');
  ownHost.jsDocParsingMode = tests.some((text) => readsJsDoc.test(text))
    ? ts.JSDocParsingMode.ParseAll
    : ts.JSDocParsingMode.ParseForTypeErrors;
  return ts.createProgram(rootNames, options, ownHost, ...rest);
}

// TypeScript's module object has getters only; a child object reads everything through them but createProgram.
const wrapped = Object.create(ts, {
  createProgram: { value: (...args) => readByTsd(createProgram(...args)) },
});
const cached = new Module(tsPath);
cached.filename = tsPath;
cached.paths = Module._nodeModulePaths(dirname(tsPath));
cached.exports = wrapped;
cached.loaded = true;
require.cache[tsPath] = cached;

// tsd's command line (node_modules/tsd/dist/cli.js), with the arguments this script was given.
require(join(tsdDir, 'dist', 'cli.js'));
