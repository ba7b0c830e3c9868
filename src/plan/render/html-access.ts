import type { AccessReview } from '../../access/matrix/review.js';
import type { MatrixRow } from '../../access/matrix/types.js';
import type { HtmlOut } from './html-out.js';

const SPECIAL = /[&<>"']/;
// The access section writes numeric character references (`&#38;`), as it always has (render-html-identity test).
const esc = (s: string) =>
  SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`) : s;

const line = (c: AccessReview['changes'][number]) =>
  `${c.route} — ${c.principal}: ${String(c.before)} → ${String(c.after)}`;

/**
 * The header's callout when access widened since the base (styled as the data-loss one), else `''`. Every string
 * escaped.
 *
 * @example
 * ```ts
 * const callout = accessCallout(accessReview(plan, base));
 * ```
 */
export function accessCallout(review: AccessReview): string {
  if (!review.widened) return '';
  return (
    '<div class="callout danger" id="access-widened" role="note" aria-label="Access widened"><p><strong>' +
    `This change widens access:</strong> ${String(review.widened)} cell(s) of the access matrix let a principal ` +
    'reach more than before (<code>atakora verify</code> fails with ACCESS_CHANGED until accepted).</p><ul>' +
    review.changes
      .filter((c) => c.widened)
      .map((c) => `<li>${esc(line(c))}</li>`)
      .join('') +
    '</ul></div>'
  );
}

/**
 * The review page's access section, written into `out` row by row: the changes, the implications, the matrix
 * (routes × principals). A row without a change writes the cells every row with the same cells object writes
 * (access/matrix/derive.ts shares one per operation of entities that decide alike): rendered once.
 *
 * @example
 * ```ts
 * writeAccessSection(out, accessReview(plan, base));
 * ```
 */
export function writeAccessSection(out: HtmlOut, review: AccessReview): void {
  const { matrix, changes } = review;
  const list = changes.length
    ? `<ul>${changes.map((c) => `<li>${c.widened ? '<strong>widened</strong>' : 'narrowed'} ${esc(`${line(c)} (${c.request})`)}</li>`).join('')}</ul>`
    : '';
  const implications = matrix.implications.length
    ? `<ul>${matrix.implications.map((i) => `<li><strong>${esc(i.code)}</strong>: ${esc(i.message)}</li>`).join('')}</ul>`
    : '';
  const head = matrix.principals
    .map((p) => `<th scope="col" title="${esc(p.description)}">${esc(p.key)}</th>`)
    .join('');
  out.add(
    '<section id="access" aria-labelledby="access-h"><h2 id="access-h">Access</h2>' +
      '<p>Who may do what, derived from the access rules (as a multi-tenant sign-in sees it; ' +
      '<code>atakora verify</code> proves it against the runtime): <code>allow</code> every item, ' +
      '<code>tenant</code> the caller’s tenant, <code>own</code> the caller’s own, a number the refusal.</p>' +
      list +
      implications +
      `<div class="scroll"><table><thead><tr><th scope="col">Route</th>${head}</tr></thead><tbody>`,
  );
  // The principals each changed route changed for, and the components those routes may belong to (each prefix of
  // a route before a space): a row of any other component is unmarked without writing its route's text.
  const changed = new Map<string, Set<string>>();
  const marksOf = new Set<string>();
  for (const c of changes) {
    const at = changed.get(c.route) ?? new Set<string>();
    at.add(c.principal);
    changed.set(c.route, at);
    for (let i = c.route.indexOf(' '); i >= 0; i = c.route.indexOf(' ', i + 1))
      marksOf.add(c.route.slice(0, i));
  }
  // Escaping is per character (esc(a + ' ' + b) === esc(a) + ' ' + esc(b)): a row's component, escaped once for
  // its run of rows, and each distinct operation once per page. The requests of a run are tested for anything to
  // escape together (7 of them per CrudApi: one test instead of one per row), escaped one by one only when needed.
  const operations = new Map<string, string>();
  let component: string | undefined;
  let escComponent = '';
  let plainRequests = false;
  const rendered = new Map<MatrixRow['cells'], string>();
  const rows = matrix.rows;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as MatrixRow;
    if (r.component !== component) {
      component = r.component;
      escComponent = esc(component);
      let requests = r.request;
      for (let j = i + 1; j < rows.length && (rows[j] as MatrixRow).component === component; j++)
        requests += (rows[j] as MatrixRow).request;
      plainRequests = !SPECIAL.test(requests);
    }
    let escOperation = operations.get(r.operation);
    if (escOperation === undefined) operations.set(r.operation, (escOperation = esc(r.operation)));
    const marked = marksOf.has(r.component)
      ? changed.get(`${r.component} ${r.operation}`)
      : undefined;
    let cells = marked ? undefined : rendered.get(r.cells);
    if (cells === undefined) {
      cells = '';
      for (const p of matrix.principals)
        cells += `<td${marked?.has(p.key) ? ' class="changed"' : ''}>${esc(String(r.cells[p.key]))}</td>`;
      if (!marked) rendered.set(r.cells, cells);
    }
    out.add(
      `<tr><th scope="row">${escComponent} ${escOperation}<br><code>${plainRequests ? r.request : esc(r.request)}</code></th>${cells}</tr>`,
    );
  }
  out.add('</tbody></table></div></section>');
}
