import type { AuditEntry } from '../contract/audit.js';
import { AUDIT_ROUTE } from '../contract/audit.js';
import { LIST_QUERY_PARAMETERS as Q } from '../contract/paging.js';
import { pagedList, type CountedListPage } from './crud-client.js';
import { apiPrefixOf } from './domains-client.js';
import { send, type Transport } from './transport.js';
import type { AuditListOptions, ListResult } from './types.js';

// The filterable fields as `$filter` names them (`actor` is the actor's id).
const FIELDS = { action: 'action', actor: 'actor', via: 'actor/via', target: 'target' } as const;

/**
 * The `$filter` of `GET api/tenant/audit` for `filter`: each given field `eq` its value (a quote doubled, as OData
 * writes it), joined by `and`; undefined when none is given.
 *
 * @example
 * ```ts
 * auditFilterText({ action: 'member.removed', actor: 'u-1' }); // "action eq 'member.removed' and actor eq 'u-1'"
 * ```
 */
export function auditFilterText(filter: AuditListOptions['filter']): string | undefined {
  const clauses = (Object.keys(FIELDS) as (keyof typeof FIELDS)[])
    .filter((k) => filter?.[k] !== undefined)
    .map((k) => `${FIELDS[k]} eq '${String(filter?.[k]).replace(/'/g, "''")}'`);
  return clauses.length > 0 ? clauses.join(' and ') : undefined;
}

/**
 * `client.tenant.audit(options)`: the audit log of the organization the client acts in, newest first, a page at a
 * time (`first` per page, `after` a page's token), narrowed by `filter` (action, actor, via, target) — for its Owners
 * and Admins.
 *
 * @example
 * ```ts
 * const audit = auditOf(transport);
 * for await (const e of audit({ filter: { action: 'member.removed' } })) console.log(e.at, e.actor.id, e.target);
 * ```
 */
export function auditOf(t: Transport): (options?: AuditListOptions) => ListResult<AuditEntry> {
  const at: Transport = { ...t, baseUrl: `${apiPrefixOf(t.baseUrl)}/${AUDIT_ROUTE}` };
  return (options = {}) =>
    pagedList<AuditEntry>(
      async (after) =>
        (
          await send(at, {
            method: 'GET',
            path: '',
            query: {
              [Q.first]: options.first === undefined ? undefined : String(options.first),
              [Q.after]: after,
              [Q.filter]: auditFilterText(options.filter),
            },
            ...(options.signal ? { signal: options.signal } : {}),
          })
        ).body as CountedListPage<AuditEntry>,
      { after: options.after },
    );
}
