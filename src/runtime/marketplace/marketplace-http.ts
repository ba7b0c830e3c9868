import { randomUUID } from 'node:crypto';
import { MARKETPLACE_API_VERSION } from '../../model/marketplace.js';
import { MarketplaceCallError, type MarketplaceClient } from './marketplace-port.js';
import {
  operationOf,
  operationsOf,
  resolvedOf,
  subscriptionOf,
  usageResultsOf,
  usageRowsOf,
} from './marketplace-shapes.js';
import { publisherToken } from './publisher-token.js';

/** Where Marketplace and the publisher tenant are, and as whom the calls go. */
export interface MarketplaceHttpOptions {
  /** `https://marketplaceapi.microsoft.com`, or `ATAKORA_MARKETPLACE_API`. */
  readonly api: string;
  /** `https://login.microsoftonline.com`, or `ATAKORA_MARKETPLACE_API`. */
  readonly login: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly secret: string;
  /** Each call's deadline (the webhook's two calls must leave room in Microsoft's 10 s). Default 4 s. */
  readonly timeoutMs?: number;
}

/** An answer: its status and its JSON body (undefined when there is none). */
interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** A call's body, extra headers and query parameters. */
interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
}

/**
 * One call of the Marketplace APIs as Learn documents every one: `?api-version=2018-08-31`, the publisher's bearer
 * token, JSON, fresh `x-ms-requestid` and `x-ms-correlationid` GUIDs, the call's deadline; no answer is a retryable
 * {@link MarketplaceCallError}.
 */
async function callMarketplace(
  api: string,
  token: () => Promise<string>,
  timeoutMs: number,
  method: string,
  path: string,
  opts: CallOptions,
): Promise<Answer> {
  const url = new URL(`${api}/api/${path}`);
  url.searchParams.set('api-version', MARKETPLACE_API_VERSION);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const bearer = await token();
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        'content-type': 'application/json',
        'x-ms-requestid': randomUUID(),
        'x-ms-correlationid': randomUUID(),
        ...opts.headers,
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new MarketplaceCallError(
      `Azure Marketplace did not answer ${method} ${path} (${e instanceof Error ? e.name : 'error'}).`,
      undefined,
      true,
    );
  }
  const text = await res.text().catch(() => '');
  try {
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  } catch {
    return { status: res.status, body: undefined };
  }
}

/**
 * A {@link MarketplaceClient} on `fetch`, each call as Learn documents it — `?api-version=2018-08-31`, the publisher's
 * bearer token, `content-type: application/json`, `x-ms-requestid` and `x-ms-correlationid` GUIDs (SaaS fulfillment
 * Subscription APIs v2, Operations APIs v2; Marketplace metered billing APIs):
 *
 * - Resolve: `POST /api/saas/subscriptions/resolve` with `x-ms-marketplace-token` (the landing URL's `token`, decoded:
 *   URL parsing decodes it); 400 ("missing, malformed, invalid, or expired") → undefined.
 * - Activate: `POST /api/saas/subscriptions/{id}/activate` `{ planId, quantity }`; 400 (already Subscribed or
 *   Suspended, a plan or quantity other than purchased) → `'refused'`.
 * - Get Subscription `GET /api/saas/subscriptions/{id}`, Get Operation `GET …/{id}/operations/{operationId}` (404 →
 *   undefined), List outstanding operations `GET …/{id}/operations` (404 → none), Patch Operation `PATCH
 *   …/operations/{operationId}` `{ status: 'Success' | 'Failure' }` (409 → `'conflict'`: "a newer update is already
 *   fulfilled").
 * - `POST /api/batchUsageEvent` `{ request: [...] }` (at most 25) → each event's `result[]` status; `GET
 *   /api/usageEvents?usageStartDate&offerId`.
 *
 * A 5xx, 429 or no answer is a retryable {@link MarketplaceCallError}; a 401/403 (the token or app refused, "a symptom
 * of not performing the SaaS registration correctly") one that is not.
 *
 * @example
 * ```ts
 * const client = marketplaceHttp({ ...marketplaceBases(process.env), tenantId, clientId, secret });
 * const purchase = await client.resolve(token);
 * ```
 */
export function marketplaceHttp(o: MarketplaceHttpOptions): MarketplaceClient {
  const timeoutMs = o.timeoutMs ?? 4_000;
  const token = publisherToken({
    login: o.login,
    tenantId: o.tenantId,
    clientId: o.clientId,
    secret: o.secret,
    timeoutMs,
  });
  const call = (method: string, path: string, opts: CallOptions = {}): Promise<Answer> =>
    callMarketplace(o.api, token, timeoutMs, method, path, opts);
  const unexpected = (what: string, a: Answer): never => {
    throw new MarketplaceCallError(
      `Azure Marketplace answered ${String(a.status)} to ${what}.`,
      a.status,
      a.status >= 500 || a.status === 429,
    );
  };
  const subscriptionPath = (id: string) => `saas/subscriptions/${encodeURIComponent(id)}`;
  const operationPath = (id: string, op: string) =>
    `${subscriptionPath(id)}/operations/${encodeURIComponent(op)}`;
  return {
    async resolve(purchaseToken) {
      const a = await call('POST', 'saas/subscriptions/resolve', {
        headers: { 'x-ms-marketplace-token': purchaseToken },
      });
      if (a.status === 400 || a.status === 404) return undefined;
      return a.status === 200 ? resolvedOf(a.body) : unexpected('resolve', a);
    },
    async activate(id, body) {
      const a = await call('POST', `${subscriptionPath(id)}/activate`, {
        body: {
          planId: body.planId,
          // An integer, as the spec's SubscriberPlan types it (saasapi.v2.json: `quantity` int64), never "20".
          ...(body.quantity !== undefined ? { quantity: body.quantity } : {}),
        },
      });
      if (a.status === 200) return 'activated';
      return a.status === 400 || a.status === 404 ? 'refused' : unexpected('activate', a);
    },
    async subscription(id) {
      const a = await call('GET', subscriptionPath(id));
      if (a.status === 404) return undefined;
      return a.status === 200 ? subscriptionOf(a.body) : unexpected('get subscription', a);
    },
    async operation(id, op) {
      const a = await call('GET', operationPath(id, op));
      if (a.status === 404) return undefined;
      return a.status === 200 ? operationOf(a.body) : unexpected('get operation', a);
    },
    async outstanding(id) {
      const a = await call('GET', `${subscriptionPath(id)}/operations`);
      if (a.status === 404) return [];
      return a.status === 200 ? operationsOf(a.body) : unexpected('list outstanding operations', a);
    },
    async patchOperation(id, op, status) {
      const a = await call('PATCH', operationPath(id, op), { body: { status } });
      if (a.status === 200) return 'done';
      return a.status === 409 ? 'conflict' : unexpected('patch operation', a);
    },
    async batchUsage(events) {
      const a = await call('POST', 'batchUsageEvent', { body: { request: events } });
      return a.status === 200 ? usageResultsOf(a.body) : unexpected('batchUsageEvent', a);
    },
    async usageEvents(query) {
      const a = await call('GET', 'usageEvents', { query: { ...query } });
      if (a.status === 204 || (a.status === 200 && a.body === undefined)) return [];
      return a.status === 200 ? usageRowsOf(a.body) : unexpected('usageEvents', a);
    },
  };
}
