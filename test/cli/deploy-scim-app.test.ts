import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';

// `atakora deploy` of a membership backend (the built dist/cli/bin.js, `npm run build` first) against the stand-in
// terraform, a loopback server standing in for both apps' hosts and one for Resource Manager: the same runtime package
// goes to the shared app and the SCIM app (two blobs, one content), both apps' triggers are synced and both healths
// verified, and the SCIM Tenant URL printed is the SCIM app's.
const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
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

async function serve(status: (url: string) => number): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(status(req.url ?? ''), { 'content-type': 'application/json' }).end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('atakora deploy of a membership backend (stand-in terraform)', () => {
  it('uploads one package to both apps, syncs and verifies both, and prints the SCIM app as the Tenant URL', async () => {
    const app = await serve((url) => (url === '/api/health' ? 200 : 404));
    const arm = await serve(() => 200);
    const tf = installFakeTerraform();
    fakes.push(tf);
    const out = join(work, 'out');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['ARM_SUBSCRIPTION_ID', 'ATAKORA_TERRAFORM', 'FAKE_TF_PLAN', 'FAKE_TF_FAIL'])
      delete env[k];
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        [
          bin,
          'deploy',
          'test/cli/fixtures/members-backend.ts',
          '--auto-approve',
          '--verify-timeout',
          '5',
          '--out',
          out,
        ],
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
          maxBuffer: 32 * 1024 * 1024,
        },
        (e, stdout, stderr) => {
          done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr });
        },
      );
      child.stdin?.end();
    });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    // The Tenant URL is the SCIM app's output (the stand-in points every https host at the loopback server).
    expect(r.stdout).toContain(`SCIM Tenant URL  ${app.base}/api/scim/v2`);
    // Two apps: each synced through Resource Manager, each healthy.
    expect(r.stderr).toMatch(/func-teams-dev-[a-z0-9]{6}: triggers synced/);
    expect(r.stderr).toMatch(/func-teams-dev-scim-[a-z0-9]{6}: triggers synced/);
    expect(r.stderr).toMatch(/func-teams-dev-scim-[a-z0-9]{6}: healthy after 1 attempt/);
    expect(arm.seen.filter((s) => s.includes('/syncfunctiontriggers'))).toHaveLength(2);
    expect(app.seen).toEqual(['GET /api/health', 'GET /api/health']);
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
});
