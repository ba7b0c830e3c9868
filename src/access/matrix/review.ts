import type { ResourcePlan } from '../../model/plan.js';
import { type CellChange, compareAccessMatrices, describeChanges } from './compare.js';
import { deriveAccessMatrix } from './derive.js';
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
  const matrix = deriveAccessMatrix(plan, REVIEW_SIGN_IN);
  const changes = base
    ? compareAccessMatrices(deriveAccessMatrix(base, REVIEW_SIGN_IN), matrix)
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

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

/**
 * The review page's access pieces: a callout for the header when access widened (styled as the data-loss one),
 * and the section: the changes, the implications, the matrix (routes × principals). Every string escaped.
 *
 * @example
 * ```ts
 * const { callout, section } = renderAccessHtml(accessReview(plan, base));
 * ```
 */
export function renderAccessHtml(review: AccessReview): { callout: string; section: string } {
  const { matrix, changes } = review;
  const callout = review.widened
    ? '<div class="callout danger" id="access-widened" role="note" aria-label="Access widened"><p><strong>' +
      `This change widens access:</strong> ${String(review.widened)} cell(s) of the access matrix let a principal ` +
      'reach more than before (<code>atakora verify</code> fails with ACCESS_CHANGED until accepted).</p><ul>' +
      changes
        .filter((c) => c.widened)
        .map(
          (c) =>
            `<li>${esc(`${c.route} — ${c.principal}: ${String(c.before)} → ${String(c.after)}`)}</li>`,
        )
        .join('') +
      '</ul></div>'
    : '';
  const head = matrix.principals.map(
    (p) => `<th scope="col" title="${esc(p.description)}">${esc(p.key)}</th>`,
  );
  const changed = new Set(changes.map((c) => `${c.route}|${c.principal}`));
  const rows = matrix.rows.map(
    (r) =>
      `<tr><th scope="row">${esc(`${r.component} ${r.operation}`)}<br><code>${esc(r.request)}</code></th>` +
      matrix.principals
        .map((p) => {
          const v = String(r.cells[p.key]);
          const mark = changed.has(`${r.component} ${r.operation}|${p.key}`)
            ? ' class="changed"'
            : '';
          return `<td${mark}>${esc(v)}</td>`;
        })
        .join('') +
      '</tr>',
  );
  const list = changes.length
    ? `<ul>${changes.map((c) => `<li>${c.widened ? '<strong>widened</strong>' : 'narrowed'} ${esc(`${c.route} — ${c.principal}: ${String(c.before)} → ${String(c.after)} (${c.request})`)}</li>`).join('')}</ul>`
    : '';
  const implications = matrix.implications.length
    ? `<ul>${matrix.implications.map((i) => `<li><strong>${esc(i.code)}</strong>: ${esc(i.message)}</li>`).join('')}</ul>`
    : '';
  const section =
    '<section id="access" aria-labelledby="access-h"><h2 id="access-h">Access</h2>' +
    '<p>Who may do what, derived from the access rules (as a multi-tenant sign-in sees it; ' +
    '<code>atakora verify</code> proves it against the runtime): <code>allow</code> every item, ' +
    '<code>tenant</code> the caller’s tenant, <code>own</code> the caller’s own, a number the refusal.</p>' +
    list +
    implications +
    `<div class="scroll"><table><thead><tr><th scope="col">Route</th>${head.join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div></section>`;
  return { callout, section };
}
