/**
 * `atakora deploy` uploads each site after apply — build first, its atakora.config.json from the
 * stack's outputs and the merged staticwebapp.config.json in the content — with the deployment token read
 * through Resource Manager by the deployer's identity, then checks the site serves the uploaded index.html.
 * Against stand-ins: terraform (test/support/fake-terraform.ts), a `swa` the test writes, a local Resource
 * Manager and a local site host on 127.0.0.1. The built CLI's main runs in this worker (test/support/cli-in-process.ts).
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { STATIC_SITES_API_VERSION } from '../../src/cli/azure/static-sites.js';
import { installFakeTerraform, type FakeTerraform } from '../support/fake-terraform.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { installNodeStandIn } from '../support/node-stand-in.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-site-deploy-'));
const fakes: FakeTerraform[] = [];
const servers: Server[] = [];
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const f of fakes) rmSync(f.dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * A stand-in `swa` that finds its inputs as `swa deploy` 2.0.x does (src/cli/commands/deploy/deploy.ts): the
 * content folder is the positional argument, resolved against --app-location (default: the working directory);
 * `staticwebapp.config.json` is the last one found walking --swa-config-location, else the app location
 * (node_modules and .git* skipped), and that file is what the site is served with. It logs its arguments,
 * working directory and token, then "uploads" by copying into the folder the site host serves. FAKE_SWA_MODE:
 * `fail` exits 1; `fail-exit-0` prints the deploy binary's failure and exits 0; `silent` exits 0 saying nothing;
 * `lie` says it deployed but uploads nothing.
 */
function installSwa(): { bin: string; log: string; served: string } {
  const dir = mkdtempSync(join(work, 'swa-'));
  const served = join(dir, 'served');
  const file = join(dir, 'swa');
  installNodeStandIn(
    file,
    `const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(join(dir, 'log'))}, JSON.stringify({ args, cwd: process.cwd(), token: process.env.SWA_CLI_DEPLOYMENT_TOKEN }) + '\\n');
const mode = process.env.FAKE_SWA_MODE;
if (mode === 'fail') { process.stderr.write('✖ The deployment failed: scripted\\n'); process.exit(1); }
if (mode === 'fail-exit-0') { process.stderr.write('✖ \\n✖ Deployment Failed :(\\n✖ Deployment Failure Reason: Failed to upload the content\\n'); process.exit(0); }
if (mode === 'silent') process.exit(0);
if (mode === 'lie') { console.log('✔ Project deployed to https://example.azurestaticapps.net'); process.exit(0); }
const option = (name) => { const i = args.indexOf(name); return i > 0 ? args[i + 1] : undefined; };
const appLocation = path.resolve(option('--app-location') || process.cwd());
const content = path.resolve(appLocation, args[1]);
let config;
const walk = (folder) => {
  for (const e of fs.readdirSync(folder, { withFileTypes: true })) {
    if (e.name.includes('node_modules') || e.name.startsWith('.git')) continue;
    const p = path.resolve(folder, e.name);
    if (e.isDirectory()) walk(p); else if (e.name === 'staticwebapp.config.json') config = p;
  }
};
walk(path.resolve(option('--swa-config-location') || appLocation));
fs.rmSync(${JSON.stringify(served)}, { recursive: true, force: true });
fs.cpSync(content, ${JSON.stringify(served)}, { recursive: true });
if (config) fs.copyFileSync(config, path.join(${JSON.stringify(served)}, 'staticwebapp.config.json'));
console.log('✔ Project deployed to https://example.azurestaticapps.net');
`,
  );
  return { bin: file, log: join(dir, 'log'), served };
}

/** One local server: the health route, the served site folder at `/`, and Resource Manager's calls. */
async function host(
  served: string,
  listSecrets: () => [number, string],
  page?: string,
): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = (req.url ?? '/').replace(/\?.*$/, '');
    if (url === '/api/health') {
      res.writeHead(200).end('{}');
      return;
    }
    if (url.includes('/listSecrets')) {
      const [status, body] = listSecrets();
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (req.method === 'POST') {
      res.writeHead(200).end('{}');
      return;
    }
    const file = join(served, url === '/' ? 'index.html' : url.slice(1));
    if (page !== undefined && url === '/') {
      res.writeHead(200).end(page);
      return;
    }
    if (existsSync(file)) {
      res.writeHead(200).end(readFileSync(file));
      return;
    }
    res.writeHead(404).end('not found');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function deploy(args: string[], env: NodeJS.ProcessEnv, cwd = root) {
  const tf = installFakeTerraform();
  fakes.push(tf);
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    PATH: `${tf.dir}${delimiter}${process.env['PATH'] ?? ''}`,
    FAKE_TF_LOG: tf.log,
    ATAKORA_SKIP_PREFLIGHT: '1',
  }; // the preflight has its own tests
  for (const k of [
    'ARM_SUBSCRIPTION_ID',
    'ATAKORA_TERRAFORM',
    'ATAKORA_ARM_ENDPOINT',
    'ATAKORA_ARM_TOKEN',
    'ATAKORA_SWA',
    'FAKE_TF_FAIL',
    'FAKE_TF_OUTPUT_BASE',
  ])
    delete base[k];
  const r = await runCliInProcess(
    [
      'deploy',
      ...args,
      '--auto-approve',
      '--out',
      join(work, `out-${String(Math.random()).slice(2)}`),
    ],
    { env: { ...base, ...env }, cwd },
  );
  return { ...r, calls: tf.calls().length };
}

const calls = (log: string) =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { args: string[]; cwd: string; token: string })
    : [];

describe('atakora deploy uploads the sites (stand-ins)', () => {
  it('after apply: the folder with its atakora.config.json and security headers, the token read through Resource Manager, then verified', async () => {
    const swa = installSwa();
    const server = await host(swa.served, () => [
      200,
      JSON.stringify({ properties: { apiKey: 'deploy-token-1' } }),
    ]);
    const r = await deploy(
      ['examples/team-notes/backend.ts', '--swa', swa.bin, '--verify-timeout', '10'],
      {
        FAKE_TF_OUTPUT_BASE: server.base,
        ATAKORA_ARM_ENDPOINT: server.base,
        ATAKORA_ARM_TOKEN: 'arm-token',
      },
    );
    expect(r.stderr).not.toMatch(/Error|SITE_/);
    expect(r.code).toBe(0);
    const [upload, ...more] = calls(swa.log);
    expect(more).toEqual([]);
    // Run inside the staged folder, every location pointing at it: the uploader sees nothing else.
    const staged = upload!.args[1]!;
    expect(upload!.args).toEqual([
      'deploy',
      staged,
      '--app-location',
      staged,
      '--swa-config-location',
      staged,
      '--env',
      'production',
    ]);
    expect(upload!.cwd).toBe(staged);
    // The token went through the environment, never the command line.
    expect(upload!.token).toBe('deploy-token-1');
    expect(upload!.args.join(' ')).not.toContain('deploy-token-1');
    expect(server.seen).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^POST /fake/notes_staticsite_teamnotesweb/listSecrets\\?api-version=${STATIC_SITES_API_VERSION}$`,
        ),
      ),
    );
    // What was uploaded: the site's files, its configuration from the stack's outputs, the merged headers.
    expect(readFileSync(join(swa.served, 'index.html'), 'utf8')).toBe(
      readFileSync(join(root, 'examples/team-notes/site/index.html'), 'utf8'),
    );
    const config = JSON.parse(readFileSync(join(swa.served, 'atakora.config.json'), 'utf8')) as {
      apis: Record<string, string>;
      auth: { clientId: string; scopes: string[] };
    };
    expect(Object.keys(config.apis)).toEqual(['notes']);
    expect(config.apis['notes']).toMatch(
      /^https:\/\/func-notes-dev-[a-z0-9]{6}\.azurewebsites\.net\/api\/notes$/,
    );
    expect(config.auth.clientId).toContain(
      'azuread_application.notes_staticsite_teamnotesweb_spa.client_id',
    );
    const swaConfig = JSON.parse(
      readFileSync(join(swa.served, 'staticwebapp.config.json'), 'utf8'),
    ) as { globalHeaders: Record<string, string>; navigationFallback: unknown };
    expect(swaConfig.globalHeaders['X-Content-Type-Options']).toBe('nosniff');
    expect(swaConfig.globalHeaders['Content-Security-Policy']).toMatch(
      /connect-src 'self' https:\/\/func-notes-dev-[a-z0-9]{6}\.azurewebsites\.net https:\/\/login\.microsoftonline\.com/,
    );
    expect(swaConfig.navigationFallback).toBeDefined();
    expect(r.stderr).toContain('site TeamNotesWeb: serving this deploy');
    // The marker this deploy wrote is what the site served.
    expect(JSON.parse(readFileSync(join(swa.served, 'atakora-deploy.json'), 'utf8'))).toMatchObject(
      { deployId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown },
    );
    // Uploaded after Terraform: the verification GET / came after the listSecrets call.
    expect(server.seen.indexOf('GET /')).toBeGreaterThan(
      server.seen.findIndex((s) => s.includes('listSecrets')),
    );
  });

  it('runs buildCommand first and uploads its output folder, under the renamed config file, exported for bundlers', async () => {
    const swa = installSwa();
    const server = await host(swa.served, () => [
      200,
      JSON.stringify({ properties: { apiKey: 'k' } }),
    ]);
    const site = mkdtempSync(join(work, 'site-'));
    writeFileSync(join(site, 'package.json'), '{}');
    const exported = join(work, 'exported', 'atakora.config.json');
    const r = await deploy(
      ['test/cli/fixtures/site-build-backend.ts', '--swa', swa.bin, '--verify-timeout', '10'],
      {
        FAKE_TF_OUTPUT_BASE: server.base,
        ATAKORA_ARM_ENDPOINT: server.base,
        ATAKORA_ARM_TOKEN: 't',
        SITE_FIXTURE_DIR: site,
        SITE_FIXTURE_EXPORT: exported,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(
      /SITE_(BUILD_FAILED|SOURCE_INVALID|DEPLOY_TOOL_MISSING|DEPLOY_TOKEN_MISSING|UPLOAD_FAILED|UNREACHABLE)/,
    );
    expect(r.stderr).toContain('Building site BuiltApp');
    expect(readFileSync(join(swa.served, 'index.html'), 'utf8')).toBe('<h1>built</h1>');
    const config = JSON.parse(readFileSync(join(swa.served, 'app-config.json'), 'utf8')) as {
      apis: Record<string, string>;
    };
    expect(Object.keys(config.apis)).toEqual(['notes']);
    expect(JSON.parse(readFileSync(exported, 'utf8'))).toEqual(config);
    // Written before buildCommand ran: the build bundled it.
    expect(JSON.parse(readFileSync(join(swa.served, 'bundled.json'), 'utf8'))).toEqual(config);
  });

  it('a failing upload fails the deploy naming the site', async () => {
    const swa = installSwa();
    const server = await host(swa.served, () => [
      200,
      JSON.stringify({ properties: { apiKey: 'secret-token-xyz' } }),
    ]);
    const r = await deploy(['examples/team-notes/backend.ts', '--swa', swa.bin], {
      FAKE_TF_OUTPUT_BASE: server.base,
      ATAKORA_ARM_ENDPOINT: server.base,
      ATAKORA_ARM_TOKEN: 't',
      FAKE_SWA_MODE: 'fail',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SITE_UPLOAD_FAILED');
    expect(r.stderr).toContain('Uploading site TeamNotesWeb failed');
    expect(r.stderr).not.toContain('secret-token-xyz');
  });

  it('a site that never serves its index.html fails the deploy naming it', async () => {
    const swa = installSwa();
    const server = await host(
      swa.served,
      () => [200, JSON.stringify({ properties: { apiKey: 'k' } })],
      '<h1>Congratulations on your new site!</h1>',
    );
    const r = await deploy(
      // Never served, whatever the timeout: the shortest proves it (the first look is made at any timeout).
      ['examples/team-notes/backend.ts', '--swa', swa.bin, '--verify-timeout', '0.3'],
      {
        FAKE_TF_OUTPUT_BASE: server.base,
        ATAKORA_ARM_ENDPOINT: server.base,
        ATAKORA_ARM_TOKEN: 't',
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SITE_UNREACHABLE');
    expect(r.stderr).toContain('Site TeamNotesWeb was uploaded');
    expect(r.stderr).toContain('HTTP 200 with another page');
  });

  it("uploads the merged staticwebapp.config.json even when the working directory holds the site's own", async () => {
    const swa = installSwa();
    const server = await host(swa.served, () => [
      200,
      JSON.stringify({ properties: { apiKey: 'k' } }),
    ]);
    // A project folder as a user has it: the site's own config beside its index.html, deployed from there.
    const project = mkdtempSync(join(work, 'project-'));
    mkdirSync(join(project, 'web'));
    writeFileSync(join(project, 'web', 'index.html'), '<h1>own config</h1>');
    writeFileSync(
      join(project, 'web', 'staticwebapp.config.json'),
      JSON.stringify({ routes: [{ route: '/old', redirect: '/' }] }),
    );
    const r = await deploy(
      [
        join(root, 'test/cli/fixtures/site-own-config-backend.ts'),
        '--swa',
        swa.bin,
        '--verify-timeout',
        '10',
      ],
      {
        FAKE_TF_OUTPUT_BASE: server.base,
        ATAKORA_ARM_ENDPOINT: server.base,
        ATAKORA_ARM_TOKEN: 't',
        SITE_FIXTURE_DIR: join(project, 'web'),
      },
      project,
    );
    expect(r.code, r.stderr).toBe(0);
    const served = JSON.parse(
      readFileSync(join(swa.served, 'staticwebapp.config.json'), 'utf8'),
    ) as { routes: unknown[]; globalHeaders?: Record<string, string> };
    // The merged file: the site's own routes and our security headers.
    expect(served.routes).toEqual([{ route: '/old', redirect: '/' }]);
    expect(served.globalHeaders?.['X-Content-Type-Options']).toBe('nosniff');
    expect(served.globalHeaders?.['X-Frame-Options']).toBe('SAMEORIGIN');
  });

  for (const [mode, says] of [
    ['fail-exit-0', 'Deployment Failed'],
    ['silent', 'no "Project deployed to" line'],
  ] as const) {
    it(`an uploader that exits 0 without deploying (${mode}) fails the deploy, though the site still serves the same index.html`, async () => {
      const swa = installSwa();
      const server = await host(swa.served, () => [
        200,
        JSON.stringify({ properties: { apiKey: 'k' } }),
      ]);
      // The previous deploy's content: the same index.html is already served.
      cpSync(join(root, 'examples/team-notes/site'), swa.served, { recursive: true });
      const r = await deploy(
        ['examples/team-notes/backend.ts', '--swa', swa.bin, '--verify-timeout', '3'],
        {
          FAKE_TF_OUTPUT_BASE: server.base,
          ATAKORA_ARM_ENDPOINT: server.base,
          ATAKORA_ARM_TOKEN: 't',
          FAKE_SWA_MODE: mode,
        },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('SITE_UPLOAD_FAILED');
      expect(r.stderr).toContain('Uploading site TeamNotesWeb failed');
      expect(r.stderr).toContain(says);
    });
  }

  it("an upload that claims success but changed nothing is caught: the site does not serve this deploy's marker", async () => {
    const swa = installSwa();
    const server = await host(swa.served, () => [
      200,
      JSON.stringify({ properties: { apiKey: 'k' } }),
    ]);
    cpSync(join(root, 'examples/team-notes/site'), swa.served, { recursive: true });
    writeFileSync(
      join(swa.served, 'atakora-deploy.json'),
      JSON.stringify({ deployId: 'an-earlier-deploy', deployedAt: '2026-01-01T00:00:00.000Z' }),
    );
    const r = await deploy(
      // Another deploy's marker is served whatever the timeout: the shortest proves it (as above).
      ['examples/team-notes/backend.ts', '--swa', swa.bin, '--verify-timeout', '0.3'],
      {
        FAKE_TF_OUTPUT_BASE: server.base,
        ATAKORA_ARM_ENDPOINT: server.base,
        ATAKORA_ARM_TOKEN: 't',
        FAKE_SWA_MODE: 'lie',
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SITE_UNREACHABLE');
    expect(r.stderr).toContain('atakora-deploy.json of another deploy (an-earlier-deploy)');
  });

  it('no token from Resource Manager: SITE_DEPLOY_TOKEN_MISSING naming the site; nothing uploaded', async () => {
    const swa = installSwa();
    const server = await host(swa.served, () => [403, '{"error":{"code":"AuthorizationFailed"}}']);
    const r = await deploy(['examples/team-notes/backend.ts', '--swa', swa.bin], {
      FAKE_TF_OUTPUT_BASE: server.base,
      ATAKORA_ARM_ENDPOINT: server.base,
      ATAKORA_ARM_TOKEN: 't',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SITE_DEPLOY_TOKEN_MISSING');
    expect(r.stderr).toContain('Site TeamNotesWeb');
    expect(calls(swa.log)).toEqual([]);
  });

  it('no uploader: SITE_DEPLOY_TOOL_MISSING before Terraform runs', async () => {
    const r = await deploy(['examples/team-notes/backend.ts'], {});
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('SITE_DEPLOY_TOOL_MISSING');
    expect(r.stderr).toContain('static-web-apps-cli');
    expect(r.calls).toBe(0);
  });
});
