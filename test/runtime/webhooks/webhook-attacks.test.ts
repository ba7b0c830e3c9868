/**
 * Outbound webhooks attacked from outside, as the held-out integrations bar of issue #123 would (DESIGN §2,
 * "Integrations": "≤ 10 endpoints", "retried with backoff for 24 hours (`Retry-After` honoured)", "a manual retry",
 * "10 s per delivery", "Built-in features 'api-keys' and 'webhooks' gate both", "the organization's own events"):
 * the runtime's routes on the local Cosmos DB server with the runtime's own bound of an attempt (10 s), a loopback
 * receiver verified with the maintained `standardwebhooks` library, the test's clock and queue.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { code, record } from '../support/organization-calls.js';
import { startWebhooksApp, type WebhooksApp } from '../support/webhooks-app.js';

let cosmos: LocalCosmos;
let app: WebhooksApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  // No timeoutMs: the runtime's 10 s per attempt.
  app = await startWebhooksApp(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});
beforeEach(() => app.reset({ ada: 'Owner', al: 'Admin', bob: 'Member' }));

const writeNote = (org: string, title: string, user = org === 'acme' ? 'bob' : 'gus') =>
  app.as(user, org, 'NoteApi-collection', 'POST', 'notes', { body: { title } });
const retry = (id: string, delivery: string, org = 'acme', user = 'al') =>
  app.as(
    user,
    org,
    'membership-webhook-retry',
    'POST',
    `tenant/webhooks/${id}/deliveries/${delivery}/retry`,
    {
      params: { id, delivery },
    },
  );
/** Move acme to `plan` (or another status) and the clock past the registry cache's 30 s. */
const acmeBecomes = async (plan: string, status = 'active') => {
  await app.c.tenants.items.upsert({ ...record('acme', plan), status });
  app.now += 31_000;
};

describe('the bound of 10 endpoints', () => {
  it('holds under concurrent creation: ten 201s, the rest 409 webhook-limit, ten listed', async () => {
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, n) =>
        app.createHook(n % 2 ? 'al' : 'ada', 'acme', {
          url: app.receiver.url(`/h${String(n)}`),
          events: ['*'],
        }),
      ),
    );
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    for (const r of answers.filter((a) => a.status !== 201))
      expect([r.status, code(r)]).toEqual([409, 'webhook-limit']);
    expect(answers.filter((r) => r.status === 201)).toHaveLength(10);
    const list = await app.as('ada', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect(list.body.items).toHaveLength(10);
    // A deleted endpoint frees its place, once.
    const id = String(list.body.items[0].id);
    const gone = await app.as(
      'ada',
      'acme',
      'membership-webhook',
      'DELETE',
      `tenant/webhooks/${id}`,
      {
        params: { id },
      },
    );
    expect(gone.status).toBe(204);
    // Deleted again at once, twice: 404s, never a 5xx, and no second place given back.
    const twice = await Promise.all(
      [0, 1].map(() =>
        app.as('al', 'acme', 'membership-webhook', 'DELETE', `tenant/webhooks/${id}`, {
          params: { id },
        }),
      ),
    );
    expect(twice.map((r) => r.status)).toEqual([404, 404]);
    const again = await Promise.all(
      [0, 1, 2].map(() =>
        app.createHook('ada', 'acme', { url: app.receiver.url('/again'), events: ['*'] }),
      ),
    );
    expect(again.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('deleted by two calls at once: one 204, one 404, one place given back', async () => {
    const made = [];
    for (let n = 0; n < 10; n++) made.push((await app.newHook(['*'])).id);
    const id = made[0] ?? '';
    const deleted = await Promise.all(
      ['ada', 'al'].map((user) =>
        app.as(user, 'acme', 'membership-webhook', 'DELETE', `tenant/webhooks/${id}`, {
          params: { id },
        }),
      ),
    );
    expect(deleted.map((r) => r.status).sort()).toEqual([204, 404]);
    const again = await Promise.all(
      [0, 1, 2].map(() =>
        app.createHook('ada', 'acme', { url: app.receiver.url('/again'), events: ['*'] }),
      ),
    );
    expect(again.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });
});

describe('Retry-After', () => {
  it('as an HTTP date: the next attempt is at that date', async () => {
    const { id, secret } = await app.newHook(['note.created']);
    const at = app.now + 90_000;
    app.receiver.answers.push({
      status: 429,
      headers: { 'retry-after': new Date(at).toUTCString() },
    });
    await writeNote('acme', 'later');
    await app.drain();
    const [d] = await app.deliveries(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, answer: 429 });
    expect(d?.nextAttemptOn).toBe(new Date(at).toISOString());
    await app.advance(89_000);
    expect(app.receiver.received).toHaveLength(1);
    await app.advance(1_000);
    expect(app.receiver.received).toHaveLength(2);
    expect(app.verified(secret, 1).type).toBe('note.created');
  });
});

describe('a manual retry', () => {
  it('replayed before it ran sends the delivery once, with its webhook-id; of another organization is 404', async () => {
    const { id, secret } = await app.newHook(['note.created']);
    app.receiver.fallback = { status: 500 };
    await writeNote('acme', 'given up');
    await app.drain();
    await app.advance(24 * 3_600_000);
    const [failed] = await app.deliveries(id);
    expect(failed?.status).toBe('failed');
    const sent = app.receiver.received.length;
    app.receiver.fallback = { status: 204 };
    const replays = await Promise.all([
      retry(id, String(failed?.id)),
      retry(id, String(failed?.id)),
    ]);
    expect(replays.map((r) => r.status)).toEqual([202, 202]);
    expect((await retry(id, String(failed?.id))).status).toBe(202);
    await app.drain();
    expect(app.receiver.received).toHaveLength(sent + 1);
    expect(app.verified(secret, sent).type).toBe('note.created');
    expect(app.receiver.received[sent]?.headers['webhook-id']).toBe(failed?.id);
    expect((await app.deliveries(id))[0]).toMatchObject({ status: 'delivered', answer: 204 });
    // globex's Owner, with an endpoint of globex's own: acme's delivery is none of theirs.
    const theirs = await app.newHook(['*'], 'globex', 'gus');
    expect((await retry(theirs.id, String(failed?.id), 'globex', 'gus')).status).toBe(404);
    expect((await retry(id, String(failed?.id), 'globex', 'gus')).status).toBe(404);
    expect(app.receiver.received).toHaveLength(sent + 1);
  });
});

describe('plan gating', () => {
  it('a downgrade stops what was pending: nothing more is sent, the routes are 402, nothing new is recorded', async () => {
    const { id } = await app.newHook(['note.created']);
    app.receiver.answers.push({ status: 503, headers: { 'retry-after': '60' } });
    await writeNote('acme', 'before the downgrade');
    await app.drain();
    expect(app.receiver.received).toHaveLength(1);
    await acmeBecomes('free');
    await app.advance(2 * 3_600_000);
    expect(app.receiver.received).toHaveLength(1);
    const routes = await app.as('ada', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect([routes.status, code(routes)]).toEqual([402, 'feature-not-in-plan']);
    await writeNote('acme', 'after the downgrade');
    await app.advance(3_600_000);
    expect(app.receiver.received).toHaveLength(1);
    // Back on pro: the log says why it was not sent, and a manual retry sends it.
    await acmeBecomes('pro');
    const [d] = await app.deliveries(id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });
    expect(d?.error).toMatch(/webhooks/);
    expect((await retry(id, String(d?.id))).status).toBe(202);
    await app.drain();
    expect(app.receiver.received).toHaveLength(2);
  });

  it('a suspended organization’s pending deliveries are not sent', async () => {
    await app.newHook(['note.created']);
    app.receiver.answers.push({ status: 503, headers: { 'retry-after': '60' } });
    await writeNote('acme', 'before the suspension');
    await app.drain();
    await acmeBecomes('pro', 'suspended');
    await app.advance(2 * 3_600_000);
    expect(app.receiver.received).toHaveLength(1);
  });
});

describe('deleting an endpoint on a plan without webhooks', () => {
  // Issue #123's secure default: a downgrade must not leave the organization's endpoints beyond its reach, to come
  // back to life on the next upgrade. Deleting stays open on every plan (Owners and Admins, audited, its place given
  // back); every other webhook route stays 402.
  it('an Owner deletes after a downgrade (204, audited); a Member still may not; gone on the upgrade', async () => {
    const made = [];
    for (let n = 0; n < 10; n++) made.push((await app.newHook(['note.created'])).id);
    const id = made[0] ?? '';
    await acmeBecomes('free');
    const remove = (user: string) =>
      app.as(user, 'acme', 'membership-webhook', 'DELETE', `tenant/webhooks/${id}`, {
        params: { id },
      });
    const bob = await remove('bob');
    expect([bob.status, code(bob)]).toEqual([403, 'access-denied']);
    const read = await app.as('ada', 'acme', 'membership-webhook', 'GET', `tenant/webhooks/${id}`, {
      params: { id },
    });
    expect([read.status, code(read)]).toEqual([402, 'feature-not-in-plan']);
    expect((await remove('ada')).status).toBe(204);
    expect((await remove('al')).status).toBe(404);
    const log = await app.as('ada', 'acme', 'tenant-audit', 'GET', 'tenant/audit');
    const actions = (log.body.items as { action: string; target: string }[]).map(
      (e) => `${e.action} ${e.target}`,
    );
    expect(actions).toContain(`webhook.deleted ${id}`);
    await acmeBecomes('pro');
    const listed = await app.as('ada', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect((listed.body.items as { id: string }[]).map((w) => w.id).sort()).toEqual(
      made.slice(1).sort(),
    );
    const again = await Promise.all(
      [0, 1].map(() =>
        app.createHook('ada', 'acme', { url: app.receiver.url('/again'), events: ['*'] }),
      ),
    );
    expect(again.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe('the organization’s own events only', () => {
  it('another organization’s item and tenant events never reach an endpoint taking *', async () => {
    await app.newHook(['*'], 'acme', 'ada', '/acme');
    await app.as('gus', 'globex', 'membership-invitations', 'POST', 'tenant/invitations', {
      body: { email: 'x@globex.example', roles: ['Member'] },
    });
    expect((await writeNote('globex', 'globex only')).status).toBe(201);
    await app.drain();
    expect(app.receiver.received.map((r) => r.path)).toEqual([]);
  });
});

describe('an endpoint that hangs', () => {
  it('costs one attempt of 10 s: no answer within 10 s, retried later', async () => {
    const { id } = await app.newHook(['note.created']);
    app.receiver.answers.push({ hang: true, status: 0 });
    await writeNote('acme', 'into the void');
    await app.drain();
    const [d] = await app.deliveries(id);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, answer: null });
    expect(d?.error).toBe('no answer within 10 s');
    await app.advance(5_000);
    expect((await app.deliveries(id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 2,
      answer: 204,
    });
  });
});
