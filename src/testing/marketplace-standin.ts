import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { standInKey } from './marketplace-standin-keys.js';
import type { AcceptedUsage, MeteringFaults } from './marketplace-standin-metering.js';
import {
  entraRoute,
  type SaasState,
  type StandInOutages,
  saasRoute,
  settle,
} from './marketplace-standin-routes.js';
import {
  newSubscription,
  type PurchaseInput,
  purchaseToken,
  type StandInOperation,
  type StandInSubscription,
} from './marketplace-standin-saas.js';
import {
  answered,
  deliver,
  type StandInHook,
  startOperation,
  type WebhookDelivery,
  webhookToken,
} from './marketplace-standin-webhook.js';

export type { AcceptedUsage, MeteringFaults } from './marketplace-standin-metering.js';
export type { StandInOutages } from './marketplace-standin-routes.js';
export type {
  PurchaseInput,
  StandInOperation,
  StandInSubscription,
} from './marketplace-standin-saas.js';
export type { StandInHook, WebhookDelivery } from './marketplace-standin-webhook.js';

/** Options of {@link startMarketplaceStandIn}; everything optional. */
export interface MarketplaceStandInOptions {
  /** The publisher tenant (`tid` of the webhook's tokens); default: the tenant of the first token request. */
  readonly publisherTenantId?: string;
  /** The fulfillment app (`aud` of the webhook's tokens); default: the client of the first token request. */
  readonly clientId?: string;
  /** The only client secret the token endpoint takes; default any non-empty one. */
  readonly clientSecret?: string;
  /** The offer a purchase is of, unless it names one (default `'atakora-offer'`). */
  readonly offerId?: string;
  /** Dimension ids the offer's plans declare (default: any is taken). */
  readonly dimensions?: readonly string[];
  /** Where operations are delivered (settable later through `webhook`). */
  readonly webhook?: StandInHook;
  readonly now?: () => number;
}

/** A running stand-in: its base for `ATAKORA_MARKETPLACE_API`, its state, and what a buyer and Microsoft do. */
export interface MarketplaceStandIn {
  /** `http://127.0.0.1:<port>`: `ATAKORA_MARKETPLACE_API`. */
  readonly base: string;
  /** The publisher tenant and fulfillment app, as configured or learned from the first token request. */
  readonly publisher: {
    readonly tenant: string | undefined;
    readonly clientId: string | undefined;
  };
  webhook: StandInHook | null;
  readonly subscriptions: ReadonlyMap<string, StandInSubscription>;
  readonly operations: ReadonlyMap<string, StandInOperation>;
  /** Subscription ids, in the order Activate succeeded for them (one entry per activation). */
  readonly activations: readonly string[];
  /** Usage events accepted, in order. */
  readonly usage: readonly AcceptedUsage[];
  /** The size of each `batchUsageEvent` call answered 200. */
  readonly batches: readonly number[];
  /** The next metering calls' faults. */
  readonly faults: MeteringFaults;
  /** The next calls' other faults: the key set unreachable, operations settled before the publisher's PATCH. */
  readonly outages: StandInOutages;
  /** Every webhook call made, with the publisher's answer. */
  readonly deliveries: readonly WebhookDelivery[];
  /** A buyer purchases a plan: its subscription id and the landing page token (valid 24 hours). */
  purchase(input: PurchaseInput): { subscriptionId: string; token: string };
  /** A new landing page token for the subscription ("Configure account" / "Manage account" again). */
  landingToken(subscriptionId: string): string;
  /**
   * Microsoft's side of each action, its webhook call delivered; resolves with the operation and the delivery. With
   * no webhook set (`webhook = null`: the publisher's endpoint down) the call is not delivered (status 0) and the
   * operation waits as Microsoft leaves it — deliver it later with `resend`, as Microsoft's retries would.
   */
  subscribe(subscriptionId: string): Promise<OperationDone>;
  changePlan(subscriptionId: string, planId: string): Promise<OperationDone>;
  changeQuantity(subscriptionId: string, quantity: number): Promise<OperationDone>;
  suspend(subscriptionId: string): Promise<OperationDone>;
  reinstate(subscriptionId: string): Promise<OperationDone>;
  unsubscribe(subscriptionId: string): Promise<OperationDone>;
  renew(subscriptionId: string): Promise<OperationDone>;
  /**
   * Settle an operation still in progress now, as Microsoft does when a ChangePlan's or ChangeQuantity's 10 s pass
   * (auto-accepted), or as a PATCH made outside this delivery would (an earlier attempt whose answer was lost):
   * `Succeeded` applies it to the subscription. Throws when the operation is settled already.
   */
  settle(operationId: string, status: 'Succeeded' | 'Failed'): StandInOperation;
  /** Call the webhook again for an operation (Microsoft's retry, or a replay), with another token if given. */
  resend(operationId: string, opts?: { readonly token?: string }): Promise<WebhookDelivery>;
  /** A webhook token with claims replaced (`undefined` removes one), signed by the key set — or by a foreign key. */
  webhookToken(
    claims?: Readonly<Record<string, unknown>>,
    opts?: { readonly foreignKey?: boolean },
  ): string;
  close(): Promise<void>;
}

/** An operation Microsoft started, and its webhook call's delivery. */
export interface OperationDone {
  readonly operation: StandInOperation;
  readonly delivery: WebhookDelivery;
}

const read = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      chunks.push(c);
    });
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });

/**
 * A loopback stand-in for Azure Marketplace's SaaS APIs and the publisher tenant's Microsoft Entra endpoints, laid out
 * as the real ones are (`ATAKORA_MARKETPLACE_API=<base>` points `atakora dev` and the runtime at it for both):
 *
 * - `<base>/<tenant>/oauth2/v2.0/token` (client credentials, `scope=20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default`),
 *   `<base>/<tenant>/v2.0/.well-known/openid-configuration` and its `jwks_uri`: a local RSA key set (Learn, "Register a
 *   SaaS application").
 * - `<base>/api/saas/subscriptions/resolve` (`x-ms-marketplace-token`; tokens valid 24 h, with `+`, `/`, `=` in them),
 *   `…/{id}/activate` (the purchased plan and quantity, from PendingFulfillmentStart only), `GET …/{id}`, `GET
 *   …/{id}/operations` (those in progress), `GET|PATCH …/{id}/operations/{operationId}` (Success/Failure on an
 *   operation in progress, else 409) — Learn, "SaaS fulfillment Subscription APIs v2" and "Operations APIs v2".
 * - `<base>/api/batchUsageEvent` (≤ 25 events; one per subscription, dimension and hour — a second is `Duplicate`;
 *   only within 24 hours, only while Subscribed) and `<base>/api/usageEvents` — Learn, "Marketplace metered billing
 *   APIs". `faults` make the next calls 5xx, before or after taking the events.
 * - The webhook: each action (`changePlan`, `changeQuantity`, `suspend`, `reinstate`, `unsubscribe`, `renew`) is an
 *   operation posted to `webhook.url` with Learn's payload and a bearer JWT signed by the key set (`aud` the fulfillment
 *   app, `tid` the publisher tenant, `appid` the Marketplace API's); ChangePlan and ChangeQuantity wait for the PATCH
 *   (auto-accepted after 10 s, as Learn says; rejected by a 4xx answer to the call), Reinstate waits for it with no
 *   end (the subscription `Suspended` until then); `subscribe` sends the Subscribe notice.
 * - Every `/api` answer carries `x-ms-requestid` and `x-ms-correlationid` (the request's, else new GUIDs); `outages`
 *   make the key set unreachable, or settle an operation before its PATCH (409), for the next calls.
 *
 * - The answers' fields as the OpenAPI documents type them (github.com/microsoft/commercial-marketplace-openapi:
 *   `quantity` an integer, absent when none; `api-version` 2018-08-31 only; `usageStartDate` required; Activate's
 *   `quantity` an integer), checked by test/testing/standin-spec-fidelity.test.ts (docs/testing.md).
 *
 * Every `/api` call needs a token its token endpoint issued (403 otherwise). It binds 127.0.0.1 only; `close()` stops it.
 *
 * @example
 * ```ts
 * import { startMarketplaceStandIn } from '@atakora/component/testing';
 *
 * const marketplace = await startMarketplaceStandIn({ clientSecret: 's3cret' });
 * process.env.ATAKORA_MARKETPLACE_API = marketplace.base; // before the backend starts
 * process.env.MARKETPLACE_SECRET = 's3cret';
 * const { subscriptionId, token } = marketplace.purchase({ planId: 'pro-monthly' });
 * // GET api/marketplace/landing?token=<token> as the buyer → the organization, activated:
 * // marketplace.subscriptions.get(subscriptionId)?.status === 'Subscribed'
 * marketplace.webhook = { url: 'http://127.0.0.1:7071/api/marketplace/webhook' };
 * // Once landed (Subscribed): await marketplace.suspend(subscriptionId) — the webhook's call, signed, delivered.
 * console.log(subscriptionId, token.length);
 * await marketplace.close();
 * ```
 */
export async function startMarketplaceStandIn(
  options: MarketplaceStandInOptions = {},
): Promise<MarketplaceStandIn> {
  let base = '';
  const now = options.now ?? Date.now;
  const state: SaasState = {
    subscriptions: new Map(),
    tokens: new Map(),
    operations: new Map(),
    accessTokens: new Map(),
    activations: [],
    metering: { accepted: [], batches: [], faults: { count: 0 }, dimensions: options.dimensions },
    outages: { keys: 0, settledBeforePatch: 0 },
    publisherId: 'atakora-publisher',
    key: standInKey('standin-key-1'),
    publisher: {
      tenant: options.publisherTenantId?.toLowerCase(),
      clientId: options.clientId?.toLowerCase(),
    },
    clientSecret: options.clientSecret,
    now,
    base: () => base,
  };
  const deliveries: WebhookDelivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hook: { webhook: StandInHook | null } = { webhook: options.webhook ?? null };
  const server: Server = createServer((req, res) => {
    void read(req).then((text) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const answer = answerOf(state, req, url, text);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...tracing(req, url) });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  const subOf = (id: string) => {
    const s = state.subscriptions.get(id.toLowerCase());
    if (!s) throw new Error(`The stand-in holds no subscription ${id}.`);
    return s;
  };
  const act =
    (
      action: StandInOperation['action'],
      targetOf: (v?: unknown) => StandInOperation['target'] = () => ({}),
    ) =>
    async (id: string, v?: unknown): Promise<OperationDone> => {
      const operation = startOperation(state, subOf(id), action, targetOf(v), timers);
      const delivery = await deliver(state, hook.webhook, operation);
      answered(operation, delivery);
      deliveries.push(delivery);
      return { operation, delivery };
    };
  const landingToken = (subscriptionId: string) => {
    const token = purchaseToken();
    state.tokens.set(token, {
      subscriptionId: subOf(subscriptionId).id,
      expires: now() + 24 * 3_600_000,
    });
    return token;
  };
  return {
    base,
    get publisher() {
      return { ...state.publisher };
    },
    get webhook() {
      return hook.webhook;
    },
    set webhook(v) {
      hook.webhook = v;
    },
    subscriptions: state.subscriptions,
    operations: state.operations,
    activations: state.activations,
    usage: state.metering.accepted,
    batches: state.metering.batches,
    faults: state.metering.faults,
    outages: state.outages,
    deliveries,
    purchase(input) {
      const sub = newSubscription(input, options.offerId ?? 'atakora-offer', now());
      state.subscriptions.set(sub.id, sub);
      return { subscriptionId: sub.id, token: landingToken(sub.id) };
    },
    landingToken,
    subscribe: act('Subscribe'),
    changePlan: act('ChangePlan', (p) => ({ planId: String(p) })),
    changeQuantity: act('ChangeQuantity', (q) => ({ quantity: Number(q) })),
    suspend: act('Suspend'),
    reinstate: act('Reinstate'),
    unsubscribe: act('Unsubscribe'),
    renew: act('Renew'),
    settle(operationId, status) {
      const op = state.operations.get(operationId);
      if (op?.status !== 'InProgress')
        throw new Error(`The stand-in holds no operation ${operationId} in progress.`);
      settle(state, op, subOf(op.subscriptionId), status);
      return op;
    },
    async resend(operationId, opts = {}) {
      const op = state.operations.get(operationId);
      if (!op) throw new Error(`The stand-in holds no operation ${operationId}.`);
      const delivery = await deliver(state, hook.webhook, op, opts.token);
      answered(op, delivery);
      deliveries.push(delivery);
      return delivery;
    },
    webhookToken: (claims = {}, opts = {}) =>
      webhookToken(state, claims, opts.foreignKey ? standInKey(state.key.kid) : undefined),
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/**
 * The tracing headers of a Marketplace API answer: the request's `x-ms-requestid` and `x-ms-correlationid`, or new
 * GUIDs — "If this value isn't provided, one will be generated and provided in the response headers" (Learn, "SaaS
 * fulfillment Subscription APIs v2" and "Operations APIs v2", Request headers).
 */
function tracing(req: IncomingMessage, url: URL): Record<string, string> {
  if (!url.pathname.startsWith('/api/')) return {};
  const given = (name: string) => {
    const v = req.headers[name];
    return typeof v === 'string' && v !== '' ? v : randomUUID();
  };
  return {
    'x-ms-requestid': given('x-ms-requestid'),
    'x-ms-correlationid': given('x-ms-correlationid'),
  };
}

/** One request's answer: Entra's endpoints, then the Marketplace APIs (with the metering faults), else 404. */
function answerOf(
  state: SaasState,
  req: IncomingMessage,
  url: URL,
  text: string,
): { status: number; body?: unknown } {
  const method = req.method ?? 'GET';
  const entra = entraRoute(state, method, url, new URLSearchParams(text));
  if (entra) return entra;
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    return { status: 400, body: { code: 'BadArgument', message: 'The body is no JSON.' } };
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
  const faults = state.metering.faults;
  const metering = url.pathname === '/api/batchUsageEvent';
  if (metering && faults.count > 0 && !faults.afterTaking) {
    faults.count--;
    return {
      status: faults.status ?? 503,
      body: { code: 'ServiceUnavailable', message: 'Try again.' },
    };
  }
  const answer = saasRoute(state, method, url, headers, body) ?? {
    status: 404,
    body: { code: 'NotFound' },
  };
  if (metering && faults.count > 0 && faults.afterTaking) {
    faults.count--;
    return {
      status: faults.status ?? 500,
      body: { code: 'InternalServerError', message: 'Retry.' },
    };
  }
  return answer;
}
