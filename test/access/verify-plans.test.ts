/**
 * `atakora verify` proves features per plan (DESIGN §2 "Plans that package the product": an access rule's `feature`
 * applies only on plans that have it, "`atakora verify` proves it per plan"; the built-in features gate their doors
 * with 402 `feature-not-in-plan` `{ feature, plans }`). The fixture's `free` plan has no features, `team` has search,
 * audit, MCP, domains and the application's `reports`; each plan's rows are derived from the pure model and proven on
 * a stack that keeps the plans' features. A runtime that ignores the plan, and a wrong expectation, are caught.
 */
import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import teams from '../../examples/teams/backend.js';
import { leftTo, perPlanRows } from '../support/proven-once.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';
import plans from './fixtures/plans/backend.js';

const entry = 'test/access/fixtures/plans/backend.ts';
/**
 * The rows some plan answers differently, proven on the committed matrix and each plan's. The committed matrix's
 * other rows (the organization routes no feature gates) are examples/teams', cell for cell (the first test checks
 * it): proven in full by verify-organization.test.ts — once per suite.
 */
/** The fixture and the example load the package's own entry (dist), as a user's project does. */
const backendOf = (b: unknown) => b as Parameters<typeof perPlanRows>[0];
const PER_PLAN = perPlanRows(backendOf(plans));
const MEMBERS = ['home.owner', 'home.other', 'home.role.Admin', 'home.role.Owner', 'other.owner'];
const cellOf = (
  rows: readonly MatrixRow[],
  kind: string,
  operation: string,
  who: string,
  component?: string,
) =>
  rows.find(
    (r) =>
      r.kind === kind &&
      r.operation === operation &&
      (component === undefined || r.component === component),
  )?.cells[who];

/**
 * The rows the lies below are about, proven alone (VerifyOptions.rows): ReportApi's create (the one rule with a
 * feature: `reports`) and the audit log's door (gated by `audit`). ReportApi's other rows have no featured rule and
 * no gate — the same on every plan, whatever the stack serves — and every row held on each plan in the first test.
 */
const LIED = (r: MatrixRow) =>
  r.operation === 'audit:list' ||
  (r.component === 'ReportApi' && r.kind === 'crud' && r.operation === 'create');

// Each entry's proof stack started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('atakora verify: features per plan', () => {
  it("proves each plan's rows: featured rules only where the plan has the feature, the gates' 402 elsewhere", async () => {
    expect(leftTo(backendOf(plans), backendOf(teams), PER_PLAN)).toEqual([]);
    const outcome = await verifyEntry(entry, { file: false, rows: PER_PLAN });
    expect(outcome.proof.divergences).toEqual([]);
    expect(outcome.plans.map((p) => [p.plans, p.features])).toEqual([
      [['free'], []],
      [['team'], ['audit', 'domains', 'mcp', 'reports', 'search']],
    ]);
    for (const p of outcome.plans) expect(p.report.divergences, p.plans.join()).toEqual([]);
    expect(outcome.ok).toBe(true);
    const [free, team] = outcome.plans;
    if (!free || !team) throw new Error('two plan sets expected');
    // The committed matrix is every feature's; per plan, `reports` decides the create rule and the gates the doors.
    expect(cellOf(outcome.matrix.rows, 'crud', 'create', 'home.other', 'ReportApi')).toBe('tenant');
    expect(cellOf(free.rows, 'crud', 'create', 'home.other', 'ReportApi')).toBe(403);
    expect(cellOf(team.rows, 'crud', 'create', 'home.other', 'ReportApi')).toBe('tenant');
    expect(cellOf(free.rows, 'organization', 'audit:list', 'home.role.Admin')).toBe(402);
    expect(cellOf(free.rows, 'organization', 'audit:list', 'stranger')).toBe(403);
    expect(cellOf(team.rows, 'organization', 'audit:list', 'home.role.Admin')).toBe('tenant');
    expect(cellOf(free.rows, 'crud', 'search', 'home.owner', 'NoteApi')).toBe(402);
    expect(cellOf(free.rows, 'mcp', 'mcp:list', 'home.owner', 'NoteApi')).toBe(402);
    // SCIM is in no plan: its token routes are 402 on both, naming no plan.
    expect(cellOf(team.rows, 'organization', 'scim-tokens:create', 'home.role.Owner')).toBe(402);
    // Every member column of every gated row on each plan was exercised by a request (402 or the door reached).
    for (const p of outcome.plans)
      for (const row of p.rows.filter((r) => r.kind === 'organization' || r.operation === 'search'))
        for (const who of MEMBERS)
          expect(
            p.report.proven.has(`${row.component} ${row.operation}|${who}`),
            `${p.plans[0]} ${row.operation} ${who}`,
          ).toBe(true);
    expect(outcome.planSeconds).toBeGreaterThan(0);
  });

  it('reports a runtime whose gates and featured rules ignore the plan', async () => {
    const caught = await verifyEntry(entry, {
      file: false,
      // The lie: the per-plan stack serves every plan as if it had every feature.
      planFeaturesServed: false,
      rows: LIED,
    });
    expect(caught.proof.divergences).toEqual([]);
    const [free, team] = caught.plans;
    expect(team?.report.divergences).toEqual([]);
    const seen = new Set(free?.report.divergences.map((d) => `${d.row}|${d.principal}`));
    for (const who of MEMBERS) {
      expect(seen.has(`ReportApi create|${who}`), `create ${who}`).toBe(true);
      expect(seen.has(`Organization audit:list|${who}`), `audit ${who}`).toBe(true);
    }
    // What the lie answered: the create the plan does not include succeeded.
    expect(
      free?.report.divergences.find(
        (d) => d.row === 'ReportApi create' && d.principal === 'home.other',
      )?.answer,
    ).toMatch(/^201 /);
    expect(caught.ok).toBe(false);
  });

  it("reports a plan's 402 that names the wrong plans, and a featured cell that does not hold", async () => {
    const caught = await verifyEntry(entry, {
      file: false,
      rows: LIED,
      plansAgainst: (derived) =>
        derived.map((m) =>
          m.set.plans[0] === 'free'
            ? {
                ...m,
                gates: {
                  ...m.gates,
                  'Organization audit:list': { feature: 'audit', plans: ['free', 'team'] },
                },
              }
            : {
                ...m,
                rows: m.rows.map((r) =>
                  r.component === 'ReportApi' && r.kind === 'crud' && r.operation === 'create'
                    ? { ...r, cells: { ...r.cells, 'home.other': 403 as const } }
                    : r,
                ),
              },
        ),
    });
    const [free, team] = caught.plans;
    expect(free?.report.divergences.map((d) => `${d.row} ${d.principal}`).sort()).toEqual(
      MEMBERS.map((who) => `Organization audit:list ${who}`).sort(),
    );
    for (const d of free?.report.divergences ?? [])
      expect(d.expected).toContain('feature-not-in-plan { feature: audit, plans: [free, team] }');
    expect(
      team?.report.divergences.map((d) => `${d.row} ${d.principal} → ${d.answer.slice(0, 3)}`),
    ).toEqual(['ReportApi create home.other → 201']);
    expect(caught.ok).toBe(false);
  });
});
