import type { ResourcePlan } from '../../model/plan.js';
import { type CellChange, compareAccessMatrices, describeChanges } from './compare.js';
import { servedAccessOf } from './backend-of.js';
import { deriveRows } from './derive.js';
import { type MatrixSignIn, signInOf, VERIFY_TENANTS } from './sign-in.js';
import type { AccessMatrix } from './types.js';

/**
 * The sign-in a plan review assumes: a plan does not carry the backend's `auth`, so the page and `atakora diff`
 * show every column — a multi-tenant sign-in with a home and another admitted directory and a stranger. The
 * committed `atakora.access.json` (from `atakora verify`) has the backend's own.
 */
export const REVIEW_SIGN_IN: MatrixSignIn = signInOf(
  {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    allowedTenants: [VERIFY_TENANTS.home, VERIFY_TENANTS.other],
  },
  VERIFY_TENANTS.home,
);

/** The matrix of a plan and, given a base, its changes (widenings first). */
export interface AccessReview {
  readonly matrix: AccessMatrix;
  readonly changes: readonly CellChange[];
  readonly widened: number;
}

/**
 * What the review shows of access: the plan's matrix (as {@link REVIEW_SIGN_IN} sees it) and every cell changed
 * since the base. Pure.
 *
 * @example
 * ```ts
 * accessReview(after, before).widened; // 2
 * ```
 */
export function accessReview(plan: ResourcePlan, base?: ResourcePlan): AccessReview {
  const { matrix, rows } = deriveRows(plan, servedAccessOf(plan, REVIEW_SIGN_IN), REVIEW_SIGN_IN);
  // The base's rows of each CrudApi it shares with the plan unchanged are the plan's (rows-reuse.ts): not derived
  // again; its implications are not the review's.
  const changes = base
    ? compareAccessMatrices(
        deriveRows(base, servedAccessOf(base, REVIEW_SIGN_IN), REVIEW_SIGN_IN, {
          like: rows,
          implications: false,
        }).matrix,
        matrix,
      )
    : [];
  return { matrix, changes, widened: changes.filter((c) => c.widened).length };
}

/**
 * The access part of `atakora diff`'s text: every widening (called out as data loss is), then narrowings; empty
 * when access did not change.
 *
 * @example
 * ```ts
 * io.out(renderAccessChangesText(accessReview(after, before)));
 * ```
 */
export function renderAccessChangesText(review: AccessReview): string {
  if (review.changes.length === 0) return '';
  const head = review.widened
    ? `ACCESS WIDENED: ${String(review.widened)} cell(s) let a principal reach more than before ` +
      '(review them as you would data loss; atakora verify --update accepts them).'
    : 'Access narrowed:';
  return `\n${head}\n${describeChanges(review.changes)
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}
