import type { IncomingMessage } from 'node:http';
import { checkHost, originTrusted } from '../loopback/guard.js';
import { type HubTokenClaims, verifyHs256 } from './hub-jwt.js';
import { safeUrl } from './hub-rest.js';

/** What a client's upgrade is checked against. */
export interface UpgradeRules {
  readonly port: number;
  readonly endpoint: string;
  /** `/client/hubs/<hub>`. */
  readonly clientPath: string;
  readonly key: string;
  readonly now: () => number;
  readonly allowedOrigins: readonly string[];
}

/**
 * Admit a client's WebSocket upgrade as the service does, or say why not: only loopback `Host` names on this port
 * (421: DNS rebinding), a browser only from an allowed `Origin` (403), the client path of this hub (404), and an
 * HS256 token signed with the hub's key (`access_token` or a bearer header) for this hub's client audience, not
 * expired (401). The service checks a token only at connect, and so does the hub. A reliable client's recovery
 * (`awps_connection_id`, `awps_reconnection_token`) is admitted to be matched against its session.
 *
 * @example
 * ```ts
 * const admitted = admitUpgrade(req, rules);
 * if (!admitted.ok) reject(admitted.status, admitted.reason);
 * ```
 */
export function admitUpgrade(
  req: IncomingMessage,
  rules: UpgradeRules,
):
  | { ok: true; claims: HubTokenClaims }
  | { ok: true; recover: { connectionId: string; reconnectionToken: string } }
  | { ok: false; status: number; reason: string } {
  const host = req.headers.host;
  const badHost = checkHost(host, rules.port);
  if (badHost) return { ok: false, status: badHost.status, reason: badHost.detail };
  const origin = req.headers.origin;
  if (!originTrusted(origin, rules.allowedOrigins, host))
    return {
      ok: false,
      status: 403,
      reason: `Origin ${String(origin)} may not connect to the local realtime hub.`,
    };
  const url = new URL(req.url ?? '/', rules.endpoint);
  if (url.pathname !== rules.clientPath)
    return { ok: false, status: 404, reason: `No hub at ${url.pathname}.` };
  // A reliable client recovering its connection presents its reconnection token instead of an access token.
  const connectionId = url.searchParams.get('awps_connection_id');
  if (connectionId !== null)
    return {
      ok: true,
      recover: {
        connectionId,
        reconnectionToken: url.searchParams.get('awps_reconnection_token') ?? '',
      },
    };
  const token =
    url.searchParams.get('access_token') ??
    /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const verified = token
    ? verifyHs256(token, rules.key, Math.floor(rules.now() / 1000))
    : undefined;
  if (!verified?.ok)
    return {
      ok: false,
      status: 401,
      reason: `Unauthorized: ${verified ? verified.reason : 'no access token'}`,
    };
  const aud = verified.claims.aud === undefined ? undefined : safeUrl(verified.claims.aud);
  if (!aud || aud.pathname !== rules.clientPath)
    return { ok: false, status: 401, reason: 'Unauthorized: wrong audience' };
  return { ok: true, claims: verified.claims };
}
