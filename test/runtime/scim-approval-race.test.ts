/**
 * A SCIM deactivation landing while a join request's approval is in flight (#120: "SCIM's deactivation racing a door
 * in flight (a domain join, an approval, a directory's first request) leaves a member SCIM holds inactive"), through
 * the request pipeline on the local Cosmos DB server: the person asks to join by the verified domain, an Owner
 * approves, and Entra's `PATCH active False` is answered while the approval's membership write is held at the server
 * (support/held-member-create.ts). However the two interleave, the person ends out: no membership, their next request
 * refused, and the SCIM user inactive. The other order — the deactivation answered before the approval starts — is
 * the control: the approval is refused and nobody joins.
 */
import { describe, expect, it } from 'vitest';
import { JOIN_FUNCTIONS } from '../../src/contract/enterprise/joins.js';
import { holdNextMemberCreate } from './support/held-member-create.js';
import { DOMAINS, person } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';

// acme's verified domain admits joins by request: an Owner or an Admin answers each.
const app = scimSuite({ token: 'Entra', join: 'request' });

const inAcme = { 'x-atakora-tenant': 'acme' };
const kim = `kim@${DOMAINS.acme}`;
const ask = () =>
  app.call(JOIN_FUNCTIONS.join, 'POST', 'tenants/acme/join', {
    headers: person('kim', kim),
    params: { id: 'acme' },
  });
const approve = () =>
  app.call(JOIN_FUNCTIONS.approve, 'POST', 'tenant/join-requests/kim/approve', {
    headers: { ...person('ada'), ...inAcme },
    params: { id: 'kim' },
  });
const membership = async () => (await app.members.item('acme|kim', 'acme').read()).resource;
const scimUser = async (id: string) =>
  (await app.scim('scim-user', 'GET', `scim/v2/Users/${id}`, app.token, { params: { id } })).body;
const nextRequest = () =>
  app.call('tenant-self', 'GET', 'tenant', { headers: { ...person('kim', kim), ...inAcme } });

describe('a SCIM deactivation and a join request’s approval', () => {
  it('landing while the approval is in flight: the person ends out, the SCIM user inactive', async () => {
    const id = await app.provision(kim);
    expect((await ask()).status).toBe(202);
    let patched = 0;
    const held = holdNextMemberCreate(app.cosmos, 'acme', async () => {
      patched = (await app.deactivate(id)).status;
    });
    const approved = await approve();
    held.release();
    expect(held.count).toBe(1);
    expect(patched).toBe(200);
    expect(await membership()).toBeUndefined();
    expect((await nextRequest()).status).toBe(403);
    expect(await scimUser(id)).toMatchObject({ active: false });
    // The approval asks the person's life again after its write: the bar the deactivation wrote takes it back.
    expect([approved.status, approved.body.type]).toEqual([
      403,
      'urn:atakora:problem:member-barred',
    ]);
  });

  it('answered before the approval: the approval is refused and nobody joins (control)', async () => {
    const id = await app.provision(kim);
    expect((await ask()).status).toBe(202);
    expect((await app.deactivate(id)).status).toBe(200);
    const approved = await approve();
    expect(approved.status).toBeGreaterThanOrEqual(400);
    expect(approved.status).toBeLessThan(500);
    expect(await membership()).toBeUndefined();
    expect((await nextRequest()).status).toBe(403);
  });
});
