import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { mcpResourceOf } from '../../../contract/mcp/oauth/metadata.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { verifyAccessToken } from '../../mcp/oauth/access-token.js';
import { refreshHash } from '../../mcp/oauth/refresh-rotation.js';
import { signingKeyRefusal } from '../../mcp/oauth/signing-key-refusal.js';
import { oauthError } from '../../mcp/oauth/token-request.js';
import type { AgentsApi } from './agents-api.js';
import { issuerOf } from './authorize-route.js';
import { revokeGrant } from './grant-revocation.js';
import { oauthForm, refreshParts } from './token-route.js';

/** RFC 7009 §2.2: "The authorization server responds with HTTP status code 200" — for an unknown token too. */
const revoked = (): HttpResponseInit => ({
  status: 200,
  headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
});

/**
 * `POST api/oauth/revoke` (RFC 7009): a refresh token of ours — proven by its hash, current or within its grace —
 * or an access token of ours (its signature checked) revokes the grant it belongs to, so every token of that grant
 * ends: refreshes at once, access tokens at the MCP door within 30 s. A `client_id` sent must be the grant's (§2.1:
 * "the authorization server … verifies whether the token was issued to the client making the revocation
 * request"). An unknown, expired or foreign token is answered 200 all the same (§2.2: "invalid tokens do not cause
 * an error response"); a request without `token` is `invalid_request` (§2.2.1).
 *
 * @example
 * ```ts
 * app.http('oauth-revoke', { route: 'oauth/revoke', methods: ['POST'], handler: revokeHandler(api) });
 * ```
 */
export function revokeHandler(api: AgentsApi) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const form = await oauthForm(request);
    if (!(form instanceof URLSearchParams)) return form;
    const tokens = form.getAll('token');
    const token = tokens[0];
    if (tokens.length !== 1 || !token) return oauthError('invalid_request', 'token is missing.');
    const clientId = form.get('client_id') ?? undefined;
    try {
      const grant = await grantOfToken(api, request, token);
      if (grant && (clientId === undefined || clientId === grant.clientId))
        await revokeGrant(
          api,
          grant.organization,
          grant.id,
          { id: grant.person, via: 'mcp' },
          'revoked by the agent',
        );
      return revoked();
    } catch (e) {
      const unavailable = cosmosErrorResponse(e, 'the members container') ?? signingKeyRefusal(e);
      if (unavailable) return unavailable;
      throw e;
    }
  };
}

/** The grant a token of ours belongs to — a refresh token only while it still refreshes — or undefined. */
async function grantOfToken(
  api: AgentsApi,
  request: HttpRequest,
  token: string,
): Promise<{ organization: string; id: string; person: string; clientId: string } | undefined> {
  const parts = refreshParts(token);
  if (parts) {
    const read = await api.store.readGrant(parts.organization, parts.id);
    const refresh = read?.value.refresh;
    const hash = refreshHash(parts.secret);
    const held =
      refresh &&
      (refresh.current.includes(hash) ||
        (refresh.previous?.hash === hash && api.now() < refresh.previous.until));
    return held ? read.value : undefined;
  }
  const issuer = issuerOf(request);
  const { signing } = await api.keys();
  const checked = await verifyAccessToken(signing, token, {
    issuer,
    audience: mcpResourceOf(issuer),
    now: Math.floor(api.now() / 1000),
  });
  if (!checked.ok) return undefined;
  const { org, grant, sub, client_id: clientId } = checked.claims;
  return { organization: org, id: grant, person: sub, clientId };
}
