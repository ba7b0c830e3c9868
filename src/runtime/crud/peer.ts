import type { SqlParameter } from '@azure/cosmos';
import type { HttpResponseInit } from '@azure/functions';
import type { CallerRequest } from '../pipeline/context.js';
import { plainRequest } from '../http/plain-request.js';
import { ownerCondition } from '../access/owner-condition.js';
import { callCosmos, tracedPolicy } from '../data/cosmos-policy.js';
import type { CrudStore } from './context.js';
import { cosmosStatus } from '../http/cosmos-errors.js';
import { isDeleting } from '../relations/deleting.js';
import { presentRelated } from './present-related.js';
import { RelatedFailure } from '../relations/peers.js';
import { TENANT_FIELD } from '../values/tenancy.js';
import type { ListWithin } from '../relations/list-hooks.js';
import type { ChildPage, CrudPeer } from '../relations/peers.js';
import type { MigrationBudget } from '../values/migration-budget.js';
import { isParent } from '../relations/list-hooks.js';
import { NOT_DELETING } from '../relations/deleting.js';
import { PeerCascade, type OnDeleted } from './peer-cascade.js';
import { confine } from './peer-queries.js';

export type { OnDeleted } from './peer-cascade.js';

/** How many parents' own first pages a hasMany expansion asks for side by side. */
const ROUTE_PAGES_AT_ONCE = 8;
/**
 * The request of one parent's first children page, for its caller: the same identity headers, no option but
 * `$first` (a plain object: the handlers read method, url, headers, query and params only), in its trace.
 */
function childRequest(call: CallerRequest, first: number): CallerRequest {
  const { request } = call;
  return {
    ...call,
    request: plainRequest({
      method: 'GET',
      url: request.url,
      headers: request.headers,
      query: new URLSearchParams({ $first: String(first) }),
    }),
  };
}

/**
 * One CrudApi's {@link CrudPeer}, over its handlers' context. `list` runs the collection's own GET pipeline
 * (admission, tenant, `list` rule, owner privacy) with the parent's condition added.
 *
 * @example
 * ```ts
 * const peer = crudPeer(ctx, hidesOwners(entity, policy), (call, within) => collectionGet(call, within));
 * ```
 */
export function crudPeer(
  ctx: CrudStore,
  hiding: boolean,
  list: (call: CallerRequest, within: ListWithin) => Promise<HttpResponseInit>,
  onDeleted?: OnDeleted,
): CrudPeer {
  return new EntityPeer(ctx, hiding, list, onDeleted);
}

/** One CrudApi's peer over one state: its context, owner privacy, its collection's GET and its delete report. */
class EntityPeer extends PeerCascade implements CrudPeer {
  constructor(
    ctx: CrudStore,
    private readonly hiding: boolean,
    private readonly list: (call: CallerRequest, within: ListWithin) => Promise<HttpResponseInit>,
    onDeleted: OnDeleted | undefined,
  ) {
    super(ctx, onDeleted);
  }

  listWithin(call: CallerRequest, within: ListWithin): Promise<HttpResponseInit> {
    return this.list(call, within);
  }
  async lookup(
    call: CallerRequest,
    ids: readonly string[],
    options: { readonly present?: boolean; readonly budget?: MigrationBudget } = {},
  ): Promise<ReadonlyMap<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const wanted = [...new Set(ids)];
    if (wanted.length === 0 || !this.entity.operations.includes('read')) return found;
    // Not readable by this caller (no tenant, no rule): nothing is found, the same as no such item.
    const tenant = call.caller.tenantFor(this.entity);
    if (!tenant.ok) return found;
    const scope = call.caller.accessFor(this.entity, 'read');
    if (!scope.ok) return found;
    const { ownerField, callerId, ownOnly } = scope.value;
    const keep = async (r: Record<string, unknown>) => {
      // A parent whose delete is under way is gone already: nothing may name it, expand it or list under it.
      if (isDeleting(r) || typeof r.id !== 'string') return;
      // A reference check needs only that it is there; an expansion shows it as its own GET would.
      found.set(
        r.id,
        options.present
          ? await presentRelated(
              this.ctx,
              r,
              { hiding: this.hiding, ownerField, callerId },
              options.budget,
            )
          : { id: r.id },
      );
    };
    // One id whose partition is known (the tenant's, or the id itself): a point read, checked here against
    // the same conditions the query below would put in its WHERE clause.
    const cosmos = tracedPolicy(this.ctx.cosmos, call.trace);
    const single = wanted.length === 1 ? wanted[0] : undefined;
    const pointKey =
      this.ctx.pkField === TENANT_FIELD
        ? tenant.value?.id
        : this.ctx.pkField === 'id'
          ? single
          : undefined;
    if (single !== undefined && pointKey !== undefined) {
      try {
        const { resource } = await callCosmos(cosmos, (abortSignal) =>
          this.ctx.container.item(single, pointKey).read<Record<string, unknown>>({ abortSignal }),
        );
        if (
          resource &&
          (tenant.value === undefined || resource[TENANT_FIELD] === tenant.value.id) &&
          (!ownOnly || resource[ownerField] === callerId)
        )
          await keep(resource);
      } catch (e) {
        if (cosmosStatus(e) !== 404) throw e;
      }
      return found;
    }
    const where = ['ARRAY_CONTAINS(@ids, c["id"])'];
    const parameters: SqlParameter[] = [{ name: '@ids', value: wanted }];
    const partition = confine(this.ctx, tenant.value, where, parameters);
    ownerCondition({ ...this.ctx, access: scope.value }, where, parameters);
    const { resources } = await callCosmos(cosmos, (abortSignal) =>
      this.ctx.container.items
        .query<Record<string, unknown>>(
          { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters },
          { abortSignal, ...(partition !== undefined ? { partitionKey: partition } : {}) },
        )
        .fetchAll(),
    );
    for (const r of resources) await keep(r);
    return found;
  }
  async childPages(
    call: CallerRequest,
    field: string,
    parents: readonly string[],
    first: number,
    budget?: MigrationBudget,
  ): Promise<ReadonlyMap<string, ChildPage> | undefined> {
    const pages = new Map<string, ChildPage>();
    if (!this.entity.operations.includes('list')) return undefined;
    const tenant = call.caller.tenantFor(this.entity);
    if (!tenant.ok) return undefined;
    const scope = call.caller.accessFor(this.entity, 'list');
    if (!scope.ok) return undefined;
    const wanted = [...new Set(parents)];
    if (wanted.length === 0) return pages;
    // The children route's confinement (tenant, owner rule, marked parents) over every parent of the page at once.
    const where = [`ARRAY_CONTAINS(@parents, c["${field}"])`];
    const parameters: SqlParameter[] = [{ name: '@parents', value: wanted }];
    const partition = confine(this.ctx, tenant.value, where, parameters);
    ownerCondition({ ...this.ctx, access: scope.value }, where, parameters);
    if (isParent(this.entity)) where.push(NOT_DELETING);
    // Enough for every parent's page and one more each (to know there are more); a parent whose children this
    // does not settle gets its own first page below.
    const rows = wanted.length * (first + 1);
    const iterator = this.ctx.container.items.query<Record<string, unknown>>(
      { query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters },
      { maxItemCount: rows, ...(partition !== undefined ? { partitionKey: partition } : {}) },
    );
    const groups = new Map<string, Record<string, unknown>[]>();
    const cosmos = tracedPolicy(this.ctx.cosmos, call.trace);
    let read = 0;
    while (iterator.hasMoreResults() && read < rows) {
      const page = await callCosmos(cosmos, () => iterator.fetchNext());
      read += page.resources.length;
      for (const r of page.resources) {
        const parent = r[field];
        if (typeof parent !== 'string') continue;
        const group = groups.get(parent) ?? [];
        group.push(r);
        groups.set(parent, group);
      }
    }
    const complete = !iterator.hasMoreResults();
    const { ownerField, callerId } = scope.value;
    const unsettled: string[] = [];
    for (const id of wanted) {
      const group = groups.get(id) ?? [];
      if (!complete || group.length > first) {
        unsettled.push(id);
        continue;
      }
      const items: Record<string, unknown>[] = [];
      for (const r of group)
        items.push(
          await presentRelated(this.ctx, r, { hiding: this.hiding, ownerField, callerId }, budget),
        );
      pages.set(id, { items, continuationToken: null });
    }
    // The rest through the children route's own first page (its order and its token, which the client follows),
    // a few parents at a time.
    const routePage = async (id: string) => {
      const response = await this.list(childRequest(call, first), {
        field,
        value: id,
        ...(budget ? { budget } : {}),
      });
      const status = response.status ?? 200;
      if (status !== 200 || typeof response.body !== 'string') throw new RelatedFailure(response);
      const body = JSON.parse(response.body) as {
        items: Record<string, unknown>[];
        continuationToken: string | null;
      };
      pages.set(id, { items: body.items, continuationToken: body.continuationToken });
    };
    for (let i = 0; i < unsettled.length; i += ROUTE_PAGES_AT_ONCE)
      await Promise.all(unsettled.slice(i, i + ROUTE_PAGES_AT_ONCE).map(routePage));
    return pages;
  }
}
