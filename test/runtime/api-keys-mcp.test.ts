/**
 * An organization's API key at the MCP door (DESIGN §2 "Integrations": a key is a caller "as for a member of that
 * role" on its organization's data, "never the people routes"; "MCP (agents as clients)" and "Agents that sign in":
 * `api/mcp` is where people's agents act, signed in as their person). DESIGN names no key at `api/mcp`, so the
 * runtime keeps it closed and says so: 403 `api-key-not-allowed` whose detail names the MCP server and the door a
 * key uses instead — after the 401 of a key that admits nothing, before any message is read, on every plan — while
 * the same key is served on the REST route. (The same answers through every door, against the reference model:
 * test/model/owners.model.test.ts, "organization API keys beside the people".)
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { member, record, reseed, who } from './support/organization-calls.js';
import { type OrganizationsStore, organizationsStore } from './support/organizations-app.js';
import { membershipAuth } from './support/registry-auth.js';

const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  {
    plans: { free: { features: ['mcp'] }, pro: { features: ['mcp', 'api-keys'] } },
    defaultPlan: 'free',
  },
  { createTenants: 'any-user', apiKeys: {} },
);
const notes: RuntimeEntity = {
  ...noteEntity,
  mcp: 'readwrite',
  access: [{ allow: 'authenticated' }],
};

let cosmos: LocalCosmos;
let c: OrganizationsStore;
const fns = new Map<string, HttpFunctionOptions>();

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  c = await organizationsStore(cosmos);
  const container = c.notes;
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o) },
    { version: 1, backendId: 'keys-mcp', entities: [notes], auth: policy, mcp: { writes: true } },
    { containerFor: () => container, caller: policy },
  );
});
afterAll(async () => cosmos?.stop());
beforeEach(async () => {
  await reseed(c, [record('acme', 'pro')], [member('acme', 'ada', ['Owner'])]);
});

const call = (
  name: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return invoke(f.handler as HttpHandler, method, path, { headers, ...(body ? { body } : {}) });
};
const mcp = (headers: Record<string, string>, method = 'tools/list') =>
  call(
    'atakora-mcp',
    'POST',
    'mcp',
    { accept: 'application/json, text/event-stream', ...headers },
    {
      jsonrpc: '2.0',
      id: 1,
      method,
      ...(method === 'initialize'
        ? {
            params: {
              protocolVersion: '2025-06-18',
              capabilities: {},
              clientInfo: { name: 't', version: '1' },
            },
          }
        : {}),
    },
  );
const newKey = async (role: string) => {
  const r = await call(
    'membership-api-keys',
    'POST',
    'tenant/api-keys',
    { ...who('ada'), 'x-atakora-tenant': 'acme' },
    {
      name: 'k',
      role,
    },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return String(r.body.key);
};

describe('an API key at api/mcp', () => {
  it('is 403 api-key-not-allowed naming the MCP server, for every message, while the REST route serves it', async () => {
    const key = await newKey('Admin');
    const rest = await call('NoteApi-collection', 'GET', 'notes', {
      authorization: `Bearer ${key}`,
    });
    expect(rest.status).toBe(200);
    for (const method of ['initialize', 'tools/list']) {
      const r = await mcp({ authorization: `Bearer ${key}` }, method);
      expect(r.status, method).toBe(403);
      expect(r.body.type).toBe('urn:atakora:problem:api-key-not-allowed');
      expect(r.body.title).toBe('API key not allowed');
      expect(String(r.body.detail)).toMatch(/MCP server \(api\/mcp\) is for people's agents/);
    }
    // Naming its own organization changes nothing: the door, not the organization, refuses it.
    const named = await mcp({ authorization: `Bearer ${key}`, 'x-atakora-tenant': 'acme' });
    expect(named.status).toBe(403);
  });

  it('is 401 api-key-invalid first when the key admits nothing, and 403 on a plan without api-keys too', async () => {
    const unknown = await mcp({ authorization: 'Bearer atk_no-such-key' });
    expect([unknown.status, unknown.body.type]).toEqual([
      401,
      'urn:atakora:problem:api-key-invalid',
    ]);
    const key = await newKey('Member');
    await c.tenants.items.upsert({ ...record('acme', 'free') });
    // The registry cache's answer for acme is still pro for up to 30 s: the door refuses before the plan either way.
    const r = await mcp({ authorization: `Bearer ${key}` });
    expect([r.status, r.body.type]).toEqual([403, 'urn:atakora:problem:api-key-not-allowed']);
  });
});
