// Azurite's service entry, for the tests' shared Azurite (./azurite.ts): it ends when the test worker that started
// it is gone, even one killed without a chance to stop it (vitest's SIGKILL), so no Azurite outlives a test run.
// Usage, in place of Azurite's own main: node azurite-guard.cjs --blobHost … (or --queueHost …: which service).
const { dirname, join } = require('node:path');

const parent = process.ppid;
setInterval(() => {
  // Orphaned: the worker died and this process was handed to another parent.
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
const service = process.argv.includes('--queueHost') ? 'queue' : 'blob';
require(join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', service, 'main.js'));
