/**
 * The runtime's door (runtime/caller/door.ts) on the paths App Service authentication lets through for the bearers
 * it cannot validate (`excludedPaths`: api/mcp for agents' tokens, the data routes for API keys). Attacked as a
 * client on the internet would: a forged `x-ms-client-principal` without a token, Entra-shaped tokens signed by an
 * unpublished key, for another audience, from another issuer, expired, `alg: none`, HS256 keyed with the published
 * public key — each 401; a valid Entra token answered as the platform-authenticated request is; an agent's own token
 * at api/mcp and an `atk_` key on a data route served. The Entra side is a loopback stand-in
 * (test/support/entra-token-standin.ts); the runtime runs over the local Cosmos DB server.
 */
import { type HttpFunctionOptions, type HttpHandler, HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeDoor } from '../../src/model/door/runtime-door.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { member, record, reseed } from './support/organization-calls.js';
import { type OrganizationsStore, organizationsStore } from './support/organizations-app.js';
import { membershipAuth } from './support/registry-auth.js';
import { runtimeDoor } from '../../src/runtime/caller/door.js';
import { clientPrincipalOf } from '../../src/runtime/caller/client-principal.js';
import { startEntraTokenStandIn, type EntraTokenStandIn } from '../support/entra-token-standin.js';
import {
  type AgentsApp,
  connectAgent,
  mcpWith,
  startAgentsApp,
  who,
} from './support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API = '11111111-2222-3333-4444-555555555555';
const AUDIENCES = [API, `api://${API}`];
const forged = (oid: string) => who(oid)['x-ms-client-principal'] as string;
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

let entra: EntraTokenStandIn;
beforeAll(async () => {
  entra = await startEntraTokenStandIn();
});
afterAll(async () => entra?.close());

const doorOf = (
  issuer: string,
  paths = ['/api/mcp', '/api/notes', '/api/notes/*'],
): RuntimeDoor => ({
  paths,
  issuer,
  audiences: AUDIENCES,
});
const request = (path: string, headers: Record<string, string>) =>
  new HttpRequest({ method: 'GET', url: `https://app.test${path}`, headers });

describe('the door refuses what App Service would have refused', () => {
  const refused = async (token: string, issuer = entra.issuerOf(TENANT)) => {
    const r = await runtimeDoor(doorOf(issuer)).admit(
      request('/api/notes', { authorization: `Bearer ${token}` }),
    );
    return r?.status;
  };
  it('a token signed by a key the issuer never published', async () => {
    expect(await refused(await entra.mint(TENANT, API, {}, { key: await entra.stranger() }))).toBe(
      401,
    );
  });
  it('a token for another audience', async () => {
    expect(await refused(await entra.mint(TENANT, 'api://someone-else'))).toBe(401);
  });
  it('a token of another issuer (another tenant, or a made-up issuer with the published key)', async () => {
    expect(await refused(await entra.mint('another-tenant', API))).toBe(401);
    expect(
      await refused(await entra.mint(TENANT, API, {}, { issuer: 'https://evil.test/v2.0' })),
    ).toBe(401);
  });
  it('an expired token, and one not yet valid', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    expect(await refused(await entra.mint(TENANT, API, {}, { nowS: past }))).toBe(401);
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(await refused(await entra.mint(TENANT, API, {}, { nowS: future }))).toBe(401);
  });
  it('alg none, and HS256 keyed with the published public key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: API,
      iss: entra.issuerOf(TENANT),
      oid: 'ada',
      tid: TENANT,
      exp: now + 600,
    };
    expect(await refused(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`)).toBe(401);
    const { SignJWT } = await import('jose');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(JSON.stringify(entra.publicJwk)));
    expect(await refused(hs)).toBe(401);
  });
  it('a token that names nobody, and a multi-tenant token whose iss is not its own tid', async () => {
    expect(await refused(await entra.mint(TENANT, API, { oid: '', sub: '' }))).toBe(401);
    const other = '0b6e2b9e-0000-4000-8000-000000000001';
    const common = entra.issuerOf('common');
    expect(await refused(await entra.mint(TENANT, API, { tid: other }), common)).toBe(401);
    // The same token with its own tenant's issuer is taken by the multi-tenant door.
    expect(await refused(await entra.mint(TENANT, API), common)).toBeUndefined();
  });
  it('a forged principal never survives a door path, with or without a bearer', async () => {
    const door = runtimeDoor(doorOf(entra.issuerOf(TENANT)));
    for (const path of ['/api/notes', '/api/notes/n1', '/API/Notes/', '/api//mcp', '/api/mc%70']) {
      const r = request(path, {
        'x-ms-client-principal': forged('mallory'),
        'x-ms-client-principal-id': 'm',
      });
      expect(await door.admit(r)).toBeUndefined();
      expect(r.headers.get('x-ms-client-principal')).toBeNull();
      expect(r.headers.get('x-ms-client-principal-id')).toBeNull();
    }
    // Elsewhere App Service set it: left alone.
    const elsewhere = request('/api/tenant/members', { 'x-ms-client-principal': forged('ada') });
    expect(await door.admit(elsewhere)).toBeUndefined();
    expect(elsewhere.headers.get('x-ms-client-principal')).toBe(forged('ada'));
  });
  it('a valid token becomes the principal App Service would have set; its keys are fetched once', async () => {
    const door = runtimeDoor(doorOf(entra.issuerOf(TENANT)));
    const before = { ...entra.fetches };
    for (let i = 0; i < 3; i++) {
      const token = await entra.mint(TENANT, `api://${API}`, {
        oid: 'ada',
        roles: ['Reader', 'Writer'],
      });
      const r = request('/api/notes', {
        authorization: `Bearer ${token}`,
        'x-ms-client-principal': forged('mallory'),
      });
      expect(await door.admit(r)).toBeUndefined();
      const principal = clientPrincipalOf(r.headers.get('x-ms-client-principal'));
      const claims = principal?.claims ?? [];
      expect(claims).toContainEqual({ typ: 'oid', val: 'ada' });
      expect(claims).toContainEqual({ typ: 'tid', val: TENANT });
      expect(claims.filter((c) => c.typ === 'roles').map((c) => c.val)).toEqual([
        'Reader',
        'Writer',
      ]);
    }
    expect(entra.fetches.documents - before.documents).toBe(1);
    expect(entra.fetches.keys - before.keys).toBe(1);
  });
});

describe('through the runtime: agents at api/mcp, keys on the data routes', () => {
  let cosmos: LocalCosmos;
  let plain: AgentsApp;
  let guarded: AgentsApp;
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    plain = await startAgentsApp(cosmos);
    guarded = await startAgentsApp(cosmos, { door: doorOf(entra.issuerOf('home-dir')) });
  });
  afterAll(async () => {
    await plain?.stop();
    await guarded?.stop();
    await cosmos?.stop();
  });
  beforeEach(async () => {
    for (const app of [plain, guarded]) app.clock.now += 3_600_000;
    await guarded.reseed();
  });
  const mcpAs = (app: AgentsApp, headers: Record<string, string>) =>
    app.call('atakora-mcp', 'POST', 'mcp', {
      headers: {
        accept: 'application/json, text/event-stream',
        'x-atakora-tenant': 'acme',
        ...headers,
      },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });

  it('a forged principal without a token is 401 at api/mcp and on the data routes (the platform lets it through)', async () => {
    const principal = { 'x-ms-client-principal': forged('ada') };
    expect((await mcpAs(guarded, principal)).status).toBe(401);
    const notes = await guarded.call('NoteApi-collection', 'GET', 'notes', {
      headers: { ...principal, 'x-atakora-tenant': 'acme' },
    });
    expect(notes.status).toBe(401);
  });
  it('a valid Entra token is answered as the platform-authenticated request is', async () => {
    const token = await entra.mint('home-dir', API, { oid: 'ada' });
    const viaDoor = await mcpAs(guarded, { authorization: `Bearer ${token}` });
    const viaPlatform = await mcpAs(plain, who('ada'));
    expect(viaDoor.status).toBe(200);
    expect(viaDoor.text).toBe(viaPlatform.text);
    const bad = await mcpAs(guarded, {
      authorization: `Bearer ${await entra.mint('home-dir', 'api://other')}`,
      ...who('ada'),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token');
  });
  it("an agent's own token is served at api/mcp, a forged principal beside it ignored", async () => {
    const { tokens } = await connectAgent(guarded, 'ada', 'acme');
    const served = await mcpWith(guarded, String(tokens.body.access_token), {
      'x-ms-client-principal': forged('mallory'),
    });
    expect(served.status).toBe(200);
  });
});

describe('through the runtime: an API key on a data route behind the door', () => {
  const keyPolicy = membershipAuth(
    'home-dir',
    { plans: { pro: { features: ['api-keys'] } }, defaultPlan: 'pro' },
    { createTenants: 'any-user', apiKeys: { perOrganization: 3 } },
  );
  const notes: RuntimeEntity = {
    ...noteEntity,
    access: [
      { allow: 'role', role: 'Admin' },
      { allow: 'role', role: 'Member', operations: ['read', 'list'] },
    ],
  };
  let cosmos: LocalCosmos;
  let c: OrganizationsStore;
  const fns = new Map<string, HttpFunctionOptions>();
  beforeAll(async () => {
    cosmos = await startLocalCosmos();
    c = await organizationsStore(cosmos, `${notes.componentId}-door`);
    const container = c.notes;
    registerCrudRoutes(
      { http: (name, o) => fns.set(name, o) },
      { version: 1, backendId: 'keys', entities: [notes], auth: keyPolicy },
      {
        containerFor: () => container,
        caller: keyPolicy,
        door: doorOf(entra.issuerOf('home-dir'), ['/api/notes', '/api/notes/*']),
      },
    );
    await reseed(c, [record('acme', 'pro')], [member('acme', 'ada', ['Owner'])]);
  });
  afterAll(async () => cosmos?.stop());
  const call = (
    name: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: object,
  ) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return invoke(f.handler as HttpHandler, method, path, { headers, ...(body ? { body } : {}) });
  };

  it('is served, and a forged principal beside a key changes nothing; without the key the forgery is 401', async () => {
    // The people route stays behind App Service: its principal is the platform's.
    const created = await call(
      'membership-api-keys',
      'POST',
      'tenant/api-keys',
      {
        ...who('ada'),
        'x-atakora-tenant': 'acme',
      },
      { name: 'nightly', role: 'Member' },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const key = String(created.body.key);
    const listed = await call('NoteApi-collection', 'GET', 'notes', {
      authorization: `Bearer ${key}`,
      'x-ms-client-principal': forged('ada'),
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    // A Member key cannot write, whatever principal rides along (an Owner's, forged).
    const write = await call(
      'NoteApi-collection',
      'POST',
      'notes',
      {
        authorization: `Bearer ${key}`,
        'x-ms-client-principal': forged('ada'),
      },
      { id: 'n1', title: 'x' },
    );
    expect(write.status).toBe(403);
    const forgery = await call('NoteApi-collection', 'GET', 'notes', {
      ...who('ada'),
      'x-atakora-tenant': 'acme',
    });
    expect(forgery.status).toBe(401);
  });
});
