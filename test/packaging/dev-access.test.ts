/**
 * `atakora dev` signs in with roles (--roles, and `;roles=` in x-atakora-dev-user) and the
 * runtime it serves enforces every access rule and the tenant allow-list as deployed: two users of one tenant,
 * a moderator role, owner-only drafts, and a directory that is not onboarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import {
  devUserOf,
  devUserOfHeader,
  principalHeaderFor,
  rolesOf,
} from '../../src/cli/dev/sign-in/sign-in.js';
import {
  clientPrincipalOf,
  rolesOf as principalRoles,
} from '../../src/runtime/caller/client-principal.js';
import { AtakoraError } from '../../src/model/errors.js';
import { CONTOSO } from './fixtures/access-backend.js';

const FABRIKAM = '22222222-2222-4222-8222-222222222222';
let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/packaging/fixtures/access-backend.ts', {
    user: devUserOf(`alice@${CONTOSO}`)!,
    log: () => undefined,
  });
});
afterAll(async () => {
  await dev?.stop();
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;
const json = { 'content-type': 'application/json' };
const as = (caller: string) => ({ 'x-atakora-dev-user': caller });
const send = async (path: string, init: RequestInit = {}) => {
  const r = await fetch(url(path), init);
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
};

describe('atakora dev: access rules as deployed', () => {
  it('two users of one tenant: the owner edits, another user only reads; a NoteAdmin moderates; the owner is kept', async () => {
    const bob = as(`bob@${CONTOSO}`);
    const carol = as(`carol@${CONTOSO};roles=NoteAdmin`);
    const created = await send('/api/notes', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ id: 'n1', title: 'plan' }),
    });
    expect(created).toMatchObject({
      status: 201,
      body: { id: 'n1', ownerId: 'alice', tenantId: CONTOSO },
    });
    expect((await send('/api/notes/n1', { headers: bob })).status).toBe(200);
    // The owner rule covers bob's update and delete, on his own items only: he may read alice's, so he is told
    // the owner rule refuses him (403), not that it does not exist.
    const patched = await send('/api/notes/n1', {
      method: 'PATCH',
      headers: { ...bob, ...json },
      body: JSON.stringify({ title: 'bob' }),
    });
    expect([patched.status, patched.body.type, patched.body.rules]).toEqual([
      403,
      'urn:atakora:problem:access-denied',
      ["{ allow: 'owner' }"],
    ]);
    expect((await send('/api/notes/n1', { method: 'DELETE', headers: bob })).status).toBe(403);
    const forged = await send('/api/notes', {
      method: 'POST',
      headers: { ...bob, ...json },
      body: JSON.stringify({ title: 'x', ownerId: 'alice' }),
    });
    expect([forged.status, forged.body.type]).toEqual([403, 'urn:atakora:problem:owner-mismatch']);
    const moderated = await send('/api/notes/n1', {
      method: 'PATCH',
      headers: { ...carol, ...json },
      body: JSON.stringify({ title: 'moderated' }),
    });
    expect(moderated).toMatchObject({
      status: 200,
      body: { title: 'moderated', ownerId: 'alice' },
    });
    expect(
      (
        await send('/api/notes/n1', {
          method: 'PATCH',
          headers: json,
          body: JSON.stringify({ title: 'mine again' }),
        })
      ).status,
    ).toBe(200);
  });

  it('owner-only drafts: invisible to another user of the tenant (404, empty list)', async () => {
    const bob = as(`bob@${CONTOSO}`);
    expect(
      (
        await send('/api/drafts', {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ id: 'd1', title: 'secret' }),
        })
      ).status,
    ).toBe(201);
    expect((await send('/api/drafts/d1', { headers: bob })).status).toBe(404);
    expect((await send('/api/drafts', { headers: bob })).body.items).toEqual([]);
    expect((await send('/api/drafts/d1', { method: 'DELETE', headers: bob })).status).toBe(404);
    expect((await send('/api/drafts')).body.items.map((d: { id: string }) => d.id)).toEqual(['d1']);
  });

  it('a session user whose tenant allowedTenants does not list is refused at start, before anything starts', async () => {
    const steps: string[] = [];
    const refused = await startDev('test/packaging/fixtures/access-backend.ts', {
      user: devUserOf(`mallory@${FABRIKAM}`)!,
      log: () => undefined,
      progress: (step) => steps.push(step),
    }).then(
      () => undefined,
      (e: unknown) => e as AtakoraError,
    );
    expect(refused).toBeInstanceOf(AtakoraError);
    expect(refused!.code).toBe('DEV_USER_TENANT_NOT_ALLOWED');
    expect(refused!.message).toContain(`it lists ${CONTOSO}`);
    expect(refused!.resolution).toContain(`--user mallory@${CONTOSO}`);
    // Loaded, then refused: no local server started, nothing seeded.
    expect(steps).toEqual(['Loading test/packaging/fixtures/access-backend.ts']);
  });

  it('a directory not in allowedTenants gets 403 tenant-not-allowed, never data', async () => {
    const outsider = await send('/api/notes', { headers: as(`eve@${FABRIKAM};roles=NoteAdmin`) });
    expect(outsider.status).toBe(403);
    expect(outsider.body.type).toBe('urn:atakora:problem:tenant-not-allowed');
    expect(JSON.stringify(outsider.body)).not.toContain('plan');
  });
});

describe('dev sign-in with roles', () => {
  it('--roles and the header carry app roles into the principal as roles claims; bad roles are refused', () => {
    expect(devUserOf('carol@contoso', undefined, 'NoteAdmin, Auditor')).toEqual({
      oid: 'carol',
      tid: 'contoso',
      name: 'carol',
      roles: ['NoteAdmin', 'Auditor'],
    });
    expect(devUserOf('carol@contoso', undefined, 'Note Admin')).toBeUndefined();
    expect(rolesOf('')).toEqual([]);
    expect(devUserOfHeader('carol@contoso;roles=NoteAdmin')).toEqual({
      oid: 'carol',
      tid: 'contoso',
      name: 'carol',
      roles: ['NoteAdmin'],
    });
    expect(devUserOfHeader('carol@contoso;admin=yes')).toBeUndefined();
    const header = principalHeaderFor('carol@contoso;roles=NoteAdmin,Auditor', devUserOf()!)!;
    expect(principalRoles(clientPrincipalOf(header)!)).toEqual(['NoteAdmin', 'Auditor']);
    expect(
      principalRoles(clientPrincipalOf(principalHeaderFor(undefined, devUserOf()!)!)!),
    ).toEqual([]);
  });
});
