import { MARKETPLACE_API_APP_ID } from '../../model/marketplace.js';
import { MarketplaceCallError } from './marketplace-port.js';

/** Where and as whom the publisher's token is asked for. */
export interface PublisherCredentials {
  /** `https://login.microsoftonline.com`, or the stand-in's base. */
  readonly login: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly secret: string;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

/** A token is asked for again this long before it expires (a call never starts with one about to lapse). */
const MARGIN_MS = 5 * 60_000;

/**
 * The publisher's access token for the Marketplace APIs, kept until 5 minutes before it expires: the OAuth 2.0 client
 * credentials grant on the publisher tenant's v2.0 endpoint, `POST <login>/<tenant>/oauth2/v2.0/token` with
 * `grant_type=client_credentials`, the fulfillment app's `client_id` and `client_secret` and `scope=20e940b3-…/.default`
 * (Learn, "Register a SaaS application": "The Fulfillment APIs use the OAuth 2.0 client credentials to grant flow on
 * Microsoft Entra ID (v2.0) endpoints"; "Microsoft identity platform and the OAuth 2.0 client credentials flow": the
 * `/.default` scope of a resource's application id). A refused secret (400/401) is a {@link MarketplaceCallError} that
 * trying again does not cure; the secret is never in its message.
 *
 * @example
 * ```ts
 * const token = publisherToken({ login: 'https://login.microsoftonline.com', tenantId, clientId, secret, timeoutMs: 5000 });
 * const bearer = await token();
 * ```
 */
export function publisherToken(c: PublisherCredentials): () => Promise<string> {
  const now = c.now ?? Date.now;
  let held: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.secret,
      scope: `${MARKETPLACE_API_APP_ID}/.default`,
    });
    let res: Response;
    try {
      res = await fetch(`${c.login}/${encodeURIComponent(c.tenantId)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        signal: AbortSignal.timeout(c.timeoutMs),
      });
    } catch (e) {
      throw new MarketplaceCallError(
        `The publisher tenant's token endpoint did not answer (${e instanceof Error ? e.name : 'error'}).`,
        undefined,
        true,
      );
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    const token = json['access_token'];
    if (!res.ok || typeof token !== 'string' || token === '')
      throw new MarketplaceCallError(
        `The publisher tenant refused the fulfillment app's credentials (${String(res.status)}` +
          `${typeof json['error'] === 'string' ? ` ${json['error']}` : ''}).`,
        res.status,
        res.status >= 500 || res.status === 429,
      );
    const seconds = Number(json['expires_in'] ?? 3600);
    held = { token, until: now() + (Number.isFinite(seconds) ? seconds : 3600) * 1000 - MARGIN_MS };
    return token;
  };
  return async () => {
    if (held && now() < held.until) return held.token;
    // One request at a time: a burst of calls shares the token the first one asks for.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
