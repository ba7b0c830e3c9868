import type { Context } from '@opentelemetry/api';
import type { SqlParameter, SqlQuerySpec } from '@azure/cosmos';
import type { HttpResponseInit } from '@azure/functions';
import type { CallerRequest } from '../pipeline/context.js';
import { plainRequest } from '../http/plain-request.js';
import { ownerCondition } from '../access/owner-condition.js';
import { callCosmos, type TracedCallPolicy } from '../data/cosmos-policy.js';
import { carryTrace, requestTrace, tracedPolicy } from '../telemetry/request-trace.js';
import type { CrudContext } from '../data/context.js';
import { cosmosStatus } from '../http/cosmos-errors.js';
import { cacheKey, conditional } from '../crud/item-store.js';
import { accessOf } from '../access/rules.js';
import { problemResponse } from '../http/response.js';
import { isPartitionValue, type PartitionValue } from '../values/partition.js';
import { DELETING_FIELD, setOwn } from '../values/system-fields.js';
import { isDeleting } from './deleting.js';
import { presentRelated } from './present.js';
import { RelatedFailure } from './peers.js';
import { TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import type { ListWithin } from './list-hooks.js';
import type { ChildPage, CrudPeer, TreeItem } from './peers.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { AccessScope } from '../data/access-scope.js';
import type { Resolved } from '../http/scope.js';
import type { MigrationBudget } from '../values/migration-budget.js';
import type { DeletingMark } from './deleting.js';
import { isParent } from './list-hooks.js';
import { NOT_DELETING } from './deleting.js';
import { isMetered } from '../usage/request-usage.js';
import { itemRemoved } from '../crud/item-bytes.js';

/** How many children one page of a cascade's or a count's query reads. */
const CHILD_BATCH = 1000;
/** How many parent ids one children query names (ARRAY_CONTAINS over a parameter). */
const PARENT_BATCH = 100;
/** How many parents' own first pages a hasMany expansion asks for side by side. */
const ROUTE_PAGES_AT_ONCE = 8;
/** Cosmos DB's own properties: never written back (a replace gets its own). */
const COSMOS_OWN = new Set(['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn']);

/** The stored item as a replace writes it back: every field (the runtime's hidden ones too) but Cosmos DB's own. */
function storedCopy(resource: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(resource)) if (!COSMOS_OWN.has(k)) setOwn(out, k, v);
  return out;
}

/** The tenant a stored item belongs to (for its cache key), as `Tenant`. */
function tenantOfStored(resource: Readonly<Record<string, unknown>>): Tenant | undefined {
  const t = resource[TENANT_FIELD];
  return typeof t === 'string' ? { id: t, source: 'the stored item' } : undefined;
}

/**
 * The request of one parent's first children page, for its caller: the same identity headers, no option but
 * `$first` (a plain object: the handlers read method, url, headers, query and params only), in its trace.
 */
function childRequest(call: CallerRequest, first: number): CallerRequest {
  const { request } = call;
  return {
    request: carryTrace(
      request,
      plainRequest(
        'GET',
        request.url,
        request.headers,
        new URLSearchParams({ $first: String(first) }),
      ),
    ),
    caller: call.caller,
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
  ctx: CrudContext,
  hiding: boolean,
  list: (call: CallerRequest, within: ListWithin) => Promise<HttpResponseInit>,
  onDeleted?: OnDeleted,
): CrudPeer {
  return new EntityPeer(ctx, hiding, list, onDeleted);
}

/** What a cascade's delete of an item tells its entity (onChange, realtime readers). */
type OnDeleted = (
  item: { id: string },
  tenant: Tenant | undefined,
  owner: string | undefined,
  trace: Context | undefined,
) => Promise<void> | void;

/** One CrudApi's peer over one state: its context, owner privacy, its collection's GET and its delete report. */
class EntityPeer implements CrudPeer {
  readonly entity: RuntimeEntity;

  constructor(
    private readonly ctx: CrudContext,
    private readonly hiding: boolean,
    private readonly list: (call: CallerRequest, within: ListWithin) => Promise<HttpResponseInit>,
    private readonly onDeleted: OnDeleted | undefined,
  ) {
    this.entity = ctx.entity;
  }

  listWithin(call: CallerRequest, within: ListWithin): Promise<HttpResponseInit> {
    return this.list(call, within);
  }

  /** Tenant conditions of a query on this container (the WHERE clause confines, whatever the key). */
  private confine(tenant: Tenant | undefined, where: string[], parameters: SqlParameter[]) {
    if (tenant === undefined) return undefined;
    where.push(`c["${TENANT_FIELD}"] = @tenant`);
    parameters.push({ name: '@tenant', value: tenant.id });
    return this.ctx.pkField === TENANT_FIELD ? tenant.id : undefined;
  }
  /** The children query of `parents` (batched by the caller), confined like every query of this container. */
  private childQuery(
    tenant: Tenant | undefined,
    field: string,
    parents: readonly string[],
    select: string,
  ) {
    const where = [`ARRAY_CONTAINS(@parents, c["${field}"])`];
    const parameters: SqlParameter[] = [{ name: '@parents', value: [...parents] }];
    const partition = this.confine(tenant, where, parameters);
    return {
      query: { query: `SELECT ${select} FROM c WHERE ${where.join(' AND ')}`, parameters },
      partition,
    };
  }
  /** Every page of a query, until Cosmos DB says there are no more results (an empty page is not the end). */
  private async everyPage<T>(
    cosmos: TracedCallPolicy,
    query: SqlQuerySpec,
    partition: PartitionValue | undefined,
  ) {
    const iterator = this.ctx.container.items.query<T>(query, {
      maxItemCount: CHILD_BATCH,
      ...(partition !== undefined ? { partitionKey: partition } : {}),
    });
    const out: T[] = [];
    while (iterator.hasMoreResults()) {
      const page = await callCosmos(cosmos, () => iterator.fetchNext());
      out.push(...page.resources);
    }
    return out;
  }
  private async inBatches<T>(
    parents: readonly string[],
    each: (batch: readonly string[]) => Promise<T[]>,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let i = 0; i < parents.length; i += PARENT_BATCH)
      out.push(...(await each(parents.slice(i, i + PARENT_BATCH))));
    return out;
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
    const cosmos = tracedPolicy(this.ctx.cosmos, call.request);
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
    const partition = this.confine(tenant.value, where, parameters);
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
    const partition = this.confine(tenant.value, where, parameters);
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
    const cosmos = tracedPolicy(this.ctx.cosmos, call.request);
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
  async countOf(call: CallerRequest, field: string, parents: readonly string[]): Promise<number> {
    const tenant = call.caller.tenantFor(this.entity);
    if (!tenant.ok || parents.length === 0) return 0;
    const cosmos = tracedPolicy(this.ctx.cosmos, call.request);
    const counts = await this.inBatches(parents, async (batch) => {
      const { query, partition } = this.childQuery(tenant.value, field, batch, 'VALUE COUNT(1)');
      return this.everyPage<number>(cosmos, query, partition);
    });
    return counts.reduce((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
  }
  async childrenOf(
    call: CallerRequest,
    field: string,
    parents: readonly string[],
  ): Promise<TreeItem[]> {
    const tenant = call.caller.tenantFor(this.entity);
    if (!tenant.ok || parents.length === 0) return [];
    const { ownerField } = accessOf(this.entity);
    const cosmos = tracedPolicy(this.ctx.cosmos, call.request);
    const rows = await this.inBatches(parents, async (batch) => {
      const { query, partition } = this.childQuery(
        tenant.value,
        field,
        batch,
        `c["id"] AS id, c["${this.ctx.pkField}"] AS pk, c["${ownerField}"] AS owner, c["_etag"] AS etag, ` +
          `IS_DEFINED(c["${DELETING_FIELD}"]) AS deleting`,
      );
      return this.everyPage<Record<string, unknown>>(cosmos, query, partition);
    });
    return rows.flatMap((r) =>
      typeof r.id === 'string' && isPartitionValue(r.pk)
        ? [
            {
              id: r.id,
              pk: r.pk,
              owner: r.owner,
              etag: typeof r.etag === 'string' ? r.etag : undefined,
              deleting: r.deleting === true,
            },
          ]
        : [],
    );
  }
  deleteScope(call: CallerRequest): Resolved<AccessScope> {
    if (!this.entity.operations.includes('delete'))
      return {
        ok: false,
        response: problemResponse(
          'access-denied',
          `${this.entity.componentId} does not enable delete: its items cannot be deleted through it.`,
        ),
      };
    return call.caller.accessFor(this.entity, 'delete');
  }
  async setDeleting(
    call: CallerRequest,
    item: Pick<TreeItem, 'id' | 'pk' | 'etag'>,
    mark: DeletingMark | undefined,
  ): Promise<string | undefined> {
    const cosmos = tracedPolicy(this.ctx.cosmos, call.request);
    try {
      const { resource } = await callCosmos(cosmos, (abortSignal) =>
        this.ctx.container.item(item.id, item.pk).read<Record<string, unknown>>({ abortSignal }),
      );
      if (!resource) return undefined;
      // The walk's version, unless it has none: a change since is the 412 the cascade answers by walking again.
      const etag = item.etag ?? resource._etag;
      const next = storedCopy(resource);
      if (mark) next[DELETING_FIELD] = mark;
      else Reflect.deleteProperty(next, DELETING_FIELD);
      const written = await callCosmos(cosmos, (abortSignal) =>
        this.ctx.container
          .item(item.id, item.pk)
          .replace(next, { ...conditional(etag), abortSignal }),
      );
      this.ctx.cache?.invalidate(cacheKey(item.pk, item.id, tenantOfStored(resource)));
      return written.etag;
    } catch (e) {
      if (cosmosStatus(e) === 404) return undefined;
      throw e;
    }
  }
  async stored(
    id: string,
    pk: PartitionValue,
  ): Promise<
    { readonly resource: Record<string, unknown>; readonly etag: string | undefined } | undefined
  > {
    const { resource, etag } = await callCosmos(this.ctx.cosmos, (abortSignal) =>
      this.ctx.container.item(id, pk).read<Record<string, unknown>>({ abortSignal }),
    );
    return resource ? { resource, etag: etag || resource._etag } : undefined;
  }
  async remove(
    call: CallerRequest,
    item: Pick<TreeItem, 'id' | 'pk'> & Partial<Pick<TreeItem, 'owner'>>,
    options: { readonly quiet?: boolean } = {},
  ): Promise<void> {
    const tenant = call.caller.tenantFor(this.entity);
    const t = tenant.ok ? tenant.value : undefined;
    const cosmos = tracedPolicy(this.ctx.cosmos, call.request);
    // The usage ledger frees the child's bytes: its size is read first (a point read) only when they are counted.
    const metered = isMetered(call.request)
      ? await callCosmos(cosmos, (abortSignal) =>
          this.ctx.container.item(item.id, item.pk).read<Record<string, unknown>>({ abortSignal }),
        )
      : undefined;
    try {
      await callCosmos(cosmos, (abortSignal) =>
        this.ctx.container.item(item.id, item.pk).delete({ abortSignal }),
      );
    } catch (e) {
      // Gone already (a concurrent delete, or an earlier attempt that got this far): that is the goal, and
      // whoever deleted it reported the change.
      if (cosmosStatus(e) !== 404) throw e;
      return;
    } finally {
      this.ctx.cache?.invalidate(cacheKey(item.pk, item.id, t));
    }
    // Only the delete that removed it gets here (a 404 returned above): its bytes freed once, for the tenant they
    // belong to (a shared child's creator), its delete mark not counted (crud/item-bytes.ts).
    if (metered?.resource) itemRemoved(this.entity, call, metered.resource);
    if (!options.quiet)
      await this.onDeleted?.(
        { id: item.id },
        t,
        typeof item.owner === 'string' ? item.owner : undefined,
        requestTrace(call.request),
      );
  }
}
