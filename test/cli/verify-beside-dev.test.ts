/**
 * `atakora verify` beside a running `atakora dev` of the same entry: verify proves its cells on a stack of its own,
 * whose state file is its own too, so dev's (`.atakora/dev-state-<entry>-<hash>.json`, what every `--local` command
 * finds dev by) is byte for byte what it was — before, verify's stack wrote over it and removed it at stop, and every
 * `--local` command then said dev was not running.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { devStateFile, readDevState } from '../../src/cli/shared/dev-state.js';
import { capturedIo } from '../support/captured-io.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';

const SRC = resolve(import.meta.dirname, '../../src');
const dir = sourceEntryDir('atakora-verify-dev-');
const entry = join(dir, 'notes.ts');
const stateFile = devStateFile(process.cwd(), entry);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(stateFile, { force: true });
});

describe('atakora verify beside atakora dev', () => {
  it("leaves the running dev's state file byte-identical", async () => {
    writeFileSync(
      entry,
      `import { defineBackend } from '${SRC}/backend/define-backend.js';\n` +
        `import { CrudApi } from '${SRC}/components/crud/index.js';\n` +
        `export default defineBackend({ notes: CrudApi.define('NoteApi', { entityName: 'Note', ` +
        `schema: { id: 'string', title: { type: 'string', required: true } }, partitionKey: '/tenantId', ` +
        `access: [{ allow: 'owner' }] }) }, { backendId: 'notes' });\n`,
    );
    // What a running dev of this entry records (this process stands in for it: alive, so --local commands read it).
    const devState = {
      version: 1,
      pid: process.pid,
      entry,
      cosmos: { endpoint: 'https://127.0.0.1:47123', key: 'dev-key', ca: 'dev-ca' },
      sitePorts: { NotesWeb: 41234 },
    };
    mkdirSync(dirname(stateFile), { recursive: true });
    writeFileSync(stateFile, JSON.stringify(devState, null, 2) + '\n', { mode: 0o600 });
    const before = readFileSync(stateFile);
    const run = capturedIo();
    expect(await main(['verify', entry, '--json'], run.io), run.err).toBe(0);
    expect(existsSync(stateFile)).toBe(true);
    expect(readFileSync(stateFile).equals(before)).toBe(true);
    expect(readDevState(process.cwd(), entry).cosmos.endpoint).toBe('https://127.0.0.1:47123');
  });
});
