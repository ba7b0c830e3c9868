// cdktf's Testing.setupJest() registers matchers on a global `expect`; vitest's is not global by default.
import { expect } from 'vitest';
(globalThis as { expect?: unknown }).expect = expect;

// Backend.apply loads the apply layer with require() relative to its own file (src/backend/apply-layer.ts).
// From source that file is TypeScript, which Node cannot require: tsx's CommonJS hook compiles it, as the
// published package's dist/*.js needs nothing.
// Once per worker: files share a worker's module cache (vitest.config.ts, isolate: false) and this setup file
// runs before each of them; stacked hooks would compile every required .ts file once per earlier test file.
import { register } from 'tsx/cjs/api';
const registered = Symbol.for('atakora.test.tsx-cjs');
const scope = globalThis as { [registered]?: true };
if (!scope[registered]) {
  register();
  scope[registered] = true;
}

// Each file's CPU (its own and its child processes'), for the profile `npm test` prints when it ends
// (test/support/profile-reporter.ts); records nothing unless the reporter is on. The last afterAll of the file:
// setup files' hooks are registered first and after-hooks run in reverse order.
import { afterAll } from 'vitest';
import { profileFile } from './support/profile.js';
const profiled = profileFile();
afterAll(() => profiled.end());

// Caches shared by a worker's files (test/support/shared-while-used.ts) dropped when a file ends without using
// them; registered after the profile's hook so it runs before it (the dropping is the file's own cost).
import { dropIdle } from './support/shared-while-used.js';
afterAll(() => dropIdle());
