import type { HttpHandler } from '@azure/functions';
import { childrenRoute } from '../../contract/relations.js';
import type { RuntimeRelation } from '../../model/relations.js';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import { authorize } from '../access/scope.js';
import { admitDirectory } from '../access/tenant-admission.js';
import { authenticate, resolveTenant } from '../access/tenant-source.js';
import { contextLogger, type RuntimeLogger, withRequestLog } from '../http/log.js';
import { traceRequests } from '../telemetry/request-span.js';
import { tracedCaller } from '../access/traced-caller.js';
import { problemResponse } from '../http/response.js';
import { checkId } from '../http/schema-validator.js';
import type { RelationPeers } from './peers.js';

/**
 * `GET api/<parents>/{id}/<relation>` of one `hasMany` relation: the parent must be an item the caller can read
 * (else 404, the same for another tenant's id as for none), then the child collection's own GET — its admission,
 * tenant, `list` rule, owner privacy and every list option — narrowed to that parent's children.
 *
 * @example
 * ```ts
 * app.http('CustomerApi-orders', { route: 'customers/{id}/orders', methods: ['GET'], handler: childrenHandler(entity, orders, () => peers) });
 * ```
 */
export function childrenHandler(
  entity: RuntimeEntity,
  relation: RuntimeRelation,
  peersOf: () => RelationPeers,
  options: { readonly caller?: RuntimeAuth; readonly logger?: RuntimeLogger } = {},
): HttpHandler {
  const labels = { component: entity.componentId, entity: entity.entityName };
  const traced = {
    route: childrenRoute(entity.route, relation.name),
    component: entity.componentId,
    operationOf: (method: string) => (method === 'GET' ? ('children' as const) : undefined),
    callerOf: tracedCaller(entity, options.caller),
  };
  return traceRequests(
    traced,
    withRequestLog(
      labels,
      (request) =>
        request.method.toUpperCase() === 'GET' ? `children:${relation.name}` : 'method-not-allowed',
      async (request) => {
        const denied =
          authenticate(request, options.caller) ?? admitDirectory(request, options.caller);
        if (denied) return denied;
        if (request.method.toUpperCase() !== 'GET')
          return problemResponse(
            'method-not-allowed',
            `${request.method} is not enabled on this route.`,
            {
              headers: { Allow: 'GET' },
            },
          );
        const id = request.params.id ?? '';
        const bad = checkId(id);
        if (bad) return problemResponse('invalid-id', `The id in the URL ${bad}.`);
        // The caller's own answers first (no tenant, no rule): the parent's route would give the same.
        const tenant = resolveTenant(entity, request, options.caller);
        if (!tenant.ok) return tenant.response;
        const scope = authorize(entity, 'read', request, options.caller);
        if (!scope.ok) return scope.response;
        const peers = peersOf();
        const children = peers.crud(relation.target);
        const notFound = problemResponse(
          'not-found',
          `No ${entity.entityName} ${JSON.stringify(id)}.`,
        );
        if (!children) return notFound;
        // The parent's check and the children's page run side by side (one round trip, not two); the page is
        // only ever answered when the parent is one the caller can read.
        const [parent, page] = await Promise.all([
          peers.crud(entity.componentId)?.lookup(request, [id]),
          children.listWithin(request, { field: relation.field, value: id }),
        ]);
        return parent?.has(id) ? page : notFound;
      },
      options.logger ?? contextLogger,
    ),
  );
}

/**
 * The children routes of an entity: one per `hasMany` relation, as registered (function name, route).
 *
 * @example
 * ```ts
 * childrenRoutes(customerEntity); // [{ name: 'CustomerApi-orders', route: 'customers/{id}/orders', relation }]
 * ```
 */
export function childrenRoutes(
  entity: RuntimeEntity,
): { name: string; route: string; relation: RuntimeRelation }[] {
  return (entity.relations ?? [])
    .filter((r) => r.kind === 'hasMany')
    .map((relation) => ({
      name: `${entity.componentId}-${relation.name}`,
      route: childrenRoute(entity.route, relation.name),
      relation,
    }));
}
