#!/usr/bin/env node
// Loads a Function App package directory the way the Azure Functions Node.js worker does, and exits non-zero if
// loading throws. The worker (github.com/Azure/azure-functions-nodejs-worker):
//   - src/setupCoreModule.ts: provides `@azure/functions-core` by wrapping Module.prototype.require in a Proxy that
//     answers that one name (there is no such package on disk): so only require() — a CommonJS require or one made
//     by createRequire — reaches it, never an ESM `import`;
//   - src/loadScriptFile.ts: loads package.json "main" with `import(pathToFileURL(file))` when it is an ES module
//     (`.mjs`, or `.js` under `"type": "module"`), else with require().
// argv: <appDir> [<http function name> [<path>]]: with a function name, also invokes it with a GET request and prints
// its response as a signed-in caller. Prints one `@@RESULT@@<json>` line: main, module kind, the registered functions.
'use strict';
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const [appDir, fnName, path = '/'] = process.argv.slice(2);
if (!appDir) {
  console.error('usage: load-as-worker.cjs <appDir> [<http function> [<path>]]');
  process.exit(2);
}
const state = { programmingModel: undefined, functions: [] };
const coreApi = {
  version: '0.0.0-load-as-worker',
  hostVersion: '4.0.0',
  setProgrammingModel(model) {
    state.programmingModel = model;
  },
  getProgrammingModel() {
    return state.programmingModel;
  },
  registerFunction(metadata, callback) {
    state.functions.push({ metadata, callback });
    return { dispose() {} };
  },
  registerHook() {
    return { dispose() {} };
  },
  log() {},
  Disposable: class {
    dispose() {}
  },
};
Module.prototype.require = new Proxy(Module.prototype.require, {
  apply(target, thisArg, argArray) {
    return argArray[0] === '@azure/functions-core'
      ? coreApi
      : Reflect.apply(target, thisArg, argArray);
  },
});

const isESModule = (file, pkg) =>
  file.endsWith('.mjs') ? true : file.endsWith('.cjs') ? false : pkg.type === 'module';

(async () => {
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
  const file = join(appDir, pkg.main);
  const esm = isESModule(file, pkg);
  if (esm) await import(pathToFileURL(file).href);
  else require(file);
  const out = {
    main: pkg.main,
    module: esm ? 'esm' : 'commonjs',
    programmingModel: state.programmingModel?.name,
    functions: state.functions.map((f) => f.metadata.name),
  };
  if (fnName) {
    const fn = state.functions.find((f) => f.metadata.name === fnName);
    if (!fn)
      throw new Error(`no function ${fnName} was registered (got ${out.functions.join(', ')})`);
    // A signed-in caller, as App Service authentication passes one: a package admits only those.
    const principal = {
      auth_typ: 'aad',
      claims: [
        { typ: 'oid', val: 'ada' },
        { typ: 'tid', val: 't1' },
      ],
    };
    const request = new Request(new URL(path, 'https://app.test/api/'), {
      method: 'GET',
      headers: {
        'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64'),
      },
    });
    Object.assign(request, { params: {}, query: new URL(request.url).searchParams });
    const context = {
      invocationId: 'load-as-worker',
      functionName: fnName,
      log() {},
      error() {},
      warn() {},
      info() {},
      debug() {},
      trace() {},
    };
    const response = await fn.callback(request, context);
    out.invoked = { status: response?.status ?? 200, body: response?.jsonBody ?? response?.body };
  }
  process.stdout.write('\n@@RESULT@@' + JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error('load-as-worker: the package threw while the worker loaded it:');
  console.error(e);
  process.exit(1);
});
