/**
 * The people side of #120 under `atakora dev`, from outside ("SCIM wins its races", "a SCIM deprovisioning revokes
 * the person's open invitations", "an invitation sent before a removal never re-admits", "no door into a deleted
 * organization", "an invitation refused for seats stays the Owner's"): dev's sign-in (email users, directory users
 * `oid@tid;email=…`), its DNS stand-in for verified domains, SCIM with the organization's bearer token — every call
 * over HTTP to dev's host, every answer read as a page or a client reads it (status, problem type, `GET api/tenant`,
 * the members and invitations lists, SCIM's `active`). The same lives are held in process by test/runtime's
 * scim-door-races, scim-directory-races, doors-deleted-organization and invitation-seat-refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  GLOBAL_ADMIN,
  OPERATOR,
  peopleDoors,
  SCIM_USER,
} from './support/people-doors.js';
import { localCosmosClient, testAgent } from '../support/local-cosmos-client.js';

const doors = peopleDoors();
const DOMAIN = 'acme.example';
const DIRECTORY = 'acmedir';
/** The Owner: a user of acme's directory who may link it, with a verified e-mail. */
const OWNER = `olivia@${DIRECTORY};email=olivia@${DOMAIN};wids=${GLOBAL_ADMIN}`;
let org = '';
let scimToken = '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const later = async (ms: number, f: () => Promise<Answer>) => {
  if (ms > 0) await sleep(ms);
  return f();
};
const asOwner = (method: string, path: string, body?: unknown, at = org) =>
  doors().call(method, path, OWNER, body, at);
const tokenOf = (invited: Answer) =>
  new URL(String(invited.body['acceptUrl'])).searchParams.get('invitation') ?? '';
const memberIds = async (at = org, who = OWNER) =>
  (
    ((await doors().call('GET', 'tenant/members', who, undefined, at)).body['items'] ?? []) as {
      userId: string;
    }[]
  ).map((m) => m.userId);
const openInvitations = async (at = org, who = OWNER) =>
  ((await doors().call('GET', 'tenant/invitations', who, undefined, at)).body['items'] ?? []) as {
    id: string;
    email: string;
    expiresOn: string;
  }[];

/** A new organization of `owner`, its domain verified through dev's DNS stand-in with `join`. */
async function organization(owner: string, name: string, domain: string, join: string) {
  const made = await doors().call('POST', 'tenants', owner, { name });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const id = String(made.body['id']);
  const added = await doors().call('POST', 'tenant/domains', owner, { domain }, id);
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  const txt = added.body['txt'] as { name: string; value: string };
  doors().dns.setTxt(txt.name, [txt.value]);
  const verified = await doors().call(
    'POST',
    `tenant/domains/${domain}/verify`,
    owner,
    undefined,
    id,
  );
  expect(verified.body['status'], JSON.stringify(verified.body)).toBe('verified');
  const joins = await doors().call('PATCH', `tenant/domains/${domain}`, owner, { join }, id);
  expect(joins.status, JSON.stringify(joins.body)).toBe(200);
  return id;
}

const provision = async (
  userName: string,
  extra: Record<string, unknown> = {},
  token = scimToken,
) => {
  const r = await doors().scim('POST', 'Users', token, {
    schemas: [SCIM_USER],
    userName,
    active: true,
    ...extra,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return String(r.body['id']);
};
const deactivate = (id: string, token = scimToken) =>
  doors().scim('PATCH', `Users/${id}`, token, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
const removeScim = (id: string) => doors().scim('DELETE', `Users/${id}`, scimToken);
const join = (who: string, at = org) => doors().call('POST', `tenants/${at}/join`, who);
const firstRequest = (who: string, at = org) => doors().call('GET', 'tenant', who, undefined, at);

beforeAll(async () => {
  org = await organization(OWNER, 'Acme', DOMAIN, 'auto');
  const linked = await asOwner('PUT', 'tenant/directory', { tid: DIRECTORY });
  expect(linked.status, JSON.stringify(linked.body)).toBe(200);
  const issued = await asOwner('POST', 'tenant/scim-tokens', { name: 'Entra' });
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  scimToken = String(issued.body['token']);
});

/** The person is out: not listed, their next request refused, SCIM holding them inactive (or not at all). */
async function out(
  user: string,
  who: string,
  scimId: string,
  all: readonly Answer[],
  label: string,
) {
  for (const r of all) expect(r.status, `${label}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
  expect(await memberIds(), `${label}: ${all.map((r) => r.status).join(',')}`).not.toContain(user);
  const next = await firstRequest(who);
  const said = all.map((r) => `${String(r.status)} ${r.type}`).join(', ');
  expect(next.status, `${label} (${said}): ${JSON.stringify(next.body)}`).toBe(403);
  const mine = (await doors().call('GET', 'me/tenants', who)).body['items'] as { id: string }[];
  expect(
    mine.map((t) => t.id),
    label,
  ).not.toContain(org);
  const scim = await doors().scim('GET', `Users/${scimId}`, scimToken);
  if (scim.status === 200) expect(scim.body['active'], label).toBe(false);
  else expect(scim.status, label).toBe(404);
}

/** Offsets (ms) of the SCIM call after the door: parts of one SCIM call's time through dev, measured now. */
const PARTS = [-1, -0.5, -0.2, 0, 0.2, 0.5, 1] as const;
let measured = 0;
async function offsets(): Promise<number[]> {
  measured += 1;
  const id = await provision(`time${String(measured)}@${DOMAIN}`);
  const started = Date.now();
  expect((await deactivate(id)).status).toBe(200);
  const t = Date.now() - started;
  return PARTS.map((p) => Math.round(p * t));
}

describe('SCIM deactivation racing a door in flight, through dev', () => {
  it('a domain join (auto), one and two at once: the person ends out', async () => {
    for (const width of [1, 2])
      for (const [i, d] of (await offsets()).entries()) {
        const user = `dj${String(width)}x${String(i)}@${DOMAIN}`;
        const id = await provision(user);
        const all = await Promise.all([
          ...Array.from({ length: width }, () => later(-d, () => join(user))),
          later(d, () => deactivate(id)),
        ]);
        await out(user, user, id, all, `join ×${String(width)}, PATCH at ${String(d)} ms`);
      }
  });

  it("a SCIM user's first request (GET api/tenant, GET api/me/tenants): the person ends out", async () => {
    for (const [i, d] of (await offsets()).entries()) {
      const user = `fr${String(i)}@${DOMAIN}`;
      const id = await provision(user);
      const all = await Promise.all([
        later(-d, () => firstRequest(user)),
        later(-d, () => doors().call('GET', 'me/tenants', user)),
        later(d, () => deactivate(id)),
      ]);
      await out(user, user, id, all, `first request, PATCH at ${String(d)} ms`);
    }
  });

  it("a linked directory's user's first request, deactivated or DELETEd: the person ends out", async () => {
    for (const [i, d] of (await offsets()).entries()) {
      const oid = `dir${String(i)}`;
      const who = `${oid}@${DIRECTORY}`;
      const id = await provision(`${oid}@upn.${DOMAIN}`, { externalId: oid });
      const all = await Promise.all([
        later(-d, () => firstRequest(who)),
        later(d, () => (i % 2 === 0 ? deactivate(id) : removeScim(id))),
      ]);
      await out(oid, who, id, all, `directory first request, SCIM at ${String(d)} ms`);
    }
  });

  it("a linked directory's user SCIM names by externalId only, DELETEd before they ever signed in: out, until SCIM provisions them again", async () => {
    // Entra's provisioning may map externalId from the object id and userName from another attribute (mail): the
    // user's token then proves none of the addresses SCIM holds (dev's directory users carry no e-mail, no UPN).
    const id = await provision(`gone.user@upn.${DOMAIN}`, { externalId: 'gone' });
    expect((await removeScim(id)).status).toBe(204);
    const first = await firstRequest(`gone@${DIRECTORY}`);
    expect([first.status, first.type], JSON.stringify(first.body)).toEqual([403, 'not-a-member']);
    expect(await memberIds()).not.toContain('gone');
    const mine = (await doors().call('GET', 'me/tenants', `gone@${DIRECTORY}`)).body['items'] as {
      id: string;
    }[];
    expect(mine.map((t) => t.id)).not.toContain(org);
    // Provisioned again (active): SCIM re-admits whom SCIM put out.
    await provision(`gone.user@upn.${DOMAIN}`, { externalId: 'gone' });
    await sleep(1_100);
    expect((await firstRequest(`gone@${DIRECTORY}`)).status).toBe(200);
    expect(await memberIds()).toContain('gone');
  });

  it('an approval of a join request: the person ends out', async () => {
    expect((await asOwner('PATCH', `tenant/domains/${DOMAIN}`, { join: 'request' })).status).toBe(
      200,
    );
    try {
      for (const [i, d] of (await offsets()).entries()) {
        const user = `ap${String(i)}@${DOMAIN}`;
        const id = await provision(user);
        const asked = await join(user);
        expect(asked.status, JSON.stringify(asked.body)).toBe(202);
        const all = await Promise.all([
          later(-d, () =>
            asOwner('POST', `tenant/join-requests/${encodeURIComponent(user)}/approve`),
          ),
          later(d, () => deactivate(id)),
        ]);
        await out(user, user, id, all, `approval, PATCH at ${String(d)} ms`);
      }
    } finally {
      await asOwner('PATCH', `tenant/domains/${DOMAIN}`, { join: 'auto' });
    }
  });

  it('a SCIM DELETE with a join and a first request at once: the person ends out', async () => {
    for (const [i, d] of (await offsets()).entries()) {
      const user = `dx${String(i)}@${DOMAIN}`;
      const id = await provision(user);
      const all = await Promise.all([
        later(-d, () => join(user)),
        later(-d, () => firstRequest(user)),
        later(d, () => removeScim(id)),
      ]);
      await out(user, user, id, all, `join + first request, DELETE at ${String(d)} ms`);
    }
  });
});

describe('a SCIM deprovisioning and the person’s open invitations, through dev', () => {
  it('revokes every one, whatever the letters or which of their e-mails: gone from the list, none admits', async () => {
    const userName = `Lee.Park@${DOMAIN}`;
    const id = await provision(userName, {
      emails: [{ value: `lee@${DOMAIN}`, type: 'work' }],
    });
    const sent: Answer[] = [];
    for (const email of [userName.toUpperCase(), `LEE@${DOMAIN.toUpperCase()}`]) {
      const r = await asOwner('POST', 'tenant/invitations', { email, roles: ['Member'] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      sent.push(r);
    }
    expect((await deactivate(id)).status).toBe(200);
    const open = (await openInvitations()).map((i) => i.id);
    for (const r of sent) expect(open).not.toContain(r.body['id']);
    // Each accepted by a sign-in proving its address: an e-mail user of dev's, and a directory user of another.
    for (const [i, who] of [`lee.park@${DOMAIN}`, `lee@fabrikam;email=lee@${DOMAIN}`].entries()) {
      const accepted = await doors().call('POST', 'invitations/accept', who, {
        token: tokenOf(sent[i]!),
      });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(410);
      expect(accepted.type).toBe('invitation-expired');
    }
    const members = await memberIds();
    for (const u of [`lee.park@${DOMAIN}`, 'lee', `lee@${DOMAIN}`])
      expect(members).not.toContain(u);
  });
});

describe('an invitation sent before a removal never re-admits, through dev', () => {
  const KIM = `kim@fabrikam;email=kim@kim.example`;
  it('to the address the membership recorded or to another: 403 member-barred, still listed; one sent after admits', async () => {
    const first = await asOwner('POST', 'tenant/invitations', {
      email: 'kim@kim.example',
      roles: ['Member'],
    });
    expect(
      (await doors().call('POST', 'invitations/accept', KIM, { token: tokenOf(first) })).status,
    ).toBe(201);
    expect(await memberIds()).toContain('kim');
    // Sent while Kim is a member: to the address recorded (409: a member's) and to one it did not record.
    const same = await asOwner('POST', 'tenant/invitations', {
      email: 'kim@kim.example',
      roles: ['Admin'],
    });
    expect(same.status).toBe(409);
    const other = await asOwner('POST', 'tenant/invitations', {
      email: 'kim@other.example',
      roles: ['Admin'],
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const removed = await asOwner('DELETE', 'tenant/members/kim');
    expect(removed.status).toBe(204);
    const accepted = await doors().call(
      'POST',
      'invitations/accept',
      'kim@fabrikam;email=kim@other.example',
      { token: tokenOf(other) },
    );
    expect([accepted.status, accepted.type]).toEqual([403, 'member-barred']);
    expect(await memberIds()).not.toContain('kim');
    expect((await openInvitations()).map((i) => i.id)).toContain(other.body['id']);
    // The Owner's invitation sent after the removal lifts the bar.
    expect((await asOwner('DELETE', `tenant/invitations/${String(other.body['id'])}`)).status).toBe(
      204,
    );
    const after = await asOwner('POST', 'tenant/invitations', {
      email: 'kim@other.example',
      roles: ['Member'],
    });
    expect(after.status).toBe(201);
    const back = await doors().call(
      'POST',
      'invitations/accept',
      'kim@fabrikam;email=kim@other.example',
      {
        token: tokenOf(after),
      },
    );
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(await memberIds()).toContain('kim');
  });

  it('sent before a SCIM deprovisioning to an address SCIM never named: 403 member-barred, the person stays out', async () => {
    // Ned signs in from a directory of his own with his work address proven: SCIM's user of that address links him.
    const ned = `ned@neddir;email=ned@${DOMAIN}`;
    const id = await provision(`ned@${DOMAIN}`);
    expect((await firstRequest(ned)).status).toBe(200);
    expect(await memberIds()).toContain('ned');
    const other = await asOwner('POST', 'tenant/invitations', {
      email: 'ned@home.example',
      roles: ['Member'],
    });
    expect(other.status).toBe(201);
    expect((await deactivate(id)).status).toBe(200);
    expect(await memberIds()).not.toContain('ned');
    // The same person (his object id, dev's `oid`) signed in with the other address proven.
    const accepted = await doors().call(
      'POST',
      'invitations/accept',
      'ned@neddir;email=ned@home.example',
      {
        token: tokenOf(other),
      },
    );
    expect([accepted.status, accepted.type]).toEqual([403, 'member-barred']);
    expect(await memberIds()).not.toContain('ned');
    expect((await firstRequest(ned)).status).toBe(403);
  });
});

describe('a deleted organization admits nobody, through dev', () => {
  const DOOMED = 'doomed.example';
  const DOOM_OWNER = `dora@doomdir;email=dora@${DOOMED};wids=${GLOBAL_ADMIN}`;
  let doomed = '';
  let invitation = '';
  let token = '';
  beforeAll(async () => {
    doomed = await organization(DOOM_OWNER, 'Doomed', DOOMED, 'auto');
    expect(
      (await doors().call('PUT', 'tenant/directory', DOOM_OWNER, { tid: 'doomdir' }, doomed))
        .status,
    ).toBe(200);
    token = String(
      (await doors().call('POST', 'tenant/scim-tokens', DOOM_OWNER, { name: 'Entra' }, doomed))
        .body['token'],
    );
    await provision(`sue@${DOOMED}`, {}, token);
    const invited = await doors().call(
      'POST',
      'tenant/invitations',
      DOOM_OWNER,
      { email: 'ivy@example.org', roles: ['Member'] },
      doomed,
    );
    expect(invited.status).toBe(201);
    invitation = tokenOf(invited);
    const deleted = await doors().call('DELETE', 'tenant', DOOM_OWNER, undefined, doomed);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(202);
  });
  const stillOnlyOwner = async () => {
    // The Owner's own reads are refused too (a deleted organization answers nobody): read the store's view from SCIM's.
    const r = await doors().call('GET', 'tenant/members', DOOM_OWNER, undefined, doomed);
    expect(r.status).toBe(403);
  };

  it("a SCIM user's first request, a directory user's, a domain join, an invitation: 403 each, nobody joins", async () => {
    const sue = await firstRequest(`sue@${DOOMED}`, doomed);
    expect(sue.status).toBe(403);
    const dee = await firstRequest('dee@doomdir', doomed);
    expect(dee.status).toBe(403);
    const abe = await join(`abe@${DOOMED}`, doomed);
    expect([abe.status, abe.type]).toEqual([403, 'tenant-suspended']);
    const ivy = await doors().call('POST', 'invitations/accept', 'ivy@example.org', {
      token: invitation,
    });
    expect([ivy.status, ivy.type]).toEqual([403, 'tenant-suspended']);
    for (const who of [`sue@${DOOMED}`, 'dee@doomdir', `abe@${DOOMED}`, 'ivy@example.org']) {
      const mine = (await doors().call('GET', 'me/tenants', who)).body['items'] as { id: string }[];
      expect(
        mine.map((t) => t.id),
        who,
      ).not.toContain(doomed);
    }
    await stillOnlyOwner();
    // Undeleted by its Owner: none of them was let in meanwhile.
    expect(
      (await doors().call('POST', 'tenant/undelete', DOOM_OWNER, undefined, doomed)).status,
    ).toBe(200);
    const members = await memberIds(doomed, DOOM_OWNER);
    expect(members).toEqual(['dora']);
  });
});

describe('an invitation refused for the seats, through dev', () => {
  const TIGHT_OWNER = 'tess@example.com';
  let tight = '';
  const invite = (email: string) =>
    doors().call('POST', 'tenant/invitations', TIGHT_OWNER, { email, roles: ['Member'] }, tight);
  const accept = (who: string, token: string) =>
    doors().call('POST', 'invitations/accept', who, { token });
  beforeAll(async () => {
    const made = await doors().call('POST', 'tenants', TIGHT_OWNER, { name: 'Tight' });
    tight = String(made.body['id']);
    const moved = await doors().call('PATCH', `tenants/${tight}`, OPERATOR, { plan: 'tight' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
  });

  it('stays listed and revocable, takes no seat on its own when one frees, and admits only when accepted', async () => {
    const a = await invite('amy@example.com');
    const b = await invite('bea@example.com');
    const c = await invite('cal@example.com');
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect((await accept('amy@example.com', tokenOf(a))).status).toBe(201);
    expect((await accept('bea@example.com', tokenOf(b))).status).toBe(201);
    const refused = await accept('cal@example.com', tokenOf(c));
    expect([refused.status, refused.type]).toEqual([402, 'seat-limit']);
    const tenant = await doors().call('GET', 'tenant', TIGHT_OWNER, undefined, tight);
    expect(tenant.body['limits']).toMatchObject({ members: 3 });
    // Listed as sent, the same id and expiry.
    const listed = await openInvitations(tight, TIGHT_OWNER);
    expect(listed).toContainEqual(
      expect.objectContaining({
        id: c.body['id'],
        email: 'cal@example.com',
        expiresOn: c.body['expiresOn'],
      }),
    );
    // A seat frees: Cal is not let in on their own.
    expect(
      (
        await doors().call(
          'DELETE',
          `tenant/members/${encodeURIComponent('bea@example.com')}`,
          TIGHT_OWNER,
          undefined,
          tight,
        )
      ).status,
    ).toBe(204);
    await sleep(1_100);
    expect(await memberIds(tight, TIGHT_OWNER)).not.toContain('cal@example.com');
    expect((await firstRequest('cal@example.com', tight)).status).toBe(403);
    // Revocable: revoked, the link is void even with a seat free.
    const revoked = await doors().call(
      'DELETE',
      `tenant/invitations/${String(c.body['id'])}`,
      TIGHT_OWNER,
      undefined,
      tight,
    );
    expect(revoked.status).toBe(204);
    expect((await openInvitations(tight, TIGHT_OWNER)).map((i) => i.id)).not.toContain(
      c.body['id'],
    );
    const late = await accept('cal@example.com', tokenOf(c));
    expect([late.status, late.type]).toEqual([410, 'invitation-expired']);
    expect(await memberIds(tight, TIGHT_OWNER)).not.toContain('cal@example.com');
  });

  it('refused and retried while full: unchanged; accepted once a seat frees, it admits', async () => {
    const d = await invite('dan@example.com');
    expect(d.status).toBe(201);
    const full = await invite('eve@example.com');
    expect(full.status).toBe(201);
    expect((await accept('eve@example.com', tokenOf(full))).status).toBe(201);
    for (let i = 0; i < 2; i++) {
      const r = await accept('dan@example.com', tokenOf(d));
      expect([r.status, r.type]).toEqual([402, 'seat-limit']);
    }
    const preview = await doors().call(
      'GET',
      `invitations/preview?invitation=${encodeURIComponent(tokenOf(d))}`,
      'anonymous',
    );
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(
      (
        await doors().call(
          'DELETE',
          `tenant/members/${encodeURIComponent('eve@example.com')}`,
          TIGHT_OWNER,
          undefined,
          tight,
        )
      ).status,
    ).toBe(204);
    expect(await memberIds(tight, TIGHT_OWNER)).not.toContain('dan@example.com');
    const admitted = await accept('dan@example.com', tokenOf(d));
    expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);
    expect((await openInvitations(tight, TIGHT_OWNER)).map((i) => i.id)).not.toContain(
      d.body['id'],
    );
  });

  it('expires on its day: accepted after it with a seat free, 410 invitation-expired, nobody admitted', async () => {
    const free = (who: string) =>
      doors().call(
        'DELETE',
        `tenant/members/${encodeURIComponent(who)}`,
        TIGHT_OWNER,
        undefined,
        tight,
      );
    expect((await free('dan@example.com')).status).toBe(204);
    const g = await invite('gus@example.com');
    const h = await invite('hal@example.com');
    expect([g.status, h.status]).toEqual([201, 201]);
    expect((await accept('hal@example.com', tokenOf(h))).status).toBe(201);
    const refused = await accept('gus@example.com', tokenOf(g));
    expect([refused.status, refused.type]).toEqual([402, 'seat-limit']);
    // Its day comes: dev's clock is the machine's, so the stored invitation is moved to yesterday, as 7 days would.
    const members = localCosmosClient(doors().dev.cosmosEndpoint ?? '', testAgent())
      .database('atakora')
      .container('members');
    const { resources } = await members.items
      .query<{ id: string; expiresOn: string }>({
        query: "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'invitation' AND c.email = @e",
        parameters: [
          { name: '@t', value: tight },
          { name: '@e', value: 'gus@example.com' },
        ],
      })
      .fetchAll();
    expect(resources).toHaveLength(1);
    const stored = resources[0]!;
    await members.items.upsert({
      ...stored,
      expiresOn: new Date(Date.now() - 86_400_000).toISOString(),
    });
    expect((await free('hal@example.com')).status).toBe(204);
    const late = await accept('gus@example.com', tokenOf(g));
    expect([late.status, late.type]).toEqual([410, 'invitation-expired']);
    expect(await memberIds(tight, TIGHT_OWNER)).not.toContain('gus@example.com');
  });
});
