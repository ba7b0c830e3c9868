/**
 * `atakora verify` proves every plan of a backend whose plans sell SCIM (a new user found it
 * crashed with "The proof stack holds no SCIM token of the home organization" on examples/billing/packages.ts, and
 * without SCIM its per-plan item ids broke a schema's `id: { maxLength: 36 }`). On the plan with `scim` the set's home
 * Owner issues the SCIM columns' tokens and the SCIM rows are proven as on the committed matrix, the SCIM columns
 * included; on `free` the SCIM doors answer 402; every item the per-plan proof makes fits the schema's id.
 */
import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';

const entry = 'test/access/fixtures/plans-scim/backend.ts';

/** The rows proven: the milestones' create (a featured rule) and two SCIM rows (the `scim` gate). */
const KEPT = (r: MatrixRow) =>
  (r.component === 'MilestoneApi' && r.kind === 'crud' && r.operation === 'create') ||
  r.operation === 'scim:users:list' ||
  r.operation === 'scim:users:create';

describe('atakora verify: plans that sell SCIM, ids within the schema', () => {
  it("proves the SCIM plan's SCIM rows with its own tokens, and creates ids of at most 36 characters", async () => {
    const outcome = await verifyEntry(entry, { file: false, rows: KEPT });
    expect(outcome.proof.divergences).toEqual([]);
    expect(outcome.plans.map((p) => p.plans)).toEqual([['free'], ['enterprise']]);
    for (const p of outcome.plans) expect(p.report.divergences, p.plans.join()).toEqual([]);
    const [free, enterprise] = outcome.plans;
    // The SCIM token's cells on the plan that sells SCIM: proven by its own token, not left unproven.
    expect(enterprise?.report.proven.has('Organization scim:users:list|scim')).toBe(true);
    expect(enterprise?.report.proven.has('Organization scim:users:create|scim')).toBe(true);
    expect(enterprise?.report.unproven.join('\n')).not.toMatch(/a SCIM token is issued/);
    // The per-plan owner's create held: its id fitted `maxLength: 36` (a longer one is 400 `validation`).
    expect(enterprise?.report.proven.has('MilestoneApi create|home.role.Owner')).toBe(true);
    expect(free?.report.proven.has('Organization scim:users:list|home.role.Owner')).toBe(true);
    expect(outcome.ok).toBe(true);
  });
});
