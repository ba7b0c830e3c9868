// No door into a deleted organization (DESIGN §2, "One life per organization, person and subscription"): once its
// Owner deletes it, a SCIM user's first request, a linked directory's user's first request, a verified domain's
// auto-join and an open invitation admit nobody — against the real routes on the local Cosmos DB server
// (test/model/seats-app.ts: SCIM, verified domains, a linked directory). Before this, a provisioned user's first
// request joined the deleted organization (its membership written, then the admission's 403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personOf, type SeatsApp, seatsApp } from '../model/seats-app.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
let cosmos: LocalCosmos;
let app: SeatsApp;
let invitation = '';
let invitationId = '';
let leeId = '';
const clock = { now: Date.parse('2026-06-01T12:00:00Z') };

const typeOf = (r: { body?: { type?: unknown } }) =>
  String(r.body?.type ?? '').replace('urn:atakora:problem:', '');

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await seatsApp(cosmos, 'deleted1', { free: {} }, ['free'], 'free', clock);
  const kim = `kim@${app.domains.scim}`;
  const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', {
    body: {
      schemas: [SCIM_USER],
      userName: kim,
      active: true,
      emails: [{ value: kim, primary: true }],
    },
  });
  expect(made.status).toBe(201);
  const invited = await app.asOwner('membership-invitations', 'POST', 'tenant/invitations', {
    body: { email: 'ivy@example.org', roles: ['Member'] },
  });
  expect(invited.status).toBe(201);
  invitation = new URL(String(invited.body.acceptUrl)).searchParams.get('invitation') ?? '';
  invitationId = String(invited.body.id);
  // A join request asked before the deletion, and a SCIM user deactivated before it.
  const asked = await app.call(
    'membership-tenant-join',
    'POST',
    `tenants/${app.org}/join`,
    personOf('rae', `rae@${app.domains.request}`),
    { params: { id: app.org } },
  );
  expect(asked.status).toBe(202);
  const lee = `lee@${app.domains.scim}`;
  const leeMade = await app.scim('scim-users', 'POST', 'scim/v2/Users', {
    body: {
      schemas: [SCIM_USER],
      userName: lee,
      active: false,
      emails: [{ value: lee, primary: true }],
    },
  });
  expect(leeMade.status).toBe(201);
  leeId = String(leeMade.body.id);
  const deleted = await app.asOwner('tenant-self', 'DELETE', 'tenant');
  expect(deleted.status).toBeLessThan(300);
});
afterAll(async () => {
  await cosmos?.stop();
});

describe('a deleted organization', () => {
  it('admits no SCIM user on their first request', async () => {
    const kim = `kim@${app.domains.scim}`;
    const r = await app.call('membership-members', 'GET', 'tenant/members', {
      ...personOf('kim', kim),
      'x-atakora-tenant': app.org,
    });
    expect(r.status).toBe(403);
    expect(await app.members()).not.toContain('kim');
  });

  it('admits no user of its linked directory on their first request', async () => {
    const r = await app.call('membership-members', 'GET', 'tenant/members', {
      ...personOf('dee', undefined, app.tid),
      'x-atakora-tenant': app.org,
    });
    expect(r.status).toBe(403);
    expect(await app.members()).not.toContain('dee');
  });

  it('admits nobody by its verified domain, and says it was deleted', async () => {
    const r = await app.call(
      'membership-tenant-join',
      'POST',
      `tenants/${app.org}/join`,
      personOf('abe', `abe@${app.domains.auto}`),
      { params: { id: app.org } },
    );
    expect(r.status).toBe(403);
    expect(typeOf(r)).toBe('tenant-suspended');
    expect(String(r.body.detail)).toMatch(/was deleted by its Owner/);
    expect(await app.members()).not.toContain('abe');
  });

  it('admits nobody by an invitation sent before, and says it was deleted', async () => {
    const r = await app.call(
      'membership-accept',
      'POST',
      'invitations/accept',
      personOf('ivy', 'ivy@example.org'),
      {
        body: { token: invitation },
      },
    );
    expect(r.status).toBe(403);
    expect(typeOf(r)).toBe('tenant-suspended');
    expect(String(r.body.detail)).toMatch(/was deleted by its Owner/);
    expect(await app.members()).not.toContain('ivy');
  });
});

describe('a deleted organization, the other doors', () => {
  it('admits nobody by a join request asked before: the approval refuses it', async () => {
    const r = await app.asOwner(
      'membership-join-request-approve',
      'POST',
      'tenant/join-requests/rae/approve',
      { params: { id: 'rae' } },
    );
    expect([r.status, typeOf(r)]).toEqual([403, 'tenant-suspended']);
    expect(await app.members()).not.toContain('rae');
  });

  it('admits nobody by a join request asked after', async () => {
    const r = await app.call(
      'membership-tenant-join',
      'POST',
      `tenants/${app.org}/join`,
      personOf('roy', `roy@${app.domains.request}`),
      { params: { id: app.org } },
    );
    expect(r.status).toBe(403);
    expect(await app.members()).not.toContain('roy');
  });

  it('admits no user SCIM provisions or re-activates after the deletion, on their first request', async () => {
    const zed = `zed@${app.domains.scim}`;
    const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', {
      body: {
        schemas: [SCIM_USER],
        userName: zed,
        active: true,
        emails: [{ value: zed, primary: true }],
      },
    });
    expect(made.status).toBeLessThan(500);
    const on = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${leeId}`, {
      params: { id: leeId },
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
      },
    });
    expect(on.status).toBeLessThan(500);
    for (const [oid, email] of [
      ['zed', zed],
      ['lee', `lee@${app.domains.scim}`],
    ] as const) {
      const r = await app.call('membership-members', 'GET', 'tenant/members', {
        ...personOf(oid, email),
        'x-atakora-tenant': app.org,
      });
      expect(r.status).toBe(403);
      expect(await app.members()).not.toContain(oid);
    }
  });

  it('sends no new invitation and resends none', async () => {
    const sent = await app.asOwner('membership-invitations', 'POST', 'tenant/invitations', {
      body: { email: 'una@example.org', roles: ['Member'] },
    });
    expect([sent.status, typeOf(sent)]).toEqual([403, 'tenant-suspended']);
    const again = await app.asOwner(
      'membership-invitation-resend',
      'POST',
      `tenant/invitations/${invitationId}/resend`,
      { params: { id: invitationId } },
    );
    expect([again.status, typeOf(again)]).toEqual([403, 'tenant-suspended']);
  });
});
