import { randomUUID } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import type { CallerRequest, JobCaller } from '../pipeline/context.js';
import { jsonResponse } from '../http/response.js';
import { type CascadeJob, type CascadeQueue } from './cascade-queue.js';
import { type TreeNode, walkTree } from './cascade-walk.js';
import { type DeletingMark, markOf } from './deleting.js';
import type { CrudPeer, RelationPeers, TreeItem } from './peers.js';

/**
 * How much of a cascade one request deletes before it hands the rest to the background (202), and how much one
 * background run deletes before it queues the next. Counted in items, with a time limit beside (a loaded server).
 *
 * @example
 * ```ts
 * const policy: CascadePolicy = { ...DEFAULT_CASCADE_POLICY, inlineItems: 10 };
 * ```
 */
export interface CascadePolicy {
  /** Children one request deletes itself (default 1,000). */
  readonly inlineItems: number;
  /** Milliseconds one request spends deleting children before it answers 202 (default 20,000). */
  readonly inlineMs: number;
  /** Children one background run deletes before it queues the next run (default 5,000). */
  readonly jobItems: number;
  /** Milliseconds of one background run (default 120,000: well inside a queue trigger's time limit). */
  readonly jobMs: number;
  /**
   * Seconds after which the background takes over a delete the request did not finish (the process died): a
   * message queued before the first child is deleted, taken back when the request finishes (default 300).
   */
  readonly resumeAfterSeconds: number;
  /** Deletes in flight at once (default 8). */
  readonly parallel: number;
}

export const DEFAULT_CASCADE_POLICY: CascadePolicy = Object.freeze({
  inlineItems: 1000,
  inlineMs: 20_000,
  jobItems: 5000,
  jobMs: 120_000,
  resumeAfterSeconds: 300,
  parallel: 8,
});

/** What the delete of a parent needs besides its own peer: the others, the queue, the budgets, the job's caller. */
export interface CascadeDeps {
  readonly peers: RelationPeers;
  readonly queue: CascadeQueue;
  readonly policy: CascadePolicy;
  /** The caller a background run acts as, as data (pipeline/job-call.ts `jobCall`). */
  readonly callerAs: (caller: JobCaller) => CallerRequest;
}

/** Delete the nodes, deepest first, until done or the budget is spent: whether all are gone. */
async function deleteNodes(
  call: CallerRequest,
  nodes: readonly TreeNode[],
  budget: { items: number; ms: number; parallel: number },
): Promise<boolean> {
  const started = performance.now();
  const order = [...nodes].sort((a, b) => b.depth - a.depth);
  let done = 0;
  for (let i = 0; i < order.length; ) {
    // One depth at a time, at most `parallel` side by side.
    const batch: TreeNode[] = [];
    for (let n = order[i]; n !== undefined && batch.length < budget.parallel; n = order[++i]) {
      if (batch[0] !== undefined && n.depth !== batch[0].depth) break;
      batch.push(n);
    }
    if (done + batch.length > budget.items || performance.now() - started > budget.ms) return false;
    await Promise.all(batch.map((n) => n.peer.remove(call, n.item)));
    done += batch.length;
  }
  return true;
}

/** Clear the marks a refused or failed delete left (best effort: what fails stays marked, resumed by its job). */
async function unmark(call: CallerRequest, nodes: readonly TreeNode[]): Promise<void> {
  await Promise.allSettled(
    nodes.map((n) => n.peer.setDeleting(call, { ...n.item, etag: undefined }, undefined)),
  );
}

/**
 * The delete of a parent, the caller's own delete of each child (recursively), all or nothing:
 * 1. a walk as the caller — a cascaded child the caller may not delete is a 403, a `restrict` with children a 409,
 *    and nothing is written;
 * 2. the parent is marked: from now on it is gone from every read, and no child can be added under it (a create
 *    naming it is refused, and one that raced past its check removes itself: see `afterCreate`);
 * 3. the walk again, marking each child that is a parent itself before reading its children — what it finds is
 *    all there will be; a refusal now clears the marks and deletes nothing;
 * 4. a background job is queued (delayed) before anything is deleted, so a crash is resumed; then the children go,
 *    deepest first, each through its CrudApi (`onChange` run), until done — the parent's delete follows (the ETag
 *    returned) — or over the budget: 202, the job goes on at once.
 *
 * @example
 * ```ts
 * const outcome = await deleteWithChildren(call, peer, stored, deps);
 * if ('response' in outcome) return outcome.response;
 * await container.item(id, pk).delete({ accessCondition: { type: 'IfMatch', condition: outcome.etag } });
 * ```
 */
export async function deleteWithChildren(
  call: CallerRequest,
  peer: CrudPeer,
  root: Pick<TreeItem, 'id' | 'pk' | 'etag'>,
  deps: CascadeDeps,
): Promise<{ readonly response: HttpResponseInit } | { readonly etag: string | undefined }> {
  const item: TreeItem = { ...root, owner: undefined, deleting: false };
  const quick = await walkTree(call, { peer, item, depth: 0 }, deps.peers);
  if (!quick.ok) return { response: quick.response };
  const mark: DeletingMark = {
    token: randomUUID(),
    at: new Date().toISOString(),
    caller: call.caller.job(),
  };
  // A change since the read is a 412: the caller's guarded write reads again and starts over.
  const etag = await peer.setDeleting(call, item, mark);
  const marked: TreeNode = { peer, item: { ...item, etag, deleting: true }, depth: 0 };
  let walked;
  try {
    walked = await walkTree(call, marked, deps.peers, mark);
  } catch (e) {
    await unmark(call, [marked]);
    throw e;
  }
  if (!walked.ok) {
    await unmark(call, [marked, ...walked.marked]);
    return { response: walked.response };
  }
  const children = walked.nodes.slice(1);
  if (children.length === 0) return { etag };
  const job: CascadeJob = {
    v: 1,
    component: peer.entity.componentId,
    id: root.id,
    pk: root.pk,
    token: mark.token,
  };
  const safety = await deps.queue.send(job, deps.policy.resumeAfterSeconds);
  let finished: boolean;
  try {
    finished = await deleteNodes(call, children, {
      items: deps.policy.inlineItems,
      ms: deps.policy.inlineMs,
      parallel: deps.policy.parallel,
    });
  } catch {
    // A child's delete failed (Cosmos DB refused or did not answer): accepted all the same — the background
    // retries until it is done, and the parent stays gone from reads meanwhile.
    finished = false;
  }
  if (!finished) {
    await deps.queue.send(job, 0);
    return { response: accepted(peer, root.id) };
  }
  await safety.cancel();
  return { etag };
}

/** 202: the parent is gone from reads, its remaining children go in the background. */
function accepted(peer: CrudPeer, id: string): HttpResponseInit {
  return jsonResponse(202, {
    id,
    status: 'deleting',
    detail:
      `${peer.entity.entityName} "${id}" is gone from reads; its remaining children are being deleted in the ` +
      'background.',
  });
}

/**
 * One run of a background cascade: the parent must still carry the job's mark (else it is done, or the message is
 * not one the runtime sent: nothing happens); the tree is walked again as the recorded caller, up to the run's
 * budget deleted deepest first, and the next run queued — or, all children gone, the parent deleted.
 *
 * @example
 * ```ts
 * queue.attach((job) => runCascadeJob(job, deps));
 * ```
 */
export async function runCascadeJob(
  job: CascadeJob,
  deps: CascadeDeps,
  log: (line: string) => void = console.error,
): Promise<void> {
  const peer = deps.peers.crud(job.component);
  if (!peer) return;
  const stored = await peer.stored(job.id, job.pk);
  const mark = stored && markOf(stored.resource);
  if (!stored || !mark || mark.token !== job.token) return;
  const call = deps.callerAs(mark.caller);
  const item: TreeItem = {
    id: job.id,
    pk: job.pk,
    owner: undefined,
    etag: stored.etag,
    deleting: true,
  };
  const walked = await walkTree(call, { peer, item, depth: 0 }, deps.peers, mark);
  if (!walked.ok) {
    // Only when the rules changed since the delete was accepted: everything stays as it is (marked), reported.
    log(
      JSON.stringify({
        component: job.component,
        operation: 'cascade',
        outcome: 'refused',
        id: job.id,
        status: walked.response.status,
      }),
    );
    return;
  }
  const finished = await deleteNodes(call, walked.nodes.slice(1), {
    items: deps.policy.jobItems,
    ms: deps.policy.jobMs,
    parallel: deps.policy.parallel,
  });
  if (!finished) {
    await deps.queue.send(job, 0);
    return;
  }
  // The request that accepted the delete (202) reported the parent's change already.
  await peer.remove(call, item, { quiet: true });
}
