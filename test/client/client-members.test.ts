/**
 * The typed client's membership side (DESIGN §2, "Tenants by membership") as the wire sees it: `createClient({ tenant
 * })` sends `X-Atakora-Tenant` on every call of the organization (CRUD, members, invitations, negotiate), never on
 * `me.tenants()` or `invitations.accept()` (which act in no organization yet) nor on a file's upload URL; each
 * method's route and method; a tenant read at each request when given as a function.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly tenant: string | null;
  readonly body: unknown;
}

function recording(answer: (url: string, method: string) => unknown = () => ({})) {
  const seen: Seen[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    seen.push({
      method,
      url,
      tenant: headers.get('x-atakora-tenant'),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const body = answer(url, method);
    return new Response(method === 'DELETE' ? null : JSON.stringify(body), {
      status: method === 'DELETE' ? 204 : method === 'POST' ? 201 : 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { seen, fetch };
}

const API = 'https://func-orgs.azurewebsites.net/api';

describe('the client with an organization', () => {
  it('sends X-Atakora-Tenant on the organization’s calls, and not on me.tenants() or accept', async () => {
    const { seen, fetch } = recording((url) =>
      url.endsWith('/me/tenants')
        ? { items: [{ id: 'acme-k3x9qa', plan: 'free', status: 'active', roles: ['Owner'] }] }
        : url.includes('?') || url.endsWith('/members') || url.endsWith('/invitations')
          ? { items: [], continuationToken: null }
          : { id: 'x' },
    );
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme-k3x9qa',
    }) as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
    const c = client as never as {
      notes: { get(id: string): Promise<unknown> };
      me: { tenants(o?: { first?: number; after?: string }): Promise<unknown> };
      members: {
        list(): { page(): Promise<unknown> };
        update(u: string, p: object): Promise<unknown>;
        remove(u: string): Promise<void>;
        delete(u: string): Promise<void>;
      };
      invitations: {
        create(i: object): Promise<unknown>;
        list(): { page(): Promise<unknown> };
        get(id: string): Promise<unknown>;
        revoke(id: string): Promise<void>;
        accept(token: string): Promise<unknown>;
      };
      tenants: { create(o: object): Promise<unknown> };
    };
    await c.notes.get('n1');
    // The page as the route table documents it: `{ items, continuationToken }`, `first`/`after` as query.
    expect(await c.me.tenants()).toEqual({
      items: [{ id: 'acme-k3x9qa', plan: 'free', status: 'active', roles: ['Owner'] }],
      continuationToken: null,
    });
    await c.me.tenants({ first: 5, after: 'tok' });
    expect(seen[seen.length - 1]?.url).toBe(`${API}/me/tenants?%24first=5&%24after=tok`);
    await c.members.list().page();
    await c.members.update('u 2', { roles: ['Admin'] });
    await c.members.remove('u-3');
    await c.members.delete('u-4');
    await c.invitations.create({ email: 'bob@example.com', roles: [] });
    await c.invitations.list().page();
    await c.invitations.get('inv1');
    await c.invitations.revoke('inv1');
    await c.invitations.accept('tok');
    await c.tenants.create({ name: 'Acme' });
    expect(seen.map((s) => [s.method, s.url.replace(API, ''), s.tenant])).toEqual([
      ['GET', '/notes/n1', 'acme-k3x9qa'],
      ['GET', '/me/tenants', null],
      ['GET', '/me/tenants?%24first=5&%24after=tok', null],
      ['GET', '/tenant/members', 'acme-k3x9qa'],
      ['PATCH', '/tenant/members/u%202', 'acme-k3x9qa'],
      ['DELETE', '/tenant/members/u-3', 'acme-k3x9qa'],
      ['DELETE', '/tenant/members/u-4', 'acme-k3x9qa'],
      ['POST', '/tenant/invitations', 'acme-k3x9qa'],
      ['GET', '/tenant/invitations', 'acme-k3x9qa'],
      ['GET', '/tenant/invitations/inv1', 'acme-k3x9qa'],
      ['DELETE', '/tenant/invitations/inv1', 'acme-k3x9qa'],
      ['POST', '/invitations/accept', null],
      ['POST', '/tenants', 'acme-k3x9qa'],
    ]);
    expect(seen.find((s) => s.url.endsWith('/accept'))?.body).toEqual({ token: 'tok' });
  });

  it('reads a tenant function at each request; without a tenant no header is sent', async () => {
    const { seen, fetch } = recording(() => ({ id: 'x' }));
    let current: string | undefined = 'first-org';
    const c = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => undefined,
      fetch,
      tenant: () => current,
    }) as never as { notes: { get(id: string): Promise<unknown> } };
    await c.notes.get('a');
    current = 'second-org';
    await c.notes.get('b');
    current = undefined;
    await c.notes.get('c');
    expect(seen.map((s) => s.tenant)).toEqual(['first-org', 'second-org', null]);
    const plain = recording(() => ({ id: 'x' }));
    const p = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => undefined,
      fetch: plain.fetch,
    }) as never as { notes: { get(id: string): Promise<unknown> } };
    await p.notes.get('a');
    expect(plain.seen[0]?.tenant).toBeNull();
    expect(() =>
      createClient<never>({
        baseUrls: { notes: `${API}/notes` },
        getToken: () => undefined,
        tenant: 7 as never,
      }),
    ).toThrow(/tenant must be an organization id/);
  });
});

describe('client.domains', () => {
  it('calls each domain route in the organization, the domain a path segment', async () => {
    const domain = {
      domain: 'contoso.com',
      status: 'verified',
      txt: { name: '_atakora.contoso.com', value: 'v' },
    };
    const { seen, fetch } = recording((url, method) =>
      method === 'GET' && url.endsWith('/tenant/domains') ? { items: [domain] } : domain,
    );
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme-k3x9qa',
    }) as unknown as {
      domains: {
        list(): Promise<unknown[]>;
        add(d: string): Promise<{ txt: { name: string } }>;
        get(d: string): Promise<unknown>;
        verify(d: string): Promise<{ status: string }>;
        update(d: string, p: object): Promise<unknown>;
        remove(d: string): Promise<void>;
      };
    };
    expect((await client.domains.add('contoso.com')).txt.name).toBe('_atakora.contoso.com');
    expect((await client.domains.verify('contoso.com')).status).toBe('verified');
    await client.domains.get('contoso.com');
    await client.domains.update('contoso.com', { join: 'auto', role: 'Member' });
    expect(await client.domains.list()).toHaveLength(1);
    await client.domains.remove('a/b.com');
    expect(seen.map((s) => [s.method, s.url.replace(API, ''), s.tenant, s.body ?? null])).toEqual([
      ['POST', '/tenant/domains', 'acme-k3x9qa', { domain: 'contoso.com' }],
      ['POST', '/tenant/domains/contoso.com/verify', 'acme-k3x9qa', null],
      ['GET', '/tenant/domains/contoso.com', 'acme-k3x9qa', null],
      ['PATCH', '/tenant/domains/contoso.com', 'acme-k3x9qa', { join: 'auto', role: 'Member' }],
      ['GET', '/tenant/domains', 'acme-k3x9qa', null],
      ['DELETE', '/tenant/domains/a%2Fb.com', 'acme-k3x9qa', null],
    ]);
  });
});

describe('joins by verified domain in the client', () => {
  it('me.joinable() and tenants.join(id) act in no organization; tenant.joinRequests in the client’s', async () => {
    const joinable = [
      { id: 'acme-k3x9qa', domain: 'contoso.com', join: 'auto', role: 'Member', pending: false },
    ];
    const { seen, fetch } = recording((url) =>
      url.endsWith('/me/joinable')
        ? { items: joinable }
        : url.includes('/tenant/join-requests?') || url.endsWith('/tenant/join-requests')
          ? { items: [{ id: 'u-9', email: 'kim@contoso.com' }], continuationToken: null }
          : { tenant: 'acme-k3x9qa', userId: 'u-9', roles: ['Member'] },
    );
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme-k3x9qa',
    });
    expect(await client.me.joinable()).toEqual(joinable);
    expect(await client.tenants.join('acme-k3x9qa')).toEqual({
      status: 'joined',
      membership: { tenant: 'acme-k3x9qa', userId: 'u-9', roles: ['Member'] },
    });
    expect((await client.tenant.joinRequests.list().page()).items).toHaveLength(1);
    expect((await client.tenant.joinRequests.approve('u-9')).roles).toEqual(['Member']);
    await client.tenant.joinRequests.decline('a/b');
    expect(seen.map((s) => [s.method, s.url.replace(API, ''), s.tenant])).toEqual([
      ['GET', '/me/joinable', null],
      ['POST', '/tenants/acme-k3x9qa/join', null],
      ['GET', '/tenant/join-requests', 'acme-k3x9qa'],
      ['POST', '/tenant/join-requests/u-9/approve', 'acme-k3x9qa'],
      ['POST', '/tenant/join-requests/a%2Fb/decline', 'acme-k3x9qa'],
    ]);
  });

  it('a join by request (202) is pending, with the request', async () => {
    const request = { id: 'u-9', userId: 'u-9', email: 'kim@contoso.com', domain: 'contoso.com' };
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch: async () =>
        new Response(JSON.stringify(request), {
          status: 202,
          headers: { 'content-type': 'application/json' },
        }),
    });
    expect(await client.tenants.join('acme-k3x9qa')).toEqual({ status: 'pending', request });
  });
});

describe('client.tenant.scimTokens', () => {
  it('issues, lists and revokes SCIM tokens in the organization', async () => {
    const token = { id: 'k3x9', name: 'Entra', createdOn: '2026-11-27T06:00:00.000Z' };
    const { seen, fetch } = recording((url, method) =>
      method === 'GET' ? { items: [token] } : { ...token, token: 'atakora-scim.x' },
    );
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme-k3x9qa',
    }) as unknown as {
      tenant: {
        scimTokens: {
          create(o?: { name?: string }): Promise<{ token: string }>;
          list(): Promise<unknown[]>;
          revoke(id: string): Promise<void>;
        };
      };
    };
    expect((await client.tenant.scimTokens.create({ name: 'Entra' })).token).toBe('atakora-scim.x');
    expect(await client.tenant.scimTokens.list()).toEqual([token]);
    await client.tenant.scimTokens.revoke('a/b');
    expect(seen.map((s) => [s.method, s.url.replace(API, ''), s.tenant, s.body ?? null])).toEqual([
      ['POST', '/tenant/scim-tokens', 'acme-k3x9qa', { name: 'Entra' }],
      ['GET', '/tenant/scim-tokens', 'acme-k3x9qa', null],
      ['DELETE', '/tenant/scim-tokens/a%2Fb', 'acme-k3x9qa', null],
    ]);
  });
});

describe('client.tenant.apiKeys', () => {
  it('creates, lists and revokes API keys in the organization; a key is then a client’s bearer token', async () => {
    const key = {
      id: 'Qm3x',
      name: 'sync',
      role: 'Member',
      prefix: 'atk_Zk3q7A',
      createdOn: '2026-11-29T01:00:00.000Z',
      createdBy: 'ada',
      expiresOn: null,
      lastUsedOn: null,
    };
    const { seen, fetch } = recording((_url, method) =>
      method === 'GET'
        ? { items: [key] }
        : { id: key.id, name: key.name, role: key.role, key: 'atk_secret', expiresOn: null },
    );
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme-k3x9qa',
    }) as unknown as {
      tenant: {
        apiKeys: {
          create(o: {
            name: string;
            role: string;
            expiresInDays?: number;
          }): Promise<{ key: string }>;
          list(): Promise<unknown[]>;
          revoke(id: string): Promise<void>;
        };
      };
    };
    const created = await client.tenant.apiKeys.create({
      name: 'sync',
      role: 'Member',
      expiresInDays: 30,
    });
    expect(created.key).toBe('atk_secret');
    expect(await client.tenant.apiKeys.list()).toEqual([key]);
    await client.tenant.apiKeys.revoke('a/b');
    expect(seen.map((s) => [s.method, s.url.replace(API, ''), s.tenant, s.body ?? null])).toEqual([
      [
        'POST',
        '/tenant/api-keys',
        'acme-k3x9qa',
        { name: 'sync', role: 'Member', expiresInDays: 30 },
      ],
      ['GET', '/tenant/api-keys', 'acme-k3x9qa', null],
      ['DELETE', '/tenant/api-keys/a%2Fb', 'acme-k3x9qa', null],
    ]);
  });
});
