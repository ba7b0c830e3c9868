import type { Context } from '@opentelemetry/api';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { accessOf } from '../access/rules.js';
import type { AccessScope } from '../data/access-scope.js';
import { callCosmos, tracedPolicy } from '../data/cosmos-policy.js';
import { cosmosStatus } from '../http/cosmos-errors.js';
import { refused } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import type { CallerRequest } from '../pipeline/context.js';
import type { DeletingMark } from '../relations/deleting.js';
import type { TreeItem } from '../relations/peers.js';
import { itemRemoved } from './item-bytes.js';
import { isPartitionValue, type PartitionValue } from '../values/partition.js';
import { COSMOS_SYSTEM_FIELDS, DELETING_FIELD, setOwn } from '../values/system-fields.js';
import { TENANT_FIELD, type Tenant } from '../values/tenancy.js';
import type { CrudStore } from './context.js';
import { cacheKey, conditional } from './item-store.js';
import { childQuery, everyPage, inBatches } from './peer-queries.js';

/** Cosmos DB's own properties: never written back (a replace gets its own). */
const COSMOS_OWN = new Set(COSMOS_SYSTEM_FIELDS);

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
 * What a cascade's delete of an item tells its entity (onChange, realtime readers).
 *
 * @example
 * ```ts
 * const onDeleted: OnDeleted = (item, tenant, owner) => realtime.afterRemoved(item.id, owner, tenant);
 * ```
 */
export type OnDeleted = (
  item: { id: string },
  tenant: Tenant | undefined,
  owner: string | undefined,
  trace: Context | undefined,
) => Promise<void> | void;

/**
 * The half of a CrudApi's peer a parent's delete walks and deletes with (relations/cascade-delete.ts): the children
 * of parents (counted, listed), the caller's delete rule, the deleting mark, and one child's delete — its bytes
 * freed in the ledger, its change reported. Every query inside the caller's tenant.
 *
 * @example
 * ```ts
 * class EntityPeer extends PeerCascade implements CrudPeer { … }
 * ```
 */
export class PeerCascade {
  readonly entity: RuntimeEntity;

  constructor(
    protected readonly ctx: CrudStore,
    private readonly onDeleted: OnDeleted | undefined,
  ) {
    this.entity = ctx.entity;
  }

  async countOf(call: CallerRequest, field: string, parents: readonly string[]): Promise<number> {
    const counts = await this.childRows<number>(call, field, parents, 'VALUE COUNT(1)');
    return counts.reduce((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
  }
  async childrenOf(
    call: CallerRequest,
    field: string,
    parents: readonly string[],
  ): Promise<TreeItem[]> {
    const { ownerField } = accessOf(this.entity);
    const rows = await this.childRows<Record<string, unknown>>(
      call,
      field,
      parents,
      `c["id"] AS id, c["${this.ctx.pkField}"] AS pk, c["${ownerField}"] AS owner, c["_etag"] AS etag, ` +
        `IS_DEFINED(c["${DELETING_FIELD}"]) AS deleting`,
    );
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
  /** `select` of the children of `parents` in the caller's tenant, every page, the parents in batches. */
  private async childRows<T>(
    call: CallerRequest,
    field: string,
    parents: readonly string[],
    select: string,
  ): Promise<T[]> {
    const tenant = call.caller.tenantFor(this.entity);
    if (!tenant.ok || parents.length === 0) return [];
    const cosmos = tracedPolicy(this.ctx.cosmos, call.trace);
    return inBatches(parents, (batch) => {
      const { query, partition } = childQuery(this.ctx, tenant.value, field, batch, select);
      return everyPage<T>(this.ctx, cosmos, query, partition);
    });
  }
  deleteScope(call: CallerRequest): Resolved<AccessScope> {
    if (!this.entity.operations.includes('delete'))
      return refused(
        'access-denied',
        `${this.entity.componentId} does not enable delete: its items cannot be deleted through it.`,
      );
    return call.caller.accessFor(this.entity, 'delete');
  }
  async setDeleting(
    call: CallerRequest,
    item: Pick<TreeItem, 'id' | 'pk' | 'etag'>,
    mark: DeletingMark | undefined,
  ): Promise<string | undefined> {
    const cosmos = tracedPolicy(this.ctx.cosmos, call.trace);
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
    const cosmos = tracedPolicy(this.ctx.cosmos, call.trace);
    // The usage ledger frees the child's bytes: its size is read first (a point read) only when they are counted.
    const metered = call.usage
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
        call.trace,
      );
  }
}
