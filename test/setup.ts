// cdktf's Testing.setupJest() registers matchers on a global `expect`; vitest's is not global by default.
import { expect } from 'vitest';
(globalThis as { expect?: unknown }).expect = expect;
