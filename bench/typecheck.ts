/**
 * Type-check cost of the accumulating builder generics: a backend built with 200 chained `addComponent`
 * calls, type-checked by the TypeScript compiler, against a baseline with the same 200 definitions in an
 * array (same imports and define calls, no generic accumulation). Prints times; asserts nothing.
 *
 * Run: `npx tsx bench/typecheck.ts` (needs `npm run build`: the file imports the package by name).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, '.tmp-bench-typecheck');
const N = 200;

function source(chained: boolean): string {
  const def = (i: number) => `CrudApi.define('Api${i}', { entityName: 'E${i}', schema: { id: 'string', name: 'string' } })`;
  const head = `import { defineBackend } from '@atakora/component/backend';\nimport { CrudApi } from '@atakora/component/crud';\n`;
  if (!chained) return `${head}export const defs = [\n${Array.from({ length: N }, (_, i) => `  ${def(i)},`).join('\n')}\n];\nexport const b = defineBackend({ environment: 'dev' });\n`;
  return `${head}const backend = defineBackend({ environment: 'dev' })
${Array.from({ length: N }, (_, i) => `  .addComponent(${def(i)})`).join('\n')}
  .build();
export const first: string = backend.components.Api0.apiEndpoint;
export const last: string = backend.components.Api${N - 1}.apiEndpoint;
`;
}

function check(name: string, text: string): { ms: number; ok: boolean; output: string } {
  const file = join(DIR, `${name}.ts`);
  writeFileSync(file, text);
  writeFileSync(join(DIR, `tsconfig.${name}.json`), JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
    files: [`${name}.ts`],
  }));
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(DIR, `tsconfig.${name}.json`), '--extendedDiagnostics'], { encoding: 'utf8' });
  return { ms: performance.now() - t, ok: r.status === 0, output: r.stdout + r.stderr };
}

mkdirSync(DIR, { recursive: true });
try {
  const runs = 3;
  const rows: [string, number[], boolean, string][] = [];
  for (const [name, typed] of [['chained', true], ['array', false]] as const) {
    const times: number[] = [];
    let ok = true;
    let output = '';
    for (let i = 0; i < runs; i++) ({ ms: times[i], ok, output } = { ...check(name, source(typed)) } as { ms: number; ok: boolean; output: string });
    rows.push([name, times, ok, output]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`Type-check of ${N} chained addComponent calls (tsc, median of ${runs})`);
  for (const [name, times, ok, output] of rows) {
    const check = /Check time:\s+([\d.]+)s/.exec(output)?.[1];
    const inst = /Instantiations:\s+(\d+)/.exec(output)?.[1];
    console.log(`  ${name.padEnd(8)} ${median(times).toFixed(0).padStart(6)} ms total, check ${check ?? '?'} s, ${inst ?? '?'} instantiations, ${ok ? 'no errors' : 'ERRORS:\n' + output.split('\n').filter((l) => l.includes('error')).slice(0, 5).join('\n')}`);
  }
  console.log(`  ratio chained / array: x${(median(rows[0]![1]) / median(rows[1]![1])).toFixed(2)}`);
} finally {
  rmSync(DIR, { recursive: true, force: true });
}
