/**
 * The real side of subscriptions: the runtime's routes (`registerCrudRoutes` of a membership backend whose plans are
 * Stripe prices) on the local Cosmos DB server, the Stripe stand-in of @atakora/component/testing, and a loopback
 * bridge that hands the stand-in's signed webhook deliveries to the registered `api/billing/stripe` handler as the
 * Function App would. Used by billing.model.test.ts and test/runtime/subscriptions.test.ts.
 */
import { createServer } from 'node:http';
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler, TimerFunctionOptions } from '@azure/functions';
import { HttpRequest } from '@azure/functions';
import { registerCrudRoutes } from '../../src/runtime/register-routes.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import type { TenantTarget } from '../../src/cli/tenant/connect.js';
import { tenantLayout } from '../../src/cli/tenant/targets.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { RuntimeEventEntry } from '../../src/runtime/http/event-log.js';
import {
  type StandInPrice,
  startStripeStandIn,
  type StripeStandIn,
} from '../../src/testing/stripe-standin.js';
import { listenOnLoopback, readBody } from '../support/loopback-server.js';
import { principalHeader } from '../runtime/support/built-app.js';
import { noteEntity } from '../runtime/support/entities.js';
import type { LocalCosmos } from '../runtime/support/local-cosmos.js';
import { membershipAuth } from '../runtime/support/registry-auth.js';

export const BILLING_KEY = 'sk_test_subscriptions';
export const BILLING_SECRET = 'whsec_subscriptions';

/**
 * The running routes, the stand-in, the registry, members and audit containers behind them, the app's clock (the
 * registry's, the members' and the erase's `now`, in ms: moved by a test, never waited for) and its timers.
 */
export interface BillingApp {
  readonly standIn: StripeStandIn;
  readonly tenants: Container;
  readonly members: Container;
  readonly audit: Container;
  readonly clock: { now: number };
  handler(name: string): HttpHandler;
  /** Run a registered timer (the organization erase) once; its log line. */
  runTimer(name: string): Promise<RuntimeEventEntry | undefined>;
  /**
   * The operator's target over these containers (what `atakora tenant delete|add|…` work on, in-process): a backend
   * of the same notes and plans, by membership.
   */
  readonly target: TenantTarget;
  close(): Promise<void>;
}

/**
 * An active organization on `free` and its Owner, created and joined at `at`; `record`: more of its registry record.
 *
 * @example
 * ```ts
 * await seedOrganization(app, 'acme', 'ada', '2026-01-01T00:00:00.000Z');
 * ```
 */
export async function seedOrganization(
  app: Pick<BillingApp, 'tenants' | 'members'>,
  id: string,
  owner: string,
  at: string,
  record: Record<string, unknown> = {},
): Promise<void> {
  await app.tenants.items.upsert({
    id,
    plan: 'free',
    status: 'active',
    createdOn: at,
    updatedOn: at,
    ...record,
  });
  await app.members.items.upsert({
    id: `${id}|${owner}`,
    tenant: id,
    userId: owner,
    roles: ['Owner'],
    addedOn: at,
  });
}

/** Where checkout and the portal send the customer back (`tenants.billing.returnUrl` of these apps). */
export const RETURN_URL = 'https://app.contoso.example/';

/** The request headers of the home directory's TenantAdmin (the operator, `PATCH api/tenants/{id}`). */
export const operator = () =>
  principalHeader([
    ['tid', 'home-dir'],
    ['oid', 'operator'],
    ['roles', 'TenantAdmin'],
  ]);

/** The request headers of `user` acting in organization `org` from the app's page. */
export const actingAs = (user: string, org: string) => ({
  ...principalHeader([
    ['tid', `${user}-directory`],
    ['oid', user],
  ]),
  'x-atakora-tenant': org,
  origin: 'https://app.contoso.example',
});

/**
 * Start the routes on `cosmos` with `plans` (free the default) and `prices` (price id → plan), the stand-in knowing
 * `standInPrices`, its webhook delivered to the routes.
 *
 * @example
 * ```ts
 * const app = await startBillingApp(cosmos, { free: {}, pro: {} }, { price_pro: 'pro' }, [{ id: 'price_pro', unitAmount: 2900 }]);
 * ```
 */
export async function startBillingApp(
  cosmos: LocalCosmos,
  plans: Record<string, { requestsPerMinute?: number; members?: number }>,
  prices: Record<string, string>,
  standInPrices: readonly StandInPrice[],
  options: {
    readonly onCanceled?: 'default-plan' | 'suspend';
    /** The usage export's meters (meter key → event name) and the stand-in's meters of those names. */
    readonly meters?: Readonly<Record<string, string>>;
    /** `tenants.deleteAfterDays` (default 2). */
    readonly deleteAfterDays?: number;
    /** The per-seat prices and each price's trial days (`plans.<n>.stripe.perSeat`, `trialDays`). */
    readonly perSeat?: readonly string[];
    readonly trialDays?: Readonly<Record<string, number>>;
  } = {},
): Promise<BillingApp> {
  const base = membershipAuth(
    'home-dir',
    { plans, defaultPlan: 'free' },
    { audit: 'audit', deleteAfterDays: options.deleteAfterDays ?? 2 },
  );
  const policy = {
    ...base,
    registry: {
      ...base.registry!,
      billing: {
        secret: 'STRIPE_KEY',
        meters: options.meters ?? {},
        subscriptions: {
          webhookSecret: 'STRIPE_WEBHOOK_SECRET',
          prices,
          onCanceled: options.onCanceled ?? 'default-plan',
          returnUrl: RETURN_URL,
          ...(options.perSeat ? { perSeat: options.perSeat } : {}),
          ...(options.trialDays ? { trialDays: options.trialDays } : {}),
        },
      },
    },
  };
  const tenants = await cosmos.container('tenants', '/id');
  const members = await cosmos.container('members', '/tenant');
  const usage = await cosmos.container('usage', '/tenant');
  const audit = await cosmos.container('audit', '/tenant');
  const clock = { now: Date.parse('2026-01-05T12:00:00.000Z') };
  const fns = new Map<string, HttpFunctionOptions>();
  const timers = new Map<string, TimerFunctionOptions>();
  const lines: RuntimeEventEntry[] = [];
  const handler = (name: string) => fns.get(name)?.handler as HttpHandler;
  // Stripe posts to the webhook as it would to the Function App: a loopback bridge to the registered handler.
  const hook = await listenOnLoopback(
    createServer((req, res) => {
      void readBody(req).then(async (text) => {
        const request = new HttpRequest({
          method: req.method ?? 'POST',
          url: `http://127.0.0.1/api/billing/stripe`,
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.join(',') : (v ?? ''),
            ]),
          ),
          body: { string: text },
        });
        const out = (await handler('atakora-billing-stripe')(request, {
          log: () => undefined,
        } as never)) as { status?: number; body?: unknown };
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
        res.end(typeof out.body === 'string' ? out.body : '');
      });
    }),
  );
  const standIn = await startStripeStandIn({
    key: BILLING_KEY,
    meters: Object.values(options.meters ?? {}),
    prices: standInPrices,
    webhook: { url: `${hook.base}/api/billing/stripe`, secret: BILLING_SECRET },
  });
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o), timer: (name, o) => timers.set(name, o) },
    { version: 1, backendId: 'x', entities: [noteEntity], auth: policy },
    {
      containerFor: () => notes,
      caller: policy,
      tenantRegistry: { now: () => clock.now },
      eventLogger: (entry) => lines.push(entry),
      billing: {
        env: {
          STRIPE_KEY: BILLING_KEY,
          STRIPE_WEBHOOK_SECRET: BILLING_SECRET,
          STRIPE_API_BASE: standIn.base,
        },
      },
    },
  );
  const backend = defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { title: 'string' },
        partitionKey: '/tenantId',
      }),
    },
    {
      backendId: 'x',
      tenants: {
        by: 'membership',
        plans: Object.fromEntries(Object.keys(plans).map((p) => [p, {}])),
        defaultPlan: 'free',
      },
    },
  );
  const layout = tenantLayout(backend.plan());
  const byName = new Map<string, Container>([
    [layout.registry?.container ?? 'tenants', tenants],
    [layout.registry?.members ?? 'members', members],
    [layout.registry?.audit ?? 'audit', audit],
    ['usage', usage],
  ]);
  const target: TenantTarget = {
    backend,
    layout,
    where: 'model',
    container: (_endpoint, _database, name) => Promise.resolve(byName.get(name) ?? notes),
    dispose: () => undefined,
  };
  return {
    standIn,
    tenants,
    members,
    audit,
    clock,
    target,
    handler,
    async runTimer(name) {
      const t = timers.get(name)?.handler;
      if (!t) throw new Error(`no timer ${name}`);
      const before = lines.length;
      await (t as (timer: unknown, context: unknown) => Promise<void>)({}, {});
      return lines.slice(before).at(-1);
    },
    close: async () => {
      await standIn.close();
      await hook.close();
    },
  };
}

/**
 * The per-seat apps' backend: `free`, `pro` ($29 flat) and `team` ($9 a seat, a 14-day trial unless `trial` is false),
 * ten members each.
 *
 * @example
 * ```ts
 * const app = await startTeamSeatsApp(cosmos);
 * ```
 */
export function startTeamSeatsApp(cosmos: LocalCosmos, trial = true): Promise<BillingApp> {
  return startBillingApp(
    cosmos,
    { free: { members: 10 }, pro: { members: 10 }, team: { members: 10 } },
    { price_pro: 'pro', price_team: 'team' },
    [
      { id: 'price_pro', unitAmount: 2900 },
      { id: 'price_team', unitAmount: 900 },
    ],
    { perSeat: ['price_team'], ...(trial ? { trialDays: { price_team: 14 } } : {}) },
  );
}
