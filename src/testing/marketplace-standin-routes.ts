import { randomBytes } from 'node:crypto';
import { MARKETPLACE_API_APP_ID, MARKETPLACE_API_VERSION } from '../model/marketplace.js';
import { type StandInKey } from './marketplace-standin-keys.js';
import {
  applyOperation,
  monthlyTerm,
  operationJson,
  type StandInOperation,
  type StandInSubscription,
  subscriptionJson,
} from './marketplace-standin-saas.js';
import { batchUsage, type MeteringState, usageEvents } from './marketplace-standin-metering.js';

/** An answer of the stand-in. */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

/** What the routes read and change: the subscriptions, their tokens and operations, the publisher, the clock. */
export interface SaasState {
  readonly subscriptions: Map<string, StandInSubscription>;
  /** Purchase tokens (as issued, decoded) → subscription id and expiry. */
  readonly tokens: Map<string, { subscriptionId: string; expires: number }>;
  readonly operations: Map<string, StandInOperation>;
  /** Access tokens the token endpoint issued → expiry. */
  readonly accessTokens: Map<string, number>;
  readonly activations: string[];
  readonly metering: MeteringState;
  /** The next calls' faults outside metering: Entra's key set unreachable, Microsoft settling before the PATCH. */
  readonly outages: StandInOutages;
  readonly publisherId: string;
  readonly key: StandInKey;
  /** The publisher tenant and fulfillment app: as configured, else learned from the first token request. */
  publisher: { tenant: string | undefined; clientId: string | undefined };
  readonly clientSecret: string | undefined;
  readonly now: () => number;
  readonly base: () => string;
}

/**
 * Faults of Microsoft's side a test sets, each for its next `n` calls: `keys` — the publisher tenant's OpenID
 * configuration and key set answer 503 (Entra unreachable while the webhook verifies a token); `settledBeforePatch` — an
 * operation in progress is auto-accepted between the publisher's Get Operation and its PATCH (the 10 s ran out), so
 * the PATCH answers 409, as Marketplace does for an operation already settled.
 */
export interface StandInOutages {
  keys: number;
  settledBeforePatch: number;
}

const bad = (message: string): Answer => ({ status: 400, body: { code: 'BadArgument', message } });

/**
 * The publisher tenant's Entra endpoints, laid out as `login.microsoftonline.com` lays them out: `POST
 * /<tenant>/oauth2/v2.0/token` (client credentials with `scope=20e940b3-…/.default`; Learn, "Register a SaaS
 * application"), `GET /<tenant>/v2.0/.well-known/openid-configuration` and its `jwks_uri`
 * (`/<tenant>/discovery/v2.0/keys`: the local key set that signs the webhook's tokens).
 */
export function entraRoute(
  state: SaasState,
  method: string,
  url: URL,
  form: URLSearchParams,
): Answer | undefined {
  const m =
    /^\/([^/]+)\/(oauth2\/v2\.0\/token|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/.exec(
      url.pathname,
    );
  if (!m) return undefined;
  const [, tenant = '', what] = m;
  if (what !== 'oauth2/v2.0/token' && state.outages.keys > 0) {
    state.outages.keys--;
    return { status: 503, body: { error: 'temporarily_unavailable' } };
  }
  const issuer = `${state.base()}/${tenant}/v2.0`;
  if (what === 'discovery/v2.0/keys' && method === 'GET')
    return { status: 200, body: { keys: [state.key.jwk] } };
  if (what !== 'oauth2/v2.0/token' && method === 'GET')
    return {
      status: 200,
      body: {
        issuer,
        token_endpoint: `${state.base()}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${state.base()}/${tenant}/oauth2/v2.0/authorize`,
        jwks_uri: `${state.base()}/${tenant}/discovery/v2.0/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      },
    };
  if (method !== 'POST') return { status: 405 };
  const fail = (error: string, description: string): Answer => ({
    status: error === 'invalid_client' ? 401 : 400,
    body: { error, error_description: description },
  });
  if (form.get('grant_type') !== 'client_credentials')
    return fail('unsupported_grant_type', 'client_credentials only');
  if (form.get('scope') !== `${MARKETPLACE_API_APP_ID}/.default`)
    return fail('invalid_scope', `The scope must be ${MARKETPLACE_API_APP_ID}/.default.`);
  const clientId = form.get('client_id') ?? '';
  const secret = form.get('client_secret') ?? '';
  const p = state.publisher;
  if (
    (p.tenant && p.tenant !== tenant.toLowerCase()) ||
    (p.clientId && p.clientId !== clientId.toLowerCase())
  )
    return fail('unauthorized_client', 'No such application in this tenant.');
  if (secret === '' || (state.clientSecret !== undefined && secret !== state.clientSecret))
    return fail('invalid_client', 'AADSTS7000215: Invalid client secret provided.');
  state.publisher = { tenant: tenant.toLowerCase(), clientId: clientId.toLowerCase() };
  const token = randomBytes(24).toString('base64url');
  state.accessTokens.set(token, state.now() + 3_600_000);
  return {
    status: 200,
    body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token },
  };
}

/** Whether the request carries a publisher token the token endpoint issued and that has not expired. */
function authorized(state: SaasState, authorization: string | undefined): boolean {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  const until = token ? state.accessTokens.get(token) : undefined;
  return until !== undefined && state.now() < until;
}

/**
 * The Marketplace APIs (`/api/…`, `api-version=2018-08-31`): Resolve, Activate, Get Subscription, List outstanding
 * operations, Get and Patch Operation (Learn, "SaaS fulfillment Subscription APIs v2", "Operations APIs v2"),
 * `batchUsageEvent` and `usageEvents` ("Marketplace metered billing APIs"). A request without a valid publisher token
 * is 403, as Marketplace answers it.
 */
export function saasRoute(
  state: SaasState,
  method: string,
  url: URL,
  headers: Readonly<Record<string, string | undefined>>,
  body: unknown,
): Answer | undefined {
  if (!url.pathname.startsWith('/api/')) return undefined;
  if (url.searchParams.get('api-version') !== MARKETPLACE_API_VERSION)
    return bad('Use api-version=2018-08-31.');
  if (!authorized(state, headers['authorization']))
    return {
      status: 403,
      body: { code: 'Forbidden', message: 'The authorization token is invalid or expired.' },
    };
  const path = url.pathname.slice('/api/'.length);
  if (path === 'batchUsageEvent' && method === 'POST')
    return batchUsage(body, state.subscriptions, state.metering, state.now());
  // `usageStartDate` is required (meteringapi.v1.json, GET /usageEvents: `"required": true`; 400 "Bad request,
  // missing or invalid data provided").
  if (path === 'usageEvents' && method === 'GET')
    return Number.isNaN(Date.parse(url.searchParams.get('usageStartDate') ?? ''))
      ? bad('usageStartDate is required: a date-time.')
      : { status: 200, body: usageEvents(url, state.metering, state.subscriptions) };
  if (path === 'saas/subscriptions/resolve' && method === 'POST') return resolve(state, headers);
  const m =
    /^saas\/subscriptions\/([^/]+)(?:\/(activate)|\/operations\/([^/]+)|\/(operations))?$/.exec(
      path,
    );
  const sub = m ? state.subscriptions.get(decodeURIComponent(m[1] ?? '').toLowerCase()) : undefined;
  if (!m || !sub)
    return { status: 404, body: { code: 'NotFound', message: 'SaaS subscription not found.' } };
  if (m[2] === 'activate' && method === 'POST') return activate(state, sub, body);
  if (m[4] !== undefined && method === 'GET') return { status: 200, body: outstanding(state, sub) };
  if (m[3] !== undefined) {
    const op = state.operations.get(decodeURIComponent(m[3]).toLowerCase());
    if (!op || op.subscriptionId !== sub.id)
      return { status: 404, body: { code: 'NotFound', message: 'Operation not found.' } };
    if (method === 'GET') return { status: 200, body: operationJson(op) };
    if (method === 'PATCH') return patchOperation(state, op, sub, body);
  }
  if (m[2] === undefined && m[3] === undefined && m[4] === undefined && method === 'GET')
    return { status: 200, body: subscriptionJson(sub, state.publisherId) };
  return { status: 405 };
}

/**
 * List outstanding operations (`GET …/subscriptions/{id}/operations`): "Get list of the pending operations for the
 * specified SaaS subscription. The publisher should acknowledge returned operations by calling the Operation Patch
 * API" — those still `InProgress` (Learn, "SaaS fulfillment operations APIs v2", List outstanding operations).
 */
function outstanding(state: SaasState, sub: StandInSubscription): { operations: unknown[] } {
  const pending = [...state.operations.values()].filter(
    (o) => o.subscriptionId === sub.id && (o.status === 'InProgress' || o.status === 'NotStarted'),
  );
  return { operations: pending.map(operationJson) };
}

function resolve(state: SaasState, headers: Readonly<Record<string, string | undefined>>): Answer {
  const token = headers['x-ms-marketplace-token'];
  const held = token ? state.tokens.get(token) : undefined;
  const sub =
    held && state.now() < held.expires ? state.subscriptions.get(held.subscriptionId) : undefined;
  if (!sub) return bad('x-ms-marketplace-token is missing, malformed, invalid, or expired.');
  return {
    status: 200,
    body: {
      id: sub.id,
      subscriptionName: sub.name,
      offerId: sub.offerId,
      planId: sub.planId,
      // An integer (saasapi.v2.json, ResolvedSubscription.quantity: int64), absent on a plan not per seat.
      ...(sub.quantity !== undefined ? { quantity: sub.quantity } : {}),
      subscription: subscriptionJson(sub, state.publisherId),
    },
  };
}

function activate(state: SaasState, sub: StandInSubscription, body: unknown): Answer {
  const b = (body ?? {}) as { planId?: unknown; quantity?: unknown };
  if (sub.status === 'Unsubscribed')
    return { status: 404, body: { code: 'NotFound', message: 'Unsubscribed.' } };
  if (typeof b.planId !== 'string' || b.planId === '') return bad('planId is required.');
  if (b.planId !== sub.planId) return bad("planId doesn't match the one that was purchased.");
  // SubscriberPlan's `quantity` is an integer (saasapi.v2.json, `"type": "integer", "format": "int64"`): the stand-in
  // holds a publisher to the spec and refuses a string ("20"), which only a lenient binding would take.
  if (b.quantity !== undefined && b.quantity !== null && !Number.isInteger(b.quantity))
    return bad('quantity must be an integer.');
  const quantity = typeof b.quantity === 'number' ? b.quantity : undefined;
  if (quantity !== sub.quantity) return bad("quantity doesn't match the one that was purchased.");
  if (sub.status !== 'PendingFulfillmentStart')
    return bad(`The SaaS subscription is ${sub.status}.`);
  sub.status = 'Subscribed';
  sub.term = monthlyTerm(state.now());
  state.activations.push(sub.id);
  return { status: 200 };
}

function patchOperation(
  state: SaasState,
  op: StandInOperation,
  sub: StandInSubscription,
  body: unknown,
): Answer {
  const status = (body as { status?: unknown } | undefined)?.status;
  if (status !== 'Success' && status !== 'Failure')
    return bad('status must be Success or Failure.');
  if (op.status === 'InProgress' && state.outages.settledBeforePatch > 0) {
    state.outages.settledBeforePatch--;
    settle(state, op, sub, 'Succeeded');
  }
  // Only a pending operation takes an answer: "409 Conflict. For example, a newer update is already fulfilled"
  // (Learn, "SaaS fulfillment operations APIs v2", Patch the status of an operation).
  if (op.status !== 'InProgress')
    return { status: 409, body: { code: 'Conflict', message: `Operation is ${op.status}.` } };
  settle(state, op, sub, status === 'Success' ? 'Succeeded' : 'Failed');
  return { status: 200 };
}

/** Settle an operation in progress: `Succeeded` applies it to its subscription (Marketplace's side of it). */
export function settle(
  state: Pick<SaasState, 'now'>,
  op: StandInOperation,
  sub: StandInSubscription,
  status: 'Succeeded' | 'Failed',
): void {
  op.status = status;
  if (status === 'Succeeded') applyOperation(op, sub, state.now());
}
