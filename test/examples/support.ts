import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedWhileUsed } from '../support/shared-while-used.js';
import { onWorkerExit } from '../support/worker-scope.js';

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
};

/** A fresh cdktf.out directory for one example run, removed by the returned cleanup. */
export function tempOut(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-example-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const synthesized = new Map<string, { result: object; outdir: string }>();
// The synths' backends and stacks (~100 MiB) kept only while the worker's files keep using them, their folders
// removed with them (test/support/shared-while-used.ts).
const used = sharedWhileUsed(() => {
  for (const { outdir } of synthesized.values()) rmSync(outdir, { recursive: true, force: true });
  synthesized.clear();
});

/**
 * An example's own synth function (`synthBasic(outdir)`, …) run once per test worker and example, into a folder
 * of its own that lives as long as the worker (test/support/worker-scope.ts) or until a test file of the worker
 * ends without using any (test/support/shared-while-used.ts); later calls get the same result
 * and folder (~0.1–0.6 CPU-s saved per example). The example tests (test/examples/examples.test.ts) and the
 * deployability rules (test/apply/deploy-rules.test.ts) only read an example's stacks and returned backends,
 * so each proves what it did on the one synth of that example. A synth that throws is not kept.
 *
 * @example
 * ```ts
 * const { backend, outdir } = synthOnce('basic.ts', synthBasic);
 * ```
 */
export function synthOnce<R extends object>(
  example: string,
  synth: (outdir: string) => R,
): R & { readonly outdir: string } {
  used();
  let done = synthesized.get(example);
  if (!done) {
    const outdir = mkdtempSync(join(tmpdir(), 'atakora-example-'));
    try {
      done = { result: synth(outdir), outdir };
    } catch (e) {
      rmSync(outdir, { recursive: true, force: true });
      throw e;
    }
    onWorkerExit(() => rmSync(outdir, { recursive: true, force: true }));
    synthesized.set(example, done);
  }
  return { ...(done.result as R), outdir: done.outdir };
}

/** The synthesized stacks of an outdir, by stack name. */
export function stacks(outdir: string): Record<string, TfJson> {
  const out: Record<string, TfJson> = {};
  for (const name of readdirSync(join(outdir, 'stacks')))
    out[name] = JSON.parse(
      readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'),
    ) as TfJson;
  return out;
}

export const count = (json: TfJson, type: string) =>
  Object.keys(json.resource?.[type] ?? {}).length;
export const resources = (json: TfJson, type: string) => Object.values(json.resource?.[type] ?? {});

/** Planned `type.name` addresses vs synthesized ones (the resource group and the test's own resources aside). */
export function addresses(json: TfJson, skip: readonly string[] = []): string[] {
  return Object.entries(json.resource ?? {})
    .filter(([t]) => t !== 'azurerm_resource_group' && !skip.includes(t))
    .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
    .sort();
}
export function planned(plan: {
  resources: readonly { deploys: readonly { terraformType: string; name: string }[] }[];
}): string[] {
  return plan.resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)).sort();
}
