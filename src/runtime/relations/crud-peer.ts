import type { SqlParameter } from '@azure/cosmos';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { ownerCondition } from '../access/owner-condition.js';
import { authorize } from '../access/scope.js';
import { resolveTenant } from '../access/tenant-source.js';
import { callCosmos } from '../data/cosmos-policy.js';
import type { CrudContext } from '../data/context.js';
import { cosmosStatus } from '../http/cosmos-errors.js';
import { cacheKey } from '../crud/item-store.js';
import { stripSystemFields } from '../values/system-fields.js';
import { TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import type { ListWithin } from './list-hooks.js';
import type { CrudPeer } from './peers.js';

/** How many children one query of a cascade or count reads at a time. */
const CHILD_BATCH = 100;

/**
 * One CrudApi's {@link CrudPeer}, over its handlers' context. `list` runs the collection's own GET pipeline
 * (admission, tenant, `list` rule, owner privacy) with the parent's condition added.
 *
 * @example
 * ```ts
 * const peer = crudPeer(ctx, caller, hidesOwners(entity, caller), (request, within) => collectionGet(request, within));
 * ```
 */
export function crudPeer(
  ctx: CrudContext,
  caller: RuntimeAuth | undefined,
  hiding: boolean,
  list: (request: HttpRequest, within: ListWithin) => Promise<HttpResponseInit>,
): CrudPeer {
  const { entity } = ctx;
  /** Tenant conditions of a query on this container (the WHERE clause confines, whatever the key). */
  const confine = (tenant: Tenant | undefined, where: string[], parameters: SqlParameter[]) => {
    if (tenant === undefined) return undefined;
    where.push(`c["${TENANT_FIELD}"] = @tenant`);
    parameters.push({ name: '@tenant', value: tenant.id });
    return ctx.pkField === TENANT_FIELD ? tenant.id : undefined;
  };
  const childQuery = (tenant: Tenant | undefined, within: ListWithin, select: string) => {
    const where = [`c["${within.field}"] = @parent`];
    const parameters: SqlParameter[] = [{ name: '@parent', value: within.value }];
    const partition = confine(tenant, where, parameters);
    return {
      query: { query: `SELECT ${select} FROM c WHERE ${where.join(' AND ')}`, parameters },
      partition,
    };
  };

  const peer: CrudPeer = {
    entity,
    async lookup(request, ids) {
      const found = new Map<string, Record<string, unknown>>();
      const wanted = [...new Set(ids)];
      if (wanted.length === 0 || !entity.operations.includes('read')) return found;
      // Not readable by this caller (no tenant, no rule): nothing is found, the same as no such item.
      const tenant = resolveTenant(entity, request, caller);
      if (!tenant.ok) return found;
      const scope = authorize(entity, 'read', request, caller);
      if (!scope.ok) return found;
      const { ownerField, callerId, ownOnly } = scope.value;
      const keep = (r: Record<string, unknown>) => {
        const item = stripSystemFields(r);
        // Shared items of a multi-tenant backend show their owner to the owner only (owner-privacy.ts).
        if (hiding && Object.hasOwn(item, ownerField) && item[ownerField] !== callerId)
          Reflect.deleteProperty(item, ownerField);
        if (typeof item.id === 'string') found.set(item.id, item);
      };
      // One id whose partition is known (the tenant's, or the id itself): a point read, checked here against
      // the same conditions the query below would put in its WHERE clause.
      const single = wanted.length === 1 ? wanted[0] : undefined;
      const pointKey =
        ctx.pkField === TENANT_FIELD ? tenant.value?.id : ctx.pkField === 'id' ? single : undefined;
      if (single !== undefined && pointKey !== undefined) {
        try {
          const { resource } = await callCosmos(ctx.cosmos, (abortSignal) =>
            ctx.container.item(single, pointKey).read<Record<string, unknown>>({ abortSignal }),
          );
          if (
            resource &&
            (tenant.value === undefined || resource[TENANT_FIELD] === tenant.value.id) &&
            (!ownOnly || resource[ownerField] === callerId)
          )
            keep(resource);
        } catch (e) {
          if (cosmosStatus(e) !== 404) throw e;
        }
        return found;
      }
      const where = ['ARRAY_CONTAINS(@ids, c["id"])'];
      const parameters: SqlParameter[] = [{ name: '@ids', value: wanted }];
      const partition = confine(tenant.value, where, parameters);
      ownerCondition({ ...ctx, access: scope.value }, where, parameters);
      const { resources } = await callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container.items
          .query<Record<string, unknown>>(
            { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters },
            { abortSignal, ...(partition !== undefined ? { partitionKey: partition } : {}) },
          )
          .fetchAll(),
      );
      for (const r of resources) keep(r);
      return found;
    },
    listWithin: list,
    async countWithin(request, within) {
      const tenant = resolveTenant(entity, request, caller);
      if (!tenant.ok) return 0;
      const { query, partition } = childQuery(tenant.value, within, 'VALUE COUNT(1)');
      const { resources } = await callCosmos(ctx.cosmos, (abortSignal) =>
        ctx.container.items
          .query<number>(query, {
            abortSignal,
            ...(partition !== undefined ? { partitionKey: partition } : {}),
          })
          .fetchAll(),
      );
      return resources.reduce((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
    },
    async deleteWithin(request, within) {
      const tenant = resolveTenant(entity, request, caller);
      if (!tenant.ok) return tenant.response;
      const { query, partition } = childQuery(
        tenant.value,
        within,
        `c["id"] AS id, c["${ctx.pkField}"] AS pk`,
      );
      // Each round deletes what it read, so the next reads what is left (children added meanwhile too).
      for (;;) {
        const page = await callCosmos(ctx.cosmos, (abortSignal) =>
          ctx.container.items
            .query<{ id: string; pk: string | number | boolean }>(query, {
              abortSignal,
              maxItemCount: CHILD_BATCH,
              ...(partition !== undefined ? { partitionKey: partition } : {}),
            })
            .fetchNext(),
        );
        if (page.resources.length === 0) return undefined;
        for (const child of page.resources) {
          const below = await ctx.relations?.beforeDelete(request, child.id);
          if (below) return below;
          try {
            await callCosmos(ctx.cosmos, (abortSignal) =>
              ctx.container.item(child.id, child.pk).delete({ abortSignal }),
            );
          } catch (e) {
            // Gone already (a concurrent delete, or an earlier attempt that got this far): that is the goal.
            if (cosmosStatus(e) !== 404) throw e;
          }
          ctx.cache?.invalidate(cacheKey(child.pk, child.id, tenant.value));
        }
      }
    },
  };
  return peer;
}
