import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../backend/backend.js';
import { AtakoraError } from '../model/errors.js';

/**
 * What the test helpers take: the backend, or a CommonJS module's `module.exports` holding it as `default` — what
 * `import backend from './backend.js'` gives an `.mts` test of a CommonJS project (README, "Module systems").
 *
 * @example
 * ```ts
 * const given: BackendInput = { default: backend };
 * ```
 */
export type BackendInput = Backend | { readonly default: Backend };

/** An entry file `atakora dev` can load that hands back a backend a test built in this process. */
export interface BackendEntry {
  /** The entry's path (a temporary folder of its own). */
  readonly path: string;
  /** Forget the backend: call once dev has loaded it (a later load of the entry finds nothing). */
  release(): void;
  /** Remove the entry's folder (release() too). */
  remove(): void;
}

/**
 * A temporary entry for `backend`: dev loads its entry by path, so this one exports what a process-wide slot of
 * its own holds — one slot per entry, so two tests' entries in one process never hand back each other's backend.
 *
 * @example
 * ```ts
 * const entry = backendEntry(backend);
 * try { await startDev(entry.path, {}); } finally { entry.release(); }
 * ```
 */
export function backendEntry(backend: Backend): BackendEntry {
  const slot = Symbol.for(`atakora.testing.backend.${randomUUID()}`);
  const dir = mkdtempSync(join(tmpdir(), 'atakora-test-'));
  const path = join(dir, 'backend.mjs');
  writeFileSync(
    path,
    `export default globalThis[Symbol.for(${JSON.stringify(slot.description)})];\n`,
  );
  (globalThis as Record<symbol, unknown>)[slot] = backend;
  const release = () => {
    Reflect.deleteProperty(globalThis, slot);
  };
  return {
    path,
    release,
    remove: () => {
      release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const isBackend = (v: unknown): v is Backend =>
  typeof v === 'object' &&
  v !== null &&
  ['plan', 'apply', 'validate'].every(
    (m) => typeof (v as Record<string, unknown>)[m] === 'function',
  ) &&
  typeof (v as { config?: unknown }).config === 'object';

/**
 * The backend a test helper was given: a backend, or what a default import of a CommonJS module that exports one
 * gives an ES module (`{ default: backend }`, one or two layers: an `.mts` test importing the backend of a
 * CommonJS project); anything else a `TEST_BACKEND_INVALID` naming the helper.
 *
 * @example
 * ```ts
 * backendOf({ default: backend }, 'startBackend') === backend; // true
 * ```
 */
export function backendOf(value: unknown, helper: string): Backend {
  let v = value;
  for (let depth = 0; depth < 3; depth++) {
    if (isBackend(v)) return v;
    if (typeof v !== 'object' || v === null || !('default' in v)) break;
    v = v.default;
  }
  const what =
    value === null
      ? 'null'
      : typeof value === 'object'
        ? 'an object that is no backend'
        : typeof value;
  throw new AtakoraError(
    'TEST_BACKEND_INVALID',
    `${helper} was given ${what}: it takes the backend defineBackend returned.`,
    { path: ['backend'] },
  );
}
