import { AtakoraError } from '../../model/errors.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { jobCall } from '../pipeline/job-call.js';
import {
  type CascadePolicy,
  DEFAULT_CASCADE_POLICY,
  runCascadeJob,
} from '../relations/cascade-delete.js';
import {
  CASCADE_QUEUE_NAME,
  type CascadeJob,
  type CascadeQueue,
  inProcessQueue,
  parseCascadeJob,
} from '../relations/cascade-queue.js';
import type { CrudPeer, RelationPeers } from '../relations/peers.js';
import { CASCADE_FUNCTION, type FunctionRegistrar, type RegisterDeps } from './register-deps.js';

/** What relations read of the other components (filled as they are built), and the app's cascade queue. */
export interface RelationWiring {
  readonly crudPeers: Map<string, CrudPeer>;
  readonly filePeers: Map<string, ReturnType<RelationPeers['file']>>;
  readonly peers: RelationPeers;
  readonly cascadeQueue: CascadeQueue;
  readonly cascadePolicy: CascadePolicy;
  readonly runJob: (job: CascadeJob) => Promise<void>;
}

/**
 * One queue and one job runner for the app's background cascades (relations/cascade-delete.ts), and the peers the
 * entities' relations reach (filled as the entities and stores are registered).
 *
 * @example
 * ```ts
 * const wiring = relationWiring(deps, services);
 * wiring.crudPeers.set('OrderApi', handlers.peer);
 * ```
 */
export function relationWiring(deps: RegisterDeps, services: RuntimeServices): RelationWiring {
  const crudPeers = new Map<string, CrudPeer>();
  const filePeers = new Map<string, ReturnType<RelationPeers['file']>>();
  const peers: RelationPeers = {
    crud: (id) => crudPeers.get(id),
    file: (id) => filePeers.get(id),
  };
  const cascadeQueue = deps.cascadeQueue ?? inProcessQueue();
  const cascadePolicy: CascadePolicy = { ...DEFAULT_CASCADE_POLICY, ...deps.cascadePolicy };
  const callerAs = jobCall(deps.caller, services);
  const runJob = (job: CascadeJob) =>
    runCascadeJob(job, { peers, queue: cascadeQueue, policy: cascadePolicy, callerAs });
  cascadeQueue.attach?.(runJob);
  return { crudPeers, filePeers, peers, cascadeQueue, cascadePolicy, runJob };
}

/**
 * The queue trigger running background cascades (Azure); a message that is no job is dropped.
 *
 * @example
 * ```ts
 * registerCascadeTrigger(app, deps, wiring.runJob);
 * ```
 */
export function registerCascadeTrigger(
  app: FunctionRegistrar,
  deps: RegisterDeps,
  runJob: (job: CascadeJob) => Promise<void>,
): void {
  if (!deps.cascadeTrigger) return;
  if (!app.storageQueue)
    throw new AtakoraError(
      'RUNTIME_CONFIG_INVALID',
      'The registrar cannot register the background cascade trigger (no storageQueue).',
    );
  // A run that throws is delivered again by the host.
  app.storageQueue(CASCADE_FUNCTION, {
    queueName: CASCADE_QUEUE_NAME,
    connection: deps.cascadeTrigger.connection,
    handler: async (message) => {
      const job = parseCascadeJob(message);
      if (job) await runJob(job);
    },
  });
}
