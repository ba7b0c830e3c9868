/**
 * `atakora verify` proves organization API keys per plan (DESIGN §2 "Integrations": "Built-in features 'api-keys' and
 * 'webhooks' gate both"; a key is a caller "as for a member of that role"; "Plans that package the product": verify
 * "proves it per plan"). On test/cli/fixtures/verify/org-keys-plans.ts — `free` without features, `pro` with
 * `api-keys` — each `key:<role>` column acts in its plan set's organization: on `pro` with a key its Owner made
 * through `POST api/tenant/api-keys`, its cells the member's of its role; on `free` with a key the organization kept
 * from before a downgrade (no key can be made there), every route that takes keys 402 `feature-not-in-plan` naming
 * `api-keys` and `pro` — the audit log's own `audit` gate included, which the key never reaches — and the people
 * routes 403 as on every plan. Before this the per-plan proof left the key columns out ("derived, not exercised").
 * A runtime whose plans ignore their features lets the downgraded key through, and verify says so. (A runtime that
 * lies about the key's gate alone: verify-keys-plans-lies.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { leftTo, perPlanRows } from '../support/proven-once.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';
import keys from './fixtures/verify/org-keys.js';
import keysPlans from './fixtures/verify/org-keys-plans.js';

const entry = 'test/cli/fixtures/verify/org-keys-plans.ts';
/**
 * The rows some plan answers differently, proven on the committed matrix and each plan's. The committed matrix's
 * other rows (every organization route no plan gates) are org-keys.ts's, cell for cell (the first test checks it):
 * proven in full, key columns included, by verify-keys.test.ts — once per suite.
 */
const PER_PLAN = perPlanRows(keysPlans);
const KEYS = ['key:Admin', 'key:Member'];
const cellOf = (rows: readonly MatrixRow[], component: string, operation: string, who: string) =>
  rows.find((r) => r.component === component && r.operation === operation)?.cells[who];

// The entry's proof stacks started once for the file, fresh data for the second run.
shareProofStacksInFile();

describe('atakora verify: API keys per plan', () => {
  it('proves every key cell on each plan against the real runtime: the role’s cells with api-keys, 402 without', async () => {
    expect(leftTo(keysPlans, keys, PER_PLAN)).toEqual([]);
    const outcome = await verifyEntry(entry, { file: false, rows: PER_PLAN });
    expect(outcome.proof.divergences).toEqual([]);
    expect(outcome.plans.map((p) => [p.plans, p.features])).toEqual([
      [['free'], []],
      [['pro'], ['api-keys']],
    ]);
    for (const p of outcome.plans) expect(p.report.divergences, p.plans.join()).toEqual([]);
    expect(outcome.ok).toBe(true);
    const [free, pro] = outcome.plans;
    if (!free || !pro) throw new Error('two plan sets expected');
    const notes = pro.rows.filter((r) => r.component === 'NoteApi' && r.kind === 'crud');
    expect(notes.length).toBeGreaterThan(0);
    for (const row of notes) {
      // With api-keys: the member of the role (Admin: the Admins' rule; Member: a plain member's, the owner rule's own).
      expect(row.cells['key:Admin'], row.operation).toBe(row.cells['home.role.Admin']);
      expect(row.cells['key:Member'], row.operation).toBe(row.cells['home.other']);
      // Without: the same rows 402 for every key.
      for (const k of KEYS) expect(cellOf(free.rows, 'NoteApi', row.operation, k)).toBe(402);
    }
    expect(cellOf(pro.rows, 'NoteApi', 'update', 'key:Member')).toBe('own');
    expect(cellOf(free.rows, 'Organization', 'tenant:read', 'key:Member')).toBe(402);
    expect(cellOf(pro.rows, 'Organization', 'tenant:read', 'key:Member')).toBe('tenant');
    // The people routes stay 403 on both plans: a key is refused there before any gate.
    for (const p of [free, pro])
      expect(cellOf(p.rows, 'Organization', 'api-keys:list', 'key:Admin')).toBe(403);
    for (const p of [free, pro])
      expect(cellOf(p.rows, 'Organization', 'domains:list', 'key:Admin')).toBe(403);
    // Every key cell of every row of each plan was exercised by a request, none left "not exercised".
    for (const p of outcome.plans) {
      for (const row of p.rows.filter((r) => r.kind === 'crud' || r.operation === 'tenant:read'))
        for (const k of KEYS)
          expect(
            p.report.proven.has(`${row.component} ${row.operation}|${k}`),
            `${p.plans[0]} ${row.operation} ${k}`,
          ).toBe(true);
      expect(p.report.unproven.filter((u) => u.includes('key:'))).toEqual([]);
    }
  });

  it('reports a runtime whose plans ignore their features: the downgraded key let through', async () => {
    const caught = await verifyEntry(entry, {
      file: false,
      planFeaturesServed: false,
      rows: (r) =>
        r.operation === 'tenant:read' || (r.component === 'NoteApi' && r.operation === 'list'),
    });
    const [free, pro] = caught.plans;
    expect(pro?.report.divergences).toEqual([]);
    const seen = (free?.report.divergences ?? []).map((d) => `${d.row}|${d.principal}`);
    for (const k of KEYS) {
      expect(seen, k).toContain(`NoteApi list|${k}`);
      expect(seen, k).toContain(`Organization tenant:read|${k}`);
    }
    expect(
      free?.report.divergences.find((d) => d.row === 'NoteApi list' && d.principal === 'key:Member')
        ?.answer,
    ).toMatch(/^200 /);
    expect(caught.ok).toBe(false);
  });
});
