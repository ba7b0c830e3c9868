import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { sameData } from '../../model/same-data.js';
import type { AccessBackend, AccessEntity } from '../model/backend.js';
import type { ServedAccess } from './backend-of.js';
import type { MatrixPrincipal, MatrixRow } from './types.js';

/**
 * A matrix derived from one plan (derive.ts), with where each of its CrudApis' rows start: `starts[j]` and
 * `starts[j + 1]` bound the rows of `served.crud[j]`.
 */
export interface DerivedRows {
  readonly served: ServedAccess;
  /** The sign-in's `required`: whether anonymous callers get 401 (else 403). */
  readonly required: boolean;
  readonly principals: readonly MatrixPrincipal[];
  readonly rows: readonly MatrixRow[];
  readonly starts: readonly number[];
}

/**
 * Another plan's rows for each CrudApi whose rows would be the ones derived here: a base plan and the plan it is
 * reviewed against mostly share their CrudApis (999 of 1,000 on a review page), and deriving the base's rows again
 * was a fifth of the review's access work. A CrudApi's rows are a function of its own route, operations, search,
 * realtime, partition key, tenancy and rules, its relations' names and kinds and their targets' partition keys,
 * tenancy and rules, and of the backend's sign-in and the columns (scopeOf, crudRows in derive.ts): when all of
 * those are the same data in both, the other plan's rows are these rows: pushed onto `into` (`true`). Anything
 * else is derived (`false`; `undefined`, no reuse at all, when the sign-in or the columns differ).
 *
 * @example
 * ```ts
 * const reuse = rowsReuse(planRows, baseServed, signIn.required, basePrincipals);
 * if (!reuse?.(rows, api, i)) crudRows(rows, backend, i, api, memo, signIn.required);
 * ```
 */
export function rowsReuse(
  like: DerivedRows,
  served: ServedAccess,
  required: boolean,
  principals: readonly MatrixPrincipal[],
): ((into: MatrixRow[], api: RuntimeEntity, index: number) => boolean) | undefined {
  const lb = like.served.backend;
  const b = served.backend;
  if (like.required !== required || !sameContext(lb, b) || !sameData(like.principals, principals))
    return undefined;
  const other = like.served.crud;
  // Both lists are sorted by componentId (servedAccessOf): paired in one walk, no index built.
  let j = 0;
  return (into, api, i) => {
    const id = api.componentId;
    while (j < other.length && (other[j] as RuntimeEntity).componentId < id) j++;
    const o = other[j];
    // An id listed twice on either side is derived: which of its rows pairs with which is not worth knowing.
    if (
      o === undefined ||
      o.componentId !== id ||
      other[j + 1]?.componentId === id ||
      served.crud[i + 1]?.componentId === id ||
      served.crud[i - 1]?.componentId === id
    )
      return false;
    if (!sameCrud(api, entityOf(b, i), b, o, entityOf(lb, j), lb)) return false;
    const start = like.starts[j];
    const end = like.starts[j + 1];
    if (start === undefined || end === undefined) return false;
    for (let k = start; k < end; k++) into.push(like.rows[k] as MatrixRow);
    return true;
  };
}

const entityOf = (b: AccessBackend, i: number): AccessEntity | undefined => b.entities[i];

/** The backend's parts every cell reads besides its entity: the sign-in's directories and registry. */
function sameContext(x: AccessBackend, y: AccessBackend): boolean {
  return (
    x.multi === y.multi &&
    x.home === y.home &&
    sameData(x.admitted, y.admitted) &&
    sameData(x.registry, y.registry)
  );
}

/** What scopeOf reads of an entity: its partition key, tenancy and rules. */
function sameDecision(x: AccessEntity | undefined, y: AccessEntity | undefined): boolean {
  return (
    x !== undefined &&
    y !== undefined &&
    x.key === y.key &&
    x.shared === y.shared &&
    sameData(x.access, y.access)
  );
}

/** Everything crudRows reads of a CrudApi, its entity and its relations' targets. */
function sameCrud(
  x: RuntimeEntity,
  ex: AccessEntity | undefined,
  bx: AccessBackend,
  y: RuntimeEntity,
  ey: AccessEntity | undefined,
  by: AccessBackend,
): boolean {
  if (
    ex === undefined ||
    ey === undefined ||
    x.route !== y.route ||
    !sameData(x.operations, y.operations) ||
    Boolean(x.search) !== Boolean(y.search) ||
    Boolean(x.realtime) !== Boolean(y.realtime) ||
    !sameDecision(ex, ey) ||
    ex.relations.length !== ey.relations.length
  )
    return false;
  for (let k = 0; k < ex.relations.length; k++) {
    const r = ex.relations[k];
    const s = ey.relations[k];
    if (
      r === undefined ||
      s === undefined ||
      r.name !== s.name ||
      r.kind !== s.kind ||
      !sameDecision(bx.entities[r.target], by.entities[s.target])
    )
      return false;
  }
  return true;
}
