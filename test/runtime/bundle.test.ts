import { execFile, spawn } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { catalogEntity, noteEntity, userEntity } from './support/entities.js';
import { nonBuiltinImports } from '../support/app-packages.js';
import { ESM_PACKAGE_BANNER } from '../../src/packaging/esm-package.js';
import { loopbackCertificate } from '../../src/cli/dev/loopback/loopback-certificate.js';
import { startTelemetryReceiver } from '../support/telemetry-receiver.js';
import { startIdentityEndpoint } from './support/identity-endpoint.js';
import { tokenFor } from './support/data-plane-rbac.js';
import { principalHeaders } from './support/spans.js';

/** @azure/cosmos's own request timeout (its ConnectionPolicy default), which the runtime's deadline cuts short. */
const SDK_REQUEST_TIMEOUT_MS = 60_000;

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const support = join(repo, 'test/runtime/support');
let outDir: string;

const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'shop',
  entities: [userEntity, noteEntity, catalogEntity],
};
const settings: Record<string, string> = {};
for (const e of manifest.entities) {
  settings[e.settings.endpoint] = 'https://cosmos-shop-dev.documents.azure.com:443/';
  settings[e.settings.database] = 'shop';
  settings[e.settings.container] = e.route;
}

/**
 * Load the app the way the worker does, in a fresh process with only the app settings as configuration. Resolves
 * on the stand-in's result line and then ends the child: a request the app abandoned (a token probe or a Cosmos DB
 * call cut by its deadline, left on a socket that never answers) would keep it alive ~20 s past its answers. Its
 * stderr is read to the end (pipes are synchronous on Linux: every line written before the result is in).
 */
async function host(env: Record<string, string>, ...args: string[]) {
  const child = spawn(process.execPath, [join(support, 'host-standin.cjs'), outDir, ...args], {
    cwd: outDir,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: join(support, 'functions-core-stub'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  const line = await new Promise<string | undefined>((done) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const found = stdout
        .split('\n')
        .find((l, i, all) => l.startsWith('@@RESULT@@') && i < all.length - 1);
      if (found) done(found);
    });
    // After the streams end (not at 'exit', which can come before the last output is read).
    void closed.then(() => done(undefined));
  });
  child.kill();
  await closed;
  if (!line) throw new Error(`no result:\n${stdout}\n${stderr}`);
  return { result: JSON.parse(line.slice('@@RESULT@@'.length)), stderr };
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'atakora-runtime-app-'));
  const { stdout } = await run(
    process.execPath,
    [join(repo, 'scripts/build-runtime.mjs'), '--out', outDir],
    { cwd: repo },
  );
  expect(stdout).toMatch(/runtime bundle: .*index\.js [\d.]+ KiB/);
});
afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('bundled Function App', () => {
  it('has host.json (v2, bundle [4.*, 5.0.0)), package.json main index.js, and no runtime imports left', async () => {
    const hostJson = JSON.parse(await readFile(join(outDir, 'host.json'), 'utf8'));
    expect(hostJson.version).toBe('2.0');
    expect(hostJson.extensionBundle).toEqual({
      id: 'Microsoft.Azure.Functions.ExtensionBundle',
      version: '[4.*, 5.0.0)',
    });
    // Bounded HTTP concurrency: unbounded (the host's default) let large-body bursts exhaust the worker's heap.
    expect(hostJson.extensions.http).toEqual({
      routePrefix: 'api',
      maxConcurrentRequests: 50,
      maxOutstandingRequests: 200,
    });
    // Queue triggers (the webhooks' deliveries, the cascades') poll an idle queue at most every 2 s, not the host's
    // default minute: a webhook leaves within seconds of the write deployed as under dev (docs/integrations.md).
    expect(hostJson.extensions.queues).toEqual({ maxPollingInterval: '00:00:02' });
    // The host's own logs at Warning, its request telemetry (Host.Results) and execution metrics kept.
    expect(hostJson.logging.logLevel).toEqual({
      default: 'Warning',
      'Host.Results': 'Information',
      'Host.Aggregator': 'Information',
    });
    const pkg = JSON.parse(await readFile(join(outDir, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('index.js');
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies).toBeUndefined();
    const code = await readFile(join(outDir, 'index.js'), 'utf8');
    // One ES module importing Node built-ins only; the worker's @azure/functions-core is required by name.
    expect(nonBuiltinImports(code, builtinModules)).toEqual([]);
    expect(code).toContain('"@azure/functions-core"');
    expect(code.startsWith(ESM_PACKAGE_BANNER)).toBe(true);
    expect(code).not.toMatch(/cdktf|constructs/);
    expect((await stat(join(outDir, 'index.js'))).size).toBeGreaterThan(10_000);
  });

  it('registers every entity route with its methods, and health, when loaded by a host stand-in', async () => {
    const { result } = await host({ ATAKORA_MANIFEST: JSON.stringify(manifest), ...settings });
    expect(result.main).toBe('index.js');
    expect(result.programmingModel.name).toBe('@azure/functions');
    const seen = result.functions.map(
      (f: { name: string; bindings: Record<string, Record<string, unknown>> }) => {
        const trigger = Object.values(f.bindings).find((b) => b.type === 'httpTrigger')!;
        const output = Object.values(f.bindings).find((b) => b.type === 'http')!;
        expect(output.direction).toBe('out');
        return {
          name: f.name,
          route: trigger.route,
          methods: trigger.methods,
          authLevel: trigger.authLevel,
        };
      },
    );
    const all = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    expect(seen).toEqual([
      { name: 'UserApi-collection', route: 'users', methods: all, authLevel: 'anonymous' },
      { name: 'UserApi-item', route: 'users/{id}', methods: all, authLevel: 'anonymous' },
      { name: 'NoteApi-collection', route: 'notes', methods: all, authLevel: 'anonymous' },
      { name: 'NoteApi-item', route: 'notes/{id}', methods: all, authLevel: 'anonymous' },
      { name: 'CatalogApi-collection', route: 'products', methods: all, authLevel: 'anonymous' },
      { name: 'CatalogApi-item', route: 'products/{id}', methods: all, authLevel: 'anonymous' },
      { name: 'openapi', route: 'openapi.json', methods: ['GET'], authLevel: 'anonymous' },
      { name: 'health', route: 'health', methods: ['GET'], authLevel: 'anonymous' },
    ]);
  });

  it('logs RUNTIME_CONFIG_INVALID and serves only a 503 health route on a bad manifest', async () => {
    const cases: Record<string, string>[] = [
      {},
      { ATAKORA_MANIFEST: '{not json' },
      { ATAKORA_MANIFEST: JSON.stringify(manifest) } /* settings missing */,
    ];
    for (const env of cases) {
      const { result, stderr } = await host(env, '--invoke-health');
      expect(result.functions.map((f: { name: string }) => f.name)).toEqual(['health']);
      expect(result.health.status).toBe(503);
      expect(JSON.parse(result.health.body)).toMatchObject({
        status: 'misconfigured',
        code: 'RUNTIME_CONFIG_INVALID',
      });
      const logLine = stderr.split('\n').find((l) => l.includes('RUNTIME_CONFIG_INVALID'));
      expect(JSON.parse(logLine!)).toMatchObject({
        component: 'runtime',
        operation: 'startup',
        code: 'RUNTIME_CONFIG_INVALID',
      });
    }
  });

  it('the built app refuses hostile bodies and answers 503 in time when Cosmos DB and the identity endpoint are unreachable', async () => {
    // Nothing listens on the endpoint and no managed identity exists here: token acquisition and the call
    // both fail or hang, and the app must still answer within its configured deadline.
    const dead: Record<string, string> = {};
    for (const e of manifest.entities) {
      dead[e.settings.endpoint] = 'https://127.0.0.1:9/';
      dead[e.settings.database] = 'shop';
      dead[e.settings.container] = e.route;
    }
    const url = 'https://app.test/api/users';
    // An authenticated caller (authentication is on by default): the principal App Service authentication injects.
    const principal = {
      'x-ms-client-principal': Buffer.from(
        JSON.stringify({
          auth_typ: 'aad',
          claims: [
            { typ: 'tid', val: 't1' },
            { typ: 'oid', val: 'u1' },
          ],
        }),
      ).toString('base64'),
    };
    const json = { ...principal, 'content-type': 'application/json' };
    const requests = [
      {
        function: 'UserApi-collection',
        method: 'POST',
        url,
        headers: { ...principal, 'content-type': 'text/plain' },
        body: '{"name":"a"}',
      },
      {
        function: 'UserApi-collection',
        method: 'POST',
        url,
        headers: json,
        body: `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      },
      {
        function: 'UserApi-collection',
        method: 'POST',
        url,
        headers: json,
        body: `{"tags":[${Array(60_000).fill('[]').join(',')}]}`,
      },
      {
        function: 'UserApi-item',
        method: 'GET',
        url: `${url}/..`,
        params: { id: '..' },
        headers: principal,
      },
      {
        function: 'UserApi-item',
        method: 'GET',
        url: `${url}/u1`,
        params: { id: 'u1' },
        headers: principal,
      },
      { function: 'health', method: 'GET', url: 'https://app.test/api/health' },
    ];
    const file = join(outDir, 'requests.json');
    await writeFile(file, JSON.stringify(requests));
    const { result } = await host(
      { ATAKORA_MANIFEST: JSON.stringify(manifest), ATAKORA_COSMOS_TIMEOUT_MS: '1500', ...dead },
      '--requests',
      file,
    );
    const statuses = result.responses.map((r: { status: number }) => r.status);
    expect(statuses).toEqual([415, 400, 413, 400, 503, 503]);
    const read = result.responses[4];
    expect(read.headers['Retry-After']).toBe('5');
    // Not left to the SDK's own waits (60 s a request): a bound only a call nothing cut short reaches, however
    // loaded the machine (what ends the calls here is the refused token, at once, and the deadline
    // itself is proven without a clock in cosmos-faults.test.ts).
    expect(read.ms).toBeLessThan(SDK_REQUEST_TIMEOUT_MS / 2);
    // Health has its own budget per check (5 s, or the app's Cosmos DB deadline when shorter: 1.5 s here), token
    // acquisition included: each check refused (no identity endpoint: a credential error at once) or cut by that
    // budget ('timeout').
    expect(result.responses[5].ms).toBeLessThan(SDK_REQUEST_TIMEOUT_MS / 2);
    for (const check of (JSON.parse(result.responses[5].body) as { checks: { reason: string }[] })
      .checks)
      expect(['credential', 'timeout']).toContain(check.reason);
    expect(result.responses[5].body).not.toMatch(/127\.0\.0\.1|shop/);
  });

  it('with ATAKORA_TRACES, exports its spans to Application Insights with the app’s managed identity, loaded as the worker loads it', async () => {
    const work = await mkdtemp(join(tmpdir(), 'atakora-traces-'));
    const certificate = loopbackCertificate(work);
    const [ingestion, identity] = await Promise.all([
      startTelemetryReceiver(certificate),
      startIdentityEndpoint({ systemAssigned: true }),
    ]);
    try {
      const dead: Record<string, string> = {};
      for (const e of manifest.entities) {
        dead[e.settings.endpoint] = 'https://127.0.0.1:9/';
        dead[e.settings.database] = 'shop';
        dead[e.settings.container] = e.route;
      }
      const file = join(outDir, 'traced-requests.json');
      await writeFile(
        file,
        JSON.stringify([
          {
            function: 'UserApi-item',
            method: 'GET',
            url: 'https://app.test/api/users/u1',
            params: { id: 'u1' },
            headers: principalHeaders({ tid: 't1', oid: 'oid-1' }),
          },
        ]),
      );
      const { result } = await host(
        {
          ATAKORA_MANIFEST: JSON.stringify(manifest),
          ATAKORA_COSMOS_TIMEOUT_MS: '1000',
          ...dead,
          // What apply writes with monitoring on, and what the platform provides.
          ATAKORA_TRACES: JSON.stringify({ exporter: 'azure-monitor', samplingPercentage: 100 }),
          APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-0000-0000-000000000003;IngestionEndpoint=${ingestion.url}/`,
          WEBSITE_SITE_NAME: 'func-shop-prod',
          IDENTITY_ENDPOINT: identity.tokenUrl,
          IDENTITY_HEADER: identity.header,
          APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
          NODE_EXTRA_CA_CERTS: certificate.certFile,
        },
        '--requests',
        file,
        '--terminate',
      );
      expect(result.responses[0].status).toBe(503);
      const track = await ingestion.waitFor('/v2.1/track');
      expect(track.headers.authorization).toBe(`Bearer ${tokenFor('system-assigned')}`);
      expect(
        identity.requests.some(
          (r) => r.resource === 'https://monitor.azure.com' && r.clientId === null,
        ),
      ).toBe(true);
      const items = ingestion.received
        .filter((r) => r.path.startsWith('/v2.1/track'))
        .flatMap(
          (r) =>
            JSON.parse(r.body.toString('utf8')) as {
              data: { baseType: string; baseData: Record<string, unknown> };
              tags: Record<string, string>;
            }[],
        );
      const request = items.find((i) => i.data.baseType === 'RequestData')!;
      expect(request.data.baseData).toMatchObject({
        name: 'GET api/users/{id}',
        responseCode: '503',
        properties: expect.objectContaining({
          'atakora.component': 'UserApi',
          'atakora.operation': 'read',
          'atakora.tenant': 'shared',
        }) as unknown,
      });
      expect(request.tags['ai.cloud.role']).toBe('func-shop-prod');
      // enduser.id becomes the item's authenticated user (user_AuthenticatedId in the requests table).
      expect(request.tags['ai.user.authUserId']).toBe('oid-1');
      const dependency = items.find((i) => i.data.baseType === 'RemoteDependencyData');
      expect(dependency?.tags['ai.operation.id']).toBe(request.tags['ai.operation.id']);
    } finally {
      await Promise.all([ingestion.stop(), identity.stop()]);
      await rm(work, { recursive: true, force: true });
    }
  });
});
