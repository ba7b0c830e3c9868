import type { AuditFilter } from './audit-store.js';

// `<field> eq '<value>'` (a quote inside doubled, as OData writes it), the clauses joined by `and`.
const CLAUSE = /^\s*([A-Za-z/]+)\s+eq\s+'((?:[^']|'')*)'\s*$/;

// The names a `$filter` may use, and the field of the filter each sets (`actor` is the actor's id).
const FIELDS: Readonly<Record<string, keyof AuditFilter>> = {
  action: 'action',
  actor: 'actor',
  'actor/id': 'actor',
  'actor/via': 'via',
  target: 'target',
};

/**
 * The filter a `GET api/tenant/audit` `$filter` asks for — equality on `action`, `actor` (or `actor/id`),
 * `actor/via` and `target`, joined by `and` — or the message naming what it cannot filter on.
 *
 * @example
 * ```ts
 * auditFilterOf("action eq 'member.removed' and actor eq 'u-1'"); // { ok: true, filter: { action: 'member.removed', actor: 'u-1' } }
 * ```
 */
export function auditFilterOf(
  text: string | null,
): { ok: true; filter: AuditFilter } | { ok: false; message: string } {
  if (text === null || text.trim() === '') return { ok: true, filter: {} };
  const filter: Record<string, string> = {};
  for (const clause of text.split(/\s+and\s+/i)) {
    const m = CLAUSE.exec(clause);
    const field = m ? FIELDS[m[1] ?? ''] : undefined;
    if (!m || !field)
      return {
        ok: false,
        message:
          `The audit log filters on action, actor (or actor/id), actor/via and target with eq, joined by and ` +
          `(e.g. action eq 'member.removed' and actor eq 'u-1'): "${clause.trim().slice(0, 100)}" is none of them.`,
      };
    filter[field] = (m[2] ?? '').replace(/''/g, "'");
  }
  return { ok: true, filter };
}
