/**
 * `atakora dev` and `atakora migrate --local` together, both the built CLI in a user project: dev writes its state
 * file (mode 0600, its own certificate, loopback endpoint), migrate finds dev's local Cosmos DB through it and
 * rewrites the version-1 items written there, and the file is gone when dev stops. Dev is a process of the bin (its
 * pid in the file, its stop on SIGTERM); migrate is the built main in this worker (test/support/cli-in-process.ts:
 * what it proves is the command's reading of dev's file and its rewrite, not a process boundary).
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCosmos } from '../../src/cli/azure/cosmos.js';
import { devStateFile, type DevState } from '../../src/cli/shared/dev-state.js';
import { SCHEMA_VERSION_FIELD as V } from '../../src/runtime/values/system-fields.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { startDevBin } from '../support/dev-bin.js';
import { type UserProject, userProject } from '../support/user-project.js';

let project: UserProject;
let dev: ChildProcess | undefined;

beforeAll(() => {
  project = userProject('module');
  mkdirSync(join(project.dir, 'migrations'));
  project.write(
    'migrations/v2.ts',
    `export default (item: Record<string, unknown>) => ({ ...item, hits: Number(item['hits'] ?? 0) + 1 });\n`,
  );
  project.write(
    'backend.ts',
    `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

export default defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', hits: 'integer' },
      partitionKey: '/id',
      databaseName: 'app-db',
      containerName: 'notes',
      schemaVersion: 2,
      migrations: { 2: './migrations/v2.ts' },
    }),
  },
  { backendId: 'notes', environment: 'dev', auth: 'none' },
);
`,
  );
});

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    dev.kill('SIGTERM');
    await new Promise((r) => dev!.once('exit', r));
  }
  project?.remove();
});

const run = (args: string[]) => runCliInProcess(args, { env: process.env, cwd: project.dir });

describe('atakora dev + atakora migrate --local', () => {
  it('dev records its Cosmos DB (0600), migrate rewrites through it, the record goes when dev stops', async () => {
    const { child, ready } = startDevBin(['backend.ts', '--port', '0'], { cwd: project.dir });
    dev = child;
    await ready;
    const file = devStateFile(project.dir, 'backend.ts');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(file, 'utf8')) as DevState;
    expect(state).toMatchObject({
      version: 1,
      pid: child.pid,
      entry: join(project.dir, 'backend.ts'),
    });
    expect(state.cosmos.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(state.cosmos.ca).toContain('BEGIN CERTIFICATE');

    // Version-1 items, as the code before schemaVersion 2 stored them, straight into dev's container.
    const { client, dispose } = await localCosmos(state.cosmos);
    try {
      const c = client.database('app-db').container('notes');
      for (let i = 0; i < 5; i++) await c.items.create({ id: `n${String(i)}`, hits: i });
      const ran = await run(['migrate', 'backend.ts', '--local']);
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toContain('NoteApi: 5 rewritten to version 2');
      const { resources } = await c.items
        .query<Record<string, unknown>>('SELECT * FROM c')
        .fetchAll();
      for (const item of resources)
        expect(item).toMatchObject({ [V]: 2, hits: Number(String(item['id']).slice(1)) + 1 });
    } finally {
      dispose();
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(file)).toBe(false);
    const after = await run(['migrate', 'backend.ts', '--local']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('MIGRATE_DEV_NOT_RUNNING');
  });
});
