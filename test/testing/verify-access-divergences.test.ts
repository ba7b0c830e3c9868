import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessCell } from '../../src/access/matrix/types.js';
import type { PlanProof } from '../../src/cli/verify/plan-proof.js';
import type { Divergence, ProofReport } from '../../src/cli/verify/proof-context.js';
import { AtakoraError } from '../../src/model/errors.js';
import { divergedError } from '../../src/testing/verify-access.js';

// verifyAccess rejects with ACCESS_DIVERGED for a divergence of any proof it ran: the committed matrix's and each
// plan set's (docs/verify.md, "Per plan"), as `atakora verify` exits 1 for either. It once looked at the committed
// proof's alone, so a plan whose 402 gate let a request through resolved as proven.

const divergence: fc.Arbitrary<Divergence> = fc.record({
  row: fc.constantFrom('NoteApi search', 'NoteApi create', 'mcp note_get'),
  principal: fc.constantFrom('home.owner', 'home.other', 'stranger'),
  cell: fc.constantFrom<AccessCell>('tenant', 'own', 403, 402),
  request: fc.constant('GET api/notes?search=x as home.owner'),
  expected: fc.constant('402'),
  answer: fc.constant('200'),
});

const report = (divergences: Divergence[]): ProofReport => ({
  requests: divergences.length + 3,
  divergences,
  proven: new Set(),
  unproven: [],
});

const planSet = (name: string, divergences: Divergence[]): PlanProof => ({
  plans: [name, `${name}-yearly`],
  features: [],
  organizations: [],
  directories: [],
  rows: [],
  report: report(divergences),
});

describe('verifyAccess: what rejects', () => {
  it('rejects exactly when the committed proof or any plan set diverged, with every divergence in details', () => {
    fc.assert(
      fc.property(
        fc.array(divergence, { maxLength: 3 }),
        fc.array(fc.array(divergence, { maxLength: 3 }), { maxLength: 3 }),
        (committed, perPlan) => {
          const plans = perPlan.map((d, i) => planSet(`plan${String(i)}`, d));
          const error = divergedError({ proof: report(committed), plans });
          const total = committed.length + perPlan.reduce((n, d) => n + d.length, 0);
          if (total === 0) {
            expect(error).toBeUndefined();
            return;
          }
          expect(error).toBeInstanceOf(AtakoraError);
          expect(error?.code).toBe('ACCESS_DIVERGED');
          const listed = (
            error?.details as { divergences: readonly (Divergence & { plans?: string[] })[] }
          ).divergences;
          expect(listed).toHaveLength(total);
          // Each plan set's own divergences carry its plans; the committed proof's carry none.
          expect(listed.filter((d) => d.plans === undefined)).toHaveLength(committed.length);
          perPlan.forEach((d, i) =>
            expect(listed.filter((l) => l.plans?.[0] === `plan${String(i)}`)).toHaveLength(
              d.length,
            ),
          );
          expect(error?.message).toContain(`${String(total)} cell(s) did not hold`);
        },
      ),
    );
  });

  it('names a plan set’s divergence as the CLI prints it', () => {
    const error = divergedError({
      proof: report([]),
      plans: [
        planSet('free', [
          {
            row: 'NoteApi search',
            principal: 'home.owner',
            cell: 402,
            request: 'GET api/notes?search=x as home.owner',
            expected: '402',
            answer: '200',
          },
        ]),
      ],
    });
    expect(error?.message).toContain(
      '[plan free] NoteApi search [home.owner: 402] GET api/notes?search=x as home.owner → 200',
    );
  });
});
