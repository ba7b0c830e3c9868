import { spawn } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxEnvironment } from '../../src/cli/deploy/sandbox-name.js';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';
import { installNodeStandIn } from '../support/node-stand-in.js';
import { startAppServiceStandIn } from '../support/appservice-standin.js';
import { packageAddress, type Resources } from '../support/app-packages.js';
import { runCliInProcess } from '../support/cli-in-process.js';

// `atakora sandbox` as users run it (the built CLI, `npm run build` first: its main in this worker through
// test/support/cli-in-process.ts, the watching one dist/cli/bin.js as a process it interrupts), with a stand-in `az` (who is signed
// in: $FAKE_AZ_USER; tokens), the stand-in terraform and a loopback stand-in of Blob storage and Resource Manager.
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
// The project lives inside the package, so its entry imports it by name as users do.
const project = mkdtempSync(join(root, '.tmp-sandbox-'));
const rel = relative(root, project);
const azDir = mkdtempSync(join(project, 'az-'));
const SUBSCRIPTION = '5f1c2e3d-0000-4000-8000-000000000001';
let stand: Awaited<ReturnType<typeof startAppServiceStandIn>>;
let tf: FakeTerraform;

beforeAll(async () => {
  installNodeStandIn(
    join(azDir, 'az'),
    `const args = process.argv.slice(2);
if (args[0] === 'account' && args[1] === 'show') { process.stdout.write(JSON.stringify({ user: { name: process.env.FAKE_AZ_USER, type: 'user' }, tenantId: 'tenant-1' })); process.exit(0); }
const resource = args[args.indexOf('--resource') + 1];
process.stdout.write(JSON.stringify({ accessToken: 'token-for-' + resource, expires_on: Math.floor(Date.now() / 1000) + 3600, tokenType: 'Bearer' }));
`,
  );
  writeFileSync(
    join(project, 'fn.ts'),
    "export default async function hello() { await Promise.resolve(); return { body: 'one' }; }\n",
  );
  writeFileSync(
    join(project, 'backend.ts'),
    `import { defineBackend } from '@atakora/component/backend';
import { FunctionsApp } from '@atakora/component/functions';
export default defineBackend({
  hello: FunctionsApp.define('Hello', { runtime: 'node', functions: { hello: { trigger: 'http', route: 'hello', handler: './${rel}/fn.ts' } } }),
}, { backendId: 'sbx', auth: 'none' });
`,
  );
  stand = await startAppServiceStandIn();
  tf = installFakeTerraform();
});
afterAll(async () => {
  await stand.close();
  rmSync(project, { recursive: true, force: true });
  rmSync(tf.dir, { recursive: true, force: true });
});

const env = (user: string): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${azDir}${delimiter}${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
    AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    FAKE_AZ_USER: user,
    ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    ATAKORA_ARM_ENDPOINT: `${stand.base}/arm`,
    ATAKORA_BLOB_ENDPOINT: `${stand.base}/blob/{account}`,
    ATAKORA_SCM_ENDPOINT: `${stand.base}/scm/{app}`,
    FAKE_TF_LOG: tf.log,
    FAKE_TF_STATE: '1',
    ATAKORA_SKIP_PREFLIGHT: '1',
  };
  for (const k of [
    'ARM_CLIENT_ID',
    'ARM_CLIENT_SECRET',
    'ARM_TENANT_ID',
    'ARM_USE_OIDC',
    'ATAKORA_ARM_TOKEN',
    'ATAKORA_TERRAFORM',
  ])
    delete e[k];
  return e;
};
const entry = () => `${rel}/backend.ts`;
const tfCalls = (): { cwd: string; args: string[] }[] =>
  existsSync(tf.log)
    ? readFileSync(tf.log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { cwd: string; args: string[] })
    : [];

function run(
  args: string[],
  user: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliInProcess(args, { env: env(user), cwd: root });
}

describe('sandbox names', () => {
  it('two users never share one, even with alike names; one user always gets the same', () => {
    const a = sandboxEnvironment({ name: 'ada.lovelace@contoso.com', tenantId: 't' });
    const b = sandboxEnvironment({ name: 'ada.lovelace@fabrikam.com', tenantId: 't' });
    const c = sandboxEnvironment({ name: 'ada.lovelace@contoso.com', tenantId: 'other' });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(sandboxEnvironment({ name: 'Ada.Lovelace@contoso.com', tenantId: 't' })).toBe(a);
    for (const n of [
      a,
      b,
      c,
      sandboxEnvironment({ name: '00000000-0000-0000-0000-000000000000', tenantId: 't' }),
    ])
      expect(n).toMatch(/^sbx-[a-z0-9]{1,8}-[a-z0-9]{5}$/);
  });
});

describe('atakora sandbox (stand-in terraform and az)', () => {
  const out = (n: string) => join(project, `out-${n}`);

  it("two users' sandboxes deploy to disjoint stacks and names, with data protection off", async () => {
    const [ada, bob] = await Promise.all([
      run(
        ['sandbox', entry(), '--once', '--no-verify', '--no-sync', '--out', out('ada')],
        'ada@contoso.com',
      ),
      run(
        ['sandbox', entry(), '--once', '--no-verify', '--no-sync', '--out', out('bob')],
        'bob@contoso.com',
      ),
    ]);
    expect(ada.stderr).not.toMatch(/Error/);
    expect([ada.code, bob.code]).toEqual([0, 0]);
    const envOf = (r: { stderr: string }) => /environment (sbx-[a-z0-9-]+)/.exec(r.stderr)![1]!;
    expect(envOf(ada)).not.toBe(envOf(bob));
    const stacks = [
      readdirSync(join(out('ada'), 'stacks')),
      readdirSync(join(out('bob'), 'stacks')),
    ].flat();
    expect(stacks).toEqual([`sbx-${envOf(ada)}`, `sbx-${envOf(bob)}`]);
    const json = (who: string, env: string) =>
      JSON.parse(readFileSync(join(out(who), 'stacks', `sbx-${env}`, 'cdk.tf.json'), 'utf8')) as {
        resource: Record<
          string,
          Record<string, { name?: string; lifecycle?: { prevent_destroy?: boolean } }>
        >;
      };
    const [ja, jb] = [json('ada', envOf(ada)), json('bob', envOf(bob))];
    const names = (j: typeof ja) =>
      Object.values(j.resource)
        .flatMap((r) => Object.values(r).map((x) => x.name))
        .filter((n): n is string => typeof n === 'string' && n.includes('sbx'));
    expect(names(ja).length).toBeGreaterThan(3);
    expect(names(ja).filter((n) => names(jb).includes(n))).toEqual([]);
    expect(JSON.stringify(ja)).not.toContain('prevent_destroy');
    expect(ada.stdout).toMatch(/hello\.endpoint +https:\/\/func-sbx-sbx-/);
  });

  it('watches: a handler-only change uploads the package and restarts the app without Terraform; an entry change deploys again', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'sandbox', entry(), '--no-verify', '--no-sync', '--out', out('watch')],
      { cwd: root, env: env('ada@contoso.com'), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', () => undefined);
    const waitFor = async (re: RegExp, from = 0) => {
      const end = Date.now() + 120_000;
      while (!re.test(stderr.slice(from))) {
        if (Date.now() > end || child.exitCode !== null)
          throw new Error(`no ${String(re)} in:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(/Watching /);
      // The deployed app, as Resource Manager would describe it after that apply: it reads its package where
      // the synthesized stack puts it, and the stand-in accepts an upload there only.
      const stacks = join(out('watch'), 'stacks');
      const address = packageAddress(
        (
          JSON.parse(
            readFileSync(join(stacks, readdirSync(stacks)[0]!, 'cdk.tf.json'), 'utf8'),
          ) as { resource: Resources }
        ).resource,
      );
      stand.blobs.set(address.path, undefined);
      stand.sites.set(address.app, {
        settings: { ATAKORA_PACKAGE_MD5: 'deployed' },
        deploymentContainer: address.url,
        state: 'Running',
        refreshes: 0,
        referenceReads: 0,
      });
      const tfBefore = tfCalls().length;
      const seenBefore = stand.seen.length;
      let mark = stderr.length;
      writeFileSync(
        join(project, 'fn.ts'),
        "export default async function hello() { await Promise.resolve(); return { body: 'two' }; }\n",
      );
      await waitFor(/restarted with the new code|fix it and save again/, mark);
      await waitFor(/up to date; watching/, mark);
      expect(stderr.slice(mark)).toContain('code only, redeploying the package without Terraform');
      expect(tfCalls().length).toBe(tfBefore);
      const mine = stand.seen.slice(seenBefore);
      expect(stderr.slice(mark)).toContain(`${address.app}: restarted with the new code`);
      // Flex Consumption: One Deploy on the app's SCM site with the deployer's Resource Manager token (the
      // same one its Resource Manager calls carry); the platform (the stand-in) stores the package where the app
      // reads it. The CLI itself writes no blob.
      const publishes = mine.filter((s) => s.method === 'POST' && s.url.startsWith('/scm/'));
      expect(publishes.map((p) => p.url)).toEqual([
        `/scm/${address.app}/api/publish?RemoteBuild=false&Deployer=atakora`,
      ]);
      const armCall = mine.find((s) => s.url.startsWith('/arm/'));
      expect(publishes[0]!.authorization).toMatch(/^Bearer token-for-/);
      expect(publishes[0]!.authorization).toBe(armCall!.authorization);
      expect(mine.filter((s) => s.method === 'PUT' && s.url.startsWith('/blob/'))).toEqual([]);
      expect(address.path).toMatch(
        /^stsbxsbx[a-z0-9]+\/app-package-func-sbx-sbx-[a-z0-9-]+-[0-9a-f]{7}\/released-package\.zip$/,
      );
      expect(stand.blobs.get(address.path)).toBeDefined();
      expect(stand.sites.get(address.app)!.settings['ATAKORA_PACKAGE_MD5']).toMatch(
        /^[0-9a-f]{32}$/,
      );

      mark = stderr.length;
      appendFileSync(join(project, 'backend.ts'), '// a change to the entry\n');
      await waitFor(/planning and deploying again/, mark);
      await waitFor(/up to date; watching/, mark);
      const after = tfCalls()
        .slice(tfBefore)
        .map((c) => c.args[0]);
      expect(after).toEqual(expect.arrayContaining(['init', 'plan', 'apply']));
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('--delete destroys the sandbox', async () => {
    const before = tfCalls().length;
    const r = await run(['sandbox', entry(), '--delete', '--out', out('ada')], 'ada@contoso.com');
    expect(r.code).toBe(0);
    const calls = tfCalls().slice(before);
    expect(calls.some((c) => c.args[0] === 'plan' && c.args.includes('-destroy'))).toBe(true);
    expect(calls.every((c) => /stacks\/sbx-sbx-ada-[a-z0-9]{5}$/.test(c.cwd))).toBe(true);
    expect(r.stderr).toMatch(/Destroyed 1 stack/);
  });
});
