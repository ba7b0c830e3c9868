/**
 * `atakora verify` proves a FileStore's rules with `feature` per plan (docs/verify.md, "Per plan"; docs/packaging.md,
 * "Your own features": a rule with `feature` applies only on plans that include it). The fixture's `team` plan has
 * `sharing` — every member reads and lists the organization's documents and deletes its own —, `free` has none: a
 * member reads and lists its own only and deletes none. Each plan's FileStore rows go through the committed proof's
 * files proof on the set's organizations; a wrong per-plan cell is ACCESS_DIVERGED.
 */
import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { divergedError } from '../../src/testing/verify-access.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const entry = 'test/access/fixtures/plans-files/backend.ts';
const MEMBERS = ['home.owner', 'home.other', 'home.role.Admin', 'home.role.Owner', 'other.owner'];
const OPERATIONS = ['upload', 'complete', 'list', 'get', 'delete'];
const cellOf = (rows: readonly MatrixRow[], operation: string, who: string) =>
  rows.find((r) => r.kind === 'files' && r.operation === operation)?.cells[who];

// The entry's proof stacks started once for the file, fresh data for every run (test/support/shared-proof-stacks.ts).
shareProofStacksInFile();

describe('atakora verify: a FileStore rule with a feature, per plan', () => {
  it("proves each plan's FileStore rows by requests: the featured rules only where the plan has the feature", async () => {
    // The fixture's own components' rows, on the committed proof and each plan's: the organizations' routes (the bulk
    // of a membership backend's requests, and the same on both plans: `sharing` is the FileStore's feature alone) are
    // proven per plan in verify-plans.test.ts and in full in verify-organization.test.ts, as verify-files.test.ts
    // keeps its membership FileStore to its files rows (docs/performance.md, "The suite").
    const outcome = await verifyEntry(entry, {
      file: false,
      rows: (r) => r.kind !== 'organization',
    });
    expect(outcome.proof.divergences).toEqual([]);
    expect(outcome.plans.map((p) => [p.plans, p.features])).toEqual([
      [['free'], []],
      [['team'], ['sharing']],
    ]);
    for (const p of outcome.plans) {
      expect(p.report.divergences, p.plans.join()).toEqual([]);
      // Nothing said unproven but the SCIM token columns (derived, not exercised on any plan: plan-proof.ts).
      expect(
        p.report.unproven.filter((u) => !u.startsWith('scim, scim.revoked on plan ')),
        p.plans.join(),
      ).toEqual([]);
      // Every FileStore row of the set, not only those that differ: the files are uploaded for all of them.
      expect(
        p.rows.filter((r) => r.kind === 'files').map((r) => `${r.kind} ${r.operation}`),
      ).toEqual(OPERATIONS.map((op) => `files ${op}`));
      // Every member column of every row was exercised by a request on the set's organizations.
      for (const op of OPERATIONS)
        for (const who of MEMBERS)
          expect(p.report.proven.has(`Documents ${op}|${who}`), `${p.plans[0]} ${op} ${who}`).toBe(
            true,
          );
      expect(p.report.requests).toBeGreaterThan(0);
    }
    expect(outcome.ok).toBe(true);
    const [free, team] = outcome.plans;
    if (!free || !team) throw new Error('two plan sets expected');
    // The committed matrix is every feature's; per plan, `sharing` decides the reads of others' files and deletes.
    expect(cellOf(outcome.matrix.rows, 'get', 'home.other')).toBe('tenant');
    expect(cellOf(free.rows, 'get', 'home.other')).toBe('own');
    expect(cellOf(team.rows, 'get', 'home.other')).toBe('tenant');
    expect(cellOf(free.rows, 'list', 'home.other')).toBe('own');
    expect(cellOf(team.rows, 'list', 'home.other')).toBe('tenant');
    // Only the featured rule allowed a delete: 403 on `free` (the file is readable to its owner: refused, not hidden).
    expect(cellOf(free.rows, 'delete', 'home.owner')).toBe(403);
    expect(cellOf(team.rows, 'delete', 'home.owner')).toBe('own');
    expect(cellOf(free.rows, 'upload', 'home.other')).toBe(
      cellOf(team.rows, 'upload', 'home.other'),
    );
  });

  it('reports a runtime whose FileStore ignores the plan (every featured rule applied on free)', async () => {
    const caught = await verifyEntry(entry, {
      file: false,
      // The lie: the per-plan stack serves every plan as if it had every feature.
      planFeaturesServed: false,
      rows: (r) => r.kind === 'files' && (r.operation === 'get' || r.operation === 'delete'),
    });
    expect(caught.proof.divergences).toEqual([]);
    const [free, team] = caught.plans;
    expect(team?.report.divergences).toEqual([]);
    const seen = (row: string, who: string) =>
      free?.report.divergences.filter((d) => d.row === row && d.principal === who) ?? [];
    // free: home.other read home.owner's document (404 due) and deleted its own (403 due).
    expect(seen('Documents get', 'home.other').map((d) => d.answer.slice(0, 3))).toContain('200');
    expect(seen('Documents delete', 'home.other').map((d) => d.answer.slice(0, 3))).toContain(
      '204',
    );
    expect(caught.ok).toBe(false);
  });

  it('reports ACCESS_DIVERGED for a per-plan FileStore cell that does not hold', async () => {
    const lie = (m: { set: { plans: readonly string[] } }, r: MatrixRow): MatrixRow => {
      if (r.kind !== 'files') return r;
      // free: a member reads every member's document (the runtime answers the others' 404);
      // team: an owner may not delete its own (the runtime deletes it, 204).
      if (m.set.plans[0] === 'free' && r.operation === 'get')
        return { ...r, cells: { ...r.cells, 'home.other': 'tenant' } };
      if (m.set.plans[0] === 'team' && r.operation === 'delete')
        return { ...r, cells: { ...r.cells, 'home.other': 403 } };
      return r;
    };
    const caught = await verifyEntry(entry, {
      file: false,
      rows: (r) => r.kind === 'files' && (r.operation === 'get' || r.operation === 'delete'),
      plansAgainst: (derived) => derived.map((m) => ({ ...m, rows: m.rows.map((r) => lie(m, r)) })),
    });
    expect(caught.proof.divergences).toEqual([]);
    const [free, team] = caught.plans;
    expect([...new Set(free?.report.divergences.map((d) => `${d.row}|${d.principal}`))]).toEqual([
      'Documents get|home.other',
    ]);
    expect(free?.report.divergences.every((d) => d.answer.startsWith('404'))).toBe(true);
    // home.other deleted its own document (204), and every other column's refused delete of it then found it gone.
    expect(
      team?.report.divergences.filter((d) => d.principal === 'home.other').map((d) => d.answer),
    ).toContain('204 null');
    expect(new Set(team?.report.divergences.map((d) => d.row))).toEqual(
      new Set(['Documents delete']),
    );
    expect(caught.ok).toBe(false);
    const error = divergedError(caught);
    expect(error?.code).toBe('ACCESS_DIVERGED');
    expect(error?.message).toMatch(/\[plan free\] Documents get \[home\.other: tenant\]/);
    expect(error?.message).toMatch(/\[plan team\] Documents delete \[home\.other: 403\]/);
  });
});
