import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';
import { startKeyVaultStandIn } from '../support/keyvault-standin.js';
import { startAppServiceStandIn } from '../support/appservice-standin.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { installNodeStandIn } from '../support/node-stand-in.js';

// `atakora secret` and deploy's secret check as users run them (the built CLI: `npm run build` first; its main
// in this worker, test/support/cli-in-process.ts, the value on a piped stdin), against a loopback stand-in of
// Key Vault's data plane and Resource Manager, with credentials from a stand-in `az` on PATH (through
// @azure/identity's AzureCliCredential) and the stand-in terraform.
const root = resolve(import.meta.dirname, '../..');
const entry = 'test/cli/fixtures/secrets-backend.ts';
const work = mkdtempSync(join(tmpdir(), 'atakora-secret-'));
const azLog = join(work, 'az.log');
const SUBSCRIPTION = '5f1c2e3d-0000-4000-8000-000000000001';
const VALUE = 'sk_live_51Hq-the-value-9f8e7d6c5b4a';
let kv: Awaited<ReturnType<typeof startKeyVaultStandIn>>;
// Resource Manager's App Service side: reference refresh and status, per app.
let appsvc: Awaited<ReturnType<typeof startAppServiceStandIn>>;
let tf: FakeTerraform;

beforeAll(async () => {
  installNodeStandIn(
    join(work, 'az'),
    `const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(azLog)}, JSON.stringify(args) + '\\n');
const resource = args[args.indexOf('--resource') + 1];
process.stdout.write(JSON.stringify({ accessToken: 'token-for-' + resource, expires_on: Math.floor(Date.now() / 1000) + 3600, tokenType: 'Bearer' }));
`,
  );
  kv = await startKeyVaultStandIn();
  appsvc = await startAppServiceStandIn();
  tf = installFakeTerraform();
});
afterAll(async () => {
  await kv.close();
  await appsvc.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(tf.dir, { recursive: true, force: true });
});

async function run(
  args: string[],
  input = '',
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${work}${delimiter}${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
    AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
    ATAKORA_KEYVAULT_ENDPOINT: `${kv.base}/{vault}`,
    ATAKORA_ARM_ENDPOINT: `${appsvc.base}/arm`,
    ATAKORA_REFERENCE_POLL_MS: '20',
    FAKE_TF_LOG: tf.log,
    ATAKORA_SKIP_PREFLIGHT: '1',
    ...extraEnv,
  };
  for (const k of [
    'ARM_CLIENT_ID',
    'ARM_CLIENT_SECRET',
    'ARM_TENANT_ID',
    'ARM_USE_OIDC',
    'AZURE_CLIENT_ID',
    'AZURE_TENANT_ID',
    'ATAKORA_ARM_TOKEN',
    'STRIPE_KEY',
  ])
    if (!(k in extraEnv)) delete env[k];
  return runCliInProcess(args, { env, cwd: root, input });
}

/**
 * The vault and app names deploy would create in that environment (the plan for the target, via synth), once per
 * environment: a synth is a cold CLI start loading the provider bindings, seconds on a busy machine, and tests
 * that ask for the same environment's names get the same answer.
 */
const named = new Map<string, Promise<{ vault: string; app: string }>>();
function names(environment?: string): Promise<{ vault: string; app: string }> {
  const key = environment ?? '';
  const known = named.get(key) ?? synthNames(environment);
  named.set(key, known);
  return known;
}
async function synthNames(environment?: string): Promise<{ vault: string; app: string }> {
  const out = join(work, `synth-${environment ?? 'default'}`);
  const r = await run([
    'synth',
    entry,
    '--out',
    out,
    ...(environment ? ['--environment', environment] : []),
  ]);
  expect(r.code).toBe(0);
  const stack = readdirOne(join(out, 'stacks'));
  const json = JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as {
    resource: Record<string, Record<string, { name: string }>>;
  };
  const app = Object.values(json.resource['azurerm_function_app_flex_consumption']!)[0]!.name;
  // The deployed app: its STRIPE_KEY reference resolves at the first refresh unless a test says otherwise.
  appsvc.sites.set(app, {
    settings: {},
    state: 'Running',
    references: { settings: ['STRIPE_KEY'], pending: 'Initialized', resolveAfter: 1 },
    refreshes: 0,
    referenceReads: 0,
  });
  return { vault: Object.values(json.resource['azurerm_key_vault']!)[0]!.name, app };
}
function readdirOne(dir: string): string {
  return readdirSync(dir)[0]!;
}

describe('atakora secret (Key Vault data plane stand-in)', () => {
  it('set sends the value from stdin to Key Vault only, then asks the app to refresh its references', async () => {
    const { vault, app } = await names();
    kv.vaults.add(vault);
    appsvc.sites.get(app)!.references = {
      settings: ['STRIPE_KEY'],
      pending: 'AccessToKeyVaultDenied',
      resolveAfter: 3,
    };
    const before = kv.seen.length;
    const r = await run(['secret', 'set', entry, 'STRIPE_KEY'], `${VALUE}\n`);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `STRIPE_KEY set in ${vault} \\(dev\\) as Key Vault secret STRIPE-KEY, version v0+\\d+`,
      ),
    );
    const mine = kv.seen.slice(before);
    const puts = mine.filter((s) => s.method === 'PUT');
    expect(puts.map((p) => p.url)).toEqual([`/${vault}/secrets/STRIPE-KEY?api-version=7.4`]);
    // The SDK writes the secret's (empty) attributes too; 4.11 (the last for Node 20) sends no contentType.
    expect(JSON.parse(puts[0]!.body)).toEqual({ value: VALUE, attributes: {} });
    // Key Vault's challenge (the SDK's first request, sent without a token) carried no value either.
    expect(kv.challenges.some((c) => c.body.includes(VALUE) || c.url.includes(VALUE))).toBe(false);
    expect(puts[0]!.authorization).toBe('Bearer token-for-https://vault.azure.net');
    // The refresh Learn documents, on the app's resource id, then the references' status until resolved: the
    // stand-in's app resolves STRIPE_KEY only at the third refresh (a vault role still propagating before).
    const site = appsvc.sites.get(app)!;
    expect(site.refreshes).toBe(3);
    expect(site.referenceReads).toBe(3);
    const arm = appsvc.seen.filter((s) => s.url.includes(`/sites/${app}/`));
    const siteUrl = `/arm/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-secrets-dev/providers/Microsoft.Web/sites/${app}`;
    expect(arm.slice(0, 2).map((s) => `${s.method} ${s.url}`)).toEqual([
      `POST ${siteUrl}/config/configreferences/appsettings/refresh?api-version=2022-03-01`,
      `GET ${siteUrl}/config/configreferences/appsettings?api-version=2022-03-01`,
    ]);
    // Resource Manager's audience is its endpoint (here the stand-in's), as for the trigger sync.
    expect(arm[0]!.authorization).toBe(`Bearer token-for-${appsvc.base}/arm`);
    expect(r.stderr).toContain(
      `${app}: waiting for Key Vault references (STRIPE_KEY: AccessToKeyVaultDenied); round 1`,
    );
    expect(r.stderr).toContain(`${app}: 1 Key Vault reference(s) resolved (STRIPE_KEY)`);
    expect(r.stderr).not.toContain('refreshed');
    // The value went only to the PUT: not to any other request, the output, or az.
    expect(
      mine.filter((s) => s !== puts[0] && (s.body.includes(VALUE) || s.url.includes(VALUE))),
    ).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(VALUE);
    expect(readFileSync(azLog, 'utf8')).not.toContain(VALUE);
  });

  it('list prints names, versions and dates, never values', async () => {
    const r = await run(['secret', 'list', entry]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME +KEY VAULT SECRET +STATE +VERSION +VERSIONS +UPDATED$/m);
    expect(r.stdout).toMatch(
      /^STRIPE_KEY +kv-[a-z0-9-]+\/STRIPE-KEY +set +v0+\d+ +1 +20\d\d-\d\d-\d\dT/m,
    );
    expect(r.stdout + r.stderr).not.toContain(VALUE);
  });

  it('a value given as an argument is a usage error; nothing is sent', async () => {
    const before = kv.seen.length;
    const r = await run(['secret', 'set', entry, 'STRIPE_KEY', VALUE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('never given as an argument');
    expect(kv.seen.length).toBe(before);
  });

  // One CLI run per test (each a cold process start): four of them in one test made its time the sum of four
  // starts, which a busy machine pushed past the test timeout.
  it('errors: an unknown name is SECRET_UNKNOWN with the near name', async () => {
    const unknown = await run(['secret', 'set', entry, 'STRIPE_KY'], VALUE);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('SECRET_UNKNOWN');
    expect(unknown.stderr).toContain('did you mean STRIPE_KEY');
  });

  it('errors: an empty value is SECRET_VALUE_EMPTY', async () => {
    const empty = await run(['secret', 'set', entry, 'STRIPE_KEY'], '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('SECRET_VALUE_EMPTY');
  });

  it('errors: a vault never deployed is SECRET_VAULT_NOT_FOUND with the deploy to run; nothing is sent', async () => {
    const never = await run(
      ['secret', 'set', entry, 'STRIPE_KEY', '--environment', 'never-deployed'],
      VALUE,
    );
    expect(never.code).toBe(1);
    expect(never.stderr).toContain('SECRET_VAULT_NOT_FOUND');
    expect(never.stderr).toMatch(/atakora deploy <entry> --environment/);
    expect(kv.seen.some((s) => s.method === 'PUT' && s.url.includes('never'))).toBe(false);
  });

  it('set exits 1 naming the reference and its status when it never resolves within --wait-seconds', async () => {
    const { vault, app } = await names();
    kv.vaults.add(vault);
    const site = appsvc.sites.get(app)!;
    site.refreshes = 0;
    site.references = {
      settings: ['STRIPE_KEY'],
      pending: 'SecretNotFound',
      resolveAfter: Infinity,
    };
    try {
      const r = await run(['secret', 'set', entry, 'STRIPE_KEY', '--wait-seconds', '1'], VALUE);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('SECRET_REFERENCE_UNRESOLVED');
      expect(r.stderr).toMatch(new RegExp(`${app}: STRIPE_KEY is SecretNotFound`));
      expect(r.stderr).not.toMatch(/resolved \(|refreshed/);
      // It kept refreshing within the bound, not once.
      expect(site.refreshes).toBeGreaterThan(1);
    } finally {
      site.references = { settings: ['STRIPE_KEY'], pending: 'Initialized', resolveAfter: 0 };
    }
  });

  it('set exits 1 when the app has no reference for the secret at all', async () => {
    const { vault, app } = await names();
    kv.vaults.add(vault);
    const site = appsvc.sites.get(app)!;
    site.references = { settings: [], pending: 'Initialized', resolveAfter: 0 };
    try {
      const r = await run(['secret', 'set', entry, 'STRIPE_KEY', '--wait-seconds', '0'], VALUE);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${app}: STRIPE_KEY is NotAReference`);
    } finally {
      site.references = { settings: ['STRIPE_KEY'], pending: 'Initialized', resolveAfter: 0 };
    }
  });

  it('errors: no permission is SECRET_ACCESS_DENIED naming the role and the command that grants it', async () => {
    kv.deny.on = true;
    try {
      const denied = await run(['secret', 'set', entry, 'STRIPE_KEY'], VALUE);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain('SECRET_ACCESS_DENIED');
      expect(denied.stderr).toContain('Key Vault Secrets Officer');
      expect(denied.stderr).toContain('az role assignment create');
      expect(denied.stdout + denied.stderr).not.toContain(VALUE);
    } finally {
      kv.deny.on = false;
    }
  });

  it('--environment pr-7 names another vault and app; remove deletes the secret there', async () => {
    const dev = await names();
    const pr = await names('pr-7');
    expect(pr.vault).not.toBe(dev.vault);
    expect(pr.app).toContain('pr-7');
    kv.vaults.add(pr.vault);
    expect(
      (await run(['secret', 'set', entry, 'STRIPE_KEY', '--environment', 'pr-7'], 'preview-value'))
        .code,
    ).toBe(0);
    expect(kv.values.get(pr.vault)?.get('STRIPE-KEY')?.value).toBe('preview-value');
    expect(kv.values.get(dev.vault)?.get('STRIPE-KEY')?.value).toBe(VALUE);
    const removed = await run([
      'secret',
      'remove',
      entry,
      'STRIPE_KEY',
      '--environment',
      'pr-7',
      '--no-refresh',
    ]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`STRIPE_KEY removed from ${pr.vault} (pr-7)`);
    expect(kv.values.get(pr.vault)?.has('STRIPE-KEY')).toBe(false);
  });
});

describe('atakora deploy: declared secrets before Terraform', () => {
  const calls = () =>
    existsSync(tf.log) ? readFileSync(tf.log, 'utf8').trim().split('\n').filter(Boolean) : [];

  it('refuses a declared secret without a value, before terraform init', async () => {
    const pr = await names('pr-8');
    kv.vaults.add(pr.vault);
    const before = calls().length;
    const r = await run([
      'deploy',
      entry,
      '--environment',
      'pr-8',
      '--auto-approve',
      '--no-verify',
      '--no-sync',
      '--out',
      join(work, 'deploy-1'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SECRET_MISSING');
    expect(r.stderr).toContain(`STRIPE_KEY (${pr.vault}/STRIPE-KEY)`);
    expect(r.stderr).toContain('atakora secret set <entry> STRIPE_KEY --environment pr-8');
    expect(calls().length).toBe(before);
  });

  it('goes ahead once it is set', async () => {
    expect(
      (
        await run(
          ['secret', 'set', entry, 'STRIPE_KEY', '--environment', 'pr-8', '--no-refresh'],
          VALUE,
        )
      ).code,
    ).toBe(0);
    const before = calls().length;
    const r = await run([
      'deploy',
      entry,
      '--environment',
      'pr-8',
      '--auto-approve',
      '--no-verify',
      '--no-sync',
      '--out',
      join(work, 'deploy-2'),
    ]);
    expect(r.stderr).toContain('1 secret(s) set in Key Vault (STRIPE_KEY)');
    expect(r.code).toBe(0);
    const mine = calls()
      .slice(before)
      .map((l) => (JSON.parse(l) as { args: string[] }).args[0]);
    expect(mine[0]).toBe('init');
    expect(r.stdout + r.stderr).not.toContain(VALUE);
    expect(
      readFileSync(join(work, 'deploy-2', 'stacks', 'secrets-pr-8', 'cdk.tf.json'), 'utf8'),
    ).not.toContain(VALUE);
  });

  it('a vault closed to this network (isolated) is not checked, with a warning; secret set says where to run it', async () => {
    kv.deny.firewall = true;
    try {
      const before = calls().length;
      const r = await run([
        'deploy',
        entry,
        '--environment',
        'pr-8',
        '--auto-approve',
        '--no-verify',
        '--no-sync',
        '--out',
        join(work, 'deploy-4'),
      ]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(
        /warning: secrets-pr-8: Key Vault kv-[a-z0-9-]+ is not reachable from this network \(public access off\), so its secrets were not checked: make sure STRIPE_KEY is set/,
      );
      expect(calls().length).toBeGreaterThan(before);
      const set = await run(['secret', 'set', entry, 'STRIPE_KEY', '--environment', 'pr-8'], VALUE);
      expect(set.code).toBe(1);
      expect(set.stderr).toContain('SECRET_REQUEST_FAILED');
      expect(set.stderr).toContain("inside the backend's VNet");
    } finally {
      kv.deny.firewall = false;
    }
  });

  it('the first deploy of an environment (no vault yet) goes ahead and says what to set afterwards', async () => {
    const before = calls().length;
    const r = await run([
      'deploy',
      entry,
      '--environment',
      'pr-9',
      '--auto-approve',
      '--no-verify',
      '--no-sync',
      '--out',
      join(work, 'deploy-3'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /Key Vault kv-[a-z0-9-]+ is created by this deploy; then set STRIPE_KEY/,
    );
    expect(r.stderr).toContain(
      `Set STRIPE_KEY now (its reference is unresolved until then): atakora secret set ${entry} STRIPE_KEY --environment pr-9`,
    );
    expect(calls().length).toBeGreaterThan(before);
  });
});
