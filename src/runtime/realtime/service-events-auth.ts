import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Caller } from '../pipeline/context.js';

/**
 * Who may post connection events to `api/realtime/events`: the backend's Web PubSub and nobody else.
 * - Azure: the service sends, with each event, an Entra access token it obtained with its own managed identity for
 *   the API's audience (Learn, "Managed identities for Azure Web PubSub Service", "Use a managed identity in client
 *   events scenarios"; the hub's `event_handler.auth.managed_identity_id`, which azurerm v4.55.0 sends as
 *   `ManagedIdentitySettings.Resource`, the token's `aud`: internal/services/signalr/web_pubsub_hub_resource.go,
 *   expandAuth). App Service authentication validates it before the app runs, and the runtime admits only that
 *   principal: its object id (`principal`, the service identity's, an app setting apply writes) in the home
 *   directory. A user of any directory, or another app of the same directory, is refused.
 * - `atakora dev`: its loopback hub signs each event with the hub's access key (HS256, audience
 *   {@link devEventsAudience}), which only the hub and the runtime hold; the setting exists only under dev.
 *
 * @example
 * ```ts
 * const auth: ServiceEventsAuth = { principal: process.env.ATAKORA_REALTIME_SERVICE_PRINCIPAL, homeTenant: 'contoso' };
 * ```
 */
export interface ServiceEventsAuth {
  /** The object id of the Web PubSub's managed identity (Azure). */
  readonly principal?: string;
  /** The backend's own directory: the service's identity lives there. */
  readonly homeTenant?: string;
  /** The dev hub's access key (`atakora dev` only). */
  readonly devKey?: string;
}

/**
 * The audience of the dev hub's event tokens for one hub.
 *
 * @example
 * ```ts
 * devEventsAudience('atakora'); // 'urn:atakora:realtime-events:atakora'
 * ```
 */
export function devEventsAudience(hub: string): string {
  return `urn:atakora:realtime-events:${hub}`;
}

/**
 * Whether this request comes from the backend's Web PubSub (see {@link ServiceEventsAuth}); the reason when not.
 *
 * @example
 * ```ts
 * const who = fromTheService(ctx.caller, ctx.request.headers.get('authorization'), auth, 'atakora', Date.now());
 * if (!who.ok) refuse(who.reason);
 * ```
 */
export function fromTheService(
  caller: Pick<Caller, 'id' | 'directory'>,
  authorization: string | null,
  auth: ServiceEventsAuth,
  hub: string,
  nowMs: number,
): { ok: true } | { ok: false; reason: string } {
  if (auth.devKey) {
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!bearer) return { ok: false, reason: 'no bearer token from the local hub' };
    return verifyDevToken(bearer, auth.devKey, devEventsAudience(hub), Math.floor(nowMs / 1000));
  }
  if (!auth.principal)
    return {
      ok: false,
      reason: 'this app has no Web PubSub identity configured to accept events from',
    };
  if (caller.id === undefined) return { ok: false, reason: 'nobody signed in' };
  const same = (a: string | undefined, b: string | undefined) =>
    a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  if (!same(caller.id, auth.principal))
    return { ok: false, reason: 'the caller is not the Web PubSub service of this backend' };
  if (auth.homeTenant !== undefined && !same(caller.directory, auth.homeTenant))
    return { ok: false, reason: 'the caller is not of the backend’s own directory' };
  return { ok: true };
}

/** An HS256 JWT signed with `key`, for `audience`, not expired. */
function verifyDevToken(
  token: string,
  key: string,
  audience: string,
  nowSec: number,
): { ok: true } | { ok: false; reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'not a JWT' };
  const [head, body, signature] = parts as [string, string, string];
  let claims: { aud?: unknown; exp?: unknown };
  let header: { alg?: unknown };
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: unknown };
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return { ok: false, reason: 'malformed JWT' };
  }
  if (header.alg !== 'HS256') return { ok: false, reason: 'not HS256' };
  const expected = createHmac('sha256', key).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad signature' };
  if (claims.aud !== audience) return { ok: false, reason: 'wrong audience' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec)
    return { ok: false, reason: 'expired' };
  return { ok: true };
}
