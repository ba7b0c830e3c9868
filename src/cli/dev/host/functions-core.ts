import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The API the Azure Functions Node.js worker injects as `@azure/functions-core`, reduced to what
// `@azure/functions` v4 calls while a package's `main` loads: it records each registration (metadata and
// callback) so the dev host can index and invoke them, as the worker does.
const STUB = `'use strict';
const state = { programmingModel: undefined, functions: [] };
module.exports = {
  state,
  setProgrammingModel(model) { state.programmingModel = model; },
  getProgrammingModel() { return state.programmingModel; },
  registerFunction(metadata, callback) { state.functions.push({ metadata, callback }); return { dispose() {} }; },
  registerHook() { return { dispose() {} }; },
  log() {},
};
`;

/**
 * Write the stand-in `@azure/functions-core` under `dir` and return the folder to put on `NODE_PATH`.
 *
 * @example
 * ```ts
 * const nodePath = writeFunctionsCoreStandIn(mkdtempSync(join(tmpdir(), 'core-')));
 * ```
 */
export function writeFunctionsCoreStandIn(dir: string): string {
  const pkg = join(dir, '@azure', 'functions-core');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: '@azure/functions-core',
      version: '0.0.0-atakora-dev',
      main: 'index.js',
    }),
  );
  writeFileSync(join(pkg, 'index.js'), STUB);
  return dir;
}
