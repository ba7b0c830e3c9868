/**
 * SCIM and invitations against every way out, through the request pipeline on the local Cosmos DB server:
 * a SCIM deprovisioning revokes the person's open invitations, member or not; an invitation sent before a removal
 * never re-admits, whatever address it went to (the bar is by the person's sign-in user id, and keeps its time); a
 * deactivation that lands while a domain join is in flight (the join's membership write held at the server until the
 * PATCH is answered: support/held-member-create.ts) ends with the person out. On the code before, each let the person
 * in: the invitation was accepted (201), the earlier invitation to their other address re-admitted them (201), and
 * the join was 201 with the SCIM user inactive — a member SCIM holds inactive, for good.
 */
import { describe, expect, it } from 'vitest';
import { holdNextMemberCreate } from './support/held-member-create.js';
import { DOMAINS, person } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';

const app = scimSuite({ token: 'Entra' });

const inAcme = { 'x-atakora-tenant': 'acme' };
const asAda = { ...person('ada'), ...inAcme };
const invite = async (email: string) => {
  const r = await app.call('membership-invitations', 'POST', 'tenant/invitations', {
    headers: asAda,
    body: { email, roles: ['Member'] },
  });
  expect(r.status).toBe(201);
  return new URL(String(r.body.acceptUrl)).searchParams.get('invitation') ?? '';
};
const accept = (oid: string, email: string, invitation: string) =>
  app.call('membership-accept', 'POST', 'invitations/accept', {
    headers: person(oid, email),
    body: { token: invitation },
  });
const membership = async (oid: string) =>
  (await app.members.item(`acme|${oid}`, 'acme').read<{ roles: string[] }>()).resource;

describe('a SCIM deprovisioning and the invitations', () => {
  it("revokes the person's open invitation, though they are no member yet: accepting it is 410", async () => {
    const kim = `kim@${DOMAINS.acme}`;
    const id = await app.provision(kim);
    const invitation = await invite(kim);
    expect((await app.deactivate(id)).status).toBe(200);
    const answer = await accept('kim', kim, invitation);
    expect([answer.status, answer.body.type]).toEqual([
      410,
      'urn:atakora:problem:invitation-expired',
    ]);
    expect(await membership('kim')).toBeUndefined();
  });
});

describe('an invitation sent before a removal', () => {
  it('to an address the membership did not record never re-admits; one an Owner sends after does', async () => {
    // Pat joins by an invitation to one address; an Owner invites another address of theirs; then removes them.
    const first = await invite('pat@first.example');
    expect((await accept('pat', 'pat@first.example', first)).status).toBe(201);
    const before = await invite('pat@second.example');
    const removed = await app.call('membership-member', 'DELETE', 'tenant/members/pat', {
      headers: asAda,
      params: { userId: 'pat' },
    });
    expect(removed.status).toBe(204);
    // The same sign-in (their user id), proving the other address now: still barred.
    const refused = await accept('pat', 'pat@second.example', before);
    expect([refused.status, refused.body.type]).toEqual([403, 'urn:atakora:problem:member-barred']);
    expect(await membership('pat')).toBeUndefined();
    // The Owner's word since the removal admits them: the old invitation revoked, a new one sent.
    const listed = await app.call('membership-invitations', 'GET', 'tenant/invitations', {
      headers: asAda,
    });
    const open = (listed.body.items as { id: string; email: string }[]).find(
      (i) => i.email === 'pat@second.example',
    );
    expect(open).toBeDefined();
    const revoked = await app.call(
      'membership-invitation',
      'DELETE',
      `tenant/invitations/${open?.id}`,
      {
        headers: asAda,
        params: { id: open?.id ?? '' },
      },
    );
    expect(revoked.status).toBe(204);
    const after = await invite('pat@second.example');
    expect((await accept('pat', 'pat@second.example', after)).status).toBe(201);
  });
});

describe('a deactivation landing while a domain join is in flight', () => {
  it('ends with the person out: the join refused, no membership, the user inactive', async () => {
    const { resource } = await app.members.item(`acme|domain|${DOMAINS.acme}`, 'acme').read();
    await app.members.items.upsert({ ...resource, join: 'auto' });
    const kim = `kim@${DOMAINS.acme}`;
    const id = await app.provision(kim);
    let patched = 0;
    const held = holdNextMemberCreate(app.cosmos, 'acme', async () => {
      patched = (await app.deactivate(id)).status;
    });
    const joined = await app.call('membership-tenant-join', 'POST', 'tenants/acme/join', {
      headers: person('kim', kim),
      params: { id: 'acme' },
    });
    held.release();
    expect(held.count).toBe(1);
    expect(patched).toBe(200);
    expect([joined.status, joined.body.type]).toEqual([403, 'urn:atakora:problem:member-barred']);
    expect(await membership('kim')).toBeUndefined();
    const request = await app.call('tenant-self', 'GET', 'tenant', {
      headers: { ...person('kim', kim), ...inAcme },
    });
    expect(request.status).toBe(403);
  });
});
