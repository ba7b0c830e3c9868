/**
 * The real side of Azure Marketplace: the runtime's routes (`registerCrudRoutes` of a membership backend whose plans
 * are sold in the Marketplace) on the local Cosmos DB server, the Marketplace stand-in of @atakora/component/testing
 * (its token endpoint, key set, SaaS and metering APIs), and a loopback bridge that hands the stand-in's signed
 * webhook calls to the registered `api/marketplace/webhook` handler as the Function App would. Used by
 * test/runtime/marketplace-*.test.ts and test/model/marketplace.model.test.ts.
 */
import { createServer } from 'node:http';
import type { Container } from '@azure/cosmos';
import type { HttpFunctionOptions, HttpHandler, TimerFunctionOptions } from '@azure/functions';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { RuntimeAuth, RuntimeMarketplace } from '../../../src/model/runtime-manifest.js';
import { registerCrudRoutes } from '../../../src/runtime/register-routes.js';
import {
  type MarketplaceStandIn,
  startMarketplaceStandIn,
} from '../../../src/testing/marketplace-standin.js';
import { listenOnLoopback, readBody } from '../../support/loopback-server.js';
import { principalHeader } from './built-app.js';
import { noteEntity } from './entities.js';
import { invoke, type Reply } from './http.js';
import type { LocalCosmos } from './local-cosmos.js';
import { membershipAuth } from './registry-auth.js';

export const PUBLISHER = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CLIENT = '5b1c7a3e-0000-4c2d-9e8f-1a2b3c4d5e6f';
export const SECRET = 'fulfillment-app-secret';
export const OFFER = 'notes-saas';

/** The offer of the tests: `pro` and `team` sold, requests billed as `api_calls` above 100 a term on `pro`. */
export const OFFER_CONFIG: RuntimeMarketplace = {
  offer: OFFER,
  publisherTenantId: PUBLISHER,
  clientId: CLIENT,
  secret: 'MARKETPLACE_SECRET',
  plans: { 'pro-monthly': 'pro', 'team-monthly': 'team' },
  dimensions: { requests: 'api_calls' },
  included: { pro: { requests: 100 } },
  onCanceled: 'default-plan',
};

/** The running routes, the stand-in, and the containers behind them. */
export interface MarketplaceApp {
  readonly standIn: MarketplaceStandIn;
  readonly tenants: Container;
  readonly members: Container;
  readonly usage: Container;
  readonly audit: Container;
  handler(name: string): HttpHandler;
  /** Run the metering timer as the host would. */
  meter(): Promise<void>;
  /** `GET api/marketplace/landing?token=…` as `user` (undefined: nobody signed in). */
  land(token: string | undefined, user?: string, query?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** The headers of `user` signed in through the landing sign-in (any directory, a personal account's too). */
export const buyer = (user: string) =>
  principalHeader([
    ['tid', `${user}-directory`],
    ['oid', user],
    ['name', user],
  ]);

/**
 * Start the routes on `cosmos` with the test offer (or `marketplace`), the stand-in knowing the publisher, its
 * fulfillment app's secret and the offer's dimension, its webhook delivered to the routes; `now` the runtime's clock
 * for activations (the metering tests activate hours before their usage).
 *
 * @example
 * ```ts
 * const app = await startMarketplaceApp(cosmos);
 * ```
 */
export async function startMarketplaceApp(
  cosmos: LocalCosmos,
  options: {
    readonly marketplace?: Partial<RuntimeMarketplace>;
    readonly now?: () => Date;
    readonly policy?: (base: RuntimeAuth) => RuntimeAuth;
    readonly env?: Record<string, string>;
    /** The Stripe side's app settings (with `policy` adding `registry.billing`): both channels in one app. */
    readonly billingEnv?: Record<string, string>;
    /** The ledger's flush interval (default 100 ms): a first landing waits two before its write. */
    readonly flushIntervalMs?: number;
  } = {},
): Promise<MarketplaceApp> {
  const base = membershipAuth(
    'home-dir',
    { plans: { free: {}, pro: {}, team: {} }, defaultPlan: 'free' },
    { audit: 'audit' },
  );
  const withOffer: RuntimeAuth = {
    ...base,
    registry: { ...base.registry!, marketplace: { ...OFFER_CONFIG, ...options.marketplace } },
  };
  const policy = options.policy ? options.policy(withOffer) : withOffer;
  const tenants = await cosmos.container('tenants', '/id');
  const members = await cosmos.container('members', '/tenant');
  const usage = await cosmos.container('usage', '/tenant');
  const audit = await cosmos.container('audit', '/tenant');
  const fns = new Map<string, HttpFunctionOptions>();
  const timers = new Map<string, TimerFunctionOptions>();
  const handler = (name: string) => {
    const f = fns.get(name);
    if (!f) throw new Error(`no function ${name}`);
    return f.handler as HttpHandler;
  };
  // Microsoft posts to the webhook as it would to the Function App: a loopback bridge to the registered handler.
  const hook = await listenOnLoopback(
    createServer((req, res) => {
      void readBody(req).then(async (text) => {
        const request = new HttpRequest({
          method: req.method ?? 'POST',
          url: 'http://127.0.0.1/api/marketplace/webhook',
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.join(',') : (v ?? ''),
            ]),
          ),
          body: { string: text },
        });
        const out = (await handler('atakora-marketplace-webhook')(request, {
          log: () => undefined,
        } as never)) as { status?: number; body?: unknown };
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json' });
        res.end(typeof out.body === 'string' ? out.body : '');
      });
    }),
  );
  const standIn = await startMarketplaceStandIn({
    publisherTenantId: PUBLISHER,
    clientId: CLIENT,
    clientSecret: SECRET,
    offerId: OFFER,
    dimensions: ['api_calls'],
    webhook: { url: `${hook.base}/api/marketplace/webhook` },
  });
  const notes = await cosmos.container(noteEntity.componentId, '/tenantId');
  registerCrudRoutes(
    { http: (name, o) => fns.set(name, o), timer: (name, o) => timers.set(name, o) },
    { version: 1, backendId: 'x', entities: [noteEntity], auth: policy },
    {
      containerFor: () => notes,
      caller: policy,
      eventLogger: () => undefined,
      // The ledger written every 100 ms, not every second: a purchase's first landing waits two flush intervals
      // before it reads the hour's usage so far (src/runtime/marketplace/activation-baseline.ts), and the models
      // land hundreds of purchases.
      usageLedger: { flushIntervalMs: options.flushIntervalMs ?? 100 },
      marketplace: {
        env: { MARKETPLACE_SECRET: SECRET, ATAKORA_MARKETPLACE_API: standIn.base, ...options.env },
        ...(options.now ? { now: options.now } : {}),
      },
      ...(options.billingEnv ? { billing: { env: options.billingEnv } } : {}),
    },
  );
  let browsers = 0;
  return {
    standIn,
    tenants,
    members,
    usage,
    audit,
    handler,
    async meter() {
      const t = timers.get('atakora-marketplace-metering');
      if (!t) throw new Error('no metering timer');
      await t.handler(
        { isPastDue: false, scheduleStatus: undefined } as never,
        new InvocationContext({ invocationId: 'm', functionName: 'm' }),
      );
    },
    land: (token, user, query = {}) =>
      invoke(handler('atakora-marketplace-landing'), 'GET', 'marketplace/landing', {
        // Each landing from a browser of its own: the route is bounded per client address (30 a minute).
        headers: {
          ...(user ? buyer(user) : {}),
          'x-forwarded-for': `203.0.113.${String(++browsers % 250)}`,
        },
        query: { ...(token !== undefined ? { token } : {}), ...query },
      }),
    async close() {
      await standIn.close();
      await hook.close();
    },
  };
}

/** The organization's registry record as stored (the fields the tests read). */
export async function recordOf(app: MarketplaceApp, org: string) {
  return (await app.tenants.item(org, org).read<Record<string, unknown>>()).resource as unknown as
    | {
        id: string;
        plan: string;
        status: string;
        suspendedBy?: string;
        name?: string;
        billing?: { subscription?: { status: string } };
        marketplace?: {
          subscriptionId: string;
          status: string;
          planId: string;
          quantity?: number;
          activatedOn?: string;
          renewedOn?: string;
          operations?: string[];
        };
      }
    | undefined;
}

/** The organization a landing answer sent the buyer to (its `Location`'s `organization`). */
export const landedIn = (reply: Reply): string =>
  new URL(reply.headers.get('location') ?? 'http://x/').searchParams.get('organization') ?? '';

/** A purchase of `planId` landed by `user` on `app`: its subscription and organization. */
export async function boughtOn(app: MarketplaceApp, user: string, planId = 'pro-monthly') {
  const { subscriptionId, token } = app.standIn.purchase({ planId });
  const org = landedIn(await app.land(token, user));
  return { subscriptionId, org };
}

/** A webhook answer's `outcome` (200), else its status as text. */
export const outcomeOf = (d: { status: number; body: string }) =>
  d.status === 200 ? (JSON.parse(d.body) as { outcome: string }).outcome : `${String(d.status)}`;

/**
 * A `policy` for {@link startMarketplaceApp} where any signed-in person creates organizations, at most `max` each (the
 * bound a landing counts too).
 *
 * @example
 * ```ts
 * const app = await startMarketplaceApp(cosmos, { policy: creationBoundedAt(3) });
 * ```
 */
export const creationBoundedAt =
  (max: number) =>
  (base: RuntimeAuth): RuntimeAuth => ({
    ...base,
    registry: {
      ...base.registry!,
      membership: {
        ...base.registry!.membership!,
        createTenants: 'any-user',
        maxOrganizationsPerUser: max,
      },
    },
  });

/**
 * Microsoft's webhook endpoint unreachable while `act` runs: its calls wait for a retry (`app.standIn.resend`).
 *
 * @example
 * ```ts
 * const change = await undeliveredTo(app, () => app.standIn.changePlan(subscriptionId, 'team-monthly'));
 * ```
 */
export async function undeliveredTo<T>(
  app: Pick<MarketplaceApp, 'standIn'>,
  act: () => Promise<T>,
): Promise<T> {
  const hook = app.standIn.webhook;
  app.standIn.webhook = null;
  try {
    return await act();
  } finally {
    app.standIn.webhook = hook;
  }
}
