import type { HttpHandler } from '@azure/functions';
import { childrenRoute } from '../../contract/relations.js';
import type { RuntimeRelation } from '../../model/relations.js';
import type { RuntimeAuth, RuntimeEntity } from '../../model/runtime-manifest.js';
import type { RuntimeLogger } from '../http/log.js';
import type { Caller, Endpoint, RuntimeServices } from '../pipeline/context.js';
import {
  operationTarget,
  type OperationTargetOf,
  pathSegment,
} from '../pipeline/operation-input.js';
import { serve } from '../pipeline/serve.js';
import { NO_SERVICES } from '../pipeline/services.js';
import { methodNotAllowed, problemResponse, refused } from '../http/response.js';
import { checkId } from '../http/schema-validator.js';
import type { RelationPeers } from './peers.js';

/**
 * `GET api/<parents>/{id}/<relation>` of one `hasMany` relation: the parent must be an item the caller can read
 * (else 404, the same for another tenant's id as for none), then the child collection's own GET — its admission,
 * tenant, `list` rule, owner privacy and every list option — narrowed to that parent's children. `handler` is what
 * the host registers; `run` the same route in-process for a caller already resolved (`dataOf`: pipeline/serve.ts
 * `runFor`).
 *
 * @example
 * ```ts
 * const { handler } = childrenHandler(entity, orders, () => peers);
 * app.http('CustomerApi-orders', { route: 'customers/{id}/orders', methods: ['GET'], handler });
 * ```
 */
export function childrenHandler(
  entity: RuntimeEntity,
  relation: RuntimeRelation,
  peersOf: () => RelationPeers,
  options: {
    readonly caller?: RuntimeAuth;
    readonly logger?: RuntimeLogger;
    readonly services?: RuntimeServices;
  } = {},
): { readonly handler: HttpHandler; readonly target: OperationTargetOf } {
  const endpoint: Endpoint<string> = {
    policy: options.caller,
    resource: entity,
    route: (ctx) => {
      if (ctx.method !== 'GET') return methodNotAllowed(['GET'], ctx.request.method);
      const id = ctx.request.params.id ?? '';
      const bad = checkId(id);
      if (bad) return refused('invalid-id', `The id in the URL ${bad}.`);
      return { ok: true, value: id };
    },
    // The caller's own answers first (no tenant, no rule): the parent's route would give the same.
    operation: () => 'read',
    handle: async (ctx) => {
      const id = ctx.route;
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
        peers.crud(entity.componentId)?.lookup(ctx, [id]),
        children.listWithin(ctx, { field: relation.field, value: id }),
      ]);
      return parent?.has(id) ? page : notFound;
    },
    log: {
      labels: { component: entity.componentId, entity: entity.entityName },
      operationOf: (request) =>
        request.method.toUpperCase() === 'GET' ? `children:${relation.name}` : 'method-not-allowed',
      ...(options.logger ? { logger: options.logger } : {}),
    },
    trace: {
      route: childrenRoute(entity.route, relation.name),
      component: entity.componentId,
      operationOf: (method: string) => (method === 'GET' ? ('children' as const) : undefined),
      caller: (caller: Caller) => caller.traced(entity),
    },
  };
  const services = options.services ?? NO_SERVICES;
  return {
    handler: serve(endpoint, services),
    target: (input) =>
      operationTarget(
        endpoint,
        `${entity.route}/${pathSegment(input.id ?? '')}/${relation.name}`,
        services,
      ),
  };
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
