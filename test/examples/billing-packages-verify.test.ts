/**
 * `atakora verify examples/billing/packages.ts` — the backend the issue named (#120: verify "crashes on any backend
 * whose plans sell `scim` — `examples/billing/packages.ts` included — ('The proof stack holds no SCIM token of the
 * home organization') and, without `scim`, its per-plan item ids break a schema's `id: { maxLength: 36 }`"): every
 * plan proven without a divergence, the SCIM rows on enterprise by its own token, the projects' create under
 * `maxLength: 36` on each plan, with no Stripe stand-in or secret of the developer's.
 */
import { describe, expect, it } from 'vitest';
import type { MatrixRow } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';

/** The rows proven: the projects' and reports' create (a featured rule) and SCIM's list (the `scim` gate). */
const KEPT = (r: MatrixRow) =>
  ((r.component === 'ProjectApi' || r.component === 'ReportApi') &&
    r.kind === 'crud' &&
    r.operation === 'create') ||
  r.operation === 'scim:users:list';

describe('atakora verify examples/billing/packages.ts', () => {
  it('proves every plan: SCIM sold on enterprise, ids within the schema', async () => {
    const outcome = await verifyEntry('examples/billing/packages.ts', { file: false, rows: KEPT });
    expect(outcome.proof.divergences).toEqual([]);
    for (const p of outcome.plans) expect(p.report.divergences, p.plans.join()).toEqual([]);
    const enterprise = outcome.plans.find((p) => p.plans.includes('enterprise'));
    expect(enterprise?.report.proven.has('Organization scim:users:list|scim')).toBe(true);
    for (const p of outcome.plans)
      expect(p.report.proven.has('ProjectApi create|home.role.Owner'), p.plans.join()).toBe(true);
    expect(outcome.ok).toBe(true);
  });
});
