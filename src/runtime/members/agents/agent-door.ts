import { type HttpHandler, HttpRequest, type HttpResponseInit } from '@azure/functions';
import { decodeProtectedHeader } from 'jose';
import { TENANT_SELECT_HEADER } from '../../../contract/members.js';
import { mcpResourceOf } from '../../../contract/mcp/oauth/metadata.js';
import { PROTECTED_RESOURCE_PATH } from '../../../contract/mcp/protocol.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import { problemResponse } from '../../http/response.js';
import { agentTokenConfinement, verifyAccessToken } from '../../mcp/oauth/access-token.js';
import { type AgentsApi, cachedGrant, membershipOfGrant } from './agents-api.js';
import { issuerOf } from './authorize-route.js';

/** The longest bearer token read as one of ours (an ES256 token of these claims is well under 1 KB). */
const MAX_TOKEN = 4096;

/**
 * The backend's own agent access token a request carries, or undefined: `Authorization: Bearer` with a JWT typed
 * `at+jwt` (RFC 9068 §2.1) — never an Entra token (typed `JWT`), an API key or a SCIM token, which go on as before.
 *
 * @example
 * ```ts
 * agentBearer(request); // 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9…' or undefined
 * ```
 */
export function agentBearer(request: Pick<HttpRequest, 'headers'>): string | undefined {
  const header = request.headers.get('authorization');
  if (!header || header.length > MAX_TOKEN) return undefined;
  const token = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(header)?.[1];
  if (!token) return undefined;
  try {
    return decodeProtectedHeader(token).typ?.toLowerCase() === 'at+jwt' ? token : undefined;
  } catch {
    return undefined;
  }
}

/** 401 for an agent token that admits nothing, naming the metadata so the agent signs in again (RFC 6750 §3, RFC 9728 §5.1). */
const invalid = (request: HttpRequest, why: string): HttpResponseInit =>
  problemResponse('agent-token-invalid', `This agent token admits nothing: ${why}`, {
    headers: {
      'WWW-Authenticate': `Bearer error="invalid_token", resource_metadata="${new URL(request.url).origin}${PROTECTED_RESOURCE_PATH}"`,
    },
  });

/**
 * The MCP door with agents (DESIGN §2, "Tokens"): a request carrying one of the backend's own access tokens is
 * checked here — the signature, issuer, audience (this MCP URL) and expiry (access-token.ts); the organization
 * (another in `X-Atakora-Tenant`: 403 `agent-token-confined`); the grant (revoked or unknown) and the person's
 * membership (removed, barred or deprovisioned: none that began before the grant) through this instance's caches,
 * so an end holds within 30 s (401 `agent-token-invalid`) — and then goes through the door as its person acting in
 * its organization: the same pipeline, rules, plan, limits and ledger as that person's own call. Any other request
 * (an Entra token, an API key) reaches `inner` untouched. Only `api/mcp` is wrapped: a token of ours anywhere else
 * is no sign-in at all.
 *
 * @example
 * ```ts
 * add(MCP_FUNCTION, MCP_ROUTE, agentDoor(api, mcpHandler));
 * ```
 */
export function agentDoor(api: AgentsApi, inner: HttpHandler): HttpHandler {
  return async (request, invocation) => {
    const token = agentBearer(request);
    if (token === undefined) return inner(request, invocation);
    let admitted: HttpRequest | HttpResponseInit;
    try {
      admitted = await admitAgent(api, request, token);
    } catch (e) {
      const unavailable = cosmosErrorResponse(e, 'the members container');
      if (unavailable) return unavailable;
      throw e;
    }
    return admitted instanceof HttpRequest ? inner(admitted, invocation) : admitted;
  };
}

async function admitAgent(
  api: AgentsApi,
  request: HttpRequest,
  token: string,
): Promise<HttpRequest | HttpResponseInit> {
  const issuer = issuerOf(request);
  const { signing } = await api.keys();
  const checked = await verifyAccessToken(signing, token, {
    issuer,
    audience: mcpResourceOf(issuer),
    now: Math.floor(api.now() / 1000),
  });
  if (!checked.ok) return invalid(request, checked.why);
  const claims = checked.claims;
  const confined = agentTokenConfinement(claims, 'mcp', request.headers.get(TENANT_SELECT_HEADER));
  if (!confined.ok)
    return confined.status === 403
      ? problemResponse('agent-token-confined', confined.why)
      : invalid(request, confined.why);
  const grant = (await cachedGrant(api, claims.org, claims.grant))?.value;
  if (!grant || grant.revoked !== undefined || grant.person !== claims.sub)
    return invalid(request, 'its grant was revoked.');
  const membership = await api.members.cache.membership(claims.org, claims.sub);
  if (!membershipOfGrant(grant, membership))
    return invalid(request, `its person is no longer a member of ${claims.org}.`);
  return asPerson(request, claims.sub, grant.directory, claims.org);
}

/**
 * The request as its person's own, in its organization: the token replaced by the principal App Service would set
 * for that person (caller/client-principal.ts reads it), `X-Atakora-Tenant` the token's organization. Made here,
 * after the token was verified; a principal the client sent is dropped, as App Service drops it.
 */
async function asPerson(
  request: HttpRequest,
  person: string,
  directory: string | undefined,
  organization: string,
): Promise<HttpRequest> {
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    if (k !== 'authorization' && k !== 'x-ms-client-principal') headers[k] = v;
  });
  const principal = {
    auth_typ: 'atakora-agent',
    name_typ: 'name',
    role_typ: 'roles',
    claims: [
      { typ: 'oid', val: person },
      ...(directory !== undefined ? [{ typ: 'tid', val: directory }] : []),
    ],
  };
  headers['x-ms-client-principal'] = Buffer.from(JSON.stringify(principal)).toString('base64');
  headers[TENANT_SELECT_HEADER.toLowerCase()] = organization;
  const body =
    request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
  return new HttpRequest({
    method: request.method,
    url: request.url,
    headers,
    params: { ...request.params },
    ...(body && body.byteLength > 0 ? { body: { bytes: new Uint8Array(body) } } : {}),
  });
}
