/**
 * An invitation sent before a SCIM deprovisioning, to an address SCIM never named, never re-admits (#120: "an
 * invitation sent before a removal or deprovisioning never re-admits, whatever address it went to"), through the
 * request pipeline on the local Cosmos DB server: Kim, provisioned by SCIM and a member since her first request, is
 * invited at her private address by an Owner; Entra then deactivates her. Accepting that invitation with her own
 * sign-in is 403 `member-barred` and she is no member; reactivated by SCIM, she is a member again.
 */
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { DOMAINS, person } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';

const app = scimSuite({ token: 'Entra' });

const inAcme = { 'x-atakora-tenant': 'acme' };
const kim = `kim@${DOMAINS.acme}`;
const privateAddress = 'kim@private.example';
const setActive = (id: string, active: boolean) =>
  app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, app.token, {
    params: { id },
    body: {
      schemas: [SCIM_SCHEMAS.patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: active ? 'True' : 'False' }],
    },
  });
const request = (email: string) =>
  app.call('tenant-self', 'GET', 'tenant', { headers: { ...person('kim', email), ...inAcme } });
const membership = async () => (await app.members.item('acme|kim', 'acme').read()).resource;

describe('an invitation sent before a SCIM deprovisioning, to another address', () => {
  it('never re-admits the person SCIM deactivated; SCIM reactivating them does', async () => {
    const provisioned = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, {
      body: { schemas: [SCIM_SCHEMAS.user], userName: kim, active: true },
    });
    expect(provisioned.status).toBe(201);
    const id = provisioned.body.id as string;
    expect((await request(kim)).status).toBe(200);
    expect(await membership()).toBeDefined();
    const invited = await app.call('membership-invitations', 'POST', 'tenant/invitations', {
      headers: { ...person('ada'), ...inAcme },
      body: { email: privateAddress, roles: ['Admin'] },
    });
    expect(invited.status).toBe(201);
    const invitation = new URL(String(invited.body.acceptUrl)).searchParams.get('invitation') ?? '';
    expect((await setActive(id, false)).status).toBe(200);
    expect(await membership()).toBeUndefined();
    // Her own sign-in (the same user id), proving the private address the invitation went to.
    const accepted = await app.call('membership-accept', 'POST', 'invitations/accept', {
      headers: person('kim', privateAddress),
      body: { token: invitation },
    });
    expect([accepted.status, accepted.body.type]).toEqual([
      403,
      'urn:atakora:problem:member-barred',
    ]);
    expect(await membership()).toBeUndefined();
    expect((await request(privateAddress)).status).toBe(403);
    // SCIM's word lifts it: reactivated, her next request makes her a member again.
    expect((await setActive(id, true)).status).toBe(200);
    expect((await request(kim)).status).toBe(200);
    expect(await membership()).toBeDefined();
  });
});
