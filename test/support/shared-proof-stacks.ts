import { afterAll, beforeAll } from 'vitest';
import { type BlobHost, blobHost } from '../../src/cli/dev/storage/blob-host.js';
import { type ProofStacks, proofStacks } from '../../src/cli/verify/dev-stack.js';
import { shareProofStacks } from '../../src/cli/verify/run.js';
import { onWorkerExit } from './worker-scope.js';

// On the global, not the module: after a file calls vi.resetModules a later import in its worker is a fresh copy of
// this module, which would start a second blob host beside the first (as ./azurite.ts keeps its processes).
const HOST = Symbol.for('atakora.test.proof-blob-host');
const scope = globalThis as { [HOST]?: BlobHost };

/**
 * The worker's blob host (src/cli/dev/storage/blob-host.ts): one Azurite blob service for every proof stack with a
 * FileStore that the worker's files start, each stack on an account of its own, emptied when the stack stops —
 * instead of an Azurite start per stack (~1–1.5 CPU-s and a process apiece, measured: docs/performance.md).
 * Azurite starts on the first stack that needs it and stops with the worker.
 */
export function workerBlobHost(): BlobHost {
  let host = scope[HOST];
  if (!host) {
    const made = blobHost();
    onWorkerExit(() => {
      made.kill();
    });
    scope[HOST] = made;
    host = made;
  }
  return host;
}

/**
 * One proof stack per entry for the test file that calls this (at its top level): every `verifyEntry`, `atakora
 * verify` (main, in process) and `verifyAccess` of its tests borrows the stack an earlier run of the same entry
 * started (src/cli/verify/dev-stack.ts `proofStacks`), its data put back as started and, on tenants by membership,
 * its users fresh — instead of starting `atakora dev` for each run (~1.3 CPU-s each: the worker's start, measured;
 * docs/performance.md, "The suite"). The file's stacks stop as it ends, so no stack outlives the file that used it;
 * their FileStores' blob accounts are the worker's ({@link workerBlobHost}).
 *
 * @example
 * ```ts
 * shareProofStacksInFile();
 * it('proves', async () => { await verifyEntry(entry, { file: false }); });
 * ```
 */
export function shareProofStacksInFile(): ProofStacks {
  const stacks = proofStacks(1, workerBlobHost());
  beforeAll(() => {
    shareProofStacks(stacks);
  });
  afterAll(async () => {
    shareProofStacks(undefined);
    await stacks.close();
  });
  return stacks;
}
