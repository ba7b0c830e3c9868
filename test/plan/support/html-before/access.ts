/**
 * The access section as the review page had it before src/plan/render/html-access.ts wrote it in one pass (and
 * src/access/matrix/derive.ts shared cells between entities that decide alike): the matrix derived cell by cell
 * and rendered row by row, frozen here so the identity test compares the page with what it was.
 */
import type { ResourcePlan } from '../../../../src/model/plan.js';
import type { CrudOperation, RuntimeEntity } from '../../../../src/model/runtime-manifest.js';
import type { AccessBackend } from '../../../../src/access/model/backend.js';
import { entityAt } from '../../../../src/access/model/reference-model.js';
import { servedAccessOf } from '../../../../src/access/matrix/backend-of.js';
import { implicationsOf } from '../../../../src/access/matrix/implications.js';
import { deriveAccessMatrix as deriveNow, scopeOf } from '../../../../src/access/matrix/derive.js';
import { compareAccessMatrices } from '../../../../src/access/matrix/compare.js';
import { REVIEW_SIGN_IN, type AccessReview } from '../../../../src/access/matrix/review.js';
import type { MatrixSignIn } from '../../../../src/access/matrix/sign-in.js';
import type {
  AccessCell,
  AccessMatrix,
  MatrixPrincipal,
  MatrixRow,
} from '../../../../src/access/matrix/types.js';

/** The refusal wins; otherwise what the second step shows (an expansion's or a children page's items). */
function through(first: AccessCell, then: AccessCell): AccessCell {
  return typeof first === 'number' ? first : then;
}

function crudRows(
  b: AccessBackend,
  index: number,
  api: RuntimeEntity,
  principals: readonly MatrixPrincipal[],
  required: boolean,
): MatrixRow[] {
  const e = entityAt(b, index);
  const enabled = new Set(api.operations);
  const base = `api/${api.route}`;
  const row = (
    operation: string,
    request: string,
    cell: (p: MatrixPrincipal) => AccessCell,
  ): MatrixRow => ({
    component: api.componentId,
    kind: 'crud',
    operation,
    request,
    cells: Object.fromEntries(principals.map((p) => [p.key, cell(p)])),
  });
  // A disabled operation is 405 for everyone: the method is refused before the caller is read (DESIGN §6).
  const scope = (op: CrudOperation) => (p: MatrixPrincipal) =>
    enabled.has(op) ? scopeOf(b, e, op, p, required) : 405;
  const rows = [
    row('create', `POST ${base}`, scope('create')),
    row('read', `GET ${base}/{id}`, scope('read')),
    row('list', `GET ${base}`, scope('list')),
    row('count', `GET ${base}?$count=true`, scope('list')),
    // The aggregate and search rows (verify proves them): the list's cells, as src/access/matrix/derive.ts adds them.
    row('aggregate', `GET ${base}?$apply=groupby(…)`, scope('list')),
    ...(api.search ? [row('search', `POST ${base}/search`, scope('list'))] : []),
    row('replace', `PUT ${base}/{id}`, scope('update')),
    row('update', `PATCH ${base}/{id}`, scope('update')),
    row('delete', `DELETE ${base}/{id}`, scope('delete')),
  ];
  for (const r of e.relations) {
    const target = entityAt(b, r.target);
    const targetOp: CrudOperation = r.kind === 'hasMany' ? 'list' : 'read';
    rows.push(
      row(`expand:${r.name}`, `GET ${base}/{id}?$expand=${r.name}`, (p) =>
        through(scope('read')(p), scopeOf(b, target, targetOp, p, required)),
      ),
    );
  }
  for (const r of e.relations)
    if (r.kind === 'hasMany')
      rows.push(
        row(`children:${r.name}`, `GET ${base}/{id}/${r.name}`, (p) =>
          through(scope('read')(p), scopeOf(b, entityAt(b, r.target), 'list', p, required)),
        ),
      );
  // Events reach every connected caller who may read the item, as its own GET would (DESIGN §2 Realtime).
  if (api.realtime)
    rows.push(
      row('events', 'WS api/realtime/negotiate', (p) => scopeOf(b, e, 'read', p, required)),
    );
  return rows;
}

/**
 * The access matrix of a plan: pure, deterministic, JSON. `signIn` says which directories sign in (the plan does
 * not carry the backend's `auth`; `atakora verify` reads it from the backend's config, the review page assumes a
 * multi-tenant sign-in so that every column shows).
 *
 * @example
 * ```ts
 * const matrix = deriveAccessMatrix(backend.plan(), signInOf(authPolicy));
 * writeFileSync('atakora.access.json', formatAccessMatrix(matrix));
 * ```
 */
function deriveAccessMatrix(plan: ResourcePlan, signIn: MatrixSignIn): AccessMatrix {
  // The CrudApis' rows cell by cell, as before; the FileStores' and handlers' rows (unchanged) from src.
  const now = deriveNow(plan, signIn);
  const served = servedAccessOf(plan, signIn);
  const b = served.backend;
  const rows: MatrixRow[] = [];
  served.crud.forEach((api, i) =>
    rows.push(...crudRows(b, i, api, now.principals, signIn.required)),
  );
  rows.push(...now.rows.filter((r) => r.kind !== 'crud'));
  return { ...now, rows, implications: implicationsOf(served, rows, now.principals) };
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
