/**
 * The real side of outbound webhooks: the runtime's routes of an organizations backend whose `pro` plan has
 * `webhooks` (notes, and secrets only Members read) on the local Cosmos DB server, a loopback receiver, the test's
 * clock and the test's queue (a job runs once the clock reaches its time, when the test drains it: a day of retries
 * runs in milliseconds), and the calls the tests make — endpoints created, the delivery log, a received request
 * verified by the maintained `standardwebhooks` library. Used by test/runtime/webhooks.test.ts and
 * test/runtime/webhooks/webhook-change-feed.test.ts.
 */
import type { Container } from '@azure/cosmos';
import type { CosmosDBv4FunctionOptions, HttpFunctionOptions, HttpHandler } from '@azure/functions';
import { Webhook } from 'standardwebhooks';
import { expect, vi } from 'vitest';
import type { RuntimeAuth, RuntimeEntity } from '../../../src/model/runtime-manifest.js';
import { cosmosAuditStore } from '../../../src/runtime/audit/audit-store.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import type { WebhookJob } from '../../../src/runtime/webhooks/webhook-queue.js';
import type { WebhookOptions } from '../../../src/runtime/webhooks/webhook-wiring.js';
import { noteEntity } from './entities.js';
import { invoke, type Reply } from './http.js';
import type { LocalCosmos } from './local-cosmos.js';
import { member, record, reseed, who } from './organization-calls.js';
import { membershipAuth } from './registry-auth.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';
import { organizationsStore } from './organizations-app.js';

/** Items only Members read: an Owner does not, so none reaches a webhook, whoever wrote it. */
export const secrets: RuntimeEntity = {
  ...noteEntity,
  componentId: 'SecretApi',
  entityName: 'Secret',
  route: 'secrets',
  access: [{ allow: 'role', role: 'Member' }],
};

/** A request's body, route parameters and query. */
export type Opts = {
  body?: unknown;
  params?: Record<string, string>;
  query?: Record<string, string>;
};

/** A delivery as the log lists it. */
export interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  answer: number | null;
  error: string | null;
  nextAttemptOn: string | null;
}

/** A delivery's payload. */
export interface Payload {
  type: string;
  tenant: string;
  data: Record<string, unknown>;
}

/** The running routes, their containers, the receiver, the clock and queue, and the tests' calls. */
export interface WebhooksApp {
  readonly c: { members: Container; tenants: Container; audit: Container };
  readonly notes: Container;
  /** The secrets' container. */
  readonly hidden: Container;
  readonly receiver: Receiver;
  /** The Cosmos DB triggers the runtime registered, by function name. */
  readonly feeds: ReadonlyMap<string, CosmosDBv4FunctionOptions>;
  /** The test's clock (ms): the runtime's, the queue's and the receiver's. */
  now: number;
  /**
   * A week on, the queue and the receiver emptied (answering 204), the organizations reseeded: acme and globex on
   * `pro`, initech on `free`, with `members` (user id → acme role; gus Owner of globex, ivy of initech).
   */
  reset(members: Record<string, string>): Promise<void>;
  /** Run every queued job that is due. */
  drain(): Promise<void>;
  /** Move the clock on by `ms` in steps no longer than an hour, running what falls due. */
  advance(ms: number): Promise<void>;
  /** Call the function `name` as `user` in `org`. */
  as(
    user: string,
    org: string,
    name: string,
    method: string,
    path: string,
    o?: Opts,
  ): Promise<Reply>;
  /** `POST tenant/webhooks` as `user` in `org`. */
  createHook(user: string, org: string, body: unknown): Promise<Reply>;
  /** An endpoint created (201) at the receiver's `path`: its id and its secret. */
  newHook(
    events: string[],
    org?: string,
    user?: string,
    path?: string,
  ): Promise<{ id: string; secret: string }>;
  /** The endpoint's delivery log as ada of `org` reads it (200), newest first. */
  deliveries(id: string, org?: string): Promise<Delivery[]>;
  /** The `i`th received request verified with `secret` by a receiver whose clock reads `at` (default: now). */
  verified(secret: string, i: number, at?: number): Payload;
  stop(): Promise<void>;
}

/**
 * Start the routes on `cosmos`: `pro` has `audit`, `webhooks` and `proFeatures`; `webhooks` adds to the runtime's
 * webhook options (the test's clock and queue, loopback allowed) — a resolver, a bound, a change feed.
 *
 * @example
 * ```ts
 * const app = await startWebhooksApp(cosmos, { webhooks: { timeoutMs: 400 } });
 * await app.reset({ ada: 'Owner', bob: 'Member' });
 * const { secret } = await app.newHook(['note.created']);
 * ```
 */
export async function startWebhooksApp(
  cosmos: LocalCosmos,
  options: { proFeatures?: string[]; webhooks?: WebhookOptions } = {},
): Promise<WebhooksApp> {
  const policy: RuntimeAuth = membershipAuth(
    'home-dir',
    {
      plans: {
        free: { features: ['audit'] },
        pro: { features: ['audit', 'webhooks', ...(options.proFeatures ?? [])] },
      },
      defaultPlan: 'free',
    },
    { createTenants: 'any-user', audit: 'audit' },
  );
  const receiver = await startReceiver();
  const { members, tenants, audit, notes } = await organizationsStore(cosmos);
  const hidden = await cosmos.container(secrets.componentId, '/tenantId');
  const fns = new Map<string, HttpFunctionOptions>();
  const feeds = new Map<string, CosmosDBv4FunctionOptions>();
  const clock = { now: Date.parse('2026-03-02T10:00:00.000Z') };
  const queue = testQueue(clock);
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o), cosmosDB: (name, o) => feeds.set(name, o) },
    { version: 1, backendId: 'orgs', entities: [noteEntity, secrets], auth: policy },
    {
      containerFor: (e) => (e.componentId === secrets.componentId ? hidden : notes),
      caller: policy,
      audit: { store: cosmosAuditStore(audit), now: () => new Date(clock.now) },
      tenantRegistry: { now: () => clock.now },
      webhooks: { allowLoopback: true, now: () => clock.now, queue, ...options.webhooks },
    },
  );
  const c = { members, tenants, audit };
  const handler = (name: string) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return f.handler as HttpHandler;
  };
  const as = (
    user: string,
    org: string,
    name: string,
    method: string,
    path: string,
    o: Opts = {},
  ) =>
    invoke(handler(name), method, path, {
      headers: { ...who(user), 'x-atakora-tenant': org },
      ...o,
    });
  const createHook = (user: string, org: string, body: unknown) =>
    as(user, org, 'membership-webhooks', 'POST', 'tenant/webhooks', { body });
  return {
    c,
    notes,
    hidden,
    receiver,
    feeds,
    get now() {
      return clock.now;
    },
    set now(at: number) {
      clock.now = at;
    },
    async reset(people) {
      clock.now += 7 * 86_400_000;
      queue.queued.length = 0;
      receiver.received.length = 0;
      receiver.answers.length = 0;
      receiver.fallback = { status: 204 };
      await reseed(
        c,
        [record('acme', 'pro'), record('globex', 'pro'), record('initech', 'free')],
        [
          ...Object.entries(people).map(([user, role]) => member('acme', user, [role])),
          member('globex', 'gus', ['Owner']),
          member('initech', 'ivy', ['Owner']),
        ],
      );
    },
    drain: queue.drain,
    async advance(ms) {
      const end = clock.now + ms;
      while (clock.now < end) {
        const ats = queue.queued.map((q) => q.at).filter((a) => a > clock.now);
        clock.now = Math.min(end, ...ats, clock.now + 3_600_000);
        await queue.drain();
      }
    },
    as,
    createHook,
    async newHook(events, org = 'acme', user = 'ada', path = `/${org}`) {
      const r = await createHook(user, org, { url: receiver.url(path), events });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; secret: string };
    },
    async deliveries(id, org = 'acme') {
      const path = `tenant/webhooks/${id}/deliveries`;
      const r = await as('ada', org, 'membership-webhook-deliveries', 'GET', path, {
        params: { id },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body.items as Delivery[];
    },
    verified(secret, i, at = clock.now) {
      const r = receiver.received[i];
      if (!r) throw new Error(`no request ${String(i)}`);
      // standardwebhooks reads Date.now for the timestamp's tolerance.
      const spy = vi.spyOn(Date, 'now').mockReturnValue(at);
      try {
        return new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as Payload;
      } finally {
        spy.mockRestore();
      }
    },
    stop: () => receiver.stop(),
  };
}

/** The test's queue: a job runs once the clock reaches its time, when the test drains it. */
function testQueue(clock: { now: number }) {
  const queued: { job: WebhookJob; at: number }[] = [];
  let runJob: ((job: WebhookJob) => Promise<void>) | undefined;
  return {
    queued,
    attach: (run: (job: WebhookJob) => Promise<void>) => {
      runJob = run;
    },
    send: (job: WebhookJob, delaySeconds: number) => {
      queued.push({ job, at: clock.now + delaySeconds * 1000 });
      return Promise.resolve();
    },
    async drain(): Promise<void> {
      for (;;) {
        const due = queued.filter((q) => q.at <= clock.now);
        if (due.length === 0) return;
        for (const d of due) queued.splice(queued.indexOf(d), 1);
        for (const d of due) await runJob?.(d.job);
      }
    },
  };
}
