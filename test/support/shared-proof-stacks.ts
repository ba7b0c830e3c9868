import { afterAll, beforeAll } from 'vitest';
import { type ProofStacks, proofStacks } from '../../src/cli/verify/dev-stack.js';
import { shareProofStacks } from '../../src/cli/verify/run.js';

/**
 * One proof stack per entry for the test file that calls this (at its top level): every `verifyEntry`, `atakora
 * verify` (main, in process) and `verifyAccess` of its tests borrows the stack an earlier run of the same entry
 * started (src/cli/verify/dev-stack.ts `proofStacks`), its data put back as started and, on tenants by membership,
 * its users fresh — instead of starting `atakora dev` for each run (~1.3 CPU-s each: the worker's start, measured;
 * docs/performance.md, "The suite"). The file's stacks stop as it ends, so no stack outlives the file that used it.
 *
 * @example
 * ```ts
 * shareProofStacksInFile();
 * it('proves', async () => { await verifyEntry(entry, { file: false }); });
 * ```
 */
export function shareProofStacksInFile(): ProofStacks {
  const stacks = proofStacks();
  beforeAll(() => {
    shareProofStacks(stacks);
  });
  afterAll(async () => {
    shareProofStacks(undefined);
    await stacks.close();
  });
  return stacks;
}
