/**
 * Tenants by membership keep their organizations (the registry, the memberships, the invitations) in the CrudApis'
 * Cosmos DB account, served by the CRUD runtime: a membership backend with no CrudApi — a FileStore alone, or HTTP
 * handlers alone — has neither, in Azure as under `atakora dev`. `atakora verify` (the CLI's main, in process) says so
 * at once with the plan error TENANTS_CRUDAPI_MISSING and its resolution, writing no matrix, instead of failing
 * while seeding the organizations into a local Cosmos DB server that dev never started ("dev-state … does not
 * exist"). The same backend with a CrudApi beside its FileStore is proven: test/cli/verify-files.test.ts.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { capturedIo } from '../support/captured-io.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures/verify');
const dir = sourceEntryDir('atakora-verify-host-');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** An entry of its own folder (the matrix file would be written beside it) serving the fixture `name`. */
function entryOf(name: string): string {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, `export { default } from '${join(FIXTURES, `${name}.ts`)}';\n`);
  return entry;
}

describe('atakora verify: tenants by membership with no CrudApi', () => {
  it.each([
    ['a FileStore alone', 'org-docs', 'Documents'],
    ['HTTP handlers alone', 'org-tools', 'Tools'],
  ])(
    'refuses %s with TENANTS_CRUDAPI_MISSING and its resolution, writing no matrix',
    async (_, name, id) => {
      const entry = entryOf(name);
      const run = capturedIo();
      expect(await main(['verify', entry, '--json'], run.io)).toBe(1);
      expect(run.err).toContain('TENANTS_CRUDAPI_MISSING');
      expect(run.err).toContain(id);
      expect(run.err).toMatch(/Declare a CrudApi as well/);
      expect(run.err).not.toMatch(/dev-state|does not exist/);
      expect(existsSync(join(dir, 'atakora.access.json'))).toBe(false);
      // verifyEntry (what `verifyAccess` and the per-plan proof run) rejects with the plan's own issue and path.
      const error = await verifyEntry(entry, { file: false }).then(
        () => undefined,
        (e: unknown) => e as { code?: string; issues?: { code: string; path?: unknown }[] },
      );
      expect(error?.issues?.map((i) => [i.code, i.path])).toEqual([
        ['TENANTS_CRUDAPI_MISSING', ['config', 'tenants', 'by']],
      ]);
    },
  );
});
