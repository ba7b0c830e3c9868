/**
 * SCIM's deactivation (and its DELETE) racing the doors in flight without a hold (#120, "SCIM wins its races"): the
 * door's calls and Entra's PATCH sent together, the PATCH started 0 to 40 ms after the door so that it lands at every
 * step of the door's reads and writes on the local Cosmos DB server, several doors at once too. However the calls
 * interleave, the person ends out — no membership, their next request 403, the SCIM user inactive (or gone) — and no
 * call answers 5xx. The held tests (scim-invitations, scim-approval-race) put the deactivation at one place; these
 * put it everywhere the timing does.
 */
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { JOIN_FUNCTIONS } from '../../src/contract/enterprise/joins.js';
import type { Reply } from './support/http.js';
import { DOMAINS, person } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';

const app = scimSuite({ token: 'Entra', join: 'auto' });

const inAcme = { 'x-atakora-tenant': 'acme' };
/**
 * When the SCIM call starts after the door, in parts of one SCIM call's time as measured on this machine (negative:
 * the door starts that much after the SCIM call), so that the two overlap at every step whatever the load.
 */
const PARTS = [-1, -0.6, -0.3, -0.1, 0, 0.1, 0.3, 0.6, 1] as const;
let measured = 0;
async function offsets(): Promise<number[]> {
  measured += 1;
  const id = await app.provision(`dtime${String(measured)}@${DOMAINS.acme}`);
  const started = Date.now();
  await app.deactivate(id);
  const t = Date.now() - started;
  return PARTS.map((p) => Math.round(p * t));
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const later = async (ms: number, f: () => Promise<Reply>) => {
  if (ms > 0) await sleep(ms);
  return f();
};
const join = (oid: string, email: string) =>
  app.call(JOIN_FUNCTIONS.join, 'POST', 'tenants/acme/join', {
    headers: person(oid, email),
    params: { id: 'acme' },
  });
const firstRequest = (oid: string, email: string) =>
  app.call('tenant-self', 'GET', 'tenant', { headers: { ...person(oid, email), ...inAcme } });
const remove = (id: string) =>
  app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, app.token, { params: { id } });
const setJoin = async (join: 'auto' | 'request') => {
  const { resource } = await app.members.item(`acme|domain|${DOMAINS.acme}`, 'acme').read();
  await app.members.items.upsert({ ...resource, join });
};

/** The person is out: no membership, their next request refused, and SCIM holds them inactive (or not at all). */
async function out(
  oid: string,
  email: string,
  scimId: string,
  all: readonly Reply[],
  label: string,
) {
  for (const r of all) expect(r.status, `${label}: ${r.text}`).toBeLessThan(500);
  const { resource } = await app.members.item(`acme|${oid}`, 'acme').read();
  expect(resource, `${label}: ${all.map((r) => r.status).join(',')}`).toBeUndefined();
  expect((await firstRequest(oid, email)).status, label).toBe(403);
  const user = await app.scim('scim-user', 'GET', `scim/v2/Users/${scimId}`, app.token, {
    params: { id: scimId },
  });
  if (user.status === 200) expect(user.body.active, label).toBe(false);
  else expect(user.status, label).toBe(404);
}

describe('a SCIM deactivation sent with the doors, at every offset', () => {
  it('a domain join (auto), one and three at once: the person ends out', async () => {
    for (const width of [1, 3])
      for (const [i, d] of (await offsets()).entries()) {
        const oid = `kd${String(width)}x${String(i)}`;
        const email = `${oid}@${DOMAINS.acme}`;
        const id = await app.provision(email);
        const all = await Promise.all([
          ...Array.from({ length: width }, () => later(-d, () => join(oid, email))),
          later(d, () => app.deactivate(id)),
        ]);
        await out(oid, email, id, all, `join ×${String(width)}, PATCH at +${String(d)} ms`);
      }
  });

  it("the SCIM user's first request, one and three at once: the person ends out", async () => {
    for (const width of [1, 3])
      for (const [i, d] of (await offsets()).entries()) {
        const oid = `kf${String(width)}x${String(i)}`;
        const email = `${oid}@${DOMAINS.acme}`;
        const id = await app.provision(email);
        const all = await Promise.all([
          ...Array.from({ length: width }, () => later(-d, () => firstRequest(oid, email))),
          later(d, () => app.deactivate(id)),
        ]);
        await out(
          oid,
          email,
          id,
          all,
          `first request ×${String(width)}, PATCH at +${String(d)} ms`,
        );
      }
  });

  it('a join request’s approval: the person ends out', async () => {
    await setJoin('request');
    for (const [i, d] of (await offsets()).entries()) {
      const oid = `ka${String(i)}`;
      const email = `${oid}@${DOMAINS.acme}`;
      const id = await app.provision(email);
      expect((await join(oid, email)).status).toBe(202);
      const all = await Promise.all([
        later(-d, () =>
          app.call(JOIN_FUNCTIONS.approve, 'POST', `tenant/join-requests/${oid}/approve`, {
            headers: { ...person('ada'), ...inAcme },
            params: { id: oid },
          }),
        ),
        later(d, () => app.deactivate(id)),
      ]);
      await out(oid, email, id, all, `approval, PATCH at +${String(d)} ms`);
    }
  });

  it('a SCIM DELETE with a join and a first request: the person ends out', async () => {
    for (const [i, d] of (await offsets()).entries()) {
      const oid = `kx${String(i)}`;
      const email = `${oid}@${DOMAINS.acme}`;
      const id = await app.provision(email);
      const all = await Promise.all([
        later(-d, () => join(oid, email)),
        later(-d, () => firstRequest(oid, email)),
        later(d, () => remove(id)),
      ]);
      await out(oid, email, id, all, `join + first request, DELETE at +${String(d)} ms`);
    }
  });
});

describe('a SCIM deprovisioning and the invitations, whatever the address', () => {
  it('an invitation to the userName in other letters, or to one of its emails, is revoked', async () => {
    const email = `Lee.Park@${DOMAINS.acme}`;
    const r = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, {
      body: {
        schemas: [SCIM_SCHEMAS.user],
        userName: email,
        active: true,
        emails: [{ value: `lee@${DOMAINS.acme}`, type: 'work' }],
      },
    });
    expect(r.status).toBe(201);
    const id = String(r.body.id);
    const tokens: string[] = [];
    for (const address of [email.toUpperCase(), `LEE@${DOMAINS.acme}`]) {
      const invited = await app.call('membership-invitations', 'POST', 'tenant/invitations', {
        headers: { ...person('ada'), ...inAcme },
        body: { email: address, roles: ['Member'] },
      });
      expect(invited.status).toBe(201);
      tokens.push(new URL(String(invited.body.acceptUrl)).searchParams.get('invitation') ?? '');
    }
    expect((await app.deactivate(id)).status).toBe(200);
    for (const [i, proved] of [email.toLowerCase(), `lee@${DOMAINS.acme}`].entries()) {
      const accepted = await app.call('membership-accept', 'POST', 'invitations/accept', {
        headers: person('lee', proved),
        body: { token: tokens[i] },
      });
      expect(accepted.status, accepted.text).toBeGreaterThanOrEqual(400);
      expect(accepted.status, accepted.text).toBeLessThan(500);
    }
    expect((await app.members.item('acme|lee', 'acme').read()).resource).toBeUndefined();
  });
});
