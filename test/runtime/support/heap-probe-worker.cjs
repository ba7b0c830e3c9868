// A worker thread's entry for test/runtime/support/heap-probe.ts (why a thread: see there). Plain JavaScript, as
// Node starts it; the probe and the runtime it imports are TypeScript, compiled by tsx's CommonJS hook as
// test/setup.ts registers it (@azure/functions is CommonJS whose named exports only a require() sees).
// Each message `{ name, args }` runs `probe[name](...args)` and is answered with its figures or its error.
const { parentPort } = require('node:worker_threads');
require('tsx/cjs/api').register();
const probe = require('./heap-probe.ts');

parentPort.on('message', ({ name, args }) => {
  probe[name](...args).then(
    (figures) => parentPort.postMessage({ figures }),
    (error) => parentPort.postMessage({ error: String(error?.stack ?? error) }),
  );
});
