/**
 * Both billing channels in one app: the Marketplace app (marketplace-app.ts: the landing, Microsoft's webhook, the
 * metering timer, the Marketplace stand-in) whose registry also sells `pro` through Stripe — checkout, the portal,
 * `GET api/tenant/billing` and Stripe's webhook, the Stripe stand-in of @atakora/component/testing posting its signed
 * events to the registered `api/billing/stripe` handler over a loopback bridge. Used by
 * test/runtime/billing-channel-races.test.ts and test/model/channel.model.test.ts.
 */
import { createServer } from 'node:http';
import { HttpRequest } from '@azure/functions';
import { startStripeStandIn, type StripeStandIn } from '../../../src/testing/stripe-standin.js';
import { listenOnLoopback, readBody } from '../../support/loopback-server.js';
import type { LocalCosmos } from './local-cosmos.js';
import { type MarketplaceApp, startMarketplaceApp } from './marketplace-app.js';

export const CHANNEL_KEY = 'sk_test_channels';
const WEBHOOK_SECRET = 'whsec_channels';
/** The event name the Stripe export sends requests as. */
export const REQUESTS_METER = 'api_requests';

/** The running app, both stand-ins. */
export interface ChannelApp {
  readonly app: MarketplaceApp;
  readonly stripe: StripeStandIn;
  close(): Promise<void>;
}

/**
 * Start both channels on `cosmos`: `pro` sold through Stripe (`price_pro`) and Marketplace (`pro-monthly`).
 *
 * @example
 * ```ts
 * const { app, stripe } = await startChannelApp(cosmos);
 * ```
 */
export async function startChannelApp(cosmos: LocalCosmos): Promise<ChannelApp> {
  let app: MarketplaceApp | undefined;
  const hook = await listenOnLoopback(
    createServer((req, res) => {
      void readBody(req).then(async (text) => {
        const request = new HttpRequest({
          method: req.method ?? 'POST',
          url: 'http://127.0.0.1/api/billing/stripe',
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [
              k,
              Array.isArray(v) ? v.join(',') : (v ?? ''),
            ]),
          ),
          body: { string: text },
        });
        const out = (await app?.handler('atakora-billing-stripe')(request, {
          log: () => undefined,
        } as never)) as { status?: number; body?: unknown } | undefined;
        res.writeHead(out?.status ?? 503, { 'content-type': 'application/json' });
        res.end(typeof out?.body === 'string' ? out.body : '');
      });
    }),
  );
  const stripe = await startStripeStandIn({
    key: CHANNEL_KEY,
    meters: [REQUESTS_METER],
    prices: [{ id: 'price_pro', unitAmount: 2900 }],
    webhook: { url: `${hook.base}/api/billing/stripe`, secret: WEBHOOK_SECRET },
  });
  app = await startMarketplaceApp(cosmos, {
    policy: (base) => ({
      ...base,
      registry: {
        ...base.registry!,
        billing: {
          secret: 'STRIPE_KEY',
          meters: { requests: REQUESTS_METER },
          subscriptions: {
            webhookSecret: 'STRIPE_WEBHOOK_SECRET',
            prices: { price_pro: 'pro' },
            onCanceled: 'default-plan',
            returnUrl: 'https://app.contoso.example/',
          },
        },
      },
    }),
    billingEnv: {
      STRIPE_KEY: CHANNEL_KEY,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.base,
    },
  });
  const started = app;
  return {
    app: started,
    stripe,
    async close() {
      await started.close();
      await stripe.close();
      await hook.close();
    },
  };
}
