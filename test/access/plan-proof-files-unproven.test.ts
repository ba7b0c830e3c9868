/**
 * The per-plan proof never passes over a FileStore row it could not prove (docs/verify.md, "Per plan"): a set's
 * FileStore rows of a store the per-plan stack does not serve, or whose routes no app of it serves, are said unproven
 * on that plan, and no cell of them is counted proven. A stack that serves nothing stands in (no request is sent).
 */
import { describe, expect, it } from 'vitest';
import { servedAccessOf } from '../../src/access/matrix/backend-of.js';
import { deriveAccessMatrix } from '../../src/access/matrix/derive.js';
import { planMatrices } from '../../src/access/matrix/plan-rows.js';
import { signInOf } from '../../src/access/matrix/sign-in.js';
import type { ProofStack } from '../../src/cli/verify/dev-stack.js';
import { type PlanProofInput, provePlans } from '../../src/cli/verify/plan-proof.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import backend from './fixtures/plans-files/backend.js';

const plan = backend.plan();
const signIn = signInOf(
  {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    ...admissionPolicy(backend.config),
  },
  backend.config.auth.tenantId,
);
const matrix = deriveAccessMatrix(plan, signIn, backend.config.mcp);
const perPlan = planMatrices(
  plan,
  signIn,
  backend.config.mcp,
  backend.config.tenants?.plans ?? {},
  matrix,
);
/** A stack with no app: every write and snapshot a no-op, no door to knock on. */
const nothing: ProofStack = {
  apps: [],
  realtimeEndpoint: undefined,
  write: () => Promise.resolve(),
  snapshot: () => Promise.resolve(new Map()),
  restore: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};
const input: PlanProofInput = {
  stack: nothing,
  signIn,
  matrix,
  perPlan,
  crud: [],
  crudApp: () => '',
  progress: () => undefined,
};

describe('per-plan proof: FileStore rows it cannot prove', () => {
  it('says a set’s FileStore rows unproven where the per-plan stack serves no such store', async () => {
    const out = await provePlans({ ...input, files: [] });
    expect(out.map((p) => p.plans[0])).toEqual(['free', 'team']);
    for (const p of out) {
      expect(p.rows.filter((r) => r.kind === 'files')).toHaveLength(5);
      expect(p.report.unproven).toContain(
        `Documents on plan ${p.plans[0]}: the per-plan stack serves no such FileStore`,
      );
      expect([...p.report.proven].filter((k) => k.startsWith('Documents '))).toEqual([]);
      expect(p.report.divergences).toEqual([]);
    }
  });

  it('says them unproven where no app serves the store’s routes', async () => {
    const out = await provePlans({
      ...input,
      files: servedAccessOf(plan, signIn).files,
      filesApp: () => undefined,
    });
    for (const p of out) {
      expect(p.report.unproven).toContain(
        `Documents: the proof stack serves no api/documents (on plan ${p.plans[0]})`,
      );
      expect([...p.report.proven].filter((k) => k.startsWith('Documents '))).toEqual([]);
      expect(p.report.requests).toBe(0);
    }
  });
});
