/**
 * Outbound webhooks through the request pipeline against the local Cosmos DB server (DESIGN §2, "Integrations"):
 * Owners and Admins manage an organization's endpoints (the secret shown once, ≤ 10, URLs checked where they lead);
 * the organization's own item writes and tenant events are delivered through the queue, signed as the Standard
 * Webhooks specification says — verified here by the maintained `standardwebhooks` library — in order per item,
 * retried with backoff for 24 hours honouring Retry-After, never following a redirect, bounded per attempt; the
 * delivery log, a manual retry, an endpoint failing for 3 days disabled and audited. The clock is the test's: a
 * day of retries runs in milliseconds.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadline } from '../support/patience.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { code } from './support/organization-calls.js';
import { startWebhooksApp, type WebhooksApp } from './support/webhooks-app.js';

let cosmos: LocalCosmos;
let app: WebhooksApp;
const dns = new Map<string, string>();

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startWebhooksApp(cosmos, {
    proFeatures: ['api-keys'],
    webhooks: {
      // The bound of one attempt: the hanging endpoint's test waits it out once, and a loopback delivery on a loaded
      // machine must never reach it (400 ms did, at load 22: "retries after Retry-After" saw a failed attempt).
      timeoutMs: deadline(1_500),
      // A resolver the test answers: a host's address may change between the check and a delivery.
      lookup: (host) => {
        const address = dns.get(host);
        return address
          ? Promise.resolve([{ address, family: 4 }])
          : Promise.reject(new Error('ENOTFOUND'));
      },
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});
beforeEach(() => app.reset({ ada: 'Owner', al: 'Admin', bob: 'Member' }));

const writeNote = (user: string, org: string, body: object) =>
  app.as(user, org, 'NoteApi-collection', 'POST', 'notes', { body });

describe('managing endpoints', () => {
  it('an Owner creates an endpoint whose secret (whsec_) is shown once; the list never shows it; audited', async () => {
    const created = await app.createHook('ada', 'acme', {
      url: app.receiver.url('/a'),
      events: ['note.created'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await app.as('al', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: created.body.id,
        url: app.receiver.url('/a'),
        events: ['note.created'],
        enabled: true,
      }),
    ]);
    expect(list.text).not.toContain(created.body.secret);
    const entries = (await app.c.audit.items.readAll().fetchAll()).resources as {
      action: string;
      target: string;
    }[];
    expect(entries.map((e) => `${e.action} ${e.target}`)).toContain(
      `webhook.created ${created.body.id}`,
    );
  });

  it('a Member is refused (403), a plan without webhooks is 402, bad bodies are 400 — never a 5xx', async () => {
    expect(
      (await app.createHook('bob', 'acme', { url: app.receiver.url(), events: ['*'] })).status,
    ).toBe(403);
    const free = await app.createHook('ivy', 'initech', { url: app.receiver.url(), events: ['*'] });
    expect([free.status, code(free)]).toEqual([402, 'feature-not-in-plan']);
    for (const body of [
      'not json',
      [],
      { url: app.receiver.url() },
      { url: app.receiver.url(), events: [] },
      { url: app.receiver.url(), events: ['nothing.happened'] },
      { url: app.receiver.url(), events: ['*'], secret: 'mine' },
      { url: 42, events: ['*'] },
    ]) {
      const r = await app.createHook('ada', 'acme', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('refuses URLs that lead to metadata, private or non-http addresses (400 webhook-url-refused)', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/hook',
      'https://[fd00::1]/hook',
      'ftp://127.0.0.1/hook',
      'https://user:pw@127.0.0.1/hook',
      'https://host.invalid/hook',
    ]) {
      const r = await app.createHook('ada', 'acme', { url, events: ['*'] });
      expect([r.status, code(r)], url).toEqual([400, 'webhook-url-refused']);
    }
  });

  it('holds at most 10 endpoints per organization (409 webhook-limit)', async () => {
    for (let i = 0; i < 10; i++) await app.newHook(['*']);
    const r = await app.createHook('al', 'acme', { url: app.receiver.url(), events: ['*'] });
    expect([r.status, code(r)]).toEqual([409, 'webhook-limit']);
  });

  it('updates, disables and deletes an endpoint; unknown ids are 404', async () => {
    const { id } = await app.newHook(['note.created']);
    const item = (method: string, body?: unknown) =>
      app.as('al', 'acme', 'membership-webhook', method, `tenant/webhooks/${id}`, {
        params: { id },
        ...(body === undefined ? {} : { body }),
      });
    const patched = await item('PATCH', { events: ['note.*'], enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['note.*'], enabled: false });
    await writeNote('bob', 'acme', { title: 'while disabled' });
    await app.drain();
    expect(app.receiver.received).toHaveLength(0);
    expect((await item('PATCH', { url: 'https://10.0.0.1/' })).status).toBe(400);
    expect((await item('DELETE')).status).toBe(204);
    expect((await item('GET')).status).toBe(404);
  });
});

describe('deliveries', () => {
  it('delivers the organization’s own item events, signed as Standard Webhooks says, and nothing of another organization', async () => {
    const acme = await app.newHook(['note.created', 'note.updated'], 'acme', 'ada', '/acme');
    await app.newHook(['*'], 'globex', 'gus', '/globex');
    const written = await writeNote('bob', 'acme', { title: 'hello' });
    expect(written.status).toBe(201);
    await app.drain();
    expect(app.receiver.received.map((r) => r.path)).toEqual(['/acme']);
    const payload = app.verified(acme.secret, 0);
    expect(payload).toMatchObject({
      type: 'note.created',
      tenant: 'acme',
      data: { id: written.body.id, title: 'hello' },
    });
    const headers = app.receiver.received[0]?.headers ?? {};
    expect(String(headers['webhook-id'])).toMatch(/^msg_/);
    expect(String(headers['webhook-signature'])).toMatch(/^v1,/);
    // Another organization's endpoint never hears of it, and acme's secret does not verify globex's.
    await writeNote('gus', 'globex', { title: 'theirs' });
    await app.drain();
    expect(app.receiver.received.map((r) => r.path)).toEqual(['/acme', '/globex']);
    expect(() => app.verified(acme.secret, 1)).toThrow();
  });

  it('a replayed delivery fails verification once its timestamp is 5 minutes old', async () => {
    const { secret } = await app.newHook(['note.created']);
    await writeNote('bob', 'acme', { title: 'once' });
    await app.drain();
    expect(app.verified(secret, 0).type).toBe('note.created');
    expect(() => app.verified(secret, 0, app.now + 6 * 60_000)).toThrow(/too old/);
  });

  it('keeps out what an Owner does not read (an entity only Members read)', async () => {
    await app.newHook(['*']);
    const r = await app.as('bob', 'acme', 'SecretApi-collection', 'POST', 'secrets', {
      body: { title: 'psst' },
    });
    expect(r.status).toBe(201);
    await app.drain();
    expect(app.receiver.received).toHaveLength(0);
  });

  it('delivers tenant events (member.removed)', async () => {
    const { secret } = await app.newHook(['member.removed']);
    const r = await app.as('ada', 'acme', 'membership-member', 'DELETE', 'tenant/members/bob', {
      params: { userId: 'bob' },
    });
    expect(r.status).toBe(204);
    await app.drain();
    expect(app.verified(secret, 0)).toMatchObject({
      type: 'member.removed',
      tenant: 'acme',
      data: { subject: { kind: 'member', id: 'bob' } },
    });
  });

  it("keeps an organization's tenant events in order: a refused one holds the next, whatever member it is about", async () => {
    const { secret } = await app.newHook(['member.roles-changed', 'member.removed']);
    app.receiver.answers.push({ status: 503, headers: { 'retry-after': '60' } });
    const roles = await app.as('ada', 'acme', 'membership-member', 'PATCH', 'tenant/members/al', {
      params: { userId: 'al' },
      body: { roles: ['Member'] },
    });
    expect(roles.status).toBe(200);
    const removed = await app.as(
      'ada',
      'acme',
      'membership-member',
      'DELETE',
      'tenant/members/bob',
      {
        params: { userId: 'bob' },
      },
    );
    expect(removed.status).toBe(204);
    await app.drain();
    // bob's removal waits behind al's refused change.
    expect(app.receiver.received).toHaveLength(1);
    app.now += 61_000;
    await app.drain();
    const types = app.receiver.received.map((_, i) => app.verified(secret, i).type);
    expect(types).toEqual(['member.roles-changed', 'member.roles-changed', 'member.removed']);
  });

  it('retries after Retry-After, in order per item, and logs each delivery', async () => {
    const { id, secret } = await app.newHook(['note.created', 'note.updated']);
    app.receiver.answers.push({ status: 503, headers: { 'retry-after': '120' } });
    const note = await writeNote('bob', 'acme', { title: 'v1' });
    const noteId = String(note.body.id);
    await app.as('bob', 'acme', 'NoteApi-item', 'PATCH', `notes/${noteId}`, {
      params: { id: noteId },
      body: { title: 'v2' },
    });
    await app.drain();
    // The update waits behind the create, which waits for Retry-After.
    expect(app.receiver.received).toHaveLength(1);
    const [update, create] = await app.deliveries(id);
    expect(create).toMatchObject({
      type: 'note.created',
      status: 'pending',
      attempts: 1,
      answer: 503,
    });
    expect(Date.parse(String(create?.nextAttemptOn)) - app.now).toBe(120_000);
    expect(update).toMatchObject({ type: 'note.updated', status: 'pending', attempts: 0 });
    await app.advance(119_000);
    expect(app.receiver.received).toHaveLength(1);
    await app.advance(1_000);
    expect(app.receiver.received).toHaveLength(3);
    expect([1, 2].map((i) => app.verified(secret, i).type)).toEqual([
      'note.created',
      'note.updated',
    ]);
    // The same message id on every attempt: the receiver's idempotency key.
    expect(app.receiver.received[1]?.headers['webhook-id']).toBe(
      app.receiver.received[0]?.headers['webhook-id'],
    );
    const log = await app.deliveries(id);
    expect(log.map((d) => [d.type, d.status, d.attempts, d.answer])).toEqual([
      ['note.updated', 'delivered', 1, 204],
      ['note.created', 'delivered', 2, 204],
    ]);
  });

  it('checks the address again on every delivery: a host rebound to the metadata address gets nothing', async () => {
    dns.set('hooks.test', '127.0.0.1');
    const port = new URL(app.receiver.url()).port;
    const r = await app.createHook('ada', 'acme', {
      url: `http://hooks.test:${port}/rebound`,
      events: ['note.created'],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    dns.set('hooks.test', '169.254.169.254');
    await writeNote('bob', 'acme', { title: 'rebound' });
    await app.drain();
    expect(app.receiver.received).toHaveLength(0);
    const [d] = await app.deliveries(String(r.body.id));
    expect(d).toMatchObject({ status: 'pending', attempts: 1, answer: null });
    expect(d?.error).toMatch(/169\.254\.169\.254/);
    dns.set('hooks.test', '127.0.0.1');
    await app.advance(5_000);
    expect(app.receiver.received.map((x) => x.path)).toEqual(['/rebound']);
  });

  it('follows no redirect and bounds a hanging endpoint, both failed attempts', async () => {
    const { id } = await app.newHook(['note.created']);
    app.receiver.answers.push(
      { status: 302, headers: { location: app.receiver.url('/elsewhere') } },
      { hang: true, status: 0 },
    );
    await writeNote('bob', 'acme', { title: 'moved' });
    await app.drain();
    expect(app.receiver.received.map((r) => r.path)).toEqual(['/acme']);
    expect((await app.deliveries(id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      answer: 302,
    });
    expect((await app.deliveries(id))[0]?.error).toMatch(/redirect/);
    await app.advance(5_000);
    expect((await app.deliveries(id))[0]).toMatchObject({
      status: 'pending',
      attempts: 2,
      answer: null,
    });
    expect((await app.deliveries(id))[0]?.error).toMatch(/no answer within/);
  });

  it('gives up after 24 hours, retries by hand, and disables an endpoint failing for 3 days (audited)', async () => {
    const { id } = await app.newHook(['note.created']);
    app.receiver.fallback = { status: 500 };
    await writeNote('bob', 'acme', { title: 'day 0' });
    await app.drain();
    await app.advance(24 * 3_600_000);
    const [failed] = await app.deliveries(id);
    expect(failed).toMatchObject({ status: 'failed', answer: 500 });
    expect(failed?.attempts).toBeGreaterThanOrEqual(7);
    const attempts = app.receiver.received.length;
    await app.advance(24 * 3_600_000);
    expect(app.receiver.received).toHaveLength(attempts);
    // A manual retry: pending again, delivered once the endpoint answers.
    app.receiver.fallback = { status: 204 };
    const retry = await app.as(
      'al',
      'acme',
      'membership-webhook-retry',
      'POST',
      `tenant/webhooks/${id}/deliveries/${String(failed?.id)}/retry`,
      {
        params: { id, delivery: String(failed?.id) },
      },
    );
    expect([retry.status, retry.body.status]).toEqual([202, 'pending']);
    await app.drain();
    expect((await app.deliveries(id))[0]).toMatchObject({ status: 'delivered', answer: 204 });
    // Failing from now on for 3 days: disabled and audited.
    app.receiver.fallback = { status: 500 };
    for (let day = 0; day < 4; day++) {
      await writeNote('bob', 'acme', { title: `day ${String(day)}` });
      await app.drain();
      await app.advance(24 * 3_600_000);
    }
    const hook = await app.as('ada', 'acme', 'membership-webhook', 'GET', `tenant/webhooks/${id}`, {
      params: { id },
    });
    expect(hook.body).toMatchObject({ enabled: false });
    expect(hook.body.disabledOn).not.toBeNull();
    const entries = (await app.c.audit.items.readAll().fetchAll()).resources as {
      action: string;
      target: string;
      actor: { via: string };
    }[];
    expect(entries.filter((e) => e.action === 'webhook.disabled').map((e) => e.target)).toEqual([
      id,
    ]);
    const unknown = await app.as(
      'al',
      'acme',
      'membership-webhook-retry',
      'POST',
      `tenant/webhooks/${id}/deliveries/nope/retry`,
      {
        params: { id, delivery: 'nope' },
      },
    );
    expect(unknown.status).toBe(404);
  });
});

describe('rotating an endpoint’s secret', () => {
  const rotate = (user: string, id: string) =>
    app.as(user, 'acme', 'membership-webhook-rotate', 'POST', `tenant/webhooks/${id}/rotate`, {
      params: { id },
    });

  it('signs with both secrets for a day (standardwebhooks verifies either), then the new one only; audited', async () => {
    const { id, secret: old } = await app.newHook(['note.created']);
    expect((await rotate('bob', id)).status).toBe(403);
    expect((await rotate('ada', 'nope')).status).toBe(404);
    const r = await rotate('al', id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const fresh = (r.body as { secret: string }).secret;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    expect(r.body).toMatchObject({
      id,
      previousSecretExpiresOn: new Date(app.now + 86_400_000).toISOString(),
    });
    await writeNote('bob', 'acme', { title: 'during' });
    await app.drain();
    expect(String(app.receiver.received[0]?.headers['webhook-signature']).split(' ')).toHaveLength(
      2,
    );
    expect(app.verified(old, 0).type).toBe('note.created');
    expect(app.verified(fresh, 0).type).toBe('note.created');
    app.now += 25 * 3_600_000;
    await writeNote('bob', 'acme', { title: 'after' });
    await app.drain();
    expect(app.verified(fresh, 1).type).toBe('note.created');
    expect(() => app.verified(old, 1)).toThrow();
    const entries = (await app.c.audit.items.readAll().fetchAll()).resources as {
      action: string;
      target: string;
    }[];
    const rotated = entries.filter((e) => e.action === 'webhook.secret-rotated');
    expect(rotated.map((e) => e.target)).toEqual([id]);
    expect(JSON.stringify(rotated)).not.toContain(fresh.slice(6));
    expect(JSON.stringify(rotated)).not.toContain(old.slice(6));
    // Listed, the endpoint never shows either secret.
    const listed = await app.as('ada', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(fresh.slice(6));
    expect(JSON.stringify(listed.body)).not.toContain(old.slice(6));
  });
});
