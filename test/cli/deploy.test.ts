import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  SYNC_TRIGGERS_API_VERSION,
  triggerSyncRequests,
} from '../../src/cli/azure/trigger-sync-requests.js';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';
import { runCliInProcess } from '../support/cli-in-process.js';

// `atakora deploy|destroy` as users run it (the built CLI, `npm run build` first), against the stand-in terraform
// of test/support/fake-terraform.ts first on PATH. stdin is a pipe: no terminal. The CLI's main runs in this
// worker (test/support/cli-in-process.ts: one load of cdktf, not a cold start per deploy); the Ctrl+C test
// starts dist/cli/bin.js as a process, for the signal.
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const work = mkdtempSync(join(tmpdir(), 'atakora-deploy-'));
const fakes: FakeTerraform[] = [];
const servers: Server[] = [];
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const f of fakes) rmSync(f.dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

let runs = 0;
async function deploy(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  path?: string,
  during?: (child: ChildProcess, tf: FakeTerraform) => void,
) {
  const tf = installFakeTerraform();
  fakes.push(tf);
  const out = join(work, `out-${++runs}`);
  // The preflight (Azure credentials, subscription, providers) has its own tests: deploy-preflight.test.ts.
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    PATH: path ?? `${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
    FAKE_TF_LOG: tf.log,
    ATAKORA_SKIP_PREFLIGHT: '1',
  };
  for (const k of [
    'ARM_SUBSCRIPTION_ID',
    'ATAKORA_TERRAFORM',
    'ATAKORA_ARM_ENDPOINT',
    'ATAKORA_ARM_TOKEN',
    'FAKE_TF_PLAN',
    'FAKE_TF_FAIL',
    'FAKE_TF_OUTPUT_BASE',
    'FAKE_TF_HANG',
    'FAKE_TF_SUBSCRIPTION',
    'DEPLOY_COLOR',
  ])
    delete base[k];
  // In this worker (the command's behaviour); a test that signals the process gets a real one.
  const r = !during
    ? await runCliInProcess([...args, '--out', out], { env: { ...base, ...env }, cwd: root })
    : await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        const child = execFile(
          process.execPath,
          [bin, ...args, '--out', out],
          { cwd: root, env: { ...base, ...env }, maxBuffer: 32 * 1024 * 1024 },
          (e, stdout, stderr) => {
            done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr });
          },
        );
        child.stdin?.end();
        during?.(child, tf);
      });
  return { ...r, out, calls: tf.calls(), tf };
}

async function serve(
  handler: (url: string, method: string) => number,
): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res
      .writeHead(handler(req.url ?? '', req.method ?? ''), { 'content-type': 'application/json' })
      .end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const commands = (calls: { args: string[] }[]) =>
  calls.map((c) => c.args.filter((a) => !a.startsWith('-input') && a !== '-no-color').join(' '));

describe('atakora deploy (stand-in terraform)', () => {
  it('runs init → plan → show → apply → output in the stack directory and prints the endpoints', async () => {
    const r = await deploy([
      'deploy',
      'examples/basic.ts',
      '--auto-approve',
      '--no-verify',
      '--no-sync',
    ]);
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(commands(r.calls)).toEqual([
      'init',
      'plan -out=atakora.tfplan',
      'show -json atakora.tfplan',
      'apply atakora.tfplan',
      'output -json',
    ]);
    for (const c of r.calls) expect(c.cwd).toBe(join(r.out, 'stacks', 'backend-prod'));
    expect(
      r.calls.every(
        (c) => c.args.includes('-input=false') || c.args[0] === 'show' || c.args[0] === 'output',
      ),
    ).toBe(true);
    expect(r.stdout).toMatch(
      /^backend-prod\n {2}orderApi\.apiEndpoint +https:\/\/func-backend-prod-[a-z0-9]{6}\.azurewebsites\.net\/api\/orders$/m,
    );
    expect(r.stdout).toMatch(
      /userApi\.apiEndpoint +https:\/\/func-backend-prod-[a-z0-9]{6}\.azurewebsites\.net\/api\/users/,
    );
    // Progress: one line per step, the apply's resource count as Terraform reported it, elapsed times.
    expect(r.stderr).toMatch(/\[1\/1\] backend-prod: init — done \(\d+\.\ds\)/);
    expect(r.stderr).toMatch(/backend-prod: (\d+) to add, 0 to change, 0 to destroy/);
    const planned = Number(/backend-prod: (\d+) to add/.exec(r.stderr)![1]);
    expect(r.stderr).toContain(
      `[1/1] backend-prod: apply — ${planned} added, 0 changed, 0 destroyed`,
    );
    expect(r.stderr).toMatch(/cosmos:shared +\+\d+ ~0 -0 {2}used by OrderApi, ProductApi, UserApi/);
    expect(r.stderr).toContain('(not verified: --no-verify)');
    // --auto-approve: the summary only, not Terraform's plan text; the plan file is gone once applied.
    expect(r.stderr).not.toContain('will be created');
    expect(existsSync(join(r.out, 'stacks', 'backend-prod', 'atakora.tfplan'))).toBe(false);
  });

  it('several stacks: each gets its own init/plan/show/apply in its own directory, in synth order; named stacks only when given', async () => {
    const r = await deploy([
      'deploy',
      'examples/blue-green.ts',
      '--auto-approve',
      '--no-verify',
      '--no-sync',
      '--backend',
      'azurerm',
      '--backend-config',
      'storage_account_name=sttfstate',
      '--backend-config',
      'use_azuread_auth=true',
    ]);
    expect(r.code).toBe(0);
    const dirs = [...new Set(r.calls.map((c) => c.cwd))];
    expect(dirs).toEqual([
      join(r.out, 'stacks', 'app-blue-production'),
      join(r.out, 'stacks', 'app-green-production'),
    ]);
    for (const d of dirs) {
      expect(commands(r.calls.filter((c) => c.cwd === d))).toEqual([
        'init -backend-config=storage_account_name=sttfstate -backend-config=use_azuread_auth=true',
        'plan -out=atakora.tfplan',
        'show -json atakora.tfplan',
        'apply atakora.tfplan',
        'output -json',
      ]);
      // --backend azurerm: a partial azurerm backend block, one state key per stack.
      const json = JSON.parse(readFileSync(join(d, 'cdk.tf.json'), 'utf8')) as {
        terraform: { backend: unknown };
      };
      expect(json.terraform.backend).toEqual({ azurerm: { key: `${basename(d)}.tfstate` } });
    }
    expect(r.stderr).toContain('[2/2] app-green-production: apply');

    // The seeds' blue-green: DEPLOY_COLOR=green npx atakora deploy … deploys the green stack, tagged active.
    const one = await deploy(
      [
        'deploy',
        'examples/blue-green.ts',
        'app-green-production',
        '--auto-approve',
        '--no-verify',
        '--no-sync',
      ],
      { DEPLOY_COLOR: 'green' },
    );
    expect(one.code).toBe(0);
    expect([...new Set(one.calls.map((c) => c.cwd))]).toEqual([
      join(one.out, 'stacks', 'app-green-production'),
    ]);
    const green = JSON.parse(
      readFileSync(join(one.out, 'stacks', 'app-green-production', 'cdk.tf.json'), 'utf8'),
    ) as { resource: Record<string, Record<string, { tags?: Record<string, string> }>> };
    expect(Object.values(green.resource['azurerm_cosmosdb_account']!)[0]!.tags).toMatchObject({
      deployment: 'green',
      active: 'true',
    });
  });

  it("a replaced Cosmos DB container is refused before apply, naming it, Terraform's reason and --allow-data-loss", async () => {
    const scenario = join(work, 'replace-container.json');
    const address = 'azurerm_cosmosdb_sql_container.backend_cosmos_shared_db_user-db_c_user';
    writeFileSync(
      scenario,
      JSON.stringify({
        format_version: '1.2',
        resource_changes: [
          {
            address,
            mode: 'managed',
            type: 'azurerm_cosmosdb_sql_container',
            name: 'backend_cosmos_shared_db_user-db_c_user',
            action_reason: 'replace_because_cannot_update',
            change: { actions: ['delete', 'create'], replace_paths: [['partition_key_paths']] },
          },
          {
            address: 'azurerm_function_app_flex_consumption.backend_functions_shared',
            mode: 'managed',
            type: 'azurerm_function_app_flex_consumption',
            name: 'backend_functions_shared',
            change: { actions: ['update'] },
          },
        ],
      }),
    );
    const r = await deploy(
      ['deploy', 'examples/basic.ts', '--auto-approve', '--no-verify', '--no-sync'],
      { FAKE_TF_PLAN: scenario },
    );
    expect(r.code).toBe(1);
    expect(commands(r.calls)).toEqual([
      'init',
      'plan -out=atakora.tfplan',
      'show -json atakora.tfplan',
    ]);
    expect(r.stderr).toContain('DEPLOY_DATA_LOSS');
    expect(r.stderr).toContain(
      `-/+ ${address} — replaced: cannot be updated in place (replace_because_cannot_update); forced by partition_key_paths [OrderApi, ProductApi, UserApi]`,
    );
    expect(r.stderr).toContain('Nothing was applied to backend-prod');
    expect(r.stderr).toContain('--allow-data-loss');

    const allowed = await deploy(
      [
        'deploy',
        'examples/basic.ts',
        '--auto-approve',
        '--no-verify',
        '--no-sync',
        '--allow-data-loss',
      ],
      { FAKE_TF_PLAN: scenario },
    );
    expect(allowed.code).toBe(0);
    expect(commands(allowed.calls)).toContain('apply atakora.tfplan');
    expect(allowed.stderr).toContain('apply — 1 added, 1 changed, 1 destroyed');
  });

  it("a failing apply exits 1 with Terraform's error verbatim under the stack name", async () => {
    const r = await deploy(
      ['deploy', 'examples/basic.ts', '--auto-approve', '--no-verify', '--no-sync'],
      { FAKE_TF_FAIL: 'apply' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `--- terraform apply (stack backend-prod, ${join(r.out, 'stacks', 'backend-prod')}) ---`,
    );
    expect(r.stderr).toMatch(
      /Error: creating azure(rm|ad)_\S+: unexpected status 409 \(409 Conflict\) with error: Conflict: scripted failure/,
    );
    expect(r.stderr).toContain(
      'TERRAFORM_FAILED: terraform apply failed in stack backend-prod (exit 1)',
    );
    expect(r.stderr).toMatch(/\[1\/1\] backend-prod: apply — failed \(exit 1\) after 0\/\d+/);
    expect(commands(r.calls)).not.toContain('output -json');
  });

  it('Ctrl+C during apply is passed to terraform once, which stops gracefully; the deploy exits 1 with its words', async () => {
    let poll: NodeJS.Timeout | undefined;
    const r = await deploy(
      ['deploy', 'examples/basic.ts', '--auto-approve', '--no-verify', '--no-sync'],
      { FAKE_TF_HANG: 'apply' },
      undefined,
      (child, tf) => {
        // Once apply runs with its interrupt handler in place (a fixed delay after it started would race a busy machine).
        poll = setInterval(() => {
          if (!tf.interruptible()) return;
          clearInterval(poll);
          child.kill('SIGINT');
        }, 50);
      },
    );
    clearInterval(poll);
    expect(r.code).toBe(1);
    expect(commands(r.calls)).toEqual([
      'init',
      'plan -out=atakora.tfplan',
      'show -json atakora.tfplan',
      'apply atakora.tfplan',
      '(SIGINT)',
    ]);
    expect(r.stderr).toContain('SIGINT: waiting for terraform to stop gracefully');
    expect(r.stderr).toContain(
      'Interrupt received.\nPlease wait for Terraform to exit or data loss may occur.',
    );
    expect(r.stderr).toContain('TERRAFORM_FAILED: terraform apply failed in stack backend-prod');
  });

  it('a failing init stops before plan', async () => {
    const r = await deploy(['deploy', 'examples/basic.ts', '--auto-approve', '--no-verify'], {
      FAKE_TF_FAIL: 'init',
    });
    expect(r.code).toBe(1);
    expect(commands(r.calls)).toEqual(['init']);
    expect(r.stderr).toContain('Error: scripted failure of terraform init');
  });

  it('no terminal and no --auto-approve: the plan is shown, nothing is applied, the flag is named', async () => {
    const r = await deploy(['deploy', 'examples/basic.ts', '--no-verify']);
    expect(r.code).toBe(1);
    expect(commands(r.calls)).toEqual([
      'init',
      'plan -out=atakora.tfplan',
      'show -json atakora.tfplan',
    ]);
    expect(r.stderr).toMatch(/backend-prod: \d+ to add/);
    expect(r.stderr).toContain('DEPLOY_NOT_CONFIRMED');
    expect(r.stderr).toContain('--auto-approve');
    // Someone is to review it: Terraform's own plan text is printed too. The refused plan file is removed.
    expect(r.stderr).toContain('# azurerm_cosmosdb_account.backend_cosmos_shared will be created');
    expect(existsSync(join(r.out, 'stacks', 'backend-prod', 'atakora.tfplan'))).toBe(false);
  });

  it('no terraform or tofu on PATH: TERRAFORM_NOT_FOUND with how to install, before any synth; --terraform and ATAKORA_TERRAFORM choose', async () => {
    const empty = mkdtempSync(join(work, 'empty-path-'));
    const r = await deploy(['deploy', 'examples/basic.ts', '--auto-approve'], {}, empty);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('TERRAFORM_NOT_FOUND: Cannot find terraform or tofu on PATH');
    expect(r.stderr).toContain('https://developer.hashicorp.com/terraform/install');
    expect(r.stderr).not.toContain('ENOENT');
    expect(r.stderr).not.toContain('Synthesizing');

    const missing = await deploy(
      ['deploy', 'examples/basic.ts', '--terraform', '/nonexistent/terraform'],
      {},
      empty,
    );
    expect(missing.stderr).toContain('Cannot find "/nonexistent/terraform" (--terraform)');

    // The stand-in named tofu, chosen by ATAKORA_TERRAFORM (not on PATH), and found as tofu on PATH.
    const tofu = installFakeTerraform('tofu');
    fakes.push(tofu);
    const chosen = await deploy(
      ['deploy', 'examples/basic.ts', '--auto-approve', '--no-verify', '--no-sync'],
      { ATAKORA_TERRAFORM: tofu.bin, FAKE_TF_LOG: tofu.log },
      empty,
    );
    expect(chosen.code).toBe(0);
    expect(chosen.stderr).toContain(`with ${tofu.bin}`);
    const onPath = await deploy(
      ['deploy', 'examples/basic.ts', '--auto-approve', '--no-verify', '--no-sync'],
      { FAKE_TF_LOG: tofu.log },
      tofu.dir,
    );
    expect(onPath.code).toBe(0);
    expect(onPath.stderr).toContain(`with ${tofu.bin}`);
  });

  it('health: a healthy app passes, with triggers synced through Resource Manager at the URL the stack outputs give', async () => {
    const app = await serve((url) => (url === '/api/health' ? 200 : 404));
    const arm = await serve(() => 200);
    // No ARM_SUBSCRIPTION_ID: the sync needs none; the subscription is the one in the applied app's resource id.
    const sub = '00000000-0000-0000-0000-0000000000aa';
    const r = await deploy(
      ['deploy', 'examples/basic.ts', '--auto-approve', '--verify-timeout', '5'],
      {
        FAKE_TF_OUTPUT_BASE: app.base,
        ATAKORA_ARM_ENDPOINT: arm.base,
        ATAKORA_ARM_TOKEN: 't',
        FAKE_TF_SUBSCRIPTION: sub,
      },
    );
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(app.seen).toEqual(['GET /api/health']);
    // Exactly the calls triggerSyncRequests derives from that stack's `terraform output -json` (read once).
    expect(commands(r.calls).filter((c) => c === 'output -json')).toHaveLength(1);
    const dir = join(r.out, 'stacks', 'backend-prod');
    const outputs = JSON.parse(
      execFileSync(r.tf.bin, ['output', '-json'], {
        cwd: dir,
        env: { ...process.env, FAKE_TF_SUBSCRIPTION: sub, FAKE_TF_LOG: '' },
        encoding: 'utf8',
      }),
    ) as Record<string, unknown>;
    const expected = triggerSyncRequests(outputs, arm.base);
    expect(expected).toHaveLength(1);
    expect(arm.seen).toEqual(expected.map((e) => `POST ${e.url.slice(arm.base.length)}`));
    expect(arm.seen[0]).toMatch(
      new RegExp(
        `^POST /subscriptions/${sub}/resourceGroups/rg-backend-prod/providers/Microsoft\\.Web/sites/func-backend-prod-[a-z0-9]{6}/syncfunctiontriggers\\?api-version=${SYNC_TRIGGERS_API_VERSION}$`,
      ),
    );
    expect(r.stderr).toMatch(/func-backend-prod-[a-z0-9]{6}: triggers synced/);
    expect(r.stderr).toMatch(/func-backend-prod-[a-z0-9]{6}: healthy after 1 attempt/);
    expect(r.stdout).toMatch(
      new RegExp(`userApi\\.apiEndpoint +${app.base.replace(/\./g, '\\.')}/api/users`),
    );
  });

  it('health: an app that never answers 200 fails the deploy (exit 1) naming it; a failed trigger sync only warns', async () => {
    const app = await serve(() => 503);
    const arm = await serve(() => 403);
    const r = await deploy(
      // The shortest timeout proves it as well as a long one: the app never answers 200, and the first attempt is
      // made whatever the timeout (its answer is the `last` named below).
      ['deploy', 'examples/basic.ts', '--auto-approve', '--verify-timeout', '0.3'],
      {
        FAKE_TF_OUTPUT_BASE: app.base,
        ATAKORA_ARM_ENDPOINT: arm.base,
        ATAKORA_ARM_TOKEN: 't',
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DEPLOY_UNHEALTHY');
    expect(r.stderr).toContain(
      `${app.base}/api/health (last: HTTP 503) did not answer 200 within 0.3s`,
    );
    expect(r.stderr).toMatch(
      /warning: func-backend-prod-[a-z0-9]{6}: triggers not synced \(HTTP 403/,
    );
    // The command to run is the URL that was tried, from the outputs.
    expect(r.stderr).toMatch(
      new RegExp(
        `run: az rest --method post --url "${arm.base.replace(/\./g, '\\.')}/subscriptions/[0-9a-f-]+/resourceGroups/rg-backend-prod/providers/Microsoft\\.Web/sites/func-backend-prod-[a-z0-9]{6}/syncfunctiontriggers\\?api-version=${SYNC_TRIGGERS_API_VERSION}"`,
      ),
    );
    expect(app.seen.length).toBeGreaterThanOrEqual(2);
  });
});

describe('atakora destroy (stand-in terraform)', () => {
  it('plans -destroy; data-holding resources need --allow-data-loss; stacks go in reverse order', async () => {
    const refused = await deploy(['destroy', 'examples/basic.ts', '--auto-approve']);
    expect(refused.code).toBe(1);
    expect(commands(refused.calls)).toEqual([
      'init',
      'plan -destroy -out=atakora.tfplan',
      'show -json atakora.tfplan',
    ]);
    expect(refused.stderr).toMatch(
      / - azurerm_cosmosdb_account\.backend_cosmos_shared — destroyed/,
    );
    expect(refused.stderr).toContain('--allow-data-loss to destroy anyway');

    const r = await deploy([
      'destroy',
      'examples/blue-green.ts',
      '--auto-approve',
      '--allow-data-loss',
    ]);
    expect(r.code).toBe(0);
    expect([...new Set(r.calls.map((c) => c.cwd))]).toEqual([
      join(r.out, 'stacks', 'app-green-production'),
      join(r.out, 'stacks', 'app-blue-production'),
    ]);
    expect(commands(r.calls).filter((c) => c.startsWith('apply'))).toHaveLength(2);
    expect(commands(r.calls)).not.toContain('output -json');
    expect(r.stderr).toMatch(/app-blue-production: destroy — \d+ destroyed/);
  });

  it("a destroy stalled on a subnet's service association link is planned and applied again after a bounded wait", async () => {
    const marker = join(work, `subnet-linked-${++runs}`);
    const r = await deploy(
      ['destroy', 'examples/security-boundaries.ts', '--auto-approve', '--allow-data-loss'],
      { FAKE_TF_FAIL: `subnet-linked:${marker}`, ATAKORA_DESTROY_RETRY_WAIT_MS: '0' },
    );
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(true); // the first apply did fail on the subnet
    expect(r.stderr).toContain('InUseSubnetCannotBeDeleted');
    expect(r.stderr).toMatch(
      /internal-dev: a subnet still holds the Flex app's service association link.*hashicorp\/terraform-provider-azurerm#28979.*try 2 of 4/,
    );
    // The isolated stack is planned (the guard and confirmation again) and applied twice; the other stack once.
    const sequence = (stack: string) =>
      commands(r.calls.filter((c) => c.cwd.endsWith(stack))).map((c) => c.split(' ')[0]);
    expect(sequence('internal-dev')).toEqual([
      'init',
      'plan',
      'show',
      'apply',
      'init',
      'plan',
      'show',
      'apply',
    ]);
    expect(sequence('public-dev')).toEqual(['init', 'plan', 'show', 'apply']);
  });

  it('a failed destroy for any other reason is not retried', async () => {
    const r = await deploy(
      ['destroy', 'examples/security-boundaries.ts', '--auto-approve', '--allow-data-loss'],
      { FAKE_TF_FAIL: 'apply', ATAKORA_DESTROY_RETRY_WAIT_MS: '0' },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('service association link');
    expect(commands(r.calls).filter((c) => c.startsWith('apply'))).toHaveLength(1);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['deploy'], 'deploy takes an <entry>'],
    [
      ['deploy', 'examples/basic.ts', '--verify-timeout', 'soon'],
      '--verify-timeout takes a number of seconds',
    ],
    [['deploy', 'examples/basic.ts', '--auto-aprove'], "Unknown option '--auto-aprove'"],
    [
      ['deploy', 'examples/basic.ts', 'nope', '--auto-approve'],
      'No stack named nope; examples/basic.ts has backend-prod',
    ],
  ])('%j', async (args, message) => {
    const r = await deploy(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('atakora deploy <entry> [stack…]');
    expect(commands(r.calls)).toEqual([]);
  });
});
