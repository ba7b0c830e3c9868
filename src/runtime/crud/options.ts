import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { CosmosCallPolicy } from '../data/cosmos-policy.js';
import type { ItemMigration } from '../data/context.js';
import type { MergeRetryPolicy } from '../data/merge-retry.js';
import type { ReadCacheLimits } from '../data/read-cache.js';
import type { ChangeHandler } from '../events/change-dispatch.js';
import type { RuntimeLogger } from '../http/log.js';
import type { RuntimeServices } from '../pipeline/context.js';
import type { EntityRealtime } from '../realtime/events.js';
import type { CascadeOptions } from '../relations/entity-relations.js';
import type { RelationPeers } from '../relations/peers.js';

/**
 * Options of `createCrudHandlers`: the seams tests and custom hosts replace.
 *
 * @example
 * ```ts
 * const lines: RequestLogEntry[] = [];
 * let n = 0;
 * const handlers = createCrudHandlers(entity, container, {
 *   generateId: () => `test-${++n}`,
 *   logger: (entry) => lines.push(entry),
 * });
 * ```
 */
export interface CrudHandlerOptions {
  /** Defaults to JSON lines through `context.log` / `context.error`. */
  readonly logger?: RuntimeLogger;
  /** Defaults to `crypto.randomUUID`. */
  readonly generateId?: () => string;
  /** Deadline of each Cosmos call and the 503's `Retry-After`; defaults to {@link DEFAULT_COSMOS_POLICY}. */
  readonly cosmos?: CosmosCallPolicy;
  /** PATCH-without-If-Match retries; defaults to {@link DEFAULT_MERGE_RETRY}. */
  readonly mergeRetry?: MergeRetryPolicy;
  /** Bounds of the read cache (when the entity enables it); defaults to 16 MiB, 10,000 entries. */
  readonly cacheLimits?: ReadCacheLimits;
  /**
   * Authentication and tenant source (the deployed runtime passes the manifest's); omitted → tenant
   * from `x-tenant-id`.
   */
  readonly caller?: RuntimeAuth;
  /**
   * Called after each successful create, replace, update and delete (awaited; its failure is
   * logged, never the write's).
   */
  readonly onChange?: ChangeHandler;
  /**
   * Stamp each write with its operation in a hidden field (a change feed trigger reads this container:
   * runtime/events/change-feed.ts). Never visible to clients.
   */
  readonly stampChanges?: boolean;
  /**
   * The backend's other CrudApis and FileStores, for this entity's relations (registerCrudRoutes passes them);
   * omitted → relations find nothing (references refused, expansions null).
   */
  readonly peers?: () => RelationPeers;
  /** The entity's migrations by the version each produces (the package's migration modules). */
  readonly migrations?: Readonly<Record<number, ItemMigration>>;
  /**
   * Where a parent's delete hands children it cannot delete within its budget (registerCrudRoutes passes the app's
   * queue) and the budgets; omitted → an in-process queue of this entity's own and the default budgets.
   */
  readonly cascade?: Pick<CascadeOptions, 'queue' | 'policy'>;
  /** A realtime entity's publishing (runtime/realtime/events.ts): told of every acknowledged write. */
  readonly realtime?: EntityRealtime;
  /**
   * The app's services (registry, usage meter, logger), made once by registerCrudRoutes; omitted → none: nothing
   * counted, every caller's tenant from their token.
   */
  readonly services?: RuntimeServices;
}
