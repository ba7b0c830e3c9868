import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deployedEntities } from '../../src/cli/deploy/schema-guard.js';
import { installFakeTerraform } from '../support/fake-terraform.js';
import { runCliInProcess } from '../support/cli-in-process.js';

// `atakora deploy` (the built CLI's main in this worker, test/support/cli-in-process.ts; `npm run build` first) against the stand-in terraform keeping a
// state (FAKE_TF_STATE=1): each run's plan holds the state of the one before as prior_state, whose Function App
// carries the deployed ATAKORA_MANIFEST. The fixture's CrudApi schema changes between runs (SCHEMA_STEP).
const root = resolve(import.meta.dirname, '../..');
const ENTRY = 'test/cli/fixtures/schema-backend.ts';
const tf = installFakeTerraform();
const work = mkdtempSync(join(tmpdir(), 'atakora-schema-deploy-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tf.dir, { recursive: true, force: true });
});

let runs = 0;
async function deploy(step: string, out: string, extra: string[] = []) {
  const log = join(work, `calls-${++runs}.jsonl`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
    FAKE_TF_LOG: log,
    FAKE_TF_STATE: '1',
    SCHEMA_STEP: step,
    ATAKORA_SKIP_PREFLIGHT: '1',
  };
  for (const k of ['ATAKORA_TERRAFORM', 'FAKE_TF_PLAN', 'FAKE_TF_FAIL', 'FAKE_TF_SNAPSHOTS'])
    delete env[k];
  const r = await runCliInProcess(
    [
      'deploy',
      ENTRY,
      '--auto-approve',
      '--no-verify',
      '--no-sync',
      ...extra,
      '--out',
      join(work, out),
    ],
    { env, cwd: root },
  );
  let calls: string[] = [];
  try {
    calls = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { args: string[] }).args[0]!);
  } catch {
    calls = [];
  }
  return { ...r, calls };
}

/** The deployed manifest's entity of TaskApi, read back from the stand-in's state file. */
function deployedTask(out: string) {
  const stacks = join(work, out, 'stacks');
  const [stack] = readdirSync(stacks);
  const state = JSON.parse(
    readFileSync(join(stacks, stack!, 'fake.tfstate.json'), 'utf8'),
  ) as Record<string, unknown>;
  const resources = Object.entries(state).map(([address, values]) => ({ address, values }));
  const { entities } = deployedEntities({
    prior_state: { values: { root_module: { resources } } },
  } as never);
  return entities?.find((e) => e.componentId === 'TaskApi');
}

describe('atakora deploy runs the schema guard against the deployed manifest', () => {
  it('a first deploy passes; a removed field is refused before apply; a rise with a migration is accepted', async () => {
    const first = await deploy('v1', 'out-remove');
    expect(first.stderr).not.toContain('SCHEMA_MIGRATION_REQUIRED');
    expect(first.code).toBe(0);
    expect(first.calls).toContain('apply');
    expect(Object.keys(deployedTask('out-remove')!.schema)).toContain('done');

    const refused = await deploy('removed', 'out-remove');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SCHEMA_MIGRATION_REQUIRED');
    expect(refused.stderr).toContain('CrudApi TaskApi: done was removed');
    expect(refused.stderr).toContain('Nothing was applied');
    // Planned and shown, never applied: the state still serves the old schema.
    expect(refused.calls).toEqual(['init', 'plan', 'show']);
    expect(Object.keys(deployedTask('out-remove')!.schema)).toContain('done');

    const migrated = await deploy('migrated', 'out-remove');
    expect(migrated.stderr).not.toContain('SCHEMA_MIGRATION_REQUIRED');
    expect(migrated.stderr).toContain('schema change: TaskApi.done: done was removed');
    expect(migrated.code).toBe(0);
    expect(migrated.calls).toContain('apply');
    const now = deployedTask('out-remove')!;
    expect(Object.keys(now.schema)).not.toContain('done');
    expect(now.schemaVersion).toBe(2);
  });

  it('an optional field added passes; --allow-schema-change deploys a removal with a warning', async () => {
    expect((await deploy('v1', 'out-optional')).code).toBe(0);
    const optional = await deploy('optional', 'out-optional');
    expect(optional.stderr).toContain(
      'schema change: TaskApi.note: note was added (optional or defaulted)',
    );
    expect(optional.stderr).not.toContain('SCHEMA_MIGRATION_REQUIRED:');
    expect(optional.code).toBe(0);
    expect(optional.calls).toContain('apply');
    expect(Object.keys(deployedTask('out-optional')!.schema)).toContain('note');

    const forced = await deploy('removed', 'out-optional', ['--allow-schema-change']);
    expect(forced.stderr).toContain(
      'warning: SCHEMA_MIGRATION_REQUIRED overridden by --allow-schema-change',
    );
    expect(forced.code).toBe(0);
    expect(forced.calls).toContain('apply');
    expect(Object.keys(deployedTask('out-optional')!.schema)).not.toContain('done');
  });
});

describe('atakora deploy refuses a schemaVersion that goes down', () => {
  it('version 2 deployed, version 1 back: SCHEMA_VERSION_ROLLBACK before apply; --allow-schema-change goes', async () => {
    expect((await deploy('migrated', 'out-rollback')).code).toBe(0);
    const refused = await deploy('v1', 'out-rollback');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SCHEMA_VERSION_ROLLBACK');
    expect(refused.stderr).toContain('CrudApi TaskApi: schemaVersion goes down from 2 to 1');
    expect(refused.stderr).toContain('Nothing was applied');
    expect(refused.calls).toEqual(['init', 'plan', 'show']);
    expect(deployedTask('out-rollback')!.schemaVersion).toBe(2);
    const forced = await deploy('v1', 'out-rollback', ['--allow-schema-change']);
    expect(forced.stderr).toContain(
      'warning: SCHEMA_VERSION_ROLLBACK overridden by --allow-schema-change',
    );
    expect(forced.code).toBe(0);
    expect(deployedTask('out-rollback')!.schemaVersion).toBeUndefined();
  });
});

describe('deployedEntities (what the guard reads of the state)', () => {
  const plan = (settings: Record<string, unknown>[]) =>
    ({
      prior_state: {
        values: {
          root_module: {
            resources: settings.map((app_settings, i) => ({
              address: `azurerm_function_app_flex_consumption.app${String(i)}`,
              values: { app_settings },
            })),
          },
        },
      },
    }) as never;

  it('a first deploy (no prior state, or no manifest in it) has nothing to compare', () => {
    expect(deployedEntities({} as never).entities).toBeUndefined();
    expect(deployedEntities(plan([{ OTHER: 'x' }])).entities).toBeUndefined();
  });

  it('skips, and counts, what a state writer could have put there in another shape', () => {
    const good = {
      componentId: 'TaskApi',
      schema: { title: { type: 'string', required: false } },
    };
    const r = deployedEntities(
      plan([
        { ATAKORA_MANIFEST: 'not json' },
        {
          ATAKORA_MANIFEST: JSON.stringify({
            entities: [
              good,
              { componentId: 'Bad\u001b[31m', schema: {} },
              { componentId: 'X', schema: { 'a b': { type: 'string', required: false } } },
              { componentId: 'Y', schema: { a: { type: 'weird', required: false } } },
              { componentId: 'Z', schema: {}, schemaVersion: -1 },
            ],
          }),
        },
      ]),
    );
    expect(r.entities?.map((e) => e.componentId)).toEqual(['TaskApi']);
    expect(r.skipped).toBe(5);
  });
});
