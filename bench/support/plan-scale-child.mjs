// One process of bench/plan-scale.ts: what `atakora plan` runs — plain `node` on the built package, no tsx (no
// loader hooks, no source maps). Defines N CrudApis, then plans RUNS fresh backends of them, each plan followed by
// its floor: a JSON copy of that plan (`JSON.parse(JSON.stringify(plan))`) made right after, in the same process.
// Prints one JSON line: { loads, defines, backends, plans, copies, planCpu, copyCpu, phases, mergeParts } in ms. Environment:
// ATAKORA_DIST (a file URL of dist/index.js), N (default 10000), RUNS (default 1; the first plan is this process's cold
// one), PHASES=1 (profile the plans: V8's sampling CPU profiler over each plan() alone, through node:inspector, and
// give each phase's share — the time under each function planBackend calls, summed by name. The profiler slows the
// plan, so bench/plan-scale.ts asks for it in processes of their own, never in the timed ones).
// loads: importing the package (what a cold `atakora plan` pays before its entry runs); backends: defineBackend of
// the N definitions (the config's check and normalization), before each plan.
//
// planCpu/copyCpu: the main thread's own CPU time over the same spans (Linux: /proc/self/task/<pid>/schedstat, in
// ns; empty elsewhere). On a machine shared with other work a process waits for a core for much of its wall
// time, and not alike for the plan and the copy; the time its main thread actually ran moves far less with the
// load (GC helper and compiler threads are not in it).
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const l0 = performance.now();
const { defineBackend, CrudApi } = await import(
  process.env.ATAKORA_DIST ?? new URL('../../dist/index.js', import.meta.url).href
);
const loads = [performance.now() - l0];
const profiling = process.env.PHASES === '1';
const session = profiling ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
}

/** ms under each function planBackend calls (its phases), from a CPU profile of one plan. */
function phasesOf(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++)
    self.set(
      profile.samples[i],
      (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0),
    );
  const total = (n) =>
    (self.get(n.id) ?? 0) / 1000 + (n.children ?? []).reduce((t, c) => t + total(byId.get(c)), 0);
  const phases = {};
  const mergeParts = {};
  for (const n of profile.nodes) {
    if (n.callFrame.functionName !== 'planBackend') continue;
    phases['planBackend (its own code)'] =
      (phases['planBackend (its own code)'] ?? 0) + (self.get(n.id) ?? 0) / 1000;
    for (const c of n.children ?? []) {
      const child = byId.get(c);
      const name = child.callFrame.functionName || '(anonymous)';
      phases[name] = (phases[name] ?? 0) + total(child);
      if (name === 'merge') partsOf(child, byId, self, total, mergeParts);
    }
  }
  return { phases, mergeParts };
}

/**
 * The merge phase's parts (plan/phases/merge.ts), two calls deep: what it calls (each type's `merge`, `deploys`,
 * `standaloneCost`, the anonymous callbacks of its map and sort) and what those call (`mergeDatabases`,
 * `mergeAppSettings`, `resolveReferences`…), named `caller › callee`; `(own code)` is a caller's own time.
 * Names, not modules: the types' merges share the name `merge` and are summed.
 */
function partsOf(node, byId, self, total, parts) {
  const add = (k, ms) => {
    parts[k] = (parts[k] ?? 0) + ms;
  };
  add('merge › (own code)', (self.get(node.id) ?? 0) / 1000);
  for (const c of node.children ?? []) {
    const child = byId.get(c);
    const name = `merge › ${child.callFrame.functionName || '(anonymous)'}`;
    add(name, total(child));
    add(`${name} › (own code)`, (self.get(child.id) ?? 0) / 1000);
    for (const g of child.children ?? []) {
      const grand = byId.get(g);
      add(`${name} › ${grand.callFrame.functionName || '(anonymous)'}`, total(grand));
    }
  }
}
const schedstat = `/proc/self/task/${process.pid}/schedstat`;
const threadMs = () => {
  try {
    return Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
};
const n = Number(process.env.N ?? 10000);
const runs = Number(process.env.RUNS ?? 1);

const d0 = performance.now();
const defs = {};
for (let i = 0; i < n; i++)
  defs[`api${i}`] = CrudApi.define(`Api${i}`, {
    entityName: `Entity${i}`,
    schema: { id: 'string', name: 'string', price: 'number' },
  });
const defines = [performance.now() - d0];
const backends = [];
const phases = [];
const mergeParts = [];
const plans = [];
const copies = [];
const planCpu = [];
const copyCpu = [];
for (let r = 0; r < runs; r++) {
  // plan() is cached per backend: a new one each time.
  const b0 = performance.now();
  const backend = defineBackend(defs, { environment: 'bench', location: 'eastus' });
  backends.push(performance.now() - b0);
  if (session) await session.post('Profiler.start');
  const c0 = threadMs();
  const t0 = performance.now();
  const plan = backend.plan();
  const t1 = performance.now();
  const c1 = threadMs();
  if (session) {
    const one = phasesOf((await session.post('Profiler.stop')).profile);
    phases.push(one.phases);
    mergeParts.push(one.mergeParts);
  }
  JSON.parse(JSON.stringify(plan));
  const t2 = performance.now();
  const c2 = threadMs();
  plans.push(t1 - t0);
  copies.push(t2 - t1);
  if (c0 !== undefined) {
    planCpu.push(c1 - c0);
    copyCpu.push(c2 - c1);
  }
}
console.log(
  JSON.stringify({ loads, defines, backends, plans, copies, planCpu, copyCpu, phases, mergeParts }),
);
