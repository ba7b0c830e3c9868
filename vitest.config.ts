import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/**: the tests an example ships, as a user's project keeps them.
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'examples/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // A deadline that only catches a hang (issue 110): a 2-core machine at load 8–15 runs a test many times slower
    // than a quiet one, and slow is allowed where red is not. Above test/support/patience.ts's HANG_MS, the bound
    // of a test's own waits, so a hang that waits on an event fails with the waiter's message.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Two cores: forks keep cdktf's heavy module graph out of each other's way.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one file at a time. Many files
    // wait on child processes (the CLI, tsc, a worker) or on the local Cosmos DB server, so two run well side
    // by side there; larger machines keep the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A worker runs its files one after another in one module cache instead of a fresh one per file: importing
    // cdktf, the providers' bindings, @azure/cosmos and the sources was ~45% of the suite's time, paid again by
    // every one of ~140 files (issue 36: test/runtime 145 s → 79 s, plan+contract+components 36 s → 12 s).
    // So a test file must leave process-wide state as it found it: restore env variables, spies and fake timers
    // (afterEach / finally, as the suite does), close its servers, and not rely on a module's first evaluation
    // (vi.mock of a module an earlier file imported does not apply: use vi.resetModules, vi.doMock and a dynamic
    // import). `npx vitest run --isolate` checks a suspected leak.
    isolate: false,
  },
});
