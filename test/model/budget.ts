/**
 * What `npm test` spends on the stateful models' random runs: the models were a fifth of the suite's
 * time, most of it their random backends. Each random model runs {@link MODEL_RUNS} backends of fast-check's
 * fixed seed (59: the same runs every time, the first of the longer runs before), a focused backend a third of
 * that (at least 4). The regression scripts — every shrunk counterexample a longer run found — run in full.
 * Longer, to look for new faults: `ATAKORA_MODEL_RUNS=100 npx vitest run test/model` (the runs before issue
 * 110 were 25), `ATAKORA_MODEL_SEED=<n>` for other runs; test/model/README.md, "Running it".
 */
export const MODEL_RUNS = 12;
