// The synth benchmark's baseline (bench/baseline/) must write exactly what apply writes, or bench/run.ts and
// bench/cli-start.ts stop before printing a ratio. Checked here once, cheaply, so a change to apply that the
// baseline does not follow fails `npm test` instead of the next benchmark run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from '../support/engine.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import type { Backend } from '../../src/backend/backend.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { CrudApisBaselineStack, type BaselineSpec } from '../../bench/baseline/crud-apis-stack.js';
import { benchBackendSpec, cliBackendSpec } from '../../bench/baseline/specs.js';
import { outputDifference, outputDigest } from '../../bench/baseline/same-output.js';

const dirs: string[] = [];
const outdir = () => {
  const d = mkdtempSync(join(tmpdir(), 'atakora-baseline-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function synthBaseline(spec: BaselineSpec): string {
  const dir = outdir();
  const app = new App({ outdir: dir });
  new CrudApisBaselineStack(app, spec);
  app.synth();
  return dir;
}

function synthAtakora(backend: Backend, stackId: string, resourceGroupName: string): string {
  const dir = outdir();
  const app = new App({ outdir: dir });
  backend.apply(new ResourceGroupStack(app, stackId, { resourceGroupName, location: 'eastus' }));
  app.synth();
  return dir;
}

describe('bench/baseline: a typed cdktf program synthesizing the same bytes as apply', () => {
  it("matches bench/cli-start.ts's entry (2 CrudApis, as atakora synth applies it)", () => {
    const atakora = synthAtakora(
      defineBackend(
        {
          users: CrudApi.define('UserApi', {
            entityName: 'User',
            schema: { id: 'string', email: 'string' },
          }),
          orders: CrudApi.define('OrderApi', {
            entityName: 'Order',
            schema: { id: 'string', total: 'number' },
            partitionKey: '/id',
          }),
        },
        { backendId: 'bench', environment: 'dev', location: 'eastus' },
      ),
      'bench-dev',
      'rg-bench-dev',
    );
    const baseline = synthBaseline(cliBackendSpec());
    expect(outputDifference(atakora, baseline)).toBeUndefined();
    // cdk.tf.json, manifest.json and the package zip under its content-hashed asset folder.
    expect(
      [...outputDigest(baseline).keys()].map((f) => f.replace(/\/[0-9A-F]{32}\//, '/<hash>/')),
    ).toEqual([
      'manifest.json',
      expect.stringMatching(
        /^stacks\/bench-dev\/assets\/atakora-bench_bench_functions_shared_package_[0-9A-F]{8}\/<hash>\/atakora-runtime-[0-9a-f]+\.zip$/,
      ),
      'stacks/bench-dev/cdk.tf.json',
    ]);
  });

  it("matches bench/run.ts's backend of n CrudApis (n = 3)", () => {
    const n = 3;
    const defs: Record<string, ReturnType<typeof CrudApi.define>> = {};
    for (let i = 0; i < n; i++)
      defs[`api${i}`] = CrudApi.define(`Api${i}`, {
        entityName: `Entity${i}`,
        schema: { id: 'string', name: 'string', price: 'number' },
      });
    const atakora = synthAtakora(
      defineBackend(defs, { environment: 'bench', location: 'eastus' }),
      'Bench',
      'rg-bench',
    );
    expect(outputDifference(atakora, synthBaseline(benchBackendSpec(n)))).toBeUndefined();
  });

  it('reports a difference (the check is not vacuous)', () => {
    const spec = cliBackendSpec();
    const other = synthBaseline({
      ...spec,
      apis: spec.apis.map((a) => ({ ...a, partitionKey: '/tenantId' })),
    });
    expect(outputDifference(synthBaseline(spec), other)).toMatch(
      /differs: stacks\/bench-dev\/cdk\.tf\.json[\s\S]*first difference/,
    );
  });
});
