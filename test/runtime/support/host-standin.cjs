// A stand-in for the Azure Functions Node.js worker: it loads the app's package.json "main" with require()
// while NODE_PATH provides the stub @azure/functions-core (test/runtime/support/functions-core-stub), then
// prints what got registered. Optionally invokes the "health" function with host-like request/context objects.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const appDir = process.argv[2];
const invokeHealth = process.argv.includes('--invoke-health');
const pkg = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8'));
const core = require('@azure/functions-core');
require(path.join(appDir, pkg.main));

(async () => {
  const out = { main: pkg.main, programmingModel: core.state.programmingModel, functions: core.state.functions.map((f) => f.metadata) };
  if (invokeHealth) {
    const health = core.state.functions.find((f) => f.metadata.name === 'health');
    const request = { method: 'GET', url: 'https://app.test/api/health', headers: new Headers(), query: new URLSearchParams(), params: {} };
    const context = { invocationId: 'standin', functionName: 'health', log() {}, error() {}, warn() {} };
    out.health = await health.callback(request, context);
  }
  process.stdout.write('\n@@RESULT@@' + JSON.stringify(out) + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
