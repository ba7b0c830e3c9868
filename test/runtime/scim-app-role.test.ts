import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCIM_FUNCTIONS, SCIM_ROUTES } from '../../src/contract/scim/scim.js';
import { APP_ROLE_SETTING, SCIM_APP_ROLE } from '../../src/model/runtime-manifest.js';
import {
  type Answer,
  appSettings,
  type BuiltApp,
  buildApp,
  type Invocation,
  principalHeader,
  runHost,
} from './support/built-app.js';
import { noteEntity } from './support/entities.js';
import { type IdentityEndpoint, startIdentityEndpoint } from './support/identity-endpoint.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { member, policy, record } from './support/organization-calls.js';

// The SCIM app (resources/functions/scim-app) runs the same package as the shared app with ATAKORA_APP_ROLE=scim and
// no App Service authentication in front of it: anyone reaches it and may send any x-ms-client-principal header.
// Loaded here as the Functions worker loads it (the built package in the worker stand-in, its only configuration
// the app settings), against the local Cosmos DB: it registers the SCIM routes and health alone, and a forged
// principal neither signs anyone in nor moves a SCIM request to another organization.

const BASE = 'https://scim.test/api';
const ada = principalHeader([
  ['oid', 'ada'],
  ['tid', 'home-dir'],
]);
/** Globex's Owner, as a forger would write the header App Service would have injected. */
const forgedGus = principalHeader([
  ['oid', 'gus'],
  ['tid', 'home-dir'],
  ['roles', 'TenantAdmin'],
]);
const scimJson = { 'content-type': 'application/scim+json' };

let app: BuiltApp;
let cosmos: LocalCosmos;
let identity: IdentityEndpoint;
let members: Container;
let tenants: Container;
let audit: Container;

function env(role?: string): Record<string, string> {
  return {
    ...appSettings([noteEntity], {
      cosmosEndpoint: cosmos.endpoint,
      identityEndpoint: identity.tokenUrl,
      identityHeader: identity.header,
      db: 'notes',
      containerOf: () => 'notes',
      auth: policy,
    }),
    ...(role === undefined ? {} : { [APP_ROLE_SETTING]: role }),
  };
}

const scim = (
  fn: keyof typeof SCIM_FUNCTIONS,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  params: Record<string, string> = {},
): Invocation => ({
  function: SCIM_FUNCTIONS[fn],
  method,
  url: `${BASE}/scim/v2/${path}`,
  headers,
  params,
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const parsed = (a: Answer) => (a.body ? JSON.parse(a.body) : undefined);

/** Acme's SCIM token, issued by its Owner through the shared app (signed in there by App Service). */
async function issueToken(): Promise<string> {
  const [issued] = await app.invoke(env(), [
    {
      function: SCIM_FUNCTIONS.tokens,
      method: 'POST',
      url: `${BASE}/tenant/scim-tokens`,
      headers: { ...ada, 'x-atakora-tenant': 'acme', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'entra' }),
    },
  ]);
  expect(issued?.status).toBe(201);
  return String(parsed(issued!).token);
}

beforeAll(async () => {
  const building = buildApp('atakora-scim-app-', { warm: true });
  cosmos = await startLocalCosmos();
  members = await cosmos.container('members', '/tenant');
  tenants = await cosmos.container('tenants', '/id');
  audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  await cosmos.container('notes', '/tenantId', 'notes');
  for (const org of ['acme', 'globex']) await tenants.items.create(record(org));
  await members.items.create(member('acme', 'ada', ['Owner']));
  await members.items.create(member('globex', 'gus', ['Owner']));
  identity = await startIdentityEndpoint();
  app = await building;
});
afterAll(async () => {
  await identity?.stop();
  await cosmos?.stop();
  await app?.remove();
});

describe('the runtime in the SCIM role (ATAKORA_APP_ROLE=scim), as the worker loads it', () => {
  it('registers the SCIM routes below scim/v2 and health, nothing else; the shared app registers them too', async () => {
    const scimApp = await app.host(env(SCIM_APP_ROLE), []);
    const names = scimApp.functions.map((f) => f.name).sort();
    const scimNames = Object.entries(SCIM_FUNCTIONS)
      .filter(([key]) => key in SCIM_ROUTES)
      .map(([, name]) => name);
    expect(names).toEqual([...scimNames, 'health'].sort());
    // No route of the shared app is there (the host answers 404 to them): no CRUD, tenant, token or MCP route.
    const routes = scimApp.functions.map((f) =>
      String(Object.values(f.bindings).find((b) => b['type'] === 'httpTrigger')?.['route']),
    );
    expect(routes).toHaveLength(names.length);
    for (const route of routes)
      expect(route === 'health' || route.startsWith('scim/v2/')).toBe(true);
    expect(names).not.toContain(SCIM_FUNCTIONS.tokens);
    expect(names).not.toContain('NoteApi-collection');
    // Existing Entra configurations keep working: the shared app still serves the SCIM routes (its excluded paths).
    const shared = await app.host(env(), []);
    const sharedNames = shared.functions.map((f) => f.name);
    for (const name of scimNames) expect(sharedNames).toContain(name);
    expect(sharedNames).toContain('NoteApi-collection');
  });

  it('a forged principal is no sign-in: 401 without the token, and with it the token alone says who and where', async () => {
    const token = await issueToken();
    const bearer = { authorization: `Bearer ${token}` };
    const answers = await app.invoke(env(SCIM_APP_ROLE), [
      // ada's principal, as App Service would inject it for the shared app's Owner: no token, no entry.
      scim('users', 'GET', 'Users', ada),
      scim('serviceProviderConfig', 'GET', 'ServiceProviderConfig', { ...forgedGus }),
      // The token and a forged Globex Owner asking for Globex: the user lands in the token's organization.
      scim(
        'users',
        'POST',
        'Users',
        { ...bearer, ...forgedGus, ...scimJson, 'x-atakora-tenant': 'globex' },
        {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'kim@acme.example',
          active: true,
        },
      ),
      scim('users', 'GET', 'Users', { ...bearer, ...forgedGus, 'x-atakora-tenant': 'globex' }),
      { function: 'health', method: 'GET', url: `${BASE}/health`, headers: forgedGus },
    ]);
    const [noToken, discovery, created, listed, health] = answers;
    expect(noToken?.status).toBe(401);
    expect(noToken?.headers['www-authenticate'] ?? noToken?.headers['WWW-Authenticate']).toBe(
      'Bearer realm="scim"',
    );
    expect(parsed(noToken!).schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    expect(discovery?.status).toBe(401);
    expect(created?.status).toBe(201);
    expect(listed?.status).toBe(200);
    expect(parsed(listed!).Resources.map((u: { userName: string }) => u.userName)).toEqual([
      'kim@acme.example',
    ]);
    expect(health?.status).toBe(200);
    // Written in acme (the token's), never in globex (the forged header's), and audited as the token, not gus.
    const inGlobex = await members.items
      .query({
        query: 'SELECT * FROM c WHERE c.tenant = "globex" AND c.userName = "kim@acme.example"',
      })
      .fetchAll();
    expect(inGlobex.resources).toEqual([]);
    const entries = (
      await audit.items
        .query<{ tenant: string; action: string; actor: { id: string; via: string } }>(
          'SELECT * FROM c WHERE c.action = "scim.user-created"',
        )
        .fetchAll()
    ).resources;
    expect(entries.map((e) => [e.tenant, e.actor.via, e.actor.id.startsWith('scim:')])).toEqual([
      ['acme', 'scim', true],
    ]);
  });

  it('an unknown role registers health alone, answering 503 with the configuration error', async () => {
    const r = await runHost(app.dir, env('scimm'), [
      { function: 'health', method: 'GET', url: `${BASE}/health`, headers: {} },
    ]);
    expect(r.functions.map((f) => f.name)).toEqual(['health']);
    expect(r.responses[0]?.status).toBe(503);
    expect(r.responses[0]?.body).toContain('RUNTIME_CONFIG_INVALID');
  });
});
