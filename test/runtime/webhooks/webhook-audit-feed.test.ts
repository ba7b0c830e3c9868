/**
 * Tenant events to webhooks from the audit container's change feed (DESIGN §2, "Integrations": delivered "at least
 * once and in order"), against the local Cosmos DB server: with the feed's connection given, a tenant event (`member.roles-changed`, …) is recorded from the stored
 * audit entry by the Cosmos DB trigger the runtime registers on the `audit` container — so an entry whose request
 * stopped right after writing it (the instance dying) is still delivered — in the order of the organization's entries,
 * one webhook-id per entry (a hash of the organization, the entry and its `_etag`) however often the host delivers
 * the batch, verified by the maintained `standardwebhooks` library. Batches are read as `atakora dev`'s emulated
 * trigger reads them (cli/dev/host/change-feed-triggers.ts).
 */
import type { Container } from '@azure/cosmos';
import {
  type CosmosDBv4FunctionOptions,
  type HttpFunctionOptions,
  type HttpHandler,
  InvocationContext,
} from '@azure/functions';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../../src/contract/audit.js';
import type { RuntimeAuth } from '../../../src/model/runtime-manifest.js';
import { type AuditStore, cosmosAuditStore } from '../../../src/runtime/audit/audit-store.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import type { WebhookJob } from '../../../src/runtime/webhooks/webhook-queue.js';
import { versionMessageId } from '../../../src/runtime/webhooks/webhook-service.js';
import { feedBatches } from '../support/change-feed-batches.js';
import { noteEntity } from '../support/entities.js';
import { invoke } from '../support/http.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { member, record, reseed, who } from '../support/organization-calls.js';
import { membershipAuth } from '../support/registry-auth.js';
import { type Receiver, startReceiver } from '../support/webhook-receiver.js';
import { organizationsStore } from '../support/organizations-app.js';

const policy: RuntimeAuth = membershipAuth(
  'home-dir',
  {
    plans: { free: { features: ['audit'] }, pro: { features: ['audit', 'webhooks'] } },
    defaultPlan: 'free',
  },
  { createTenants: 'any-user', audit: 'audit' },
);

let cosmos: LocalCosmos;
let c: { members: Container; tenants: Container; audit: Container };
let now = Date.parse('2026-04-06T09:00:00.000Z');
const fns = new Map<string, HttpFunctionOptions>();
const feeds = new Map<string, CosmosDBv4FunctionOptions>();
let receiver: Receiver;
/** Set: the audit store stops the request right after storing the entry, as an instance dying there would. */
let stopAfterWrite = false;

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

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  receiver = await startReceiver();
  const { members, tenants, audit, notes } = await organizationsStore(cosmos);
  c = { members, tenants, audit };
  const stored = cosmosAuditStore(audit);
  const dying: AuditStore = {
    page: (...args) => stored.page(...args),
    async append(entry: AuditEntry, ttl: number) {
      await stored.append(entry, ttl);
      if (stopAfterWrite) throw new Error('the instance stopped after writing the entry');
    },
  };
  registerCrudRoutes(
    {
      http: (name, o) => fns.set(name, o),
      cosmosDB: (name, o) => feeds.set(name, o),
    },
    { version: 1, backendId: 'orgs', entities: [noteEntity], auth: policy },
    {
      containerFor: () => notes,
      caller: policy,
      audit: { store: dying, now: () => new Date(now) },
      tenantRegistry: { now: () => now },
      webhooks: {
        allowLoopback: true,
        now: () => now,
        queue,
        auditFeed: { connection: 'AUDIT_FEED' },
      },
    },
  );
});
afterAll(async () => {
  await receiver?.stop();
  await cosmos?.stop();
});

const audit = feedBatches();
beforeEach(async () => {
  now += 7 * 86_400_000;
  stopAfterWrite = false;
  queued.length = 0;
  receiver.received.length = 0;
  receiver.answers.length = 0;
  receiver.fallback = { status: 204 };
  await reseed(
    c,
    [record('acme', 'pro'), record('globex', 'pro')],
    [
      member('acme', 'ada', ['Owner']),
      member('acme', 'bob', ['Member']),
      member('acme', 'cy', ['Member']),
      member('globex', 'gus', ['Owner']),
      member('globex', 'gil', ['Member']),
    ],
  );
  // What earlier tests wrote counts as read.
  audit.reset();
  await audit.changedIn(c.audit);
});

const handler = (name: string) => {
  const f = fns.get(name);
  if (!f) throw new Error(`no function ${name}`);
  return f.handler as HttpHandler;
};
type Opts = { body?: unknown; params?: Record<string, string> };
const as = (user: string, org: string, name: string, method: string, path: string, o: Opts = {}) =>
  invoke(handler(name), method, path, { headers: { ...who(user), 'x-atakora-tenant': org }, ...o });
const newHook = async (events: string[], org = 'acme', user = 'ada') => {
  const r = await as(user, org, 'membership-webhooks', 'POST', 'tenant/webhooks', {
    body: { url: receiver.url(`/${org}`), events },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; secret: string };
};
const setRoles = (owner: string, org: string, userId: string, roles: string[]) =>
  as(owner, org, 'membership-member', 'PATCH', `tenant/members/${userId}`, {
    params: { userId },
    body: { roles },
  });

/** The trigger the runtime registered on the audit container (Azure's Cosmos DB trigger, dev's emulated one). */
const auditFeed = () => {
  const f = feeds.get('atakora-webhooks-audit');
  if (!f)
    throw new Error(`no change feed trigger on the audit container: ${[...feeds.keys()].join()}`);
  return f;
};
/** One batch of the audit container's change feed through the registered trigger. */
async function feed(documents?: unknown[]) {
  const batch = documents ?? (await audit.changedIn(c.audit));
  await (auditFeed().handler as (d: unknown[], c: InvocationContext) => Promise<unknown>)(
    batch,
    new InvocationContext(),
  );
}

const verified = (secret: string, i: number) => {
  const r = receiver.received[i];
  if (!r) throw new Error(`no request ${String(i)}`);
  const spy = vi.spyOn(Date, 'now').mockReturnValue(now);
  try {
    return new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
      type: string;
      tenant: string;
      data: { id: string; subject: { id: string }; changes?: { roles?: { to?: unknown } } };
    };
  } finally {
    spy.mockRestore();
  }
};

describe('tenant events to webhooks from the audit container’s feed', () => {
  it('reads the audit container, its leases in audit-leases under the webhooks’ own prefix', () => {
    expect(auditFeed()).toMatchObject({
      connection: 'AUDIT_FEED',
      databaseName: c.audit.database.id,
      containerName: 'audit',
      leaseContainerName: 'audit-leases',
      leaseContainerPrefix: 'atakora-webhooks.',
      createLeaseContainerIfNotExists: false,
    });
  });

  it('delivers an event whose request stopped right after writing the entry', async () => {
    const { secret } = await newHook(['member.roles-changed']);
    stopAfterWrite = true;
    await setRoles('ada', 'acme', 'bob', ['Owner', 'Member']);
    stopAfterWrite = false;
    await drain();
    // The request recorded nothing: the stored entry is all there is.
    expect(receiver.received).toHaveLength(0);
    await feed();
    await drain();
    expect(receiver.received).toHaveLength(1);
    expect(verified(secret, 0)).toMatchObject({
      type: 'member.roles-changed',
      tenant: 'acme',
      data: { subject: { id: 'bob' } },
    });
  });

  it('keeps the organization’s order, one webhook-id per entry however often the batch comes', async () => {
    const { secret } = await newHook(['member.roles-changed']);
    const other = await newHook(['member.roles-changed'], 'globex', 'gus');
    const changes: [string, string[]][] = [
      ['bob', ['Owner']],
      ['cy', ['Owner']],
      ['bob', ['Member']],
      ['cy', ['Member']],
    ];
    for (const [who, roles] of changes) {
      expect((await setRoles('ada', 'acme', who, roles)).status).toBe(200);
      expect((await setRoles('gus', 'globex', 'gil', roles)).status).toBe(200);
    }
    const batch = await audit.changedIn(c.audit);
    // The first delivery is refused once: the organization's later events wait behind it (order per organization).
    receiver.answers.push({ status: 503, headers: { 'retry-after': '1' } });
    await feed(batch);
    await feed(batch);
    await drain();
    now += 2000;
    await drain();
    await feed(batch);
    await drain();
    const acme = receiver.received.flatMap((r, i) => (r.path === '/acme' ? [i] : []));
    const seen = acme.map((i) => verified(secret, i));
    const entries = batch.filter(
      (d) => d['tenant'] === 'acme' && d['action'] === 'member.roles-changed',
    );
    // Every entry once (the refused one twice), in the order the entries were written.
    expect(seen.map((e) => [e.data.subject.id, e.data.changes?.roles?.to])).toEqual([
      ['bob', ['Owner']],
      ['bob', ['Owner']],
      ['cy', ['Owner']],
      ['bob', ['Member']],
      ['cy', ['Member']],
    ]);
    const ids = acme.map((i) => String(receiver.received[i]?.headers['webhook-id']));
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(entries.length);
    expect(new Set(ids)).toEqual(
      new Set(
        entries.map((d) =>
          versionMessageId('acme', `audit:${String(d['id'])}`, String(d['_etag'])),
        ),
      ),
    );
    // globex's events reached globex's endpoint only.
    const globex = receiver.received.flatMap((r, i) => (r.path === '/globex' ? [i] : []));
    expect(globex).toHaveLength(changes.length);
    for (const i of globex) expect(verified(other.secret, i).tenant).toBe('globex');
  });
});
