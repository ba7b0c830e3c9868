import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { preflight } from '../../src/cli/deploy/preflight.js';
import type { SynthesizedStack } from '../../src/cli/entry/synth-stacks.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { BackendConfig } from '../../src/model/config.js';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';
import { runCliInProcess } from '../support/cli-in-process.js';

// The deploy preflight (src/cli/deploy/preflight.ts) against a stand-in Resource Manager / Graph server on
// 127.0.0.1, and `atakora deploy` (the built CLI, `npm run build` first) stopping before `terraform init`.
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-preflight-'));
const fakes: FakeTerraform[] = [];
const servers: Server[] = [];
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const f of fakes) rmSync(f.dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const SUB = '00000000-0000-4000-8000-0000000000aa';
type Answer = { status: number; body?: unknown };
async function standIn(
  answer: (path: string) => Answer,
): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    const a = answer(req.url ?? '');
    res
      .writeHead(a.status, { 'content-type': 'application/json' })
      .end(JSON.stringify(a.body ?? {}));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
const registered = (...namespaces: string[]) => ({
  value: namespaces.map((namespace) => ({ namespace, registrationState: 'Registered' })),
});
const healthy =
  (
    providers = registered(
      'Microsoft.DocumentDB',
      'Microsoft.Web',
      'Microsoft.Storage',
      'Microsoft.ManagedIdentity',
    ),
  ) =>
  (path: string): Answer =>
    path.includes('/providers?')
      ? { status: 200, body: providers }
      : path.startsWith(`/subscriptions/${SUB}?`)
        ? { status: 200, body: { subscriptionId: SUB } }
        : { status: 404 };

function stack(
  config: BackendConfig = {},
  subscriptionId: string | undefined = SUB,
): SynthesizedStack {
  const plan = defineBackend(
    { userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
    { ...config, auth: { appRegistration: false } },
  ).plan();
  return {
    name: 'backend-dev',
    dir: work,
    plan,
    resourceGroup: 'rg',
    subscriptionId,
    dependencies: [],
    endpoints: [],
  };
}
/** The AtakoraError a promise rejects with (the test fails on anything else). */
async function thrown(run: () => Promise<unknown>): Promise<AtakoraError> {
  const e = await run().then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AtakoraError);
  return e as AtakoraError;
}
const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;

describe('deploy preflight', () => {
  it('passes with a subscription, a token, a readable subscription and the providers registered (one read each, with the token)', async () => {
    const arm = await standIn(healthy());
    await expect(
      preflight([stack()], {
        env: { ATAKORA_ARM_ENDPOINT: arm.base },
        azureToken: async () => 'tok',
      }),
    ).resolves.toBeUndefined();
    expect(arm.seen).toEqual([
      `GET /subscriptions/${SUB}?api-version=2022-12-01 Bearer tok`,
      `GET /subscriptions/${SUB}/providers?api-version=2021-04-01&$select=namespace,registrationState Bearer tok`,
    ]);
  });

  it('no subscription id, no credentials, a refused token, an unknown subscription: one DEPLOY_PREFLIGHT_FAILED each, naming the fix', async () => {
    const arm = await standIn(healthy());
    const env = { ATAKORA_ARM_ENDPOINT: arm.base };
    const noSub = await thrown(() =>
      preflight([stack({}, '')], { env, azureToken: async () => 'tok' }),
    );
    expect(noSub.code).toBe('DEPLOY_PREFLIGHT_FAILED');
    expect(noSub.message).toContain('No subscription id for backend-dev');
    expect(noSub.resolution).toContain('ARM_SUBSCRIPTION_ID');
    const noCred = await thrown(() =>
      preflight([stack()], {
        env,
        azureToken: async () => {
          throw new Error('DefaultAzureCredential: no credential');
        },
      }),
    );
    expect(noCred.message).toContain('No Azure credentials');
    expect(noCred.resolution).toContain('az login');
    const refused = await standIn(() => ({ status: 401 }));
    expect(
      (
        await thrown(() =>
          preflight([stack()], {
            env: { ATAKORA_ARM_ENDPOINT: refused.base },
            azureToken: async () => 'old',
          }),
        )
      ).message,
    ).toContain('refused (HTTP 401)');
    const hidden = await standIn(() => ({ status: 403 }));
    const h = await thrown(() =>
      preflight([stack()], {
        env: { ATAKORA_ARM_ENDPOINT: hidden.base },
        azureToken: async () => 'tok',
      }),
    );
    expect(h.resolution).toContain('at subscription scope');
    expect(arm.seen).toEqual([]); // nothing was asked of Azure without a subscription or a token
  });

  it('a provider nothing registers is an error naming `az provider register`; one azurerm registers is only said', async () => {
    const lines: string[] = [];
    const arm = await standIn(
      healthy(
        registered(
          'Microsoft.Web',
          'Microsoft.Storage',
          'Microsoft.ManagedIdentity',
          'Microsoft.Authorization',
        ),
      ),
    );
    await preflight([stack()], {
      env: { ATAKORA_ARM_ENDPOINT: arm.base },
      azureToken: async () => 'tok',
      log: (l) => lines.push(l),
    });
    expect(lines).toEqual([
      'backend-dev: resource provider Microsoft.DocumentDB is not registered yet; the azurerm provider registers it',
    ]);
    // Isolated Flex needs Microsoft.App, which the stack's provider block registers (resource_providers_to_register).
    lines.length = 0;
    await preflight([stack({ networking: 'isolated' })], {
      env: { ATAKORA_ARM_ENDPOINT: arm.base },
      azureToken: async () => 'tok',
      log: (l) => lines.push(l),
    });
    expect(lines).toContain(
      'backend-dev: resource provider Microsoft.App is not registered yet; the azurerm provider registers it',
    );
  });

  it('Entra registrations: a deployer without a role, permission or the tenant setting is refused; with one, passes', async () => {
    const plan = defineBackend({
      userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
    }).plan();
    const s: SynthesizedStack = { ...stack(), plan };
    let allowed = false;
    const arm = await standIn((p) =>
      p.startsWith('/v1.0/policies/authorizationPolicy')
        ? { status: 200, body: { defaultUserRolePermissions: { allowedToCreateApps: allowed } } }
        : healthy()(p),
    );
    const env = { ATAKORA_ARM_ENDPOINT: arm.base, ATAKORA_GRAPH_ENDPOINT: arm.base };
    const user = jwt({ idtyp: 'user', wids: ['b79fbf4d-3ef9-4689-8143-76b194e85509'] });
    const e = await thrown(() =>
      preflight([s], { env, azureToken: async () => 'tok', graphToken: async () => user }),
    );
    expect(e.details['check']).toBe('directory');
    expect(e.resolution).toContain('Application Developer');
    allowed = true;
    await expect(
      preflight([s], { env, azureToken: async () => 'tok', graphToken: async () => user }),
    ).resolves.toBeUndefined();
    allowed = false;
    await expect(
      preflight([s], {
        env,
        azureToken: async () => 'tok',
        graphToken: async () => jwt({ idtyp: 'app', roles: ['Application.ReadWrite.OwnedBy'] }),
      }),
    ).resolves.toBeUndefined();
    await expect(
      preflight([s], {
        env,
        azureToken: async () => 'tok',
        graphToken: async () =>
          jwt({ idtyp: 'user', wids: ['cf1c38e5-3621-4004-a7cb-879624dced7c'] }),
      }),
    ).resolves.toBeUndefined();
  });
});

describe('the preflight asks the tenant the registrations go to', () => {
  it("a customer sign-in's registrations: the external tenant's Graph, named in the refusal", async () => {
    const plan = defineBackend(
      { userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) },
      {
        auth: {
          signInAudience: 'customers',
          externalTenant: { id: '6F1C2B3A-0000-4000-8000-00000000C1A0', subdomain: 'contosoid' },
        },
        tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' },
      },
    ).plan();
    const s: SynthesizedStack = { ...stack(), plan };
    const arm = await standIn((p) =>
      p.startsWith('/v1.0/policies/authorizationPolicy')
        ? { status: 200, body: { defaultUserRolePermissions: { allowedToCreateApps: false } } }
        : healthy()(p),
    );
    const env = { ATAKORA_ARM_ENDPOINT: arm.base, ATAKORA_GRAPH_ENDPOINT: arm.base };
    // A user without a role in a tenant that lets nobody register apps: refused, the tenant asked recorded.
    const asked: (string | undefined)[] = [];
    const run = (stack: SynthesizedStack) =>
      thrown(() =>
        preflight([stack], {
          env,
          azureToken: async () => 'tok',
          graphToken: async (tenant) => {
            asked.push(tenant);
            return jwt({ idtyp: 'user' });
          },
        }),
      );
    const e = await run(s);
    expect(asked).toEqual(['6f1c2b3a-0000-4000-8000-00000000c1a0']);
    expect(e.message).toContain('in tenant 6f1c2b3a-0000-4000-8000-00000000c1a0');
    const plain: SynthesizedStack = {
      ...stack(),
      plan: defineBackend({
        userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
      }).plan(),
    };
    asked.length = 0;
    await run(plain);
    expect(asked).toEqual([undefined]);
  });
});

describe('atakora deploy runs the preflight before any Terraform', () => {
  async function deploy(env: NodeJS.ProcessEnv) {
    const tf = installFakeTerraform();
    fakes.push(tf);
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      PATH: `${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
      FAKE_TF_LOG: tf.log,
    };
    for (const k of [
      'ARM_SUBSCRIPTION_ID',
      'ATAKORA_TERRAFORM',
      'ATAKORA_ARM_ENDPOINT',
      'ATAKORA_ARM_TOKEN',
      'ATAKORA_SKIP_PREFLIGHT',
      'ARM_CLIENT_ID',
      'ARM_TENANT_ID',
      'ARM_CLIENT_SECRET',
    ])
      delete base[k];
    // The command's order (preflight, then terraform), in this worker through test/support/cli-in-process.ts: the
    // bin's exit codes are cli.test.ts's. Each run signs in afresh, as a new process does.
    const r = await runCliInProcess(
      [
        'deploy',
        'examples/basic.ts',
        '--auto-approve',
        '--no-verify',
        '--no-sync',
        '--out',
        join(work, `out-${fakes.length}`),
      ],
      { env: { ...base, ...env }, cwd: root },
    );
    return { ...r, calls: tf.calls() };
  }

  it('no subscription: exit 1, the fix named, terraform never called', async () => {
    const r = await deploy({});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DEPLOY_PREFLIGHT_FAILED: No subscription id for backend-prod');
    expect(r.stderr).toContain('ARM_SUBSCRIPTION_ID');
    expect(r.calls).toEqual([]);
  });

  it('a subscription but a refused credential: exit 1 before terraform init; a healthy subscription lets init run', async () => {
    const refused = await standIn(() => ({ status: 401 }));
    const r = await deploy({
      ARM_SUBSCRIPTION_ID: SUB,
      ATAKORA_ARM_ENDPOINT: refused.base,
      ATAKORA_ARM_TOKEN: 'expired',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'DEPLOY_PREFLIGHT_FAILED: The Azure credential was refused (HTTP 401)',
    );
    expect(r.calls).toEqual([]);
    const arm = await standIn((p) =>
      p.startsWith('/v1.0/')
        ? { status: 200, body: { defaultUserRolePermissions: { allowedToCreateApps: true } } }
        : healthy()(p),
    );
    const ok = await deploy({
      ARM_SUBSCRIPTION_ID: SUB,
      ATAKORA_ARM_ENDPOINT: arm.base,
      ATAKORA_ARM_TOKEN: 'tok',
      ATAKORA_GRAPH_ENDPOINT: arm.base,
      ATAKORA_GRAPH_TOKEN: 'g',
    });
    expect(ok.stderr).not.toContain('DEPLOY_PREFLIGHT_FAILED');
    expect(ok.calls[0]?.args[0]).toBe('init');
  });
});
