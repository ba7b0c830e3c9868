import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: forks keep cdktf's heavy module graph out of each other's way.
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one file at a time. Many files
    // wait on child processes (the CLI, tsc, a worker) or on the local Cosmos DB server, so two run well side
    // by side there; larger machines keep the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
