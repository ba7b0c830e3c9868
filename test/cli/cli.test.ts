import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { resourcePlanSchema } from '../../src/plan/plan-schema.js';
import { runCliInProcess } from '../support/cli-in-process.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
// Entries the tests write live inside the package, so they import it by name as users do.
const work = mkdtempSync(join(root, '.tmp-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// No subscription id from the machine running the tests: what the CLI prints must not depend on it.
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['ARM_SUBSCRIPTION_ID'];
  return env;
}

/**
 * `atakora <args>` as a process of the built bin: for what the process boundary proves (each exit code the bin
 * hands the shell, stdout off a terminal). A command's output otherwise goes through {@link inProcess}: the same
 * built main in this worker, without a cold start (~0.5 CPU-s) per call.
 */
async function atakora(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const env = cliEnv();
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env,
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** `atakora <args>` through dist/cli/main.js in this worker (test/support/cli-in-process.ts), as the bin runs it. */
const inProcess = (...args: string[]) => runCliInProcess(args, { env: cliEnv(), cwd: root });

describe('atakora CLI (the bin as a child process where the process is proven)', () => {
  it('plan prints resources, consumers and the cost summary; exit 0 when clean', async () => {
    const r = await atakora('plan', 'examples/basic.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cosmos:shared');
    expect(r.stdout).toContain('OrderApi, ProductApi, UserApi');
    expect(r.stdout).toMatch(/3 shared instead of 9/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour off a TTY
  });

  it('plan --json validates against the exported plan schema', async () => {
    const r = await inProcess('plan', 'examples/basic.ts', '--json');
    expect(r.code).toBe(0);
    const parsed = resourcePlanSchema.safeParse(JSON.parse(r.stdout));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('exit 1 when a plan has limit violations, with the violation printed', async () => {
    const entry = join(work, 'over-limit.ts');
    writeFileSync(
      entry,
      `
      import { defineBackend } from '@atakora/component/backend';
      import { CrudApi } from '@atakora/component/crud';
      export default defineBackend({
        a: CrudApi.define('AApi', { entityName: 'A', schema: { id: 'string' } }),
        b: CrudApi.define('BApi', { entityName: 'B', schema: { id: 'string' }, consistency: 'Strong' }),
      }, { limits: { maxCosmosAccounts: 1 } });
    `,
    );
    const r = await atakora('plan', entry);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Limit: 1');
    expect(r.stdout).toContain('Requested: 2');
  });

  it('--format markdown is a well-formed pull-request comment', async () => {
    const r = await inProcess('plan', 'examples/basic.ts', '--format', 'markdown');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^## /);
    // Split into tables (runs of lines starting with '|'): a separator second, every row as wide as the header.
    const tables: string[][] = [];
    lines.forEach((l, i) => {
      if (!l.startsWith('|')) return;
      if (!lines[i - 1]?.startsWith('|')) tables.push([]);
      tables.at(-1)!.push(l.trimEnd());
    });
    expect(tables.length).toBeGreaterThanOrEqual(2);
    const cols = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const [header, separator, ...rows] of tables) {
      expect(separator).toMatch(/^\|( *:?-{3,}:? *\|)+$/);
      for (const row of [separator!, ...rows]) expect(cols(row)).toBe(cols(header!));
    }
    expect(tables.flat().some((l) => /^\| `cosmos:shared`/.test(l))).toBe(true);
  });

  it('--format mermaid is a flowchart with one edge per component and resource', async () => {
    const r = await inProcess('plan', 'examples/basic.ts', '--format', 'mermaid');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => l.trim());
    expect(lines[0]).toBe('flowchart LR');
    const edges = lines.filter((l) => l.includes('-->'));
    expect(edges).toHaveLength(9);
    for (const e of edges) expect(e).toMatch(/^[A-Za-z0-9_]+ --> [A-Za-z0-9_]+$/);
  });

  it('synth writes cdk.tf.json per backend for terraform -chdir', async () => {
    const out = join(work, 'out');
    const r = await inProcess('synth', 'examples/basic.ts', '--out', out);
    expect(r.code).toBe(0);
    const file = join(out, 'stacks', 'backend-prod', 'cdk.tf.json');
    expect(existsSync(file)).toBe(true);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { resource: Record<string, object> };
    expect(Object.keys(json.resource)).toContain('azurerm_function_app_flex_consumption');
    expect(r.stderr).toContain('[1/1]');
    // apply's warnings reach the terminal: without a subscription id the names are provisional.
    expect(r.stderr).toMatch(/warning: atakora: no subscription id at synth/);
    // basic.ts: one Cosmos account, three databases and three containers, one storage account.
    expect(r.stderr).toContain('backend-prod: 8 resources that hold data carry prevent_destroy');
    const kept = Object.values(json.resource)
      .flatMap((byName) =>
        Object.values(byName as Record<string, { lifecycle?: { prevent_destroy?: boolean } }>),
      )
      .filter((x) => x.lifecycle?.prevent_destroy);
    expect(kept).toHaveLength(8);
  });

  it('diff of two saved plans flags a stateful replacement as data loss (exit 1); identical plans exit 0', async () => {
    const before = join(work, 'before.json');
    const after = join(work, 'after.json');
    writeFileSync(before, (await inProcess('plan', 'examples/basic.ts', '--json')).stdout);
    const same = await inProcess('diff', before, before);
    expect(same.code).toBe(0);
    // The same backend whose Cosmos account got another name: a replacement of a stateful resource.
    const envChange = JSON.parse(readFileSync(before, 'utf8')) as Record<string, unknown>;
    const resources = (envChange['resources'] as { name: string; type: string }[]).map((r) =>
      r.type === 'cosmos' ? { ...r, name: `${r.name}x` } : r,
    );
    writeFileSync(after, JSON.stringify({ ...envChange, resources }));
    const r = await inProcess('diff', before, after);
    expect(r.code).toBe(1);
    expect(r.stdout.toLowerCase()).toContain('data loss');
    const md = await inProcess('diff', before, after, '--format', 'markdown');
    expect(md.stdout).toMatch(/^#/);
    // A saved plan against an entry works too.
    expect((await inProcess('diff', before, 'examples/basic.ts')).code).toBe(0);
  });

  it('usage errors exit 2 with help; --help exits 0', async () => {
    // The bin hands the shell 2 and 0 (a process each); the other cases are the command's (in this worker).
    expect((await atakora('plan')).code).toBe(2);
    expect((await inProcess('frobnicate')).code).toBe(2);
    expect((await inProcess('plan', 'examples/basic.ts', '--format', 'yaml')).code).toBe(2);
    expect((await inProcess('plan', 'missing.ts')).code).toBe(2);
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"version": 2}');
    expect((await inProcess('diff', bad, bad)).code).toBe(2);
    for (const cmd of ['plan', 'synth', 'diff']) {
      const h = cmd === 'plan' ? await atakora(cmd, '--help') : await inProcess(cmd, '--help');
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(`atakora ${cmd}`);
    }
  });

  it('an AtakoraError prints the code, the message and the fix (exit 1)', async () => {
    const entry = join(work, 'broken.ts');
    writeFileSync(
      entry,
      `
      import { defineBackend } from '@atakora/component/backend';
      import { CrudApi } from '@atakora/component/crud';
      export default defineBackend({ a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' }, partitionKey: 'id' }) });
    `,
    );
    const r = await atakora('plan', entry);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CRUD_PARTITION_KEY_INVALID');
    expect(r.stderr).toContain('Resolution:');
  });
});
