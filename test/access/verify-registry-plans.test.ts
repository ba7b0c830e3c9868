/**
 * `atakora verify` proves features per plan on a registry of directories (`allowedTenants: 'registry'` with
 * `plans.<name>.features`; DESIGN §2 "Plans that package the product"): each directory is on a plan, so per feature
 * set the proof puts the home directory's record and a customer's directory of its own on the set's first plan and
 * proves the set's rows — the rule with `feature: 'reports'` only where the plan has it, the search route, realtime's
 * negotiate and the MCP endpoint answering 402 `feature-not-in-plan` naming exactly the plans that include them where
 * it does not — while a directory never registered keeps its 403. A runtime that serves every plan every feature is
 * reported `ACCESS_DIVERGED`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../src/access/matrix/types.js';
import { main } from '../../src/cli/main.js';
import { verifyCommand } from '../../src/cli/verify/command.js';
import type { ProofStacks } from '../../src/cli/verify/dev-stack.js';
import { shareProofStacks, verifyEntry } from '../../src/cli/verify/run.js';
import { capturedIo } from '../support/captured-io.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';
import { sourceEntryDir } from '../support/source-entry-dir.js';

const SRC = resolve(import.meta.dirname, '../../src');
const dir = sourceEntryDir('atakora-verify-registry-plans-');
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A registry backend whose `free` plan has no features and `pro` has the application's `reports`, search, realtime
 * and the MCP server: reports are read by every signed-in user and created under `reports` only; notes are searched
 * and pushed in realtime. The bounds (2 requests a minute) are what the proof lifts; the features what it proves.
 */
function writeEntry(signUp: 'invite' | 'open'): string {
  mkdirSync(join(dir, signUp), { recursive: true });
  const entry = join(dir, signUp, 'backend.ts');
  const schema = `{ id: 'string', title: { type: 'string', required: true, maxLength: 200 } }`;
  writeFileSync(
    entry,
    `import { defineBackend } from '${SRC}/backend/define-backend.js';\n` +
      `import { CrudApi } from '${SRC}/components/crud/index.js';\n` +
      `export default defineBackend({\n` +
      `  reports: CrudApi.define('ReportApi', { entityName: 'Report', schema: ${schema}, access: [` +
      `{ allow: 'authenticated', operations: ['read', 'list'] }, ` +
      `{ allow: 'authenticated', operations: ['create'], feature: 'reports' }] }),\n` +
      `  notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: ${schema}, realtime: true, ` +
      `search: { text: ['title'] }, access: [{ allow: 'authenticated' }] }),\n` +
      `}, { backendId: 'desk-plans', mcp: true,\n` +
      `  auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },\n` +
      `  tenants: { plans: { free: { requestsPerMinute: 2, features: [] }, ` +
      `pro: { requestsPerMinute: 600, features: ['reports', 'search', 'realtime', 'mcp'] } }, ` +
      `defaultPlan: 'free', signUp: '${signUp}' } });\n`,
  );
  return entry;
}

const entry = writeEntry('invite');
const SERVED = ['home.owner', 'home.other', 'other.owner', 'other.other'];

interface PlanJson {
  readonly plans: string[];
  readonly features: string[];
  readonly organizations: string[];
  readonly directories: string[];
  readonly requests: number;
  readonly cellsProven: number;
  readonly divergences: { row: string; principal: string; answer: string }[];
  readonly unproven: string[];
  readonly rows: MatrixRow[];
}

const cellOf = (rows: readonly MatrixRow[], component: string, operation: string, who: string) =>
  rows.find((r) => r.component === component && r.operation === operation)?.cells[who];

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
const stacks = shareProofStacksInFile();

describe('atakora verify: features per plan on a registry of directories', () => {
  it("proves each plan's rows on directories registered on it: featured rules, and the gates' 402 naming the plans", async () => {
    const io = capturedIo();
    expect(await main(['verify', entry, '--json'], io.io), io.err).toBe(0);
    const result = JSON.parse(io.out) as {
      ok: boolean;
      code: string | null;
      divergences: unknown[];
      plans: PlanJson[];
    };
    expect(result).toMatchObject({ ok: true, code: null, divergences: [] });
    expect(io.err).not.toMatch(/proven on every feature only/);
    expect(result.plans.map((p) => [p.plans, p.features, p.organizations, p.directories])).toEqual([
      [['free'], [], [], ['verify-home', 'verify-plan0-other']],
      [
        ['pro'],
        ['mcp', 'realtime', 'reports', 'search'],
        [],
        ['verify-home', 'verify-plan1-other'],
      ],
    ]);
    const [free, pro] = result.plans;
    if (!free || !pro) throw new Error('two plan sets expected');
    for (const p of [free, pro]) {
      expect(p.divergences, p.plans.join()).toEqual([]);
      expect(p.requests).toBeGreaterThan(p.rows.length);
    }
    // The per-plan tables: the featured create rule drops out on free (403), the gates answer 402 to every user of a
    // served directory; anonymous keeps its 401, the unregistered stranger its 403 (refused before the gate).
    expect(cellOf(free.rows, 'ReportApi', 'create', 'home.other')).toBe(403);
    expect(cellOf(pro.rows, 'ReportApi', 'create', 'home.other')).toBe('tenant');
    for (const who of SERVED) {
      expect(cellOf(free.rows, 'NoteApi', 'search', who)).toBe(402);
      expect(cellOf(free.rows, 'NoteApi', 'events', who)).toBe(402);
      expect(cellOf(free.rows, 'NoteApi', 'mcp:list', who)).toBe(402);
      expect(cellOf(pro.rows, 'NoteApi', 'search', who)).toBe('tenant');
    }
    expect(cellOf(free.rows, 'NoteApi', 'search', 'anonymous')).toBe(401);
    expect(cellOf(free.rows, 'NoteApi', 'search', 'stranger')).toBe(403);
    // The tallies: every cell of the free plan's gated rows was proven by a request (402 held only naming `pro`),
    // and the realtime events on pro are said unproven (the committed matrix proves them).
    const gated = free.rows.filter(
      (r) => r.operation === 'search' || r.operation === 'events' || r.kind === 'mcp',
    );
    expect(gated.length).toBeGreaterThan(3);
    const cells = gated.flatMap((r) => Object.keys(r.cells));
    expect(free.cellsProven).toBeGreaterThanOrEqual(cells.length);
    expect(pro.unproven).toContain(
      'NoteApi events on plan pro: the realtime events are proven on the committed matrix only',
    );
  });

  it('reports ACCESS_DIVERGED for a runtime that serves every plan every feature', async () => {
    // The lie, through the stacks' seam: the per-plan proof is lent a stack whose plans have every feature (the
    // committed proof's), so free's gated doors answer and its create succeeds.
    const lying: ProofStacks = {
      lend: (at, home, options, identity) =>
        stacks.lend(at, home, { ...options, features: false }, identity),
      close: () => Promise.resolve(),
    };
    shareProofStacks(lying);
    const io = capturedIo();
    // The rows the lie is about, through the command (its exit, its text): the featured create rule and the gated
    // doors (search, realtime's events, MCP) — every other row answers alike on both stacks, and the first test
    // proved them all on the true one.
    const lied = (r: MatrixRow) =>
      r.kind === 'mcp' ||
      (r.component === 'ReportApi' && r.operation === 'create') ||
      (r.component === 'NoteApi' && (r.operation === 'search' || r.operation === 'events'));
    try {
      expect(await verifyCommand([entry], io.io, { rows: lied })).toBe(1);
    } finally {
      shareProofStacks(stacks);
    }
    expect(io.err).toMatch(/ACCESS_DIVERGED/);
    expect(io.out).toMatch(/^plan pro: \d+ requests, \d+ cells proven, 0 divergences$/m);
    const tally = /^plan free: \d+ requests, \d+ cells proven, (\d+) divergences$/m.exec(io.out);
    expect(Number(tally?.[1])).toBeGreaterThan(0);
    for (const who of SERVED) {
      expect(io.out).toContain(`✗ [plan free] ReportApi create [${who}: 403]`);
      expect(io.out).toContain(`✗ [plan free] NoteApi search [${who}: 402]`);
    }
    expect(io.out).toMatch(
      /✗ \[plan free\] NoteApi search \[home\.owner: 402\] POST .* → expected 402, got 200 /,
    );
    expect(io.out).not.toMatch(/✗ \[plan free\] [^\n]*\[(anonymous|stranger):/);
  });
  it("with signUp 'open' the stranger is a customer on each set's plan, not signed up on the default one", async () => {
    // Only the search row (gated by `search`): the stranger's first request would register it on `free`, so on `pro`
    // its search would be 402 — the proof registers it on the set's plan first, as the customer.
    const outcome = await verifyEntry(writeEntry('open'), {
      file: false,
      rows: (r) => r.component === 'NoteApi' && r.kind === 'crud' && r.operation === 'search',
    });
    expect(outcome.proof.divergences).toEqual([]);
    expect(outcome.plans.map((p) => [p.plans, p.directories, p.report.divergences])).toEqual([
      [['free'], ['verify-home', 'verify-plan0-other', 'verify-plan0-stranger'], []],
      [['pro'], ['verify-home', 'verify-plan1-other', 'verify-plan1-stranger'], []],
    ]);
    const [free, pro] = outcome.plans;
    expect(cellOf(free?.rows ?? [], 'NoteApi', 'search', 'stranger')).toBe(402);
    expect(cellOf(pro?.rows ?? [], 'NoteApi', 'search', 'stranger')).toBe('tenant');
    for (const p of outcome.plans)
      expect(p.report.proven.has('NoteApi search|stranger'), p.plans.join()).toBe(true);
  });
});
