/**
 * One SCIM PATCH that renames a user (`userName`, its work e-mail) and deactivates it (`active: false`) — as Okta
 * sends a profile push with a deactivation, and Entra an attribute change with "Switch the user's active state"
 * in one PatchOp (Learn, "Known issues and resolutions with SCIM 2.0 protocol compliance": several Operations per
 * request) — ends as the two operations applied in order do: the user stored renamed and inactive, the person out,
 * the new address barred and its open invitations revoked as the deprovisioning does, and the old address barred too
 * (whom the user named when it was deactivated). No door re-admits: not the same sign-in, not a domain join by the
 * new or the old address, not an invitation sent before. Through the request pipeline on the local Cosmos DB server.
 */
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { DOMAINS, person } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';

// Acme's verified domain admits whoever proves an address on it (the domain door).
const app = scimSuite({ token: 'Okta', join: 'auto' });

const at = (local: string) => `${local}@${DOMAINS.acme}`;
const inAcme = { 'x-atakora-tenant': 'acme' };
const patch = (id: string, ...Operations: unknown[]) =>
  app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, app.token, {
    params: { id },
    body: { schemas: [SCIM_SCHEMAS.patchOp], Operations },
  });
const rename = (to: string) => [
  { op: 'replace', path: 'userName', value: to },
  { op: 'replace', path: 'emails[type eq "work"].value', value: to },
];
const deactivation = { op: 'replace', path: 'active', value: false };
const invite = async (email: string) => {
  const r = await app.call('membership-invitations', 'POST', 'tenant/invitations', {
    headers: { ...person('ada'), ...inAcme },
    body: { email, roles: ['Member'] },
  });
  expect(r.status, r.text).toBe(201);
  return new URL(String(r.body.acceptUrl)).searchParams.get('invitation') ?? '';
};
const firstRequest = (oid: string, email: string) =>
  app.call('tenant-self', 'GET', 'tenant', { headers: { ...person(oid, email), ...inAcme } });
const domainJoin = (oid: string, email: string) =>
  app.call('membership-tenant-join', 'POST', 'tenants/acme/join', {
    headers: person(oid, email),
    params: { id: 'acme' },
  });
const accept = (oid: string, email: string, invitation: string) =>
  app.call('membership-accept', 'POST', 'invitations/accept', {
    headers: person(oid, email),
    body: { token: invitation },
  });
const membership = async (oid: string) =>
  (await app.members.item(`acme|${oid}`, 'acme').read()).resource;

/** A provisioned user `local`@acme, linked to the sign-in `oid` by its first request: its SCIM id. */
async function linked(local: string, oid: string): Promise<string> {
  const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, {
    body: {
      schemas: [SCIM_SCHEMAS.user],
      userName: at(local),
      active: true,
      emails: [{ primary: true, type: 'work', value: at(local) }],
    },
  });
  expect(made.status, made.text).toBe(201);
  expect((await firstRequest(oid, at(local))).status).toBe(200);
  expect(await membership(oid)).toBeDefined();
  return made.body.id as string;
}

/** What holds after the user `id` (once `old`@acme, linked to `oid`) was renamed to `renamed`@acme and deactivated. */
async function out(id: string, oid: string, old: string, renamed: string, invitation: string) {
  const user = await app.scim('scim-user', 'GET', `scim/v2/Users/${id}`, app.token, {
    params: { id },
  });
  expect(user.body).toMatchObject({ userName: at(renamed), active: false });
  expect(user.body.emails).toEqual([{ primary: true, type: 'work', value: at(renamed) }]);
  expect(await membership(oid)).toBeUndefined();
  // The same sign-in, by either address: out.
  for (const email of [at(old), at(renamed)])
    expect((await firstRequest(oid, email)).status).toBe(403);
  // The invitation sent to the new address before: revoked with the deprovisioning.
  const accepted = await accept(`${oid}-2`, at(renamed), invitation);
  expect(accepted.status).toBe(410);
  // Another sign-in proving the new address: barred at the domain door.
  const joined = await domainJoin(`${oid}-3`, at(renamed));
  expect([joined.status, joined.body.type]).toEqual([403, 'urn:atakora:problem:member-barred']);
  expect(await membership(`${oid}-2`)).toBeUndefined();
  expect(await membership(`${oid}-3`)).toBeUndefined();
}

describe('a SCIM PATCH that renames and deactivates at once', () => {
  it('ends as the rename then the deactivation do, and bars the old address too', async () => {
    // In order: two requests.
    const lee = await linked('lee', 'lee');
    const leeInvited = await invite(at('lee.new'));
    expect((await patch(lee, ...rename(at('lee.new')))).status).toBe(200);
    expect((await patch(lee, deactivation)).status).toBe(200);
    await out(lee, 'lee', 'lee', 'lee.new', leeInvited);
    // At once: one request, the operations in the same order.
    const kim = await linked('kim', 'kim');
    const kimInvited = await invite(at('kim.new'));
    const both = await patch(kim, ...rename(at('kim.new')), deactivation);
    expect([both.status, both.body.active, both.body.userName]).toEqual([
      200,
      false,
      at('kim.new'),
    ]);
    await out(kim, 'kim', 'kim', 'kim.new', kimInvited);
    // The old address (what the user named when it was deactivated): a new sign-in proving it is barred too.
    const old = await domainJoin('kim-4', at('kim'));
    expect([old.status, old.body.type]).toEqual([403, 'urn:atakora:problem:member-barred']);
  });

  it('the deactivation first, the rename after in the same request: the same end', async () => {
    const kim = await linked('kim', 'kim');
    const invited = await invite(at('kim.new'));
    const both = await patch(kim, deactivation, ...rename(at('kim.new')));
    expect([both.status, both.body.active]).toEqual([200, false]);
    await out(kim, 'kim', 'kim', 'kim.new', invited);
  });
});
