/**
 * `atakora verify` on a backend whose directories are a tenant registry's (`allowedTenants: 'registry'`, the
 * README's SaaS path): the home directory's users and a registered customer's are principals, a directory not
 * registered is the refused one; the customer is registered on the proof's stack before any request, and the plans'
 * bounds — tight here, 2 requests a minute per user — never turn a cell into a 429; a role (Supervisor) is a column
 * in each directory. `examples/saas` verifies clean against its committed `atakora.access.json`.
 *
 * The suite's one proof of a registry help desk (docs/performance.md, "A cell proven once"): verify-access.test.ts
 * proved a desk of its own through `verifyAccess` as well (these tickets with a Supervisor role: the same cells
 * through the same `verifyEntry`); it keeps what the API adds (resolving with the matrix, rejecting with
 * ACCESS_DIVERGED) on its board.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { main } from '../../src/cli/main.js';
import { verifyCommand } from '../../src/cli/verify/command.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { capturedIo } from '../support/captured-io.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';
import { matrixCell } from '../support/matrix-cell.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const SRC = resolve(import.meta.dirname, '../../src');
const dir = sourceEntryDir('atakora-verify-registry-');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A registry backend: per-tenant realtime tickets (owners edit, a directory's Supervisors run its tickets, the tenant
 * reads), a shared catalogue all read.
 */
function writeEntry(name: string, signUp: 'invite' | 'open'): string {
  mkdirSync(join(dir, name), { recursive: true });
  const entry = join(dir, name, 'backend.ts');
  writeFileSync(
    entry,
    `import { defineBackend } from '${SRC}/backend/define-backend.js';\n` +
      `import { CrudApi } from '${SRC}/components/crud/index.js';\n` +
      `export default defineBackend({\n` +
      `  tickets: CrudApi.define('TicketApi', { entityName: 'Ticket', schema: { id: 'string', tenantId: 'string', ` +
      `title: { type: 'string', required: true } }, partitionKey: '/tenantId', realtime: true, ` +
      `access: [{ allow: 'owner' }, { allow: 'role', role: 'Supervisor' }, ` +
      `{ allow: 'authenticated', operations: ['read', 'list'] }] }),\n` +
      `  catalog: CrudApi.define('CatalogApi', { entityName: 'Product', schema: { id: 'string', ` +
      `title: { type: 'string', required: true } }, partitionKey: '/id', tenancy: 'shared', ` +
      `access: [{ allow: 'authenticated', operations: ['read', 'list'] }] }),\n` +
      `}, { backendId: 'desk', auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },\n` +
      `  tenants: { plans: { free: { requestsPerMinute: 5, realtimeConnections: 1 } }, defaultPlan: 'free', ` +
      `signUp: '${signUp}', perUser: { requestsPerMinute: 2, realtimeConnections: 1 } } });\n`,
  );
  return entry;
}

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('atakora verify on a tenant registry', () => {
  it('proves the home directory, a registered customer and a refused stranger, whatever the plans bound', async () => {
    const entry = writeEntry('invite', 'invite');
    const io = capturedIo();
    expect(await main(['verify', entry, '--json'], io.io), io.err).toBe(0);
    const result = JSON.parse(io.out) as {
      ok: boolean;
      fileState: string;
      divergences: unknown[];
      unexercised: string[];
      matrix: AccessMatrix;
    };
    expect(result).toMatchObject({ ok: true, fileState: 'written', divergences: [] });
    const { matrix } = result;
    expect(matrix.principals.map((p) => p.key)).toEqual([
      'anonymous',
      'home.owner',
      'home.other',
      'home.role.Supervisor',
      'other.owner',
      'other.other',
      'other.role.Supervisor',
      'stranger',
    ]);
    expect(matrix.principals.find((p) => p.key === 'other.owner')?.description).toMatch(
      /registered customer/,
    );
    expect(matrix.principals.find((p) => p.key === 'stranger')?.description).toMatch(
      /not registered/,
    );
    // The home directory's users are served (they were refused everything before), the customer's too.
    expect(matrixCell(matrix, 'TicketApi', 'create', 'home.owner')).toBe('own');
    expect(matrixCell(matrix, 'TicketApi', 'read', 'home.other')).toBe('tenant');
    expect(matrixCell(matrix, 'TicketApi', 'read', 'other.other')).toBe('tenant');
    expect(matrixCell(matrix, 'TicketApi', 'events', 'other.owner')).toBe('tenant');
    expect(matrixCell(matrix, 'CatalogApi', 'read', 'other.other')).toBe('allow');
    expect(matrixCell(matrix, 'TicketApi', 'read', 'stranger')).toBe(403);
    expect(matrixCell(matrix, 'TicketApi', 'events', 'stranger')).toBe(403);
    // A Supervisor runs every ticket of its own directory, none of another's.
    expect(matrixCell(matrix, 'TicketApi', 'update', 'home.role.Supervisor')).toBe('tenant');
    expect(matrixCell(matrix, 'TicketApi', 'update', 'other.other')).toBe('own');
    expect(matrixCell(matrix, 'TicketApi', 'events', 'other.role.Supervisor')).toBe('tenant');
    expect(result.unexercised.filter((u) => u.startsWith('TicketApi'))).toEqual([]);
    // A second run matches the file it wrote: the matrix is stable. Its cells were proven above, so no row is proven
    // again (`rows`): a proof repeated on a kept stack's fresh data is verify.test.ts's (docs/performance.md, "A cell
    // proven once").
    const again = capturedIo();
    expect(await verifyCommand([entry], again.io, { rows: () => false }), again.err).toBe(0);
    expect(again.out).toMatch(/atakora\.access\.json: matches/);
  });

  it("with signUp 'open' the stranger's first request registers it: no refused column", async () => {
    const outcome = await verifyEntry(writeEntry('open', 'open'), { file: false });
    expect(outcome.proof.divergences).toEqual([]);
    expect(matrixCell(outcome.matrix, 'TicketApi', 'read', 'stranger')).toBe('tenant');
    expect(outcome.matrix.principals.find((p) => p.key === 'stranger')?.description).toMatch(
      /first request registers/,
    );
  });

  it('examples/saas verifies clean against its committed atakora.access.json', async () => {
    const outcome = await verifyEntry('examples/saas/backend.ts');
    expect(outcome.proof.divergences).toEqual([]);
    expect([outcome.ok, outcome.fileState]).toEqual([true, 'matches']);
    expect(matrixCell(outcome.matrix, 'ProjectApi', 'update', 'other.other')).toBe('tenant');
  });
});
