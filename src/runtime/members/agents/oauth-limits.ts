import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeAuth, RuntimeTenantRegistry } from '../../../model/runtime-manifest.js';
import { Caller } from '../../caller/caller-view.js';
import { clientAddress } from '../../limits/address-limit.js';
import { rateLimit } from '../../limits/rate-limit.js';
import { refusalPage } from '../../mcp/oauth/consent-page.js';
import type { UsageMeter } from '../../usage/usage-meter.js';

/**
 * How many requests a minute the authorization server takes (DESIGN §2: "rate-limited per address and per
 * person"): per client address at `api/oauth/token` (a hosted client's servers refresh for all their users from a
 * few addresses: 300 a minute is one refresh every 10 minutes — the default access token's life — for 3,000
 * connected agents behind one address), at `api/oauth/revoke` and at `api/oauth/authorize` (a person's browser asks
 * twice per connection: the page, then Allow or Deny) and at `api/oauth/register` (RFC 7591, with `registration`
 * on); and per signed-in person at `api/oauth/authorize`, wherever they call from.
 *
 * @example
 * ```ts
 * OAUTH_RATE_LIMITS.tokenPerAddress; // 300
 * ```
 */
export const OAUTH_RATE_LIMITS = Object.freeze({
  tokenPerAddress: 300,
  revokePerAddress: 60,
  authorizePerAddress: 60,
  authorizePerPerson: 20,
  // RFC 7591 registration (only with `registration` on): open to anyone, each a stored item, so the tightest bound
  // per address — 10 a minute keeps at most 14,400 unused registrations of one address alive (each lives a day).
  registerPerAddress: 10,
});

/** The bounds of {@link OAUTH_RATE_LIMITS}' shape (tests pass smaller ones through `RegisterDeps.agents.limits`). */
export type OAuthRateLimits = { readonly [K in keyof typeof OAUTH_RATE_LIMITS]: number };

/** An OAuth endpoint's handler, as the wiring registers it. */
export type OAuthHandler = (request: HttpRequest) => Promise<HttpResponseInit>;

/** A refusal's parts: the headers (`Retry-After`, `RateLimit-Policy`, `RateLimit`) and the seconds to wait. */
interface Refusal {
  readonly headers: Record<string, string>;
  readonly retryAfter: string;
}

/**
 * The authorization server's rate limits over the usage meter (limits/rate-limit.ts: the tenant routes' own limit —
 * per UTC minute over every instance, cross-instance counts), each window a key no tenant id can be
 * (`~oauth-token`, …): the token and revocation endpoints answer 429 with `Retry-After` and an OAuth error body
 * `{ error: 'too_many_requests', error_description }` — RFC 6749 §5.2 defines no code for it (its §8.5 lets a
 * server define more), so the code is the one the MCP SDK's own authorization server answers with its 429s
 * (`TooManyRequestsError`, "Custom, non-standard error based on RFC 6585"), which its client neither retries as a
 * lost grant nor forgets its tokens for (only `invalid_grant` and `invalid_client` do that); RFC 6585 §4: "The 429
 * status code indicates that the user has sent too many requests in a given amount of time … The response
 * representations SHOULD include details explaining the condition, and MAY include a Retry-After header". The
 * consent page answers 429 as an explained refusal page. The address is {@link clientAddress}'s — the last
 * `X-Forwarded-For` entry, the one App Service's front end wrote, never one the client sent; a request without one
 * (`local`: no front end, as under `atakora dev`) is bounded per person only. Without a meter (no usage ledger)
 * nothing is limited, as everywhere else.
 *
 * @example
 * ```ts
 * const limits = oauthLimits(policy, services.meter);
 * add('oauth-token', 'oauth/token', limits.token(tokenHandler(api)), post);
 * ```
 */
export function oauthLimits(
  policy: RuntimeAuth,
  meter: UsageMeter | undefined,
  bounds: OAuthRateLimits = OAUTH_RATE_LIMITS,
): {
  readonly token: (handler: OAuthHandler) => OAuthHandler;
  readonly revoke: (handler: OAuthHandler) => OAuthHandler;
  readonly authorize: (handler: OAuthHandler) => OAuthHandler;
  readonly register: (handler: OAuthHandler) => OAuthHandler;
} {
  const registry = policy.registry;
  if (!registry || !meter) return { token: same, revoke: same, authorize: same, register: same };
  const check = (window: string, user: string, max: number) =>
    limited(registry, meter, `~oauth-${window}`, user, max);
  // A request with no front end's address reached the worker directly (`atakora dev`, a test's host): every caller
  // there is `local`, one window for everyone, so it names no address to bound — the person's bound still holds.
  const byAddress = (request: HttpRequest, window: string, max: number) => {
    const address = clientAddress(request.headers);
    return address === 'local' ? undefined : check(window, `ip:${address}`, max);
  };
  const jsonEndpoint =
    (window: 'token' | 'revoke' | 'register', max: number) =>
    (handler: OAuthHandler): OAuthHandler =>
    async (request) => {
      const refusal = await byAddress(request, window, max);
      return refusal
        ? oauthTooMany(refusal, `This address made ${String(max)} ${window} requests this minute`)
        : handler(request);
    };
  return {
    token: jsonEndpoint('token', bounds.tokenPerAddress),
    revoke: jsonEndpoint('revoke', bounds.revokePerAddress),
    register: jsonEndpoint('register', bounds.registerPerAddress),
    authorize: (handler) => async (request) => {
      const address = await byAddress(request, 'authorize', bounds.authorizePerAddress);
      if (address)
        return pageTooMany(
          address,
          `This address asked to connect agents ${String(bounds.authorizePerAddress)} times this minute`,
        );
      // Who signed in (the handler refuses anyone else itself): the person's own window, wherever they call from.
      const person = Caller.of(request, policy);
      const id = person.refusal ? undefined : person.id;
      const own =
        id === undefined
          ? undefined
          : await check('consent', `person:${id}`, bounds.authorizePerPerson);
      if (own)
        return pageTooMany(
          own,
          `You asked to connect agents ${String(bounds.authorizePerPerson)} times this minute`,
        );
      return handler(request);
    },
  };
}

const same = (handler: OAuthHandler): OAuthHandler => handler;

/** One window's answer: undefined (admitted, counted) or the refusal's headers. */
async function limited(
  registry: RuntimeTenantRegistry,
  meter: UsageMeter,
  tenant: string,
  user: string,
  max: number,
): Promise<Refusal | undefined> {
  const refused = await rateLimit(undefined, {
    tenant,
    user,
    plan: {},
    registry: { ...registry, perUser: { requestsPerMinute: max } },
    meter,
  });
  if (!refused) return undefined;
  const given = (refused.headers ?? {}) as Record<string, string>;
  const headers: Record<string, string> = {};
  for (const name of ['Retry-After', 'RateLimit-Policy', 'RateLimit'])
    if (given[name] !== undefined) headers[name] = given[name];
  return { headers, retryAfter: headers['Retry-After'] ?? '60' };
}

/** The token or revocation endpoint's 429: an OAuth error body (RFC 6749 §5.2's shape), never cached. */
const oauthTooMany = (refusal: Refusal, what: string): HttpResponseInit => ({
  status: 429,
  headers: {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...refusal.headers,
  },
  jsonBody: {
    error: 'too_many_requests',
    error_description: `${what}: retry after ${refusal.retryAfter} s.`,
  },
});

/** The consent page's 429: the page explains it (nothing is redirected: the client is not even looked up yet). */
const pageTooMany = (refusal: Refusal, what: string): HttpResponseInit =>
  refusalPage(
    429,
    'temporarily_unavailable',
    `${what}: wait ${refusal.retryAfter} s, then start connecting the agent again.`,
    refusal.headers,
  );
