/**
 * The seeds' least-privilege example — a read-only and an admin CrudApi over
 * one entity — plans clean once the admin API has its own `route`, and the package Terraform would deploy,
 * loaded the way the Functions worker loads `main` with the app settings apply wrote, serves both APIs on
 * their routes against a local Cosmos DB, each through its own identity.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { stacks } from '../examples/support.js';
import { appPackages, functionApps } from '../support/app-packages.js';
import { type Invocation, runHost } from '../runtime/support/built-app.js';
import { type DataPlaneRbac, enforceDataPlaneRbac } from '../runtime/support/data-plane-rbac.js';
import {
  type IdentityEndpoint,
  startIdentityEndpoint,
} from '../runtime/support/identity-endpoint.js';
import { type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { unzip } from './support/unzip.js';

const temp: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temp.push(d);
  return d;
};
const principal = Buffer.from(
  JSON.stringify({
    auth_typ: 'aad',
    claims: [
      { typ: 'tid', val: 't1' },
      { typ: 'oid', val: 'u1' },
    ],
  }),
).toString('base64');
const CLIENT = { ReadOnlyApi: 'client-read-only', AdminApi: 'client-admin' } as const;

let cosmos: LocalCosmos;
let rbac: DataPlaneRbac;
let identity: IdentityEndpoint;
let appDir: string;
let settings: Record<string, string>;
let manifest: RuntimeManifest;

/** The worker stand-in (test/runtime/support/host-standin.cjs) with the app settings as its environment. */
const host = (requests: readonly Invocation[]) => runHost(appDir, settings, requests);

beforeAll(async () => {
  const out = tempDir('atakora-least-privilege-');
  const { synthLeastPrivilege } = await import('../../examples/least-privilege.js');
  synthLeastPrivilege(out);
  const json = stacks(out)['LeastPrivilegeStack']!;
  const [app] = functionApps(json.resource!);
  const zip = readFileSync(
    join(
      out,
      'stacks/LeastPrivilegeStack',
      String(appPackages(json.resource!).get(String(app!['name']))),
    ),
  );
  appDir = tempDir('atakora-wwwroot-');
  for (const [name, data] of unzip(zip)) {
    mkdirSync(dirname(join(appDir, name)), { recursive: true });
    writeFileSync(join(appDir, name), data);
  }
  const written = app!['app_settings'] as Record<string, string>;
  manifest = JSON.parse(written['ATAKORA_MANIFEST']!) as RuntimeManifest;
  cosmos = await startLocalCosmos();
  const [db, coll] = [
    written[manifest.entities[0]!.settings.database]!,
    written[manifest.entities[0]!.settings.container]!,
  ];
  await cosmos.container(coll, '/id', db);
  // Both identities hold a role on the one container (Reader and Contributor, as apply assigns them).
  rbac = enforceDataPlaneRbac(
    cosmos.server,
    Object.fromEntries(Object.values(CLIENT).map((c) => [c, { db, coll }])),
  );
  identity = await startIdentityEndpoint();
  // The settings apply wrote; what Terraform resolves at deploy (endpoints, client ids) points at the local servers.
  settings = {
    ...Object.fromEntries(Object.entries(written).filter(([, v]) => !v.includes('${'))),
    IDENTITY_ENDPOINT: identity.tokenUrl,
    IDENTITY_HEADER: identity.header,
  };
  for (const e of manifest.entities) {
    settings[e.settings.endpoint] = `${cosmos.endpoint}/`;
    settings[e.settings.clientId!] = CLIENT[e.componentId as keyof typeof CLIENT];
  }
});
afterAll(async () => {
  await identity?.stop();
  rbac?.remove();
  await cosmos?.stop();
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe('least-privilege example: a read-only and an admin API over one entity, on two routes', () => {
  it('the deployed manifest holds both entities on distinct routes, over the same container', () => {
    expect(manifest.entities.map((e) => [e.componentId, e.route, e.operations.join(',')])).toEqual([
      ['AdminApi', 'admin/data', 'create,read,update,delete,list'],
      ['ReadOnlyApi', 'datas', 'read,list'],
    ]);
  });

  it('both APIs answer on their routes through their own identities; the read-only one refuses writes (405)', async () => {
    const auth = { 'x-ms-client-principal': principal };
    const json = { ...auth, 'content-type': 'application/json' };
    const result = await host([
      { function: 'health', method: 'GET', url: 'https://app.test/api/health' },
      {
        function: 'AdminApi-collection',
        method: 'POST',
        url: 'https://app.test/api/admin/data',
        headers: json,
        body: '{"id":"d1","value":"first"}',
      },
      {
        function: 'ReadOnlyApi-item',
        method: 'GET',
        url: 'https://app.test/api/datas/d1',
        params: { id: 'd1' },
        headers: auth,
      },
      {
        function: 'ReadOnlyApi-collection',
        method: 'GET',
        url: 'https://app.test/api/datas',
        headers: auth,
      },
      {
        function: 'ReadOnlyApi-collection',
        method: 'POST',
        url: 'https://app.test/api/datas',
        headers: json,
        body: '{"id":"d2","value":"no"}',
      },
      {
        function: 'AdminApi-item',
        method: 'DELETE',
        url: 'https://app.test/api/admin/data/d1',
        params: { id: 'd1' },
        headers: auth,
      },
      {
        function: 'ReadOnlyApi-item',
        method: 'GET',
        url: 'https://app.test/api/datas/d1',
        params: { id: 'd1' },
        headers: auth,
      },
    ]);
    const routes = result.functions.map((f) => [
      f.name,
      Object.values(f.bindings).find((b) => b['type'] === 'httpTrigger')?.['route'],
    ]);
    expect(routes).toEqual([
      ['AdminApi-collection', 'admin/data'],
      ['AdminApi-item', 'admin/data/{id}'],
      ['ReadOnlyApi-collection', 'datas'],
      ['ReadOnlyApi-item', 'datas/{id}'],
      ['openapi', 'openapi.json'],
      ['health', 'health'],
    ]);
    expect(result.responses.map((r) => r.status)).toEqual([200, 201, 200, 200, 405, 204, 404]);
    expect(JSON.parse(result.responses[2]!.body)).toMatchObject({ id: 'd1', value: 'first' });
    expect(JSON.parse(result.responses[3]!.body).items).toEqual([
      expect.objectContaining({ id: 'd1', value: 'first' }),
    ]);
    // Nothing refused by data-plane RBAC, and each API's calls carried its own identity's token.
    expect(rbac.refused).toEqual([]);
    for (const c of Object.values(CLIENT)) expect(rbac.allowed.get(c) ?? 0, c).toBeGreaterThan(0);
  });
});
