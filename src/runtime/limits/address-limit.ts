import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import type { UsageMeter } from '../usage/usage-meter.js';
import type { LimitedTenant } from './limited-tenant.js';

/**
 * How many requests one client address may make to an anonymous route a minute (`GET api/invitations/preview`):
 * a person opening their invitation asks once or twice; a script guessing tokens is refused after 30.
 *
 * @example
 * ```ts
 * ADDRESS_REQUESTS_PER_MINUTE; // 30
 * ```
 */
export const ADDRESS_REQUESTS_PER_MINUTE = 30;

/** Where the meter counts them: a key no tenant id can be, as the signed-in routes' `~signed-in`. */
export const ADDRESS_KEY = '~address';

/** What the per-address bound reads of a request: the endpoint's flag and policy, the request's headers, the meter. */
export interface AddressScope {
  readonly endpoint: {
    readonly policy: RuntimeAuth | undefined;
    readonly limitedPerAddress?: boolean;
  };
  readonly request: { readonly headers: { get(name: string): string | null } };
  readonly services: { readonly meter?: UsageMeter };
}

/**
 * The client's address as App Service's front end saw it: the last entry of `X-Forwarded-For` — each proxy appends
 * the address it was reached from, so the entries before it are whatever the client wrote, the last one the front
 * end's own (RFC 7239 §5.2 describes the same chain for `Forwarded`) — its port dropped; `local` without one (a
 * request that reached the worker directly: `atakora dev`, a test).
 *
 * @example
 * ```ts
 * clientAddress({ get: () => '203.0.113.9, 198.51.100.7:51234' }); // '198.51.100.7'
 * ```
 */
export function clientAddress(headers: { get(name: string): string | null }): string {
  const last = (headers.get('x-forwarded-for') ?? '').split(',').pop()?.trim() ?? '';
  if (last === '') return 'local';
  // [v6]:port, v4:port, or a bare address of either kind.
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(last);
  if (v6?.[1]) return v6[1].toLowerCase();
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.exec(last);
  return (v4?.[1] ?? last).toLowerCase().slice(0, 64);
}

/**
 * With tenants by membership, an anonymous route flagged `limitedPerAddress` is bounded per client address
 * ({@link clientAddress}) at {@link ADDRESS_REQUESTS_PER_MINUTE} through the tenant routes' own rate limit — the
 * same window, cross-instance counts, 429 `rate-limited` with `Retry-After` and `RateLimit` headers.
 *
 * @example
 * ```ts
 * const limited = limitedTenant(ctx) ?? signedInLimited(ctx) ?? addressLimited(ctx);
 * ```
 */
export function addressLimited(ctx: AddressScope): LimitedTenant | undefined {
  const registry = ctx.endpoint.policy?.registry;
  const meter = ctx.services.meter;
  if (!ctx.endpoint.limitedPerAddress || !registry?.membership || !meter) return undefined;
  return {
    tenant: ADDRESS_KEY,
    user: `ip:${clientAddress(ctx.request.headers)}`,
    plan: {},
    registry: { ...registry, perUser: { requestsPerMinute: ADDRESS_REQUESTS_PER_MINUTE } },
    meter,
  };
}
