import type { LimitScope } from '../limits/limited-tenant.js';
import type { Container } from '@azure/cosmos';
import type { HttpRequest } from '@azure/functions';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { TracedCallPolicy } from '../data/cosmos-policy.js';
import type { KeyedQueue } from '../data/keyed-queue.js';
import type { AccessScope } from '../data/access-scope.js';
import type { ItemMigration } from '../data/context.js';
import type { MergeRetryPolicy } from '../data/merge-retry.js';
import type { ReadCache } from '../data/read-cache.js';
import type { EntityRelations } from '../relations/entity-relations.js';
import type { ListWithin } from '../relations/list-hooks.js';
import type { CallerRequest } from '../pipeline/context.js';
import type { RequestUsage } from '../usage/request-usage.js';
import type { Tenant } from '../values/tenancy.js';
import type { Embedder } from '../embed/embed-types.js';

/** Everything one entity's operations share; built once per entity by `createCrudHandlers`. */
export interface CrudStore {
  readonly entity: RuntimeEntity;
  readonly container: Container;
  /** Present when `entity.cache.enabled`. */
  readonly cache: ReadCache | undefined;
  /** Top-level field holding the partition key (`id`, `tenantId`, …). */
  readonly pkField: string;
  readonly generateId: () => string;
  /** Deadline and Retry-After of every Cosmos call (a request's: with its trace context). */
  readonly cosmos: TracedCallPolicy;
  /** How PATCH without If-Match retries a write it lost to a concurrent one. */
  readonly mergeRetry: MergeRetryPolicy;
  /** Serializes this instance's PATCHes of one item (see KeyedQueue). */
  readonly mergeQueue: KeyedQueue;
  /**
   * What list queries (`$filter`, `$orderby`, `$select`) are checked against when it is not `entity`: shared items
   * of a multi-tenant backend leave the owner field out, so no query can tell one customer who created what.
   */
  readonly queryEntity?: RuntimeEntity | undefined;
  /**
   * Whether each write stamps the hidden operation field (system-fields.ts `CHANGE_OPERATION_FIELD`): set on
   * containers a change feed trigger reads, so the handler learns which write made the version it gets.
   */
  readonly stampsChanges?: boolean | undefined;
  /**
   * The entity's relations (reference checks, `$expand`, deletes of parents), reached through their interface
   * (relations/entity-relations.ts); absent without relations.
   */
  readonly relations?: EntityRelations | undefined;
  /** The entity's migrations by the version each produces (2…schemaVersion); see crud/versioned-items.ts. */
  readonly migrations?: Readonly<Record<number, ItemMigration>> | undefined;
  /** A DELETE reads the item first (a realtime entity tells its owner: runtime/realtime/events.ts). */
  readonly readsBeforeDelete?: boolean | undefined;
  /** Sets each written item's vector from its `embed.from` text (runtime/embed/); present when the search embeds. */
  readonly embedder?: Embedder | undefined;
}

/**
 * One CRUD request as its operation sees it — the one argument of every operation (`readItem(req)`): the entity's
 * store, the request's input, and what the pipeline resolved for it (the tenant it is confined to, the access
 * rules' verdict, the caller, its trace and usage ledger entry), never resolved again.
 *
 * @example
 * ```ts
 * const response = await listItems({ ...store, request, tenant, access, call, cosmos });
 * ```
 */
export interface CrudRequest extends CrudStore {
  /** The request's input: method, URL, headers (If-Match, partition key), query, body. */
  readonly request: HttpRequest;
  /** The tenant the request is confined to (undefined for shared data). */
  readonly tenant: Tenant | undefined;
  /** The access rules' verdict for this request (runtime/access/scope.ts); undefined: no rules. */
  readonly access?: AccessScope | undefined;
  /** The request and its caller as the pipeline resolved them: what relations and peers are asked for. */
  readonly call: CallerRequest;
  /** The request's entry in the usage ledger (when the ledger meters it): bytes stored and freed. */
  readonly usage?: RequestUsage | undefined;
  /** The request's context as the plan limits read it: a write's storage quota (crud/item-bytes.ts). */
  readonly limits?: LimitScope | undefined;
  /** A GET of the collection narrowed to one parent's children (a children route, a `hasMany` expansion). */
  readonly within?: ListWithin;
}

/**
 * A request of one item (`api/<route>/{id}`): the id in the URL, checked by the route stage.
 *
 * @example
 * ```ts
 * const response = await readItem({ ...req, id: '42' });
 * ```
 */
export interface ItemRequest extends CrudRequest {
  readonly id: string;
}
