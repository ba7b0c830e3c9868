import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { MCP_SCOPE, mcpResourceOf } from '../../../contract/mcp/oauth/metadata.js';
import { recordAudit } from '../../audit/record-audit.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { issueAccessToken } from '../../mcp/oauth/access-token.js';
import { codeHash, redeemCode } from '../../mcp/oauth/authorization-code.js';
import { newRefreshToken, useRefreshToken } from '../../mcp/oauth/refresh-rotation.js';
import { oauthError, type TokenRequest, tokenRequestOf } from '../../mcp/oauth/token-request.js';
import { signingKeyRefusal } from '../../mcp/oauth/signing-key-refusal.js';
import { keepClient } from './agent-clients.js';
import { type AgentsApi, grantDenied } from './agents-api.js';
import type { StoredGrant } from './agent-store.js';
import { issuerOf } from './authorize-route.js';
import { revokeGrant } from './grant-revocation.js';

/** The longest token or revocation form read (RFC 6749 §4.1.3's few parameters are far shorter). */
export const MAX_OAUTH_FORM = 16 * 1024;
/** How many times a refresh is tried again after another refresh of the grant changed it meanwhile. */
const TRIES = 4;

/**
 * The form of an OAuth POST (`application/x-www-form-urlencoded`, RFC 6749 §4.1.3, RFC 7009 §2.1), or the OAuth
 * error answering it: another method (405), another type or an oversized body (`invalid_request`).
 *
 * @example
 * ```ts
 * const form = await oauthForm(request);
 * if (!(form instanceof URLSearchParams)) return form;
 * ```
 */
export async function oauthForm(request: HttpRequest): Promise<URLSearchParams | HttpResponseInit> {
  if (request.method.toUpperCase() !== 'POST') {
    const refused = oauthError('invalid_request', 'This endpoint takes POST only.');
    return { ...refused, status: 405, headers: { ...(refused.headers as object), Allow: 'POST' } };
  }
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    return oauthError('invalid_request', 'The body is application/x-www-form-urlencoded.');
  const text = await request.text();
  if (text.length > MAX_OAUTH_FORM) return oauthError('invalid_request', 'The body is too long.');
  return new URLSearchParams(text);
}

/** A refresh token as handed out: its secret part (refresh-rotation.ts), then where its grant is kept. */
export const refreshTokenOf = (secret: string, grant: Pick<StoredGrant, 'organization' | 'id'>) =>
  `${secret}.${grant.organization}.${grant.id}`;

/** A refresh token's parts, or undefined when it is none of ours. */
export function refreshParts(
  token: string,
): { secret: string; organization: string; id: string } | undefined {
  const [secret, organization, id, extra] = token.split('.');
  if (extra !== undefined || !secret?.startsWith('atr_') || !organization || !id) return undefined;
  return { secret, organization, id };
}

/**
 * `POST api/oauth/token` (DESIGN §2; RFC 6749 §4.1.3 and §6, RFC 7636 §4.5, OAuth 2.1): `authorization_code` with
 * PKCE — the code redeemed once (a second use revokes the grant it made, RFC 6749 §4.1.2), a grant made for the
 * person, client and organization it was bound to — and `refresh_token`, rotated on every use with a 60 s grace,
 * re-checking the grant, the person's membership, the organization's state and its plan's `mcp` feature each time.
 * Answers `{ access_token, token_type, expires_in, refresh_token, scope }`, never cached (§5.1); every refusal an
 * OAuth error (§5.2).
 *
 * @example
 * ```ts
 * app.http('oauth-token', { route: 'oauth/token', methods: ['POST'], handler: tokenHandler(api) });
 * ```
 */
export function tokenHandler(api: AgentsApi) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const form = await oauthForm(request);
    if (!(form instanceof URLSearchParams)) return form;
    const asked = tokenRequestOf(form);
    try {
      if (asked.grantType === 'error') return oauthError(asked.error, asked.description);
      const resource = mcpResourceOf(issuerOf(request));
      if (asked.resource !== undefined && asked.resource.replace(/\/+$/, '') !== resource)
        return oauthError('invalid_target', `The only resource is the MCP server ${resource}.`);
      return asked.grantType === 'authorization_code'
        ? await exchange(api, request, asked)
        : await refresh(api, request, asked);
    } catch (e) {
      const unavailable = cosmosErrorResponse(e, 'the members container') ?? signingKeyRefusal(e);
      if (unavailable) return unavailable;
      throw e;
    }
  };
}

type Asked<K> = Extract<TokenRequest, { grantType: K }>;

async function exchange(
  api: AgentsApi,
  request: HttpRequest,
  asked: Asked<'authorization_code'>,
): Promise<HttpResponseInit> {
  const now = api.now();
  const found = await api.store.readCode(codeHash(asked.code));
  const redeemed = redeemCode(found?.value, asked, now);
  if (!redeemed.ok) {
    if (redeemed.replayed && found)
      await revokeGrant(
        api,
        found.value.organization,
        redeemed.replayed,
        { id: found.value.person, via: 'mcp' },
        'its authorization code was used twice',
      );
    return oauthError('invalid_grant', redeemed.description);
  }
  const b = redeemed.binding;
  const id = randomBytes(12).toString('base64url');
  if (!found || !(await api.store.useCode(found, id))) {
    const again = await api.store.readCode(found?.value.hash ?? '');
    const made = again?.value.usedFor;
    if (made !== undefined)
      await revokeGrant(
        api,
        b.organization,
        made,
        { id: b.person, via: 'mcp' },
        'its authorization code was used twice',
      );
    return oauthError('invalid_grant', 'The code was used already.');
  }
  const client = await api.clients.lookup(b.clientId);
  const first = newRefreshToken();
  const grant: StoredGrant = {
    id,
    person: b.person,
    organization: b.organization,
    clientId: b.clientId,
    clientName: client.ok ? client.client.name : b.clientId,
    clientHost: client.ok ? client.client.host : hostOf(b.clientId),
    created: new Date(now).toISOString(),
    ...(b.directory !== undefined ? { directory: b.directory } : {}),
    refresh: { current: [first.hash], expires: now + api.config.refreshTokenDays * 86_400_000 },
  };
  const denied = await grantDenied(api, grant, true);
  if (denied) return oauthError('invalid_grant', denied);
  // A new consent for a client the person had connected there replaces that grant (grant-life.ts roomForGrant).
  for (const old of await api.store.grantsIn(b.organization))
    if (old.person === b.person && old.clientId === b.clientId && old.revoked === undefined)
      await revokeGrant(
        api,
        b.organization,
        old.id,
        { id: b.person, via: 'api' },
        'connected again',
      );
  await api.store.createGrant(grant);
  // A registered client (RFC 7591) is kept while its grants are used: from a day to the refresh token lifetime.
  await keepClient(api.registered, b.clientId, now, api.config.refreshTokenDays);
  await recordAudit(api.members, {
    tenant: b.organization,
    actor: { id: b.person, via: 'api' },
    action: 'agent.connected',
    target: id,
    changes: { client: grant.clientId, name: grant.clientName },
  });
  return tokens(api, request, grant, first.token, now);
}

/** A metadata document's host (a registered client id is no URL: its grant names no host then). */
const hostOf = (clientId: string): string => {
  try {
    return new URL(clientId).host;
  } catch {
    return '';
  }
};

async function refresh(
  api: AgentsApi,
  request: HttpRequest,
  asked: Asked<'refresh_token'>,
): Promise<HttpResponseInit> {
  const parts = refreshParts(asked.refreshToken);
  const unknown = () =>
    oauthError('invalid_grant', 'The refresh token is unknown, spent or expired.');
  if (!parts) return unknown();
  for (let i = 0; i < TRIES; i++) {
    const read = await api.store.readGrant(parts.organization, parts.id);
    if (!read) return unknown();
    const grant = read.value;
    if (grant.clientId !== asked.clientId)
      return oauthError('invalid_grant', 'The refresh token was issued to another client.');
    const denied = await grantDenied(api, grant, true);
    if (denied) return oauthError('invalid_grant', denied);
    const now = api.now();
    const used = useRefreshToken(grant.refresh, parts.secret, now, api.config.refreshTokenDays);
    if (!used.ok) return unknown();
    // Only a refresh that works keeps a registered client (RFC 7591) alive.
    const registered = await keepClient(
      api.registered,
      grant.clientId,
      now,
      api.config.refreshTokenDays,
    );
    // RFC 6749 §5.2 `unauthorized_client`: "not authorized to use this authorization grant type" (it registered none).
    if (registered && !registered.grantTypes.includes('refresh_token'))
      return oauthError('unauthorized_client', 'This client registered no refresh_token grant.');
    const next: StoredGrant = {
      ...grant,
      refresh: used.state,
      lastUsedOn: new Date(now).toISOString(),
    };
    // Another refresh of this grant wrote first: read it again (the grace takes the second use).
    if (!(await api.store.replaceGrant(next, read.etag))) continue;
    return tokens(api, request, next, used.token, now);
  }
  return oauthError('invalid_grant', 'The grant changed while refreshing: try again.');
}

async function tokens(
  api: AgentsApi,
  request: HttpRequest,
  grant: StoredGrant,
  secret: string,
  now: number,
): Promise<HttpResponseInit> {
  const issuer = issuerOf(request);
  const { signing } = await api.keys();
  const { token, expiresIn } = await issueAccessToken(signing, {
    issuer,
    audience: mcpResourceOf(issuer),
    person: grant.person,
    organization: grant.organization,
    clientId: grant.clientId,
    grant: grant.id,
    minutes: api.config.accessTokenMinutes,
    now: Math.floor(now / 1000),
  });
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
    },
    jsonBody: {
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshTokenOf(secret, grant),
      scope: MCP_SCOPE,
    },
  };
}
