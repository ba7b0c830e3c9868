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

// TypeScript's module object has getters only; a child object reads everything through them but createProgram.
const wrapped = Object.create(ts, {
  createProgram: { value: (...args) => readByTsd(ts.createProgram(...args)) },
});
const cached = new Module(tsPath);
cached.filename = tsPath;
cached.paths = Module._nodeModulePaths(dirname(tsPath));
cached.exports = wrapped;
cached.loaded = true;
require.cache[tsPath] = cached;

// tsd's command line (node_modules/tsd/dist/cli.js), with the arguments this script was given.
require(join(tsdDir, 'dist', 'cli.js'));
