import type { HttpResponseInit } from '@azure/functions';
import { jsonObjectOf } from '../../contract/json-object.js';
import type { AuditAction } from '../../contract/audit.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { AfterStep, Resolution } from '../pipeline/context.js';
import { doorOf } from '../pipeline/request-door.js';
import { itemChanges } from '../audit/item-changes.js';
import { type AuditLog, recordAudit } from '../audit/record-audit.js';

const ACTIONS: Readonly<Record<string, AuditAction>> = {
  create: 'item.created',
  replace: 'item.updated',
  update: 'item.updated',
  delete: 'item.deleted',
};

/** The id of the item a write answered for: the route's (item routes), else the created item's body. */
function itemId(c: Resolution<{ change?: string; id?: string }>, response: HttpResponseInit) {
  if (c.route.id !== undefined) return c.route.id;
  const body = (response.jsonBody ?? jsonObjectOf(response.body)) as { id?: unknown } | undefined;
  return typeof body?.id === 'string' ? body.id : undefined;
}

/**
 * The after step of a CrudApi with `audit: true`: each successful create, replace, merge and delete appended to the
 * organization's audit log (`item.created|updated|deleted`, target `<Entity>/<id>`, an update's changed fields
 * alone), by the caller, through the door the request came by (`api`, `mcp`, `handler`: pipeline/request-door.ts).
 * After the item is stored, never instead: a write of the log that fails is reported with the whole entry
 * (`recordAudit`) and the item stays — Cosmos DB has no transaction across two containers.
 *
 * @example
 * ```ts
 * const step = itemAuditStep(entity, services.audit);
 * ```
 */
export function itemAuditStep(
  entity: RuntimeEntity,
  log: AuditLog,
): AfterStep<{ change?: string; id?: string }> {
  const skip = entity.search?.vector ? [entity.search.vector.field] : [];
  return async (c, response) => {
    const action = c.route.change === undefined ? undefined : ACTIONS[c.route.change];
    const status = response.status ?? 200;
    if (!action || status < 200 || status >= 300) return response;
    // The organization the item belongs to (an isolated entity's tenant), else the one its caller acts in.
    const tenant = c.tenant?.id ?? c.caller.membership?.tenant;
    const id = itemId(c, response);
    const actor = c.caller.id;
    if (tenant === undefined || id === undefined || actor === undefined) return response;
    const changes = action === 'item.updated' ? itemChanges(response, skip) : undefined;
    await recordAudit(
      { audit: log },
      {
        tenant,
        actor: {
          id: actor,
          ...(c.caller.email !== undefined ? { email: c.caller.email } : {}),
          // An organization's API key is its own door, whatever carried the request (REST, a handler's dataOf).
          via: c.caller.kind === 'key' ? 'api-key' : doorOf(c.request),
        },
        action,
        target: `${entity.entityName}/${id}`,
        ...(changes !== undefined ? { changes } : {}),
      },
    );
    return response;
  };
}
