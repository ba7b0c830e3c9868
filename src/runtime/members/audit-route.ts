import type { HttpHandler, HttpResponseInit } from '@azure/functions';
import { AUDIT_READER_ROLES } from '../../contract/audit.js';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { auditFilterOf } from '../audit/audit-filter.js';
import type { AuditLog } from '../audit/record-audit.js';
import { methodNotAllowed, problemResponse } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import type { AuthorizedContext, CallerContext, RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import { onPage } from '../tenants/tenants-operations.js';
import { orUnavailable, pageResponse } from './members-api.js';

/** GET only: the log is never written through any route (405 with `Allow: GET` for every other method). */
const getOnly = (ctx: CallerContext<true>): Resolved<true> =>
  ctx.method === 'GET' ? { ok: true, value: true } : methodNotAllowed(['GET'], ctx.request.method);

/**
 * `GET api/tenant/audit`: one page of the request's organization's audit log, newest first, `{ items,
 * continuationToken }` (`$first`, `$after` as every list; `$filter` on `action`, `actor`, `actor/via`, `target`) —
 * for its Owners and Admins (403 `access-denied` for another member; a non-member never reaches it: 403
 * `not-a-member`). One partition: only the organization the membership stage admitted is ever read.
 *
 * @example
 * ```ts
 * app.http(AUDIT_FUNCTION, { route: AUDIT_ROUTE, methods: ['GET'], handler: createAuditHandler(policy, audit, services) });
 * ```
 */
export function createAuditHandler(
  policy: RuntimeAuth,
  audit: AuditLog,
  services: RuntimeServices,
): HttpHandler {
  return serve<true>(
    {
      policy,
      feature: 'audit',
      // A key of a role the audit log admits reads it (a SIEM's nightly pull).
      apiKeys: true,
      route: getOnly,
      handle: (ctx) => listAudit(audit, ctx),
    },
    services,
  );
}

function listAudit(audit: AuditLog, ctx: AuthorizedContext<true>): Promise<HttpResponseInit> {
  const membership = ctx.caller.membership;
  if (!membership)
    return Promise.resolve(
      problemResponse('not-a-member', 'This route acts in an organization you are a member of.'),
    );
  if (!membership.roles.some((r) => AUDIT_READER_ROLES.includes(r)))
    return Promise.resolve(
      problemResponse(
        'access-denied',
        `Only an Owner or an Admin of ${membership.tenant} reads its audit log.`,
        { operation: 'list', rules: ["roles: ['Owner', 'Admin']"] },
      ),
    );
  const filter = auditFilterOf(ctx.request.query.get('$filter'));
  if (!filter.ok) return Promise.resolve(problemResponse('invalid-query', filter.message));
  return onPage(ctx.request, (page) =>
    orUnavailable(async () => {
      const { items, next } = await audit.store.page(
        membership.tenant,
        filter.filter,
        page.limit,
        page.token,
      );
      return pageResponse(items, next);
    }),
  );
}
