import { availableParallelism, loadavg } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * How many times busier than its cores the machine is as the run starts (at least 1): the largest of the 1, 5 and
 * 15 minute load averages per core, so a load that just eased still counts. The workers read it
 * (ATAKORA_TEST_SLOWNESS, inherited: they start after this runs) to scale their own waits alike.
 */
const SLOWNESS = Math.max(1, Math.ceil(Math.max(...loadavg()) / availableParallelism()));
process.env['ATAKORA_TEST_SLOWNESS'] ??= String(SLOWNESS);

export default defineConfig({
  test: {
    // examples/**: the tests an example ships, as a user's project keeps them.
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'examples/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // A deadline that only catches a hang: 5 minutes on a quiet machine, times how much busier than its cores this
    // machine is as the run starts (a 2-core machine at load 24 gave a 28-CPU-second test 8 % of a core: 6 minutes;
    // slow is allowed where red is not). Above test/support/patience.ts's HANG_MS, the bound of a test's own waits,
    // which reads the same factor, so a hang that waits on an event fails with the waiter's message.
    testTimeout: 300_000 * SLOWNESS,
    hookTimeout: 300_000 * SLOWNESS,
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
    // A larger young generation per worker (V8's default semi-space is 16 MiB): the workers' short-lived garbage
    // (requests, plans, the local Cosmos DB server's documents) is collected in fewer scavenges and less of it is
    // promoted. test/runtime + test/model, two pairs at load ~9: GC pauses 20.9 / 12.2 → 8.1 / 4.1 s, the files'
    // CPU 106.7 / 101.1 → 104.7 / 98.4 s (docs/performance.md, "The suite").
    execArgv: ['--max-semi-space-size=64'],
    // The CLI bundles a .ts entry into `.<entry>.<pid>-<time>.atakora.mjs` beside it and imports it natively; under
    // vitest the runner would otherwise transform it like a test's own module (its SSR rewrite moves columns, and
    // whether its source maps map a frame back depended on what ran earlier in the worker: a user's stack then
    // pointed at the end of the line). Natively, as in the user's process. So is the built CLI that tests run in
    // their worker (test/support/cli-in-process.ts, test/examples/cli-synth.test.ts: dist/cli/main.js and the
    // credentials module it shares): as the bin loads it, one copy of the library with the entries' bundles, and
    // not transformed by this process for the workers (~2 CPU-s a run, measured).
    server: {
      deps: { external: [/\.atakora\.mjs$/, /\/dist\/cli\/(main|azure\/credentials)\.js$/] },
    },
    // vitest's main process transforms every source and test file a worker imports (42–45 CPU-s
    // of a whole run, "transform 48 s"). The transforms are kept on disk between runs
    // (node_modules/.experimental-vitest-cache, keyed by each file's content, the Vite config and the lockfile;
    // `npx vitest --clearCache` empties it), so a run transforms only the files changed since the last. 30 files,
    // one run after the other at load ~27: the main process 16 → 7 CPU-s, its transforms 84 → 26 s of wall
    // (docs/performance.md, "The suite, round 5, third pass"). A fresh clone's first run fills it, saving nothing.
    experimental: { fsModuleCache: true },
  },
});
