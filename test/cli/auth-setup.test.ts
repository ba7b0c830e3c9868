/**
 * `atakora auth setup` (DESIGN §2, "Customer sign-in"): what Terraform cannot declare of a customer sign-in, made in
 * the external tenant through Microsoft Graph v1.0 — against a loopback Graph stand-in answering with the shapes of
 * Learn's Graph reference (test/support/graph-standin.ts cites each call) and a loopback Key Vault holding the
 * social providers' secrets. It creates the providers with the vault's secrets, the user flow and the app links;
 * a second run writes nothing; no secret is printed; each failure is an AtakoraError naming its fix — found before
 * the first write wherever it can be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import type { Backend } from '../../src/backend/backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { authSetup } from '../../src/cli/shared/customer-sign-in/setup.js';
import { main } from '../../src/cli/main.js';
import { deployedPlan } from '../../src/cli/shared/secrets/secret-target.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { BackendConfig } from '../../src/model/config.js';
import { capturedIo } from '../support/captured-io.js';
import { customersConfig } from '../support/customers-config.js';
import { startGraphStandIn, type GraphStandIn } from '../support/graph-standin.js';
import { installFakeTerraform } from '../support/fake-terraform.js';
import { startKeyVaultStandIn } from '../support/keyvault-standin.js';

const TOKEN = 'graph-token-of-the-external-tenant';
const SUBSCRIPTION = '5f1c2e3d-0000-4000-8000-000000000083';
const GOOGLE_ID = '1234567890-abc123.apps.googleusercontent.com';
const GOOGLE_SECRET = 'GOCSPX-the-google-secret-0f9e8d7c';
const FACEBOOK_SECRET = 'fb-app-secret-5a4b3c2d1e0f';
const entry = 'test/cli/fixtures/customers-backend.ts';
let graph: GraphStandIn;
let kv: Awaited<ReturnType<typeof startKeyVaultStandIn>>;
const saved = { ...process.env };

const customers = { ...customersConfig, backendId: 'shop' } as const satisfies BackendConfig;
const shop = (auth: Partial<BackendConfig['auth'] & object> = {}, environment = 'test'): Backend =>
  defineBackend(
    {
      notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
      portal: StaticSite.define('Portal', {}),
    },
    { ...customers, environment, auth: { ...customers.auth, ...auth } as BackendConfig['auth'] },
  );

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ATAKORA_GRAPH_ENDPOINT: graph.base,
  ATAKORA_GRAPH_TOKEN: TOKEN,
  ATAKORA_ARM_TOKEN: 'key-vault-token',
  ATAKORA_KEYVAULT_ENDPOINT: `${kv.base}/{vault}`,
  ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
  GOOGLE_CLIENT_ID: GOOGLE_ID,
  ...extra,
});

/** The vault the plan names for `backend`, holding the two secrets. */
function fillVault(
  backend: Backend,
  values = { google: GOOGLE_SECRET, facebook: FACEBOOK_SECRET },
) {
  process.env['ARM_SUBSCRIPTION_ID'] = SUBSCRIPTION;
  const vault = deployedPlan(backend, undefined).plan.resources.find((r) => r.type === 'keyvault');
  if (!vault) throw new Error('no vault planned');
  kv.vaults.add(vault.name);
  const secret = (value: string) => ({ value, versions: [{ id: 'v1', created: 1_700_000_000 }] });
  kv.values.set(
    vault.name,
    new Map([
      ['GOOGLE-CLIENT-SECRET', secret(values.google)],
      ['FACEBOOK-APP-SECRET', secret(values.facebook)],
    ]),
  );
  return vault.name;
}

/** The registrations apply created in the external tenant, as Graph lists them. */
function registerApps(environment = 'test') {
  graph.applications.push(
    {
      id: 'obj-api',
      appId: '11111111-0000-4000-8000-0000000000a1',
      displayName: `shop-${environment}-api`,
    },
    {
      id: 'obj-spa',
      appId: '22222222-0000-4000-8000-0000000000b2',
      displayName: `shop-${environment}-Portal`,
    },
  );
}

async function setup(backend: Backend, extra: NodeJS.ProcessEnv = {}, rotateSecrets = false) {
  const lines: string[] = [];
  const result = await authSetup(backend, {
    env: env(extra),
    rotateSecrets,
    out: (l) => lines.push(l),
  });
  return { ...result, text: lines.join('\n') };
}

async function refusal(run: Promise<unknown>): Promise<AtakoraError> {
  const e = await run.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof AtakoraError)) throw new Error(`expected an AtakoraError, got ${String(e)}`);
  return e;
}

beforeAll(async () => {
  kv = await startKeyVaultStandIn();
});
beforeEach(async () => {
  graph = await startGraphStandIn(TOKEN);
});
afterEach(async () => {
  await graph.close();
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});
afterAll(async () => {
  await kv.close();
});

describe('atakora auth setup: the CLI', () => {
  it('creates the providers with the vault secrets, the user flow and the app links; a second run changes nothing', async () => {
    Object.assign(process.env, env());
    const { loadOneBackend } = await import('../../src/cli/shared/environment-option.js');
    fillVault(await loadOneBackend(entry, 'test', 'the test reads one'));
    registerApps();
    const first = capturedIo();
    expect(await main(['auth', 'setup', entry, '--environment', 'test'], first.io), first.err).toBe(
      0,
    );
    expect(graph.providers.get('Google-OAUTH')).toMatchObject({
      clientId: GOOGLE_ID,
      clientSecret: GOOGLE_SECRET,
    });
    expect(graph.providers.get('Facebook-OAUTH')).toMatchObject({
      clientId: '236028191057849',
      clientSecret: FACEBOOK_SECRET,
    });
    const [flow, ...more] = [...graph.flows.values()];
    expect(more).toEqual([]);
    expect(flow).toMatchObject({
      displayName: 'shop-test-sign-in',
      providers: ['EmailOtpSignup-OAUTH', 'Google-OAUTH', 'Facebook-OAUTH'],
      apps: ['11111111-0000-4000-8000-0000000000a1', '22222222-0000-4000-8000-0000000000b2'],
    });
    expect(first.out).toContain('identity provider Google: created (client id 1234567890-abc123');
    expect(first.out).toContain(
      'user flow shop-test-sign-in: created (sign-in with email one-time code, Google, Facebook)',
    );
    expect(first.out).toContain('app shop-test-Portal: linked');
    expect(first.out).toMatch(/5 change\(s\) made/);
    // Every call went to Graph v1.0 with the external tenant's token.
    expect(
      graph.requests.every(
        (r) => r.url.startsWith('/v1.0/') && r.authorization === `Bearer ${TOKEN}`,
      ),
    ).toBe(true);

    const writes = graph.writes().length;
    const vaultReads = kv.seen.length;
    const second = capturedIo();
    expect(
      await main(['auth', 'setup', entry, '--environment', 'test'], second.io),
      second.err,
    ).toBe(0);
    expect(graph.writes()).toHaveLength(writes);
    expect(kv.seen).toHaveLength(vaultReads);
    expect(second.out).toContain('Nothing to change');
    expect(second.out).toContain('identity provider Google: unchanged');
    for (const text of [first.out, first.err, second.out, second.err]) {
      expect(text).not.toContain(GOOGLE_SECRET);
      expect(text).not.toContain(FACEBOOK_SECRET);
    }
    // The secrets travelled only in the providers' bodies, to Graph.
    const carrying = graph.requests.filter(
      (r) => r.body.includes(GOOGLE_SECRET) || r.body.includes(FACEBOOK_SECRET),
    );
    expect(carrying.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v1.0/identity/identityProviders',
      'POST /v1.0/identity/identityProviders',
    ]);
  });

  it('is in the help, and refuses a workforce backend (AUTH_SETUP_NOT_CUSTOMERS, exit 1)', async () => {
    const help = capturedIo();
    expect(await main(['auth', '--help'], help.io)).toBe(0);
    expect(help.out).toContain('EventListener.ReadWrite.All');
    const usage = capturedIo();
    expect(await main(['auth', 'teardown', entry], usage.io)).toBe(2);
    const workforce = defineBackend(
      { notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }) },
      { backendId: 'plain' },
    );
    const e = await refusal(setup(workforce));
    expect(e.code).toBe('AUTH_SETUP_NOT_CUSTOMERS');
    expect(graph.requests).toEqual([]);
  });
});

describe('atakora deploy runs auth setup after apply', () => {
  const deploy = async (...flags: string[]) => {
    const tf = installFakeTerraform();
    const out = mkdtempSync(join(tmpdir(), 'atakora-auth-deploy-'));
    try {
      const io = capturedIo();
      // As CI runs it, without the steps that need Azure (preflight, trigger sync, health).
      const ci = '--environment test --auto-approve --no-verify --no-sync --skip-preflight'.split(
        ' ',
      );
      const code = await main(
        ['deploy', entry, ...ci, '--terraform', tf.bin, '--out', out, ...flags],
        io.io,
      );
      return { code, err: io.err, out: io.out };
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(tf.dir, { recursive: true, force: true });
    }
  };

  it('sets the external tenant up once the stack is applied, and says to run auth setup alone when it fails', async () => {
    Object.assign(process.env, env());
    const { loadOneBackend } = await import('../../src/cli/shared/environment-option.js');
    fillVault(await loadOneBackend(entry, 'test', 'the test reads one'));
    graph.deny.add('applications');
    const refused = await deploy();
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('AUTH_SETUP_PERMISSION_MISSING');
    expect(refused.err).toContain('shop-test is deployed, but its customer sign-in is not set up');
    expect(refused.err).toContain(
      `atakora auth setup ${entry} --environment test (the deploy need not run again)`,
    );
    graph.deny.clear();
    registerApps();
    const skipped = await deploy('--no-auth-setup');
    expect(skipped.code, skipped.err).toBe(0);
    expect(graph.writes()).toEqual([]);
    const done = await deploy();
    expect(done.code, done.err).toBe(0);
    expect(done.err).toContain('user flow shop-test-sign-in: created');
    expect(done.err).not.toContain(GOOGLE_SECRET);
    expect([...graph.flows.values()][0]?.apps).toHaveLength(2);
  });
});

describe('atakora auth setup: converging on the config', () => {
  it('switches the email method and drops a social provider no longer declared, adding before removing', async () => {
    const backend = shop();
    fillVault(backend);
    registerApps();
    await setup(backend);
    const r = await setup(shop({ emailSignIn: 'password', identityProviders: ['google'] }));
    const [flow] = [...graph.flows.values()];
    expect(flow?.providers).toEqual(['Google-OAUTH', 'EmailPassword-OAUTH']);
    const order = graph
      .writes()
      .slice(-3)
      .map((w) => `${w.method} ${w.url.split('/').slice(-2).join('/')}`);
    expect(order).toEqual([
      'POST identityProviders/$ref',
      'DELETE EmailOtpSignup-OAUTH/$ref',
      'DELETE Facebook-OAUTH/$ref',
    ]);
    expect(r.text).toContain('added (EmailPassword-OAUTH)');
    expect(r.text).toContain('removed (EmailOtpSignup-OAUTH)');
    expect(r.text).toContain('removed (Facebook-OAUTH)');
    // The Facebook provider stays in the tenant (another flow may use it); only the flow no longer offers it.
    expect(graph.providers.has('Facebook-OAUTH')).toBe(true);
  });

  it('sends a new client id with the secret, and the vault secret again only with --rotate-secrets', async () => {
    const backend = shop();
    const vault = fillVault(backend);
    registerApps();
    await setup(backend);
    const other = '9876543210-xyz789.apps.googleusercontent.com';
    const changed = await setup(backend, { GOOGLE_CLIENT_ID: other });
    expect(changed.text).toContain(`identity provider Google: updated (client id ${other}`);
    expect(graph.providers.get('Google-OAUTH')?.clientId).toBe(other);
    kv.values.get(vault)?.set('GOOGLE-CLIENT-SECRET', {
      value: 'GOCSPX-rotated',
      versions: [{ id: 'v2', created: 1_700_000_100 }],
    });
    const quiet = await setup(backend, { GOOGLE_CLIENT_ID: other });
    expect(quiet.changed).toBe(0);
    expect(graph.providers.get('Google-OAUTH')?.clientSecret).toBe(GOOGLE_SECRET);
    const rotated = await setup(backend, { GOOGLE_CLIENT_ID: other }, true);
    expect(graph.providers.get('Google-OAUTH')?.clientSecret).toBe('GOCSPX-rotated');
    expect(rotated.text).toContain('GOOGLE_CLIENT_SECRET sent again from the vault');
    expect(rotated.text).not.toContain('GOCSPX-rotated');
  });

  it('finds its flow among many, paged with @odata.nextLink, asking the flow for its providers when the list leaves them out', async () => {
    const backend = shop();
    fillVault(backend);
    registerApps();
    graph.pageSize = 1;
    graph.bareFlowList = true;
    for (const name of ['legacy-a', 'legacy-b', 'legacy-c'])
      graph.flows.set(name, {
        type: '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow',
        displayName: name,
        providers: [],
        apps: [],
        body: {},
      });
    await setup(backend);
    const writes = graph.writes().length;
    expect((await setup(backend)).changed).toBe(0);
    expect(graph.writes()).toHaveLength(writes);
    expect(graph.flows.size).toBe(4);
    expect(
      graph.requests.some(
        (r) => r.method === 'GET' && r.url.includes('SelfServiceSignUp/identityProviders'),
      ),
    ).toBe(true);
  });
});

describe('atakora auth setup: failures', () => {
  it('names the missing Graph permission and role (AUTH_SETUP_PERMISSION_MISSING); the next run completes', async () => {
    const backend = shop();
    fillVault(backend);
    registerApps();
    graph.deny.add('userFlows');
    const e = await refusal(setup(backend));
    expect(e.code).toBe('AUTH_SETUP_PERMISSION_MISSING');
    expect(e.message).toContain('EventListener.ReadWrite.All');
    expect(e.resolution).toContain('External ID User Flow Administrator');
    expect(e.resolution).toContain('az login --tenant 6f1c2b3a-0000-4000-8000-00000000c1a0');
    graph.deny.clear();
    graph.deny.add('identityProviders');
    const other = shop({}, 'other');
    fillVault(other);
    registerApps('other');
    const p = await refusal(setup(other));
    expect(p.message).toContain('IdentityProvider.ReadWrite.All');
    graph.deny.clear();
    const done = await setup(backend);
    expect(done.text).toContain('identity provider Google: unchanged');
    expect(done.text).toContain('user flow shop-test-sign-in: created');
  });

  it('refuses before any write: a missing client id, a secret for a client id, an app not deployed', async () => {
    const backend = shop();
    fillVault(backend);
    const missing = await refusal(setup(backend, { GOOGLE_CLIENT_ID: '' }));
    expect(missing.code).toBe('AUTH_SETUP_CLIENT_ID_MISSING');
    expect(missing.message).toContain('GOOGLE_CLIENT_ID is not set');
    const pasted = await refusal(setup(backend, { GOOGLE_CLIENT_ID: GOOGLE_SECRET }));
    expect(pasted.code).toBe('AUTH_SETUP_CLIENT_ID_MISSING');
    expect(`${pasted.message} ${pasted.resolution ?? ''}`).not.toContain(GOOGLE_SECRET);
    expect(graph.requests).toEqual([]);
    const undeployed = await refusal(setup(backend));
    expect(undeployed.code).toBe('AUTH_SETUP_APP_NOT_FOUND');
    expect(undeployed.message).toContain('shop-test-api');
    expect(graph.writes()).toEqual([]);
  });

  it("reads a client id the config and the environment leave out from the vault's GOOGLE-CLIENT-ID", async () => {
    const backend = shop();
    const vault = fillVault(backend);
    registerApps();
    kv.values.get(vault)?.set('GOOGLE-CLIENT-ID', {
      value: GOOGLE_ID,
      versions: [{ id: 'v1', created: 1_700_000_000 }],
    });
    const r = await setup(backend, { GOOGLE_CLIENT_ID: '' });
    expect(graph.providers.get('Google-OAUTH')?.clientId).toBe(GOOGLE_ID);
    expect(r.text).toContain(`identity provider Google: created (client id ${GOOGLE_ID}`);
  });

  it('refuses a secret missing from the vault (AUTH_SETUP_SECRET_MISSING) naming atakora secret set', async () => {
    const backend = shop();
    const vault = fillVault(backend);
    kv.values.get(vault)?.delete('FACEBOOK-APP-SECRET');
    registerApps();
    const e = await refusal(setup(backend));
    expect(e.code).toBe('AUTH_SETUP_SECRET_MISSING');
    expect(e.resolution).toContain(
      'atakora secret set <entry> FACEBOOK_APP_SECRET --environment test',
    );
    expect(graph.flows.size).toBe(0);
  });

  it('refuses an app linked to another user flow (AUTH_SETUP_CONFLICT), and two apps of one name', async () => {
    const backend = shop();
    fillVault(backend);
    registerApps();
    graph.flows.set('theirs', {
      type: '#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow',
      displayName: 'theirs',
      providers: [],
      apps: ['22222222-0000-4000-8000-0000000000b2'],
      body: {},
    });
    const linked = await refusal(setup(backend));
    expect(linked.code).toBe('AUTH_SETUP_CONFLICT');
    expect(linked.message).toContain('one user flow only');
    expect(linked.resolution).toContain('shop-test-Portal');
    graph.applications.push({
      id: 'obj-dup',
      appId: '33333333-0000-4000-8000-0000000000c3',
      displayName: 'shop-test-api',
    });
    const twice = await refusal(setup(backend));
    expect(twice.code).toBe('AUTH_SETUP_CONFLICT');
    expect(twice.message).toContain('2 app registrations named shop-test-api');
  });

  it("never repeats a secret Graph echoes in an error, and never follows a next page off Graph's origin", async () => {
    const backend = shop();
    fillVault(backend);
    registerApps();
    graph.echoSecretInError = true;
    const echoed = await refusal(setup(backend));
    expect(echoed.code).toBe('AUTH_SETUP_FAILED');
    expect(echoed.message).toContain("client secret '***'");
    expect(JSON.stringify(echoed)).not.toContain(GOOGLE_SECRET);
    graph.echoSecretInError = false;
    const elsewhere = await startGraphStandIn(TOKEN);
    try {
      graph.pageSize = 1;
      graph.nextLinkOrigin = elsewhere.base;
      const e = await refusal(setup(backend));
      expect(e.code).toBe('AUTH_SETUP_FAILED');
      expect(e.message).toContain('not followed');
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });
});
