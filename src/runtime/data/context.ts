import type { Container } from '@azure/cosmos';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { TracedCallPolicy } from './cosmos-policy.js';
import type { KeyedQueue } from './keyed-queue.js';
import type { AccessScope } from './access-scope.js';
import type { MergeRetryPolicy } from './merge-retry.js';
import type { ReadCache } from './read-cache.js';
import type { EntityRelations } from '../relations/entity-relations.js';
import type { CallerRequest } from '../pipeline/context.js';
import type { LimitScope } from '../pipeline/stages/limited-tenant.js';

/** Everything one entity's operations share; built once per entity by `createCrudHandlers`. */
export interface CrudContext {
  readonly entity: RuntimeEntity;
  readonly container: Container;
  /** Present when `entity.cache.enabled`. */
  readonly cache: ReadCache | undefined;
  /** Top-level field holding the partition key (`id`, `tenantId`, …). */
  readonly pkField: string;
  readonly generateId: () => string;
  /** Deadline and Retry-After of every Cosmos call. */
  readonly cosmos: TracedCallPolicy;
  /** How PATCH without If-Match retries a write it lost to a concurrent one. */
  readonly mergeRetry: MergeRetryPolicy;
  /** Serializes this instance's PATCHes of one item (see KeyedQueue). */
  readonly mergeQueue: KeyedQueue;
  /**
   * What list queries (`$filter`, `$orderby`, `$select`) are checked against when it is not `entity`: shared items
   * of a multi-tenant backend leave the owner field out, so no query can tell one customer who created what.
   */
  readonly queryEntity?: RuntimeEntity;
  /** The access rules' verdict for this request (set per request by the handlers; see runtime/access/scope.ts). */
  readonly access?: AccessScope;
  /** The request and its caller as the pipeline resolved them (set per request, with `access`). */
  readonly call?: CallerRequest;
  /** The request's context as the plan limits read it (set per request): a write's storage quota and bytes. */
  readonly limits?: LimitScope;
  /**
   * Whether each write stamps the hidden operation field (system-fields.ts `CHANGE_OPERATION_FIELD`): set on
   * containers a change feed trigger reads, so the handler learns which write made the version it gets.
   */
  readonly stampsChanges?: boolean;
  /** The entity's relations (reference checks, `$expand`, deletes of parents); absent without relations. */
  readonly relations?: EntityRelations;
  /** The entity's migrations by the version each produces (2…schemaVersion); see crud/versioned-items.ts. */
  readonly migrations?: Readonly<Record<number, ItemMigration>>;
  /** A DELETE reads the item first (a realtime entity tells its owner: runtime/realtime/events.ts). */
  readonly readsBeforeDelete?: boolean;
}

/**
 * The default export of a migration module: turns an item of version N−1 into version N. `tenant` is the item's
 * tenant id (absent on shared data).
 *
 * @example
 * ```ts
 * const toV2: ItemMigration = (item) => ({ ...item, status: item.done ? 'closed' : 'open' });
 * ```
 */
export type ItemMigration = (
  item: Record<string, unknown>,
  context: { readonly tenant: string | undefined },
) => Record<string, unknown> | Promise<Record<string, unknown>>;

export type { AccessScope } from './access-scope.js';

/**
 * The request and caller of a per-request context (the CRUD endpoints set it before any operation runs).
 *
 * @example
 * ```ts
 * await ctx.relations?.checkReferences(callOf(ctx), item);
 * ```
 */
export function callOf(ctx: CrudContext): CallerRequest {
  if (ctx.call) return ctx.call;
  throw new Error('A CRUD operation ran outside the request pipeline (its context has no caller).');
}
