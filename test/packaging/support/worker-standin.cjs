// A stand-in for the Azure Functions Node.js worker, as test/runtime/support/host-standin.cjs: load the app's
// package.json "main" (import() for an ES module, else require()) while NODE_PATH provides the stub
// @azure/functions-core, print what got indexed, and optionally invoke one function with a host-like request and
// context.
// argv: <appDir> [<function name> <request JSON>]
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const [appDir, fnName, requestJson] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
const core = require('@azure/functions-core');

(async () => {
  // As the worker's src/loadScriptFile.ts: import() for an ES module (.mjs, or .js under "type": "module").
  const main = path.join(appDir, pkg.main);
  if (main.endsWith('.mjs') || (!main.endsWith('.cjs') && pkg.type === 'module'))
    await import(require('node:url').pathToFileURL(main).href);
  else require(main);
  const out = {
    main: pkg.main,
    programmingModel: core.state.programmingModel,
    functions: core.state.functions.map((f) => f.metadata),
  };
  if (fnName) {
    const fn = core.state.functions.find((f) => f.metadata.name === fnName);
    const spec = JSON.parse(requestJson || '{}');
    const request = {
      method: spec.method || 'GET',
      url: spec.url || 'https://app.test/api/',
      headers: new Headers(spec.headers || {}),
      query: new URLSearchParams(),
      params: spec.params || {},
    };
    const logs = [];
    const context = {
      invocationId: 'standin',
      functionName: fnName,
      log: (...a) => logs.push(a.join(' ')),
      error() {},
      warn() {},
    };
    out.invoked = { result: await fn.callback(request, context), logs };
  }
  process.stdout.write('\n@@RESULT@@' + JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
