/**
 * The API contract: OpenAPI generation from the plan at 100 / 1,000 / 2,000 CrudApis (budget: 1,000
 * under 200 ms, and linear in components), and the typed client's core size — esbuild bundle + minify of
 * src/entry/client.ts, then gzip (budget ≤ 6 KB). The plan is made once, outside the timed part. Prints
 * medians; asserts nothing (a shared machine is noisy).
 *
 * Run: `npx tsx bench/contract.ts` (imports the sources; no build needed).
 */
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { defineBackend } from '../src/backend/define-backend.js';
import { CrudApi } from '../src/components/crud/index.js';
import type { AnyDefinition } from '../src/model/component.js';
import { openApiFromPlan } from '../src/plan/openapi.js';
import { median } from './support/stats.js';

function planOf(n: number) {
  const defs: Record<string, AnyDefinition> = {};
  for (let i = 0; i < n; i++) {
    defs[`api${i}`] = CrudApi.define(`Api${i}`, {
      entityName: `Entity${i}`,
      schema: {
        id: 'string',
        name: { type: 'string', required: true, maxLength: 100 },
        price: 'number',
        due: 'date',
        at: 'timestamp',
      },
      ...(i % 3 === 0 ? { operations: ['read', 'list'] as const } : {}),
    });
  }
  return defineBackend(defs as never, { environment: 'dev' }).plan();
}

console.log(
  'OpenAPI generation from the plan (median of 7 runs, after 2 warm-ups; baseline: a JSON copy of the same plan, timed in each run):',
);
const perApi: number[] = [];
for (const n of [100, 1_000, 2_000]) {
  const plan = planOf(n);
  const times: number[] = [];
  const copies: number[] = [];
  let bytes = 0;
  for (let run = 0; run < 9; run++) {
    const start = performance.now();
    const doc = openApiFromPlan(plan);
    const ms = performance.now() - start;
    // The baseline, right after in the same run: a JSON copy of the plan it reads (what touching that much data costs).
    const copyStart = performance.now();
    JSON.parse(JSON.stringify(plan));
    const copyMs = performance.now() - copyStart;
    if (run >= 2) {
      times.push(ms);
      copies.push(copyMs);
    }
    bytes = JSON.stringify(doc).length;
  }
  const m = median(times);
  perApi.push(m / n);
  console.log(
    `  ${String(n).padStart(5)} CrudApis: ${m.toFixed(1)} ms (${((1000 * m) / n).toFixed(1)} µs per CrudApi; document ${(bytes / 1024).toFixed(0)} KiB; ×${(m / median(copies)).toFixed(2)} a JSON copy of the plan, ${median(copies).toFixed(1)} ms)${n === 1_000 ? `  budget < 200 ms: ${m < 200 ? 'ok' : 'OVER'}` : ''}`,
  );
}

const result = await build({
  entryPoints: [resolve(import.meta.dirname, '../src/entry/client.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  target: 'es2022',
  treeShaking: true,
});
const code = result.outputFiles[0]!.contents;
const gz = gzipSync(code, { level: 9 }).length;
console.log(
  `Typed client core (esbuild bundle + minify of src/entry/client.ts, gzip -9): ${code.length} bytes minified, ${gz} bytes gzipped  budget ≤ 6144: ${gz <= 6144 ? 'ok' : 'OVER'}`,
);
