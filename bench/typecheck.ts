/**
 * Type-check cost of the accumulating builder generics, as a growth curve: a backend built with N chained
 * `addComponent` calls (N = 10, 50, 200, 500) that reads a typed handle, against the same chain on a builder
 * type that does not accumulate (same imports, same define calls, same number of calls; each call returns
 * the same type). Every CrudApi in the chain uses every option CrudApiConfig has (relations to its neighbour,
 * schemaVersion and migrations, seed, sorts, access rules, …: bench/support/crud-options.ts, which a test keeps
 * in step with CrudApiConfig), so an option whose types cost tsc shows here. tsc runs in a child process, the
 * two programs alternately (so a busy machine slows both alike); prints per size the median of RUNS runs (3) of
 * the total and of tsc's check time, the instantiations and the ratios, plus any error (a chain that does not
 * type-check measures nothing). Budget: ×1.5 of the flat chain's total at 500 calls. Asserts nothing.
 *
 * Run: `npx tsx bench/typecheck.ts` (needs `npm run build`: the files import the package by name);
 * `SIZES=500 RUNS=5 npx tsx bench/typecheck.ts` for the budget's size alone.
 *
 * `WHEN=10` makes every tenth call of both chains a `.when(on, (b) => b.addComponent(…))` (the flat builder gets a
 * `when` too), for `when`'s types, the same budget. What it found (`SIZES=50,100,150,200,500 RUNS=3 WHEN=10`, load
 * 3–7): with `when` reading the class's `T`, check time doubled with every `when` past ~100 calls (0.34, 1.37,
 * 4.34, 33.2 s at 50/100/150/200 calls; 108,017 instantiations at 200, so not instantiations). Each `when` put the
 * handles in its result twice (the receiver's `T` and the callback's result `U`, which holds `T` too), and
 * instantiating its signature for `U` walked the handles of every earlier `when` without sharing, 2^k for k
 * `when`s (generateTrace: the self time sat in the `when` calls, each ~×2 the previous one). Reading the
 * receiver's handles (`this: B`, as `addComponent` does) removed that (200 calls ×1.13) but left n² per `when`
 * (500 calls ×1.67): checking `B` and `U` against `HandleMap`, and `keyof U`, make the compiler list each
 * property of an n-member intersection by looking it up in all n members (`getReducedType`, a CPU profile's
 * top). With nothing of the handles related, listed or looked up in `when` (backend-builder.ts says how): ×1.11
 * at 200 calls and ×1.26 at 500 (CPU ×1.12, ×1.25; check 0.78 s vs 0.62 s, 1.60 s vs 1.11 s), 58,173 and
 * 157,323 instantiations, about 290 per call up to 200 calls and 315 at 500 (docs/performance.md).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { CHAIN_SCHEMA, CRUD_OPTION_SOURCE, crudOptionsSource } from './support/crud-options.js';
import { median } from './support/stats.js';
import { recordRatio } from './support/summary.js';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.tmp-bench-typecheck');
const SIZES = (process.env.SIZES ?? '10,50,200,500').split(',').map(Number);
const RUNS = Number(process.env.RUNS ?? 3);
/** `WHEN=k`: every k-th call of both chains is `.when(on, (b) => b.addComponent(…))` instead (0: none). */
const WHEN = Number(process.env.WHEN ?? 0);
const BUDGET = 1.5;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const loadAtStart = load();

/** Whether the i-th call of the chain is a `when` (its handle then optional). */
const conditional = (i: number) => WHEN > 0 && (i + 1) % WHEN === 0;

function source(n: number, accumulating: boolean): string {
  const def = (i: number) =>
    `CrudApi.define('Api${i}', { entityName: 'E${i}', schema: ${CHAIN_SCHEMA}, ${crudOptionsSource(i)} })`;
  const head =
    `import { defineBackend, type AnyDefinition, type ComponentHandle } from '@atakora/component/backend';\n` +
    `import { CrudApi } from '@atakora/component/crud';\nconst on: boolean = Date.now() > 0;\n`;
  const call = (i: number) =>
    conditional(i) ? `  .when(on, (b) => b.addComponent(${def(i)}))` : `  .addComponent(${def(i)})`;
  const chain = Array.from({ length: n }, (_, i) => call(i)).join('\n');
  const lastRead = conditional(n - 1)
    ? `string | undefined = backend.components.Api${n - 1}?.apiEndpoint`
    : `string = backend.components.Api${n - 1}.apiEndpoint`;
  if (!accumulating) {
    return `${head}interface Flat { addComponent(d: AnyDefinition): Flat;
  when(c: boolean, add: (b: Flat) => Flat): Flat;
  build(): { readonly components: Readonly<Record<string, ComponentHandle>> } }
const backend = (defineBackend({ environment: 'dev' }) as unknown as Flat)
${chain}
  .build();
export const first: string | undefined = backend.components['Api0']?.key;
`;
  }
  return `${head}const backend = defineBackend({ environment: 'dev' })
${chain}
  .build();
export const first: string = backend.components.Api0.apiEndpoint;
export const last: ${lastRead};
`;
}

function check(
  name: string,
  text: string,
): { ms: number; cpu: number; ok: boolean; output: string } {
  const file = join(DIR, `${name}.ts`);
  writeFileSync(file, text);
  writeFileSync(
    join(DIR, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: [`${name}.ts`],
    }),
  );
  const c = childrenCpuMs();
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(DIR, `tsconfig.${name}.json`),
      '--extendedDiagnostics',
    ],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - t;
  return { ms, cpu: childrenCpuMs() - c, ok: r.status === 0, output: r.stdout + r.stderr };
}

/**
 * The CPU time (user + system) of this process's finished children so far, in ms (Linux: `cutime` and `cstime`
 * of /proc/self/stat, in clock ticks of 10 ms), or NaN elsewhere: tsc's own CPU time, which a machine busy with
 * other work moves far less than the wall time.
 */
function childrenCpuMs(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2)
      .split(' ');
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

interface Run {
  ms: number;
  /** tsc's CPU time (user + system). */
  cpu: number;
  check: number;
  inst: string;
  errors: string[];
}

function once(name: string): Run {
  const r = check(name, texts.get(name)!);
  return {
    ms: r.ms,
    cpu: r.cpu,
    check: Number(/Check time:\s+([\d.]+)s/.exec(r.output)?.[1] ?? NaN),
    inst: /Instantiations:\s+(\d+)/.exec(r.output)?.[1] ?? '?',
    errors: r.output.split('\n').filter((l) => l.includes('error TS')),
  };
}

const texts = new Map<string, string>();

/** RUNS rounds of (accumulating, flat), interleaved; medians of each side. */
function measure(n: number): { acc: Run; flat: Run } {
  texts.set(`acc${n}`, source(n, true));
  texts.set(`flat${n}`, source(n, false));
  const runs: { acc: Run[]; flat: Run[] } = { acc: [], flat: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.acc.push(once(`acc${n}`));
    runs.flat.push(once(`flat${n}`));
  }
  const summary = (xs: Run[]): Run => ({
    ms: median(xs.map((x) => x.ms)),
    cpu: median(xs.map((x) => x.cpu)),
    check: median(xs.map((x) => x.check)),
    inst: xs[0]!.inst,
    errors: xs.flatMap((x) => x.errors),
  });
  return { acc: summary(runs.acc), flat: summary(runs.flat) };
}

mkdirSync(DIR, { recursive: true });
try {
  console.log(
    `Type-check of N chained addComponent calls: accumulating builder vs a flat builder type (tsc, interleaved, medians of ${RUNS})`,
  );
  if (WHEN > 0)
    console.log(`  every ${WHEN}th call a \`when(on, (b) => b.addComponent(…))\` in both chains`);
  console.log(
    `  each CrudApi with every option: ${Object.keys(CRUD_OPTION_SOURCE).join(', ')}; load average ${loadAtStart}`,
  );
  console.log(
    '     N   accumulating (total / check / instantiations)      flat (total / check / instantiations)   ratio total  ratio check  ratio CPU',
  );
  for (const n of SIZES) {
    const { acc, flat } = measure(n);
    const cell = (m: typeof acc) =>
      `${m.ms.toFixed(0).padStart(6)} ms / ${m.check.toFixed(2).padStart(5)} s / ${m.inst.padStart(9)}`;
    console.log(
      `  ${String(n).padStart(4)}   ${cell(acc)}      ${cell(flat)}        x${(acc.ms / flat.ms).toFixed(2)}        x${(acc.check / flat.check).toFixed(2)}        x${(acc.cpu / flat.cpu).toFixed(2)}`,
    );
    for (const e of [...new Set([...acc.errors, ...flat.errors])].slice(0, 5))
      console.log(`         ERROR ${e.trim()}`);
    if (n === 500)
      recordRatio(WHEN > 0 ? 'tsc-chain-when' : 'tsc-chain', {
        label:
          WHEN > 0
            ? `tsc on the 500-call builder chain with a when every ${WHEN}th call ÷ a flat chain with the same whens`
            : 'tsc on the 500-call builder chain (every CrudApi option) ÷ a flat chain',
        ratio: acc.ms / flat.ms,
        budget: BUDGET,
        detail:
          `total time, medians of ${RUNS} interleaved runs; tsc's CPU time ×${(acc.cpu / flat.cpu).toFixed(2)}, ` +
          `check time ×${(acc.check / flat.check).toFixed(2)}; ` +
          `${acc.inst} instantiations (flat ${flat.inst}); load ${loadAtStart} → ${load()}` +
          (acc.errors.length + flat.errors.length > 0 ? '; the chain has type errors' : ''),
      });
  }
  console.log(
    `  (ratio CPU: tsc's user + system time, which other work on the machine moves less than the wall time)\n` +
      `  load average ${loadAtStart} at the start, ${load()} at the end; budget at 500: ×${BUDGET} (total)`,
  );
} finally {
  rmSync(DIR, { recursive: true, force: true });
}
