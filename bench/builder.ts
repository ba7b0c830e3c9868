/**
 * The fluent builder against the object form, same definitions, same plan: N chained `addComponent` calls +
 * `build().plan()` vs `defineBackend({ ...definitions }).plan()`, at N = 100, 1,000 and 10,000 (mixed kinds:
 * CrudApis, FunctionsApps, StaticSites). Definitions are made once, outside the timed part, so only the
 * builder's own cost differs. Both plans are checked equal (same bytes) before timing. Prints medians and
 * ratios; asserts nothing (a shared machine is noisy). The two forms alternate which goes first in each round, so
 * a cost of order (a collection of the other's garbage, the JIT) does not fall on one form every round: with the
 * builder always first, a quiet machine's run showed ×1.88 at N = 1,000 where the builder's own calls were 2 ms of
 * 215. Beside the wall ratio, the process's CPU ratio, which other processes move less.
 *
 * Run: `npx tsx bench/builder.ts` (imports the sources; no build needed).
 */
import { defineBackend } from '../src/backend/define-backend.js';
import type { BackendBuilder } from '../src/backend/backend-builder.js';
import type { HandleMap } from '../src/backend/types.js';
import { CrudApi } from '../src/components/crud/index.js';
import { FunctionsApp } from '../src/components/functions/index.js';
import { StaticSite } from '../src/components/web/index.js';
import type { AnyDefinition } from '../src/model/component.js';
import { median } from './support/stats.js';

function definitions(n: number): Record<string, AnyDefinition> {
  const out: Record<string, AnyDefinition> = {};
  for (let i = 0; i < n; i++) {
    const id = `C${i}`;
    out[id] =
      i % 10 === 9
        ? StaticSite.define(id, { sourceDirectory: './site' })
        : i % 10 === 8
          ? FunctionsApp.define(id, {
              runtime: 'node',
              functions: { tick: { trigger: 'timer', schedule: '0 0 * * * *' } },
            })
          : CrudApi.define(id, {
              entityName: `Entity${i}`,
              schema: { id: 'string', name: 'string' },
            });
  }
  return out;
}

function viaBuilder(defs: Record<string, AnyDefinition>) {
  let b: BackendBuilder<HandleMap> = defineBackend({ environment: 'dev' });
  for (const d of Object.values(defs)) b = b.addComponent(d as never);
  return b.build().plan();
}

const viaObject = (defs: Record<string, AnyDefinition>) =>
  defineBackend(defs as never, { environment: 'dev' }).plan();

function time(f: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timed(f).wall);
  return median(times);
}

/** One run's wall and main-thread CPU time, ms. */
function timed(f: () => unknown): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  f();
  const u = process.cpuUsage(c);
  return { wall: performance.now() - t, cpu: (u.user + u.system) / 1000 };
}

console.log(
  'Builder (N addComponent + build().plan()) vs object form (defineBackend({...}).plan()), median ms',
);
console.log('       N    builder     object   ratio   CPU     addComponent only');
for (const n of [100, 1_000, 10_000]) {
  const defs = definitions(n);
  if (JSON.stringify(viaBuilder(defs)) !== JSON.stringify(viaObject(defs)))
    throw new Error(`plans differ at N=${n}`);
  const runs = n >= 10_000 ? 5 : 9;
  // Interleave the two forms, alternating which goes first, so machine noise and GC hit both alike.
  const b: { wall: number; cpu: number }[] = [];
  const o: { wall: number; cpu: number }[] = [];
  for (let r = 0; r < runs; r++) {
    if (r % 2 === 0) {
      b.push(timed(() => viaBuilder(defs)));
      o.push(timed(() => viaObject(defs)));
    } else {
      o.push(timed(() => viaObject(defs)));
      b.push(timed(() => viaBuilder(defs)));
    }
  }
  const adds = time(() => {
    let x: BackendBuilder<HandleMap> = defineBackend({ environment: 'dev' });
    for (const d of Object.values(defs)) x = x.addComponent(d as never);
  }, runs);
  const [bm, om] = [median(b.map((x) => x.wall)), median(o.map((x) => x.wall))];
  const cpuRatio = median(b.map((x) => x.cpu)) / median(o.map((x) => x.cpu));
  console.log(
    `  ${String(n).padStart(6)} ${bm.toFixed(1).padStart(10)} ${om.toFixed(1).padStart(10)}   x${(bm / om).toFixed(2)}   x${cpuRatio.toFixed(2).padEnd(5)} ${adds.toFixed(1).padStart(8)} (${((adds / n) * 1000).toFixed(2)} µs/call)`,
  );
}
