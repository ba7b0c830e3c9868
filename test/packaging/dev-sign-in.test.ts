/**
 * `atakora dev` signs callers in as App Service authentication does — the session's user
 * (--user/--tenant), or per request `x-atakora-dev-user: <user>@<tenant>` — drops a caller-sent
 * x-ms-client-principal, and answers CORS for the dev origins. Two users of two tenants stay isolated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import {
  corsHeadersFor,
  devUserOf,
  principalHeaderFor,
  DEFAULT_DEV_USER,
} from '../../src/cli/dev/sign-in/sign-in.js';
import { capturedIo } from '../support/captured-io.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/sign-in-backend.ts', {
    user: devUserOf('alice@contoso')!,
    log: () => undefined,
  });
});
afterAll(async () => {
  await dev?.stop();
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;
const json = { 'content-type': 'application/json' };
const as = (caller: string) => ({ 'x-atakora-dev-user': caller });
const forged = (tid: string) =>
  Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      claims: [
        { typ: 'tid', val: tid },
        { typ: 'name', val: 'mallory' },
      ],
    }),
  ).toString('base64');

describe('atakora dev: local sign-in', () => {
  it('the session user (--user alice@contoso) writes into tenant contoso', async () => {
    expect(dev.user).toEqual({ oid: 'alice', tid: 'contoso', name: 'alice' });
    const created = await fetch(url('/api/notes'), {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: 'n1', title: 'contoso plan' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id: 'n1', tenantId: 'contoso' });
  });

  it('a user of another tenant (x-atakora-dev-user: bob@fabrikam) neither reads, lists, changes nor deletes it', async () => {
    const bob = as('bob@fabrikam');
    expect((await fetch(url('/api/notes/n1'), { headers: bob })).status).toBe(404);
    const listed = await fetch(url('/api/notes'), { headers: bob });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(await listed.json())).not.toContain('contoso plan');
    expect(
      (
        await fetch(url('/api/notes/n1'), {
          method: 'PUT',
          headers: { ...bob, ...json },
          body: JSON.stringify({ title: 'pwned' }),
        })
      ).status,
    ).toBe(404);
    expect((await fetch(url('/api/notes/n1'), { method: 'DELETE', headers: bob })).status).toBe(
      404,
    );
    // Bob's own item with the same id lives in his tenant; Alice still sees her own.
    const own = await fetch(url('/api/notes'), {
      method: 'POST',
      headers: { ...bob, ...json },
      body: JSON.stringify({ id: 'n1', title: 'fabrikam plan' }),
    });
    expect([own.status, ((await own.json()) as { tenantId: string }).tenantId]).toEqual([
      201,
      'fabrikam',
    ]);
    expect(await (await fetch(url('/api/notes/n1'))).json()).toMatchObject({
      title: 'contoso plan',
      tenantId: 'contoso',
    });
    expect(await (await fetch(url('/api/notes/n1'), { headers: bob })).json()).toMatchObject({
      title: 'fabrikam plan',
      tenantId: 'fabrikam',
    });
  });

  it('a caller-sent x-ms-client-principal is dropped, as App Service does: it never changes the tenant', async () => {
    const spoof = await fetch(url('/api/notes/n1'), {
      headers: { 'x-ms-client-principal': forged('fabrikam') },
    });
    expect(await spoof.json()).toMatchObject({ tenantId: 'contoso' });
    // Anonymous (no principal at all): 401, as for a request without a token in Azure, even with a forged header.
    const anonymous = await fetch(url('/api/notes/n1'), {
      headers: { ...as('anonymous'), 'x-ms-client-principal': forged('contoso') },
    });
    expect(anonymous.status).toBe(401);
    expect((await fetch(url('/api/health'), { headers: as('anonymous') })).status).toBe(200);
  });

  it('answers CORS for the dev origins: preflight and the response, none for other origins', async () => {
    expect(dev.origins).toEqual(['http://localhost:4280', 'http://localhost:5173']);
    const preflight = await fetch(url('/api/notes'), {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );
    const read = await fetch(url('/api/notes/n1'), {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(read.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    // Exposed by the runtime's answer (App Service's CORS exposes none of its own), for the page to read.
    expect(read.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
    expect(preflight.headers.get('access-control-expose-headers')).toBeNull();
    const missing = await fetch(url('/api/nothing-here'), {
      headers: { origin: 'http://localhost:4280' },
    });
    expect([missing.status, missing.headers.get('access-control-allow-origin')]).toEqual([
      404,
      'http://localhost:4280',
    ]);
    const other = await fetch(url('/api/notes'), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect([other.status, other.headers.get('access-control-allow-origin')]).toEqual([403, null]);
    expect(
      (
        await fetch(url('/api/notes/n1'), { headers: { origin: 'https://evil.example' } })
      ).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});

describe('dev sign-in helpers', () => {
  it('read --user/--tenant, refusing values that are no plain ids', () => {
    expect(devUserOf()).toEqual(DEFAULT_DEV_USER);
    expect(devUserOf(undefined, 'fabrikam')).toEqual({ ...DEFAULT_DEV_USER, tid: 'fabrikam' });
    expect(devUserOf('alice', 'contoso')).toEqual({ oid: 'alice', tid: 'contoso', name: 'alice' });
    expect(devUserOf('alice@contoso', 'fabrikam')).toMatchObject({ tid: 'fabrikam' });
    expect(devUserOf('a b@contoso')).toBeUndefined();
    expect(devUserOf('alice', '')).toBeUndefined();
  });

  it('build the principal App Service would send, with the oid and tid claims', () => {
    const decoded = JSON.parse(
      Buffer.from(principalHeaderFor('bob@fabrikam', DEFAULT_DEV_USER)!, 'base64').toString(),
    ) as { auth_typ: string; claims: { typ: string; val: string }[] };
    expect(decoded.auth_typ).toBe('aad');
    expect(decoded.claims).toEqual(
      expect.arrayContaining([
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'bob' },
        { typ: 'tid', val: 'fabrikam' },
        { typ: 'name', val: 'bob' },
      ]),
    );
    // A custom tenancy.claim gets the tenant too (what the runtime reads).
    const custom = JSON.parse(
      Buffer.from(
        principalHeaderFor(undefined, { oid: 'a', tid: 'contoso', name: 'a' }, 'extension_org')!,
        'base64',
      ).toString(),
    ) as { claims: { typ: string; val: string }[] };
    expect(custom.claims).toContainEqual({ typ: 'extension_org', val: 'contoso' });
    expect(principalHeaderFor('anonymous', DEFAULT_DEV_USER)).toBeUndefined();
    expect(principalHeaderFor('no-tenant', DEFAULT_DEV_USER)).toBeUndefined();
    expect(corsHeadersFor(undefined, ['http://localhost:5173'])).toBeUndefined();
  });
});

describe('atakora dev on the command line: sign-in flags', () => {
  it('--help documents --user, --tenant and the header; a bad --user is a usage error', async () => {
    const { main } = await import('../../src/cli/main.js');
    const c = capturedIo();
    expect(await main(['dev', '--help'], c.io)).toBe(0);
    expect(c.out).toMatch(/--user <user>\[@<tenant>\]/);
    expect(c.out).toMatch(/x-atakora-dev-user: <user>@<tenant>/);
    expect(await main(['dev', 'x.ts', '--user', 'a b'], c.io)).toBe(2);
    expect(c.err).toMatch(/--user and --tenant take ids/);
  });
});
