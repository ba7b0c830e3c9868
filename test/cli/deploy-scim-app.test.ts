import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';
import { runCliInProcess } from '../support/cli-in-process.js';

// `atakora deploy` of a membership backend (the built CLI's main in this worker, test/support/cli-in-process.ts;
// `npm run build` first) against the stand-in
// terraform, a loopback server standing in for the apps' hosts and one for Resource Manager. With tenants.scimApp: the
// same runtime package goes to the shared app and the SCIM app (two blobs, one content), both apps' triggers are
// synced and both healths verified, and the SCIM Tenant URL printed is the SCIM app's. By default (one app): deploy
// probes the shared app's SCIM path once and warns SCIM_BEHIND_APP_SERVICE_AUTH when App Service, not the runtime,
// answered.
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-deploy-scim-'));
const fakes: FakeTerraform[] = [];
const servers: Server[] = [];
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const f of fakes) rmSync(f.dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

async function serve(
  answer: (url: string) => number | Answer,
): Promise<{ base: string; seen: string[]; auth: (string | undefined)[] }> {
  const seen: string[] = [];
  const auth: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    auth.push(req.headers.authorization);
    const a = answer(req.url ?? '');
    const { status, headers, body } = typeof a === 'number' ? { status: a } : a;
    res.writeHead(status, headers ?? { 'content-type': 'application/json' }).end(body ?? '{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, auth };
}

async function deploy(
  fixture: string,
  app: { base: string },
  arm: { base: string },
): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const tf = installFakeTerraform();
  fakes.push(tf);
  const out = mkdtempSync(join(work, 'out-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['ARM_SUBSCRIPTION_ID', 'ATAKORA_TERRAFORM', 'FAKE_TF_PLAN', 'FAKE_TF_FAIL'])
    delete env[k];
  const r = await runCliInProcess(
    ['deploy', fixture, '--auto-approve', '--verify-timeout', '5', '--out', out],
    {
      cwd: root,
      env: {
        ...env,
        NO_COLOR: '1',
        PATH: `${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
        FAKE_TF_LOG: tf.log,
        ATAKORA_SKIP_PREFLIGHT: '1',
        FAKE_TF_OUTPUT_BASE: app.base,
        ATAKORA_ARM_ENDPOINT: arm.base,
        ATAKORA_ARM_TOKEN: 't',
      },
    },
  );
  return { ...r, out };
}

const PROBE = '/api/scim/v2/ServiceProviderConfig';

describe('atakora deploy of a membership backend (stand-in terraform)', () => {
  it('with tenants.scimApp: uploads one package to both apps, syncs and verifies both, and prints the SCIM app as the Tenant URL', async () => {
    const app = await serve((url) => (url === '/api/health' ? 200 : 404));
    const arm = await serve(() => 200);
    const r = await deploy('test/cli/fixtures/members-scim-app-backend.ts', app, arm);
    const out = r.out;
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    // The Tenant URL is the SCIM app's output (the stand-in points every https host at the loopback server).
    expect(r.stdout).toContain(`SCIM Tenant URL  ${app.base}/api/scim/v2`);
    // Two apps: each synced through Resource Manager, each healthy.
    expect(r.stderr).toMatch(/func-teams-dev-[a-z0-9]{6}: triggers synced/);
    expect(r.stderr).toMatch(/func-teams-dev-scim-[a-z0-9]{6}: triggers synced/);
    expect(r.stderr).toMatch(/func-teams-dev-scim-[a-z0-9]{6}: healthy after 1 attempt/);
    expect(arm.seen.filter((s) => s.includes('/syncfunctiontriggers'))).toHaveLength(2);
    // Both healths, and no probe: SCIM has an app of its own.
    expect(app.seen).toEqual(['GET /api/health', 'GET /api/health']);
    expect(r.stderr).not.toContain('SCIM_BEHIND_APP_SERVICE_AUTH');
    // Terraform uploads the same package twice: two blobs whose files hold the same bytes.
    const dir = join(out, 'stacks', 'teams-dev');
    const stack = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const blobs = stack.resource['azurerm_storage_blob']!;
    const digest = (name: string) =>
      createHash('sha256')
        .update(readFileSync(join(dir, String(blobs[name]!['source']))))
        .digest('hex');
    expect(digest('teams_scim_shared_package_blob')).toBe(
      digest('teams_functions_shared_package_blob'),
    );
  });

  it("by default: one app, and the runtime's SCIM refusal to the probe is no warning", async () => {
    const app = await serve((url) =>
      url === PROBE
        ? {
            status: 401,
            headers: {
              'content-type': 'application/scim+json',
              'www-authenticate': 'Bearer realm="scim"',
            },
            body: JSON.stringify({
              schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
              status: '401',
              detail: "A SCIM request carries an organization's SCIM token",
            }),
          }
        : url === '/api/health'
          ? 200
          : 404,
    );
    const arm = await serve(() => 200);
    const r = await deploy('test/cli/fixtures/members-backend.ts', app, arm);
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('SCIM Tenant URL');
    expect(arm.seen.filter((s) => s.includes('/syncfunctiontriggers'))).toHaveLength(1);
    // One health check and one probe, with the probe's bearer.
    expect(app.seen).toEqual(['GET /api/health', `GET ${PROBE}`]);
    expect(app.auth[1]).toBe('Bearer atakora-scim.probe');
    expect(r.stderr).not.toContain('SCIM_BEHIND_APP_SERVICE_AUTH');
    expect(r.stderr).not.toContain('SCIM not probed');
  });

  it("by default: App Service's 401 to the probe is the SCIM_BEHIND_APP_SERVICE_AUTH warning, not a failure", async () => {
    const app = await serve((url) =>
      url === PROBE
        ? {
            status: 401,
            headers: {
              'content-type': 'text/html',
              'www-authenticate':
                'Bearer realm="func-teams-dev.azurewebsites.net" authorization_uri="https://login.microsoftonline.com/common/oauth2/v2.0/authorize"',
            },
            body: 'You do not have permission to view this directory or page.',
          }
        : url === '/api/health'
          ? 200
          : 404,
    );
    const arm = await serve(() => 200);
    const r = await deploy('test/cli/fixtures/members-backend.ts', app, arm);
    expect(r.code).toBe(0);
    expect(app.seen).toEqual(['GET /api/health', `GET ${PROBE}`]);
    expect(r.stderr).toMatch(
      /warning SCIM_BEHIND_APP_SERVICE_AUTH: func-teams-dev-[a-z0-9]{6}: SCIM cannot reach the app/,
    );
    expect(r.stderr).toContain('login.microsoftonline.com');
    expect(r.stderr).toContain('tenants.scimApp: true');
    expect(r.stderr).toMatch(/Deployed 1 stack\(s\)/);
  });
});
