import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { withoutOwnerField } from '../access/owner-privacy.js';
import { DEFAULT_COSMOS_POLICY } from '../data/cosmos-policy.js';
import { KeyedQueue } from '../data/keyed-queue.js';
import { DEFAULT_MERGE_RETRY } from '../data/merge-retry.js';
import { ReadCache } from '../data/read-cache.js';
import { jobCall } from '../pipeline/job-call.js';
import { NO_SERVICES } from '../pipeline/services.js';
import { DEFAULT_CASCADE_POLICY, runCascadeJob } from '../relations/cascade-delete.js';
import { type CascadeQueue, inProcessQueue } from '../relations/cascade-queue.js';
import { entityRelations } from '../relations/entity-relations.js';
import { NO_PEERS } from '../relations/peers.js';
import { partitionField } from '../values/partition.js';
import { entityEmbedder } from '../embed/query-embedder.js';
import type { CrudStore } from './context.js';
import type { CrudHandlerOptions } from './options.js';

/** The entity's shared context (per entity, not per request): container, cache, relations, policies. */
export function crudStoreOf(
  entity: RuntimeEntity,
  container: Container,
  options: CrudHandlerOptions,
  hiding: boolean,
): CrudStore {
  let cascadeQueue: CascadeQueue | undefined;
  return {
    entity,
    ...(hiding ? { queryEntity: withoutOwnerField(entity) } : {}),
    container,
    cache: entity.cache?.enabled
      ? new ReadCache(entity.cache.ttlSeconds, options.cacheLimits)
      : undefined,
    pkField: partitionField(entity),
    generateId: options.generateId ?? randomUUID,
    cosmos: options.cosmos ?? DEFAULT_COSMOS_POLICY,
    mergeRetry: options.mergeRetry ?? DEFAULT_MERGE_RETRY,
    mergeQueue: new KeyedQueue(),
    ...(options.stampChanges ? { stampsChanges: true } : {}),
    ...(entity.relations?.length
      ? {
          relations: entityRelations(entity, options.peers ?? (() => NO_PEERS), () => ({
            queue: (cascadeQueue ??= options.cascade?.queue ?? ownQueue(options)),
            policy: options.cascade?.policy ?? DEFAULT_CASCADE_POLICY,
            callerAs: jobCall(options.caller, options.services ?? NO_SERVICES),
          })),
        }
      : {}),
    ...(options.migrations ? { migrations: options.migrations } : {}),
    ...(options.realtime?.needsOwnerOnDelete ? { readsBeforeDelete: true } : {}),
    ...(entity.search?.vector?.embed ? { embedder: entityEmbedder(entity, options.services) } : {}),
  };
}

/**
 * A queue for handlers built alone (not by registerCrudRoutes, which passes the app's): in-process, running jobs
 * over the handlers' peers.
 */
function ownQueue(options: CrudHandlerOptions): CascadeQueue {
  const queue = inProcessQueue();
  queue.attach((job) =>
    runCascadeJob(job, {
      peers: (options.peers ?? (() => NO_PEERS))(),
      queue,
      policy: DEFAULT_CASCADE_POLICY,
      callerAs: jobCall(options.caller, options.services ?? NO_SERVICES),
    }),
  );
  return queue;
}
