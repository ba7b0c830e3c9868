// A stand-in for the Azure Functions Node.js worker: it loads the app's package.json "main" (import() for an
// ES module, else require()) while NODE_PATH provides the stub @azure/functions-core
// (test/runtime/support/functions-core-stub), then prints what got registered. Optionally invokes the "health"
// function with host-like request/context objects, and with --requests <file of a JSON array> invokes functions by name in turn ({ function, method, url,
// headers, params, body }), reporting each response and how long it took; --terminate runs the appTerminate hooks.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const appDir = process.argv[2];
const invokeHealth = process.argv.includes('--invoke-health');
const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
const core = require('@azure/functions-core');

/** Invoke the functions named by `specs` in turn with host-like request/context objects, as the worker does. */
async function answer(specs) {
  const responses = [];
  for (const spec of specs) {
    const fn = core.state.functions.find((f) => f.metadata.name === spec.function);
    // A fetch Request carries url, method, headers and the body stream as the worker's HttpRequest does;
    // the route parameters and query are added the way the worker exposes them.
    const request = new Request(spec.url, {
      method: spec.method,
      headers: spec.headers ?? {},
      body: spec.body,
    });
    Object.assign(request, { params: spec.params ?? {}, query: new URL(spec.url).searchParams });
    const context = {
      invocationId: 'standin',
      functionName: spec.function,
      log() {},
      error() {},
      warn() {},
    };
    const started = performance.now();
    const response = await fn.callback(request, context);
    responses.push({ ...response, ms: Math.round(performance.now() - started) });
  }
  return responses;
}

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
  if (invokeHealth) {
    const health = core.state.functions.find((f) => f.metadata.name === 'health');
    const request = {
      method: 'GET',
      url: 'https://app.test/api/health',
      headers: new Headers(),
      query: new URLSearchParams(),
      params: {},
    };
    const context = {
      invocationId: 'standin',
      functionName: 'health',
      log() {},
      error() {},
      warn() {},
    };
    out.health = await health.callback(request, context);
  }
  const requestsFlag = process.argv.indexOf('--requests');
  if (requestsFlag > 0)
    out.responses = await answer(
      JSON.parse(fs.readFileSync(process.argv[requestsFlag + 1], 'utf8')),
    );
  // --serve: one loaded app for many batches (one per line of stdin, a JSON array of requests), each answered on
  // a result line of its own, until stdin ends — a warm worker, as the host keeps one between invocations.
  if (process.argv.includes('--serve')) {
    process.stdout.write('\n@@RESULT@@' + JSON.stringify(out) + '\n');
    let pending = '';
    let queue = Promise.resolve();
    process.stdin.setEncoding('utf8');
    // stdin ends when the test's worker closes it or dies: no orphan left holding the app's connections.
    process.stdin.on('end', () => queue.then(() => process.exit(0)));
    process.stdin.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines.filter(Boolean))
        queue = queue.then(async () => {
          const responses = await answer(JSON.parse(line));
          process.stdout.write('\n@@RESULT@@' + JSON.stringify({ ...out, responses }) + '\n');
        });
    });
    return;
  }
  // --terminate: what the worker does when the host stops the app (a scale-in): the appTerminate hooks, awaited.
  if (process.argv.includes('--terminate'))
    for (const hook of core.state.hooks?.appTerminate ?? [])
      await hook({ hookData: {}, appHookData: {} });
  process.stdout.write('\n@@RESULT@@' + JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
