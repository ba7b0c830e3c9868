// cdktf's Testing.setupJest() registers matchers on a global `expect`; vitest's is not global by default.
import { expect } from 'vitest';
(globalThis as { expect?: unknown }).expect = expect;

// Backend.apply loads the apply layer with require() relative to its own file (src/backend/apply-layer.ts).
// From source that file is TypeScript, which Node cannot require: tsx's CommonJS hook compiles it, as the
// published package's dist/*.js needs nothing.
import { register } from 'tsx/cjs/api';
register();
