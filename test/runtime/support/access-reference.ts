import fc from 'fast-check';
import type { AccessRule, CrudOperation } from '../../../src/model/runtime-manifest.js';

/** A signed-in caller of the decision tables. */
export interface TablePrincipal {
  readonly name: string;
  readonly tid: string;
  readonly oid: string;
  readonly roles: readonly string[];
}

/**
 * The promise of DESIGN §2/§6 written out independently of src/runtime/access/rules.ts: may `p` do `op`, and on
 * whose items? `'all'` (every item of its tenant), `'own'` (only items it created), or `'denied'`.
 */
export function referenceDecision(
  rules: readonly AccessRule[],
  op: CrudOperation,
  p: { roles: readonly string[]; hasId: boolean },
): 'all' | 'own' | 'denied' {
  let own = false;
  for (const rule of rules) {
    if (rule.operations && !rule.operations.includes(op)) continue;
    if (rule.allow === 'authenticated') return 'all';
    if (rule.allow === 'role' && p.roles.includes(rule.role)) return 'all';
    if (rule.allow === 'owner' && p.hasId) own = true;
  }
  return own ? 'own' : 'denied';
}

/**
 * The HTTP status a request must get, given the decision, the caller and the target item (absent for create/list).
 * `readDecision`: what the rules grant the caller for `read` — a caller who may read every item and is refused a
 * write of another's item gets 403 (they can see it exists), one who may not see it 404.
 */
export function expectedStatus(
  decision: 'all' | 'own' | 'denied',
  op: CrudOperation,
  caller: TablePrincipal,
  item?: { tid: string; owner: string },
  readDecision?: 'all' | 'own' | 'denied',
): number {
  if (decision === 'denied') return 403;
  if (op === 'create') return 201;
  if (op === 'list') return 200;
  if (!item || item.tid !== caller.tid) return 404;
  if (decision === 'own' && item.owner !== caller.oid)
    return op !== 'read' && readDecision === 'all' ? 403 : 404;
  return op === 'delete' ? 204 : 200;
}

export const OPS: CrudOperation[] = ['create', 'read', 'update', 'delete', 'list'];
const ops = fc.subarray(OPS, { minLength: 1 });
const role = fc.constantFrom('NoteAdmin', 'Other', 'Auditor');
/** Any access rule, as a CrudApi config writes it (no `operations` key when absent). */
export const rule: fc.Arbitrary<AccessRule> = fc
  .oneof(
    fc.record({
      allow: fc.constant('owner' as const),
      operations: fc.option(ops, { nil: undefined }),
    }),
    fc.record({
      allow: fc.constant('authenticated' as const),
      operations: fc.option(ops, { nil: undefined }),
    }),
    fc.record({
      allow: fc.constant('role' as const),
      role,
      operations: fc.option(ops, { nil: undefined }),
    }),
  )
  .map(
    (r) =>
      Object.fromEntries(
        Object.entries(r).filter(([, v]) => v !== undefined),
      ) as unknown as AccessRule,
  );
