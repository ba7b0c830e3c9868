/**
 * Invitations that arrive (`tenants.email`): `POST api/tenant/invitations` sends the invitation e-mail through the
 * official `@azure/communication-email` SDK — here to a loopback stand-in of the ACS Email REST API
 * (test/support/acs-email-standin.ts) — and records `delivery` on the invitation; a failed send (4xx, 5xx, a failed
 * operation) keeps the invitation; `resend` gives a new token (the old one void); every user-supplied value is
 * escaped; each organization's day is bounded. Over the real `members` and `tenants` containers (local Cosmos DB).
 * The SDK's sends go through the runtime on a skipping clock (test/support/skipping-clock.ts), which the stand-in's
 * sending window reads too: a queued e-mail waits out its whole `Retry-After` on it, at no wall second.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBERSHIP_REGISTRY } from '../support/membership-registry.js';
import { type AcsEmailStandIn, startAcsEmailStandIn } from '../support/acs-email-standin.js';
import { skippingClock } from '../support/skipping-clock.js';
import type { RuntimeTenantRegistry } from '../../src/model/runtime-manifest.js';
import { EMAIL_ENDPOINT_SETTING, OUTBOX_DIR_SETTING } from '../../src/model/email.js';
import { emailSenderOf } from '../../src/runtime/email/email-sender.js';
import { cosmosMemberStore } from '../../src/runtime/members/member-store.js';
import { MembershipCache } from '../../src/runtime/members/membership-cache.js';
import type { Actor, MembersApi } from '../../src/runtime/members/members-api.js';
import {
  createInvitation,
  listInvitations,
} from '../../src/runtime/members/invitation-operations.js';
import { resendInvitation } from '../../src/runtime/members/invitation-resend.js';
import {
  acceptInvitation,
  createOrganization,
} from '../../src/runtime/members/organization-operations.js';
import { cosmosRegistryAdmin } from '../../src/runtime/tenants/registry-admin-store.js';
import { decoded, jsonRequest } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const SITE = 'https://notes.example.com';
let cosmos: LocalCosmos;
let acs: AcsEmailStandIn;
/** The clock of the SDK's sends and of the stand-in's window: a queued e-mail's wait passes on `clock.elapse()`. */
const clock = skippingClock();
let outbox: string;
/** One MembersApi per way of sending, over the same containers. */
let viaSdk: MembersApi;
let viaOutbox: MembersApi;
let bounded: MembersApi;
let silent: MembersApi;

const email = { from: 'DoNotReply', domain: 'azure-managed', invitationsPerDay: 50 };
const registryWith = (invitationsPerDay: number | undefined): RuntimeTenantRegistry => ({
  ...MEMBERSHIP_REGISTRY,
  membership: {
    ...MEMBERSHIP_REGISTRY.membership!,
    maxOrganizationsPerUser: 100,
    ...(invitationsPerDay !== undefined ? { email: { ...email, invitationsPerDay } } : {}),
  },
});

const request = (method: string, path: string, body?: unknown) =>
  jsonRequest(method, path, body, { origin: SITE });
const reply = decoded;

const OWNER: Actor = {
  userId: 'olga',
  roles: ['Owner'],
  name: 'Olga Owner',
  email: 'olga@example.com',
};

async function organization(api: MembersApi, name: string): Promise<string> {
  const r = await reply(createOrganization(api, OWNER, request('POST', 'tenants', { name })));
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const invite = (api: MembersApi, org: string, to: string, actor: Actor = OWNER) =>
  reply(
    createInvitation(
      api,
      actor,
      org,
      request('POST', 'tenant/invitations', { email: to, roles: ['Member'] }),
    ),
  );
const resend = (api: MembersApi, org: string, id: string, actor: Actor = OWNER) =>
  reply(resendInvitation(api, actor, org, id, request('POST', `tenant/invitations/${id}/resend`)));
const accept = (api: MembersApi, userId: string, acceptUrl: string) =>
  reply(
    acceptInvitation(
      api,
      { userId, email: `${userId}@example.com` },
      request('POST', 'invitations/accept', {
        token: new URL(acceptUrl).searchParams.get('invitation'),
      }),
    ),
  );

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  acs = await startAcsEmailStandIn({ now: clock.now });
  outbox = await mkdtemp(join(tmpdir(), 'atakora-outbox-'));
  const store = cosmosMemberStore(await cosmos.container('members', '/tenant'));
  const admin = cosmosRegistryAdmin(await cosmos.container('tenants', '/id'));
  const apiOf = (
    registry: RuntimeTenantRegistry,
    env: Record<string, string>,
    skipping = false,
  ): MembersApi => {
    const membership = registry.membership!;
    return {
      store,
      cache: new MembershipCache(store),
      registry,
      membership,
      admin,
      ...(skipping ? { now: () => new Date(clock.now()) } : {}),
      ...(membership.email
        ? {
            mailer: {
              email: membership.email,
              ...(skipping ? { later: clock.later } : {}),
              sender: emailSenderOf(membership.email, env, {
                retryDelayMs: 10,
                pollIntervalMs: 10,
                log: () => undefined,
              }),
            },
          }
        : {}),
    };
  };
  viaSdk = apiOf(registryWith(50), { [EMAIL_ENDPOINT_SETTING]: acs.base }, true);
  viaOutbox = apiOf(registryWith(50), { [OUTBOX_DIR_SETTING]: outbox });
  bounded = apiOf(registryWith(2), { [OUTBOX_DIR_SETTING]: outbox });
  silent = apiOf(registryWith(undefined), {});
});
afterAll(async () => {
  await acs?.close();
  await cosmos?.stop();
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

describe('the invitation e-mail through the SDK to the ACS Email stand-in', () => {
  it('sends it signed, with the organization, inviter, roles, expiry and link, and records delivery sent', async () => {
    acs.mode = 'accept';
    const org = await organization(viaSdk, 'Acme Sent');
    const before = acs.taken.length;
    const r = await invite(viaSdk, org, 'bea@example.com');
    expect(r.status).toBe(201);
    expect(r.body.delivery).toMatchObject({ status: 'sent' });
    const mail = acs.taken[before]!;
    expect(mail.recipients.to).toEqual([{ address: 'bea@example.com' }]);
    expect(mail.senderAddress).toBe('DoNotReply@azure-managed.localhost');
    expect(mail.authorization).toMatch(/^HMAC-SHA256 /);
    expect(mail.content.subject).toBe('Olga Owner invited you to Acme Sent');
    for (const part of [mail.content.plainText!, mail.content.html!]) {
      expect(part).toContain('Acme Sent');
      expect(part).toContain('Member');
      expect(part).toContain(r.body.expiresOn.slice(0, 10));
    }
    expect(mail.content.plainText).toContain(r.body.acceptUrl);
    expect(mail.content.html).toContain(`href="${r.body.acceptUrl}"`);
    expect(acs.requests).toContain(
      'GET ' + acs.requests.find((q) => q.startsWith('GET /emails/operations/'))!.slice(4),
    );
    const listed = await reply(
      listInvitations(viaSdk, OWNER, org, request('GET', 'tenant/invitations')),
    );
    expect(listed.body.items[0].delivery).toMatchObject({ status: 'sent' });
  });

  it.each([
    ['reject-400', /answered 400/],
    ['unavailable', /answered 503/],
    ['operation-failed', /reported Failed/],
  ] as const)(
    'a send the service refuses (%s) keeps the invitation, 201 with delivery failed',
    async (mode, why) => {
      acs.mode = mode;
      const org = await organization(viaSdk, `Acme ${mode}`);
      const r = await invite(viaSdk, org, 'cy@example.com');
      expect(r.status).toBe(201);
      expect(r.body.delivery).toMatchObject({ status: 'failed' });
      expect(r.body.delivery.error).toMatch(why);
      const listed = await reply(
        listInvitations(viaSdk, OWNER, org, request('GET', 'tenant/invitations')),
      );
      expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([r.body.id]);
      expect(listed.body.items[0].delivery.status).toBe('failed');
    },
  );

  it('a resend after a failed send: a new token, the old one void, the e-mail sent, the new link accepted', async () => {
    acs.mode = 'unavailable';
    const org = await organization(viaSdk, 'Acme Resent');
    const first = await invite(viaSdk, org, 'dee@example.com');
    expect(first.body.delivery.status).toBe('failed');
    acs.mode = 'accept';
    const before = acs.taken.length;
    const again = await resend(viaSdk, org, first.body.id);
    expect(again.status).toBe(200);
    expect(again.headers.get('cache-control')).toBe('no-store');
    expect(again.body).toMatchObject({ id: first.body.id, delivery: { status: 'sent' } });
    expect(again.body.acceptUrl).not.toBe(first.body.acceptUrl);
    expect(acs.taken.slice(before).map((m) => m.content.plainText)).toEqual([
      expect.stringContaining(again.body.acceptUrl),
    ]);
    const old = await accept(viaSdk, 'dee', first.body.acceptUrl);
    expect([old.status, old.code]).toEqual([410, 'invitation-expired']);
    expect((await accept(viaSdk, 'dee', again.body.acceptUrl)).status).toBe(201);
  });

  it('resend is for who may invite: a Member 403, an Admin 403 for an Owner invitation, unknown 404', async () => {
    acs.mode = 'accept';
    const org = await organization(viaSdk, 'Acme Rights');
    const owners = await reply(
      createInvitation(
        viaSdk,
        OWNER,
        org,
        request('POST', 'tenant/invitations', { email: 'o2@example.com', roles: ['Owner'] }),
      ),
    );
    const member: Actor = { userId: 'mo', roles: ['Member'] };
    const admin: Actor = { userId: 'ad', roles: ['Admin'] };
    expect((await resend(viaSdk, org, owners.body.id, member)).status).toBe(403);
    expect((await resend(viaSdk, org, owners.body.id, admin)).code).toBe('access-denied');
    expect((await resend(viaSdk, org, 'nonexistent0', OWNER)).status).toBe(404);
  });
});

/** The invitation as `GET api/tenant/invitations` lists it now. */
async function listed(api: MembersApi, org: string, id: string) {
  const r = await reply(listInvitations(api, OWNER, org, request('GET', 'tenant/invitations')));
  return (r.body.items as { id: string; delivery?: { status: string } }[]).find((i) => i.id === id);
}

/**
 * Let the queued e-mails' waits pass (the clock moved past each `Retry-After`, each tried again) until the
 * invitation's delivery is no longer `queued`: bounded by the retries there are (none pending: still queued).
 */
async function settled(api: MembersApi, org: string, id: string): Promise<string | undefined> {
  for (;;) {
    const status = (await listed(api, org, id))?.delivery?.status;
    if (status !== 'queued' || (await clock.elapse()) === 0) return status;
  }
}

describe("Azure's sending limits: a 429 queues the e-mail, never a resend of what went out", () => {
  it('a throttled send is queued (retryAt from Retry-After), then sent once as the same operation', async () => {
    acs.mode = 'throttled';
    acs.retryAfterSeconds = 1;
    const org = await organization(viaSdk, 'Acme Throttled');
    const before = acs.taken.length;
    const r = await invite(viaSdk, org, 'quinn@example.com');
    expect(r.status).toBe(201);
    expect(r.body.delivery).toMatchObject({ status: 'queued' });
    const wait = Date.parse(r.body.delivery.retryAt) - Date.parse(r.body.delivery.at);
    expect(wait).toBe(1000);
    expect(acs.taken.length).toBe(before);
    const refusedAs = acs.throttled.at(-1)!;
    expect(refusedAs).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    acs.mode = 'accept';
    expect(await settled(viaSdk, org, r.body.id)).toBe('sent');
    const mails = acs.taken.slice(before);
    expect(mails.map((m) => [m.recipients.to[0]!.address, m.operationId])).toEqual([
      ['quinn@example.com', refusedAs],
    ]);
    // Not before Retry-After, on the clock the stand-in and the runtime share.
    expect(mails[0]!.at).toBeGreaterThanOrEqual(Date.parse(r.body.delivery.retryAt));
    expect(mails[0]!.content.plainText).toContain(r.body.acceptUrl);
  });

  it('accepted, then its status unreadable (status reads throttled): sent, and never posted again', async () => {
    acs.mode = 'status-throttled';
    const org = await organization(viaSdk, 'Acme Polled');
    const posts = () => acs.requests.filter((q) => q === 'POST /emails:send').length;
    const before = posts();
    const r = await invite(viaSdk, org, 'rae@example.com');
    expect(r.body.delivery).toMatchObject({ status: 'sent' });
    expect(posts() - before).toBe(1);
    acs.mode = 'accept';
  });

  it('a queued e-mail is dropped when the invitation is resent meanwhile: only the resend goes out', async () => {
    acs.mode = 'throttled';
    acs.retryAfterSeconds = 1;
    const org = await organization(viaSdk, 'Acme Dropped');
    const first = await invite(viaSdk, org, 'sol@example.com');
    expect(first.body.delivery.status).toBe('queued');
    acs.mode = 'accept';
    const before = acs.taken.length;
    const again = await resend(viaSdk, org, first.body.id);
    expect(again.body.delivery.status).toBe('sent');
    // Past the first e-mail's retryAt, its try ran (and found its token void): it was not sent.
    expect(clock.pending).toBe(1);
    expect(await clock.elapse()).toBe(1);
    expect(clock.now()).toBeGreaterThanOrEqual(Date.parse(first.body.delivery.retryAt));
    expect(clock.pending).toBe(0);
    expect(acs.taken.slice(before).map((m) => m.content.plainText)).toEqual([
      expect.stringContaining(again.body.acceptUrl),
    ]);
  });

  it('under a sending limit, every invitation ends sent, each address mailed exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 2 }),
        async (n, max) => {
          acs.mode = 'accept';
          acs.limit = { max, windowMs: 1000 };
          try {
            const org = await organization(
              viaSdk,
              `Acme Limited ${String(n)}-${String(max)}-${String(Date.now())}`,
            );
            const before = acs.taken.length;
            const made = [];
            for (let i = 0; i < n; i++)
              made.push(await invite(viaSdk, org, `u${String(i)}@${org}.example.com`));
            for (const m of made) expect(await settled(viaSdk, org, m.body.id)).toBe('sent');
            const to = acs.taken
              .slice(before)
              .map((m) => m.recipients.to[0]!.address)
              .sort();
            expect(to).toEqual(made.map((_, i) => `u${String(i)}@${org}.example.com`).sort());
          } finally {
            acs.limit = undefined;
          }
        },
      ),
      { numRuns: 4 },
    );
  });
});

describe('every user-supplied value is escaped', () => {
  it('a hostile organization name and inviter: no markup, no header line, no extra recipient', async () => {
    acs.mode = 'accept';
    const hostile = '<script>alert(1)</script>"Acme"\r\nBcc: all@evil.example';
    const org = await organization(viaSdk, hostile);
    const inviter: Actor = {
      ...OWNER,
      name: '<img src=x onerror=alert(2)>\nSubject: pwned',
    };
    const before = acs.taken.length;
    const r = await invite(viaSdk, org, 'eve@example.com', inviter);
    expect(r.status).toBe(201);
    const mail = acs.taken[before]!;
    expect(mail.recipients.to).toEqual([{ address: 'eve@example.com' }]);
    expect(mail.content.subject).not.toMatch(/[\r\n]/);
    expect(mail.content.html).not.toMatch(/<script|<img/);
    expect(mail.content.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;Acme&quot;');
    expect(mail.content.html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(mail.content.plainText).not.toMatch(/\nBcc:|\nSubject:/);
  });
});

describe('the local outbox and the daily bound', () => {
  it('without an endpoint every e-mail is written to the outbox with its link, never sent', async () => {
    const org = await organization(viaOutbox, 'Acme Outbox');
    const before = acs.taken.length;
    const r = await invite(viaOutbox, org, 'fay@example.com');
    expect(r.body.delivery.status).toBe('sent');
    expect(acs.taken.length).toBe(before);
    const entries = await Promise.all(
      (await readdir(outbox)).map(async (f) => JSON.parse(await readFile(join(outbox, f), 'utf8'))),
    );
    expect(entries.find((e) => e.to === 'fay@example.com')).toMatchObject({
      subject: 'Olga Owner invited you to Acme Outbox',
      link: r.body.acceptUrl,
    });
  });

  it('invitationsPerDay bounds an organization’s sends and resends: 429 invitation-limit, nothing created', async () => {
    const org = await organization(bounded, 'Acme Bounded');
    const other = await organization(bounded, 'Acme Other');
    const first = await invite(bounded, org, 'g1@example.com');
    expect((await resend(bounded, org, first.body.id)).status).toBe(200);
    const third = await invite(bounded, org, 'g3@example.com');
    expect([third.status, third.code]).toEqual([429, 'invitation-limit']);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await resend(bounded, org, first.body.id)).code).toBe('invitation-limit');
    const listed = await reply(
      listInvitations(bounded, OWNER, org, request('GET', 'tenant/invitations')),
    );
    expect(listed.body.items.map((i: { email: string }) => i.email)).toEqual(['g1@example.com']);
    // Another organization's day is its own.
    expect((await invite(bounded, other, 'h1@example.com')).status).toBe(201);
  });

  it('without tenants.email nothing is sent and no delivery is recorded (as before)', async () => {
    const org = await organization(silent, 'Acme Silent');
    const r = await invite(silent, org, 'ida@example.com');
    expect(r.status).toBe(201);
    expect(r.body.delivery).toBeUndefined();
  });
});
