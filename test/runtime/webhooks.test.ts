/**
 * Outbound webhooks through the request pipeline against the local Cosmos DB server (DESIGN §2, "Integrations"):
 * Owners and Admins manage an organization's endpoints (the secret shown once, ≤ 10, URLs checked where they lead);
 * the organization's own item writes and tenant events are delivered through the queue, signed as the Standard
 * Webhooks specification says — verified here by the maintained `standardwebhooks` library — in order per item,
 * retried with backoff for 24 hours honouring Retry-After, never following a redirect, bounded per attempt; the
 * delivery log, a manual retry, an endpoint failing for 3 days disabled and audited. The clock is the test's: a
 * day of retries runs in milliseconds.
 */
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../src/runtime/audit/audit-store.js';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import type { WebhookJob } from '../../src/runtime/webhooks/webhook-queue.js';
import { noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';
import { code, member, record, reseed, who } from './support/organization-calls.js';
import { membershipAuth } from './support/registry-auth.js';
import { type Receiver, startReceiver } from './support/webhook-receiver.js';

const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  {
    plans: { free: { features: ['audit'] }, pro: { features: ['audit', 'webhooks', 'api-keys'] } },
    defaultPlan: 'free',
  },
  { createTenants: 'any-user', audit: 'audit' },
);

/** Items only Members read: an Owner does not, so none reaches a webhook. */
const secrets: RuntimeEntity = {
  ...noteEntity,
  componentId: 'SecretApi',
  entityName: 'Secret',
  route: 'secrets',
  access: [{ allow: 'role', role: 'Member' }],
};

let cosmos: LocalCosmos;
let c: { members: Container; tenants: Container; audit: Container };
let now = Date.parse('2026-03-02T10:00:00.000Z');
const fns = new Map<string, HttpFunctionOptions>();
let receiver: Receiver;
const dns = new Map<string, string>();

/** The test's queue: a job runs once the test's clock reaches its time, when the test drains it. */
const queued: { job: WebhookJob; at: number }[] = [];
let runJob: ((job: WebhookJob) => Promise<void>) | undefined;
const queue = {
  attach: (run: (job: WebhookJob) => Promise<void>) => {
    runJob = run;
  },
  send: (job: WebhookJob, delaySeconds: number) => {
    queued.push({ job, at: now + delaySeconds * 1000 });
    return Promise.resolve();
  },
};
async function drain(): Promise<void> {
  for (;;) {
    const due = queued.filter((q) => q.at <= now);
    if (due.length === 0) return;
    for (const d of due) queued.splice(queued.indexOf(d), 1);
    for (const d of due) await runJob?.(d.job);
  }
}
/** Move the test's clock on by `ms` in steps no longer than an hour, running what falls due. */
async function advance(ms: number): Promise<void> {
  const end = now + ms;
  while (now < end) {
    const next = Math.min(end, ...queued.map((q) => q.at).filter((a) => a > now), now + 3_600_000);
    now = next;
    await drain();
  }
}

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  receiver = await startReceiver();
  const members = await cosmos.container('members', '/tenant');
  const tenants = await cosmos.container('tenants', '/id');
  const audit = await cosmos.container('audit', '/tenant');
  await cosmos.container('usage', '/tenant');
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  const hidden = await cosmos.container(secrets.componentId, '/tenantId');
  c = { members, tenants, audit };
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o) },
    { version: 1, backendId: 'orgs', entities: [noteEntity, secrets], auth: policy },
    {
      containerFor: (e) => (e.componentId === secrets.componentId ? hidden : notes),
      caller: policy,
      audit: { store: cosmosAuditStore(audit), now: () => new Date(now) },
      tenantRegistry: { now: () => now },
      webhooks: {
        allowLoopback: true,
        now: () => now,
        queue,
        timeoutMs: 400,
        // A resolver the test answers: a host's address may change between the check and a delivery.
        lookup: (host) => {
          const address = dns.get(host);
          return address
            ? Promise.resolve([{ address, family: 4 }])
            : Promise.reject(new Error('ENOTFOUND'));
        },
      },
    },
  );
});
afterAll(async () => {
  await receiver?.stop();
  await cosmos?.stop();
});
beforeEach(async () => {
  now += 7 * 86_400_000;
  queued.length = 0;
  receiver.received.length = 0;
  receiver.answers.length = 0;
  receiver.fallback = { status: 204 };
  await reseed(
    c,
    [record('acme', 'pro'), record('globex', 'pro'), record('initech', 'free')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'al', ['Admin']),
      member('acme', 'bob', ['Member']),
      member('globex', 'gus', ['Owner']),
      member('initech', 'ivy', ['Owner']),
    ],
  );
});

const handler = (name: string) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f.handler as HttpHandler;
};
type Opts = { body?: unknown; params?: Record<string, string>; query?: Record<string, string> };
const as = (user: string, org: string, name: string, method: string, path: string, o: Opts = {}) =>
  invoke(handler(name), method, path, { headers: { ...who(user), 'x-atakora-tenant': org }, ...o });
const createHook = (user: string, org: string, body: unknown) =>
  as(user, org, 'membership-webhooks', 'POST', 'tenant/webhooks', { body });
const newHook = async (events: string[], org = 'acme', user = 'ada', path = `/${org}`) => {
  const r = await createHook(user, org, { url: receiver.url(path), events });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; secret: string };
};
const writeNote = (user: string, org: string, body: object) =>
  as(user, org, 'NoteApi-collection', 'POST', 'notes', { body });
const deliveries = async (id: string, org = 'acme') => {
  const r = await as(
    'ada',
    org,
    'membership-webhook-deliveries',
    'GET',
    `tenant/webhooks/${id}/deliveries`,
    {
      params: { id },
    },
  );
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.items as {
    id: string;
    type: string;
    status: string;
    attempts: number;
    answer: number | null;
    error: string | null;
    nextAttemptOn: string | null;
  }[];
};
/** Verify a received request as a receiver whose clock reads `at` (standardwebhooks reads Date.now). */
const verified = (secret: string, i: number, at = now) => {
  const r = receiver.received[i];
  if (!r) throw new Error(`no request ${String(i)}`);
  const spy = vi.spyOn(Date, 'now').mockReturnValue(at);
  try {
    return new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
      type: string;
      tenant: string;
      data: Record<string, unknown>;
    };
  } finally {
    spy.mockRestore();
  }
};

describe('managing endpoints', () => {
  it('an Owner creates an endpoint whose secret (whsec_) is shown once; the list never shows it; audited', async () => {
    const created = await createHook('ada', 'acme', {
      url: receiver.url('/a'),
      events: ['note.created'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const list = await as('al', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: created.body.id,
        url: receiver.url('/a'),
        events: ['note.created'],
        enabled: true,
      }),
    ]);
    expect(list.text).not.toContain(created.body.secret);
    const entries = (await c.audit.items.readAll().fetchAll()).resources as {
      action: string;
      target: string;
    }[];
    expect(entries.map((e) => `${e.action} ${e.target}`)).toContain(
      `webhook.created ${created.body.id}`,
    );
  });

  it('a Member is refused (403), a plan without webhooks is 402, bad bodies are 400 — never a 5xx', async () => {
    expect((await createHook('bob', 'acme', { url: receiver.url(), events: ['*'] })).status).toBe(
      403,
    );
    const free = await createHook('ivy', 'initech', { url: receiver.url(), events: ['*'] });
    expect([free.status, code(free)]).toEqual([402, 'feature-not-in-plan']);
    for (const body of [
      'not json',
      [],
      { url: receiver.url() },
      { url: receiver.url(), events: [] },
      { url: receiver.url(), events: ['nothing.happened'] },
      { url: receiver.url(), events: ['*'], secret: 'mine' },
      { url: 42, events: ['*'] },
    ]) {
      const r = await createHook('ada', 'acme', body);
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
      const r = await createHook('ada', 'acme', { url, events: ['*'] });
      expect([r.status, code(r)], url).toEqual([400, 'webhook-url-refused']);
    }
  });

  it('holds at most 10 endpoints per organization (409 webhook-limit)', async () => {
    for (let i = 0; i < 10; i++) await newHook(['*']);
    const r = await createHook('al', 'acme', { url: receiver.url(), events: ['*'] });
    expect([r.status, code(r)]).toEqual([409, 'webhook-limit']);
  });

  it('updates, disables and deletes an endpoint; unknown ids are 404', async () => {
    const { id } = await newHook(['note.created']);
    const item = (method: string, body?: unknown) =>
      as('al', 'acme', 'membership-webhook', method, `tenant/webhooks/${id}`, {
        params: { id },
        ...(body === undefined ? {} : { body }),
      });
    const patched = await item('PATCH', { events: ['note.*'], enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['note.*'], enabled: false });
    await writeNote('bob', 'acme', { title: 'while disabled' });
    await drain();
    expect(receiver.received).toHaveLength(0);
    expect((await item('PATCH', { url: 'https://10.0.0.1/' })).status).toBe(400);
    expect((await item('DELETE')).status).toBe(204);
    expect((await item('GET')).status).toBe(404);
  });
});

describe('deliveries', () => {
  it('delivers the organization’s own item events, signed as Standard Webhooks says, and nothing of another organization', async () => {
    const acme = await newHook(['note.created', 'note.updated'], 'acme', 'ada', '/acme');
    await newHook(['*'], 'globex', 'gus', '/globex');
    const written = await writeNote('bob', 'acme', { title: 'hello' });
    expect(written.status).toBe(201);
    await drain();
    expect(receiver.received.map((r) => r.path)).toEqual(['/acme']);
    const payload = verified(acme.secret, 0);
    expect(payload).toMatchObject({
      type: 'note.created',
      tenant: 'acme',
      data: { id: written.body.id, title: 'hello' },
    });
    const headers = receiver.received[0]?.headers ?? {};
    expect(String(headers['webhook-id'])).toMatch(/^msg_/);
    expect(String(headers['webhook-signature'])).toMatch(/^v1,/);
    // Another organization's endpoint never hears of it, and acme's secret does not verify globex's.
    await writeNote('gus', 'globex', { title: 'theirs' });
    await drain();
    expect(receiver.received.map((r) => r.path)).toEqual(['/acme', '/globex']);
    expect(() => verified(acme.secret, 1)).toThrow();
  });

  it('a replayed delivery fails verification once its timestamp is 5 minutes old', async () => {
    const { secret } = await newHook(['note.created']);
    await writeNote('bob', 'acme', { title: 'once' });
    await drain();
    expect(verified(secret, 0).type).toBe('note.created');
    expect(() => verified(secret, 0, now + 6 * 60_000)).toThrow(/too old/);
  });

  it('keeps out what an Owner does not read (an entity only Members read)', async () => {
    await newHook(['*']);
    const r = await as('bob', 'acme', 'SecretApi-collection', 'POST', 'secrets', {
      body: { title: 'psst' },
    });
    expect(r.status).toBe(201);
    await drain();
    expect(receiver.received).toHaveLength(0);
  });

  it('delivers tenant events (member.removed)', async () => {
    const { secret } = await newHook(['member.removed']);
    const r = await as('ada', 'acme', 'membership-member', 'DELETE', 'tenant/members/bob', {
      params: { userId: 'bob' },
    });
    expect(r.status).toBe(204);
    await drain();
    expect(verified(secret, 0)).toMatchObject({
      type: 'member.removed',
      tenant: 'acme',
      data: { subject: { kind: 'member', id: 'bob' } },
    });
  });

  it("keeps an organization's tenant events in order: a refused one holds the next, whatever member it is about", async () => {
    const { secret } = await newHook(['member.roles-changed', 'member.removed']);
    receiver.answers.push({ status: 503, headers: { 'retry-after': '60' } });
    const roles = await as('ada', 'acme', 'membership-member', 'PATCH', 'tenant/members/al', {
      params: { userId: 'al' },
      body: { roles: ['Member'] },
    });
    expect(roles.status).toBe(200);
    const removed = await as('ada', 'acme', 'membership-member', 'DELETE', 'tenant/members/bob', {
      params: { userId: 'bob' },
    });
    expect(removed.status).toBe(204);
    await drain();
    // bob's removal waits behind al's refused change.
    expect(receiver.received).toHaveLength(1);
    now += 61_000;
    await drain();
    const types = receiver.received.map((_, i) => verified(secret, i).type);
    expect(types).toEqual(['member.roles-changed', 'member.roles-changed', 'member.removed']);
  });

  it('retries after Retry-After, in order per item, and logs each delivery', async () => {
    const { id, secret } = await newHook(['note.created', 'note.updated']);
    receiver.answers.push({ status: 503, headers: { 'retry-after': '120' } });
    const note = await writeNote('bob', 'acme', { title: 'v1' });
    const noteId = String(note.body.id);
    await as('bob', 'acme', 'NoteApi-item', 'PATCH', `notes/${noteId}`, {
      params: { id: noteId },
      body: { title: 'v2' },
    });
    await drain();
    // The update waits behind the create, which waits for Retry-After.
    expect(receiver.received).toHaveLength(1);
    const [update, create] = await deliveries(id);
    expect(create).toMatchObject({
      type: 'note.created',
      status: 'pending',
      attempts: 1,
      answer: 503,
    });
    expect(Date.parse(String(create?.nextAttemptOn)) - now).toBe(120_000);
    expect(update).toMatchObject({ type: 'note.updated', status: 'pending', attempts: 0 });
    await advance(119_000);
    expect(receiver.received).toHaveLength(1);
    await advance(1_000);
    expect(receiver.received).toHaveLength(3);
    expect([1, 2].map((i) => verified(secret, i).type)).toEqual(['note.created', 'note.updated']);
    // The same message id on every attempt: the receiver's idempotency key.
    expect(receiver.received[1]?.headers['webhook-id']).toBe(
      receiver.received[0]?.headers['webhook-id'],
    );
    const log = await deliveries(id);
    expect(log.map((d) => [d.type, d.status, d.attempts, d.answer])).toEqual([
      ['note.updated', 'delivered', 1, 204],
      ['note.created', 'delivered', 2, 204],
    ]);
  });

  it('checks the address again on every delivery: a host rebound to the metadata address gets nothing', async () => {
    dns.set('hooks.test', '127.0.0.1');
    const port = new URL(receiver.url()).port;
    const r = await createHook('ada', 'acme', {
      url: `http://hooks.test:${port}/rebound`,
      events: ['note.created'],
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    dns.set('hooks.test', '169.254.169.254');
    await writeNote('bob', 'acme', { title: 'rebound' });
    await drain();
    expect(receiver.received).toHaveLength(0);
    const [d] = await deliveries(String(r.body.id));
    expect(d).toMatchObject({ status: 'pending', attempts: 1, answer: null });
    expect(d?.error).toMatch(/169\.254\.169\.254/);
    dns.set('hooks.test', '127.0.0.1');
    await advance(5_000);
    expect(receiver.received.map((x) => x.path)).toEqual(['/rebound']);
  });

  it('follows no redirect and bounds a hanging endpoint, both failed attempts', async () => {
    const { id } = await newHook(['note.created']);
    receiver.answers.push(
      { status: 302, headers: { location: receiver.url('/elsewhere') } },
      { hang: true, status: 0 },
    );
    await writeNote('bob', 'acme', { title: 'moved' });
    await drain();
    expect(receiver.received.map((r) => r.path)).toEqual(['/acme']);
    expect((await deliveries(id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      answer: 302,
    });
    expect((await deliveries(id))[0]?.error).toMatch(/redirect/);
    await advance(5_000);
    expect((await deliveries(id))[0]).toMatchObject({
      status: 'pending',
      attempts: 2,
      answer: null,
    });
    expect((await deliveries(id))[0]?.error).toMatch(/no answer within/);
  });

  it('gives up after 24 hours, retries by hand, and disables an endpoint failing for 3 days (audited)', async () => {
    const { id } = await newHook(['note.created']);
    receiver.fallback = { status: 500 };
    await writeNote('bob', 'acme', { title: 'day 0' });
    await drain();
    await advance(24 * 3_600_000);
    const [failed] = await deliveries(id);
    expect(failed).toMatchObject({ status: 'failed', answer: 500 });
    expect(failed?.attempts).toBeGreaterThanOrEqual(7);
    const attempts = receiver.received.length;
    await advance(24 * 3_600_000);
    expect(receiver.received).toHaveLength(attempts);
    // A manual retry: pending again, delivered once the endpoint answers.
    receiver.fallback = { status: 204 };
    const retry = await as(
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
    await drain();
    expect((await deliveries(id))[0]).toMatchObject({ status: 'delivered', answer: 204 });
    // Failing from now on for 3 days: disabled and audited.
    receiver.fallback = { status: 500 };
    for (let day = 0; day < 4; day++) {
      await writeNote('bob', 'acme', { title: `day ${String(day)}` });
      await drain();
      await advance(24 * 3_600_000);
    }
    const hook = await as('ada', 'acme', 'membership-webhook', 'GET', `tenant/webhooks/${id}`, {
      params: { id },
    });
    expect(hook.body).toMatchObject({ enabled: false });
    expect(hook.body.disabledOn).not.toBeNull();
    const entries = (await c.audit.items.readAll().fetchAll()).resources as {
      action: string;
      target: string;
      actor: { via: string };
    }[];
    expect(entries.filter((e) => e.action === 'webhook.disabled').map((e) => e.target)).toEqual([
      id,
    ]);
    const unknown = await as(
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
    as(user, 'acme', 'membership-webhook-rotate', 'POST', `tenant/webhooks/${id}/rotate`, {
      params: { id },
    });

  it('signs with both secrets for a day (standardwebhooks verifies either), then the new one only; audited', async () => {
    const { id, secret: old } = await newHook(['note.created']);
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
      previousSecretExpiresOn: new Date(now + 86_400_000).toISOString(),
    });
    await writeNote('bob', 'acme', { title: 'during' });
    await drain();
    expect(String(receiver.received[0]?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(old, 0).type).toBe('note.created');
    expect(verified(fresh, 0).type).toBe('note.created');
    now += 25 * 3_600_000;
    await writeNote('bob', 'acme', { title: 'after' });
    await drain();
    expect(verified(fresh, 1).type).toBe('note.created');
    expect(() => verified(old, 1)).toThrow();
    const entries = (await c.audit.items.readAll().fetchAll()).resources as {
      action: string;
      target: string;
    }[];
    const rotated = entries.filter((e) => e.action === 'webhook.secret-rotated');
    expect(rotated.map((e) => e.target)).toEqual([id]);
    expect(JSON.stringify(rotated)).not.toContain(fresh.slice(6));
    expect(JSON.stringify(rotated)).not.toContain(old.slice(6));
    // Listed, the endpoint never shows either secret.
    const listed = await as('ada', 'acme', 'membership-webhooks', 'GET', 'tenant/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(fresh.slice(6));
    expect(JSON.stringify(listed.body)).not.toContain(old.slice(6));
  });
});
