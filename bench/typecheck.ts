/**
 * Type-check cost of the accumulating builder generics, as a growth curve: a backend built with N chained
 * `addComponent` calls (N = 10, 50, 200, 500) that reads a typed handle, against the same chain on a builder
 * type that does not accumulate (same imports, same define calls, same number of calls; each call returns
 * the same type). tsc runs in a child process, the two programs alternately (so a busy machine slows both
 * alike); prints per size the median of 3 runs of the total and of tsc's check time, the instantiations and
 * the ratios, plus any "excessively deep" error. Asserts nothing.
 *
 * Run: `npx tsx bench/typecheck.ts` (needs `npm run build`: the files import the package by name).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './support/stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.tmp-bench-typecheck');
const SIZES = [10, 50, 200, 500];
const RUNS = 3;

function source(n: number, accumulating: boolean): string {
  const def = (i: number) =>
    `CrudApi.define('Api${i}', { entityName: 'E${i}', schema: { id: 'string', name: 'string' } })`;
  const head = `import { defineBackend, type AnyDefinition, type ComponentHandle } from '@atakora/component/backend';\nimport { CrudApi } from '@atakora/component/crud';\n`;
  const chain = Array.from({ length: n }, (_, i) => `  .addComponent(${def(i)})`).join('\n');
  if (!accumulating) {
    return `${head}interface Flat { addComponent(d: AnyDefinition): Flat; build(): { readonly components: Readonly<Record<string, ComponentHandle>> } }
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
export const last: string = backend.components.Api${n - 1}.apiEndpoint;
`;
}

function check(name: string, text: string): { ms: number; ok: boolean; output: string } {
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
  return { ms: performance.now() - t, ok: r.status === 0, output: r.stdout + r.stderr };
}

interface Run {
  ms: number;
  check: number;
  inst: string;
  errors: string[];
}

function once(name: string): Run {
  const r = check(name, texts.get(name)!);
  return {
    ms: r.ms,
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
  console.log(
    '     N   accumulating (total / check / instantiations)      flat (total / check / instantiations)   ratio total  ratio check',
  );
  for (const n of SIZES) {
    const { acc, flat } = measure(n);
    const cell = (m: typeof acc) =>
      `${m.ms.toFixed(0).padStart(6)} ms / ${m.check.toFixed(2).padStart(5)} s / ${m.inst.padStart(9)}`;
    console.log(
      `  ${String(n).padStart(4)}   ${cell(acc)}      ${cell(flat)}        x${(acc.ms / flat.ms).toFixed(2)}        x${(acc.check / flat.check).toFixed(2)}`,
    );
    for (const e of [...new Set([...acc.errors, ...flat.errors])].slice(0, 5))
      console.log(`         ERROR ${e.trim()}`);
  }
} finally {
  rmSync(DIR, { recursive: true, force: true });
}
