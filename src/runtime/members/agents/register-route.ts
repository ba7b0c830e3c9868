import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { MCP_SCOPE } from '../../../contract/mcp/oauth/metadata.js';
import { cosmosErrorResponse } from '../../http/cosmos-errors.js';
import {
  newRegisteredClientId,
  registrationOf,
  type RegistrationVerdict,
} from '../../mcp/oauth/client-registration.js';
import type { AgentsApi } from './agents-api.js';
import { UNUSED_CLIENT_MS } from './agent-clients.js';
import type { RegisteredClient } from './client-store.js';

/** The longest registration body read: a client's metadata is far shorter. */
export const MAX_REGISTRATION_BODY = 8 * 1024;

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/**
 * RFC 7591 §3.2.2's error: "an HTTP 400 status code (unless otherwise specified) with content type
 * 'application/json'", `error` and `error_description`.
 */
const registrationError = (
  error: Extract<RegistrationVerdict, { ok: false }>['error'],
  description: string,
): HttpResponseInit => ({
  status: 400,
  headers: { 'Content-Type': 'application/json', ...NO_STORE },
  jsonBody: { error, error_description: description },
});

/** The body as JSON, or the refusal (another method 405, another type, too long or not JSON: 400). */
async function bodyOf(request: HttpRequest): Promise<{ json: unknown } | HttpResponseInit> {
  if (request.method.toUpperCase() !== 'POST') {
    const refused = registrationError('invalid_client_metadata', 'This endpoint takes POST only.');
    return { ...refused, status: 405, headers: { ...(refused.headers as object), Allow: 'POST' } };
  }
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return registrationError(
      'invalid_client_metadata',
      'The body is application/json (RFC 7591 §3.1).',
    );
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_REGISTRATION_BODY) return tooLong();
  const text = await request.text();
  if (text.length > MAX_REGISTRATION_BODY) return tooLong();
  try {
    return { json: JSON.parse(text) as unknown };
  } catch {
    return registrationError('invalid_client_metadata', 'The body is not JSON.');
  }
}

const tooLong = () =>
  registrationError(
    'invalid_client_metadata',
    `The body is longer than ${String(MAX_REGISTRATION_BODY / 1024)} KB.`,
  );

/**
 * `POST api/oauth/register` (RFC 7591; DESIGN §2: only with `mcp.authorization.registration`), open to anyone —
 * no initial access token (§3) — and bounded per address (oauth-limits.ts). The metadata checked as
 * client-registration.ts says, the client kept in the `members` container for a day unless a consent uses it
 * (client-store.ts, agent-clients.ts), answered 201 with the client's id, `client_id_issued_at` and every registered
 * value (§3.2.1: the response "MUST contain all registered metadata about the client, including any fields
 * provisioned by the authorization server itself"); no `client_secret` (a public client). Every refusal is §3.2.2's
 * 400 — never a 5xx (a Cosmos DB outage is the runtime's 503).
 *
 * @example
 * ```ts
 * add('oauth-register', 'oauth/register', limits.register(registerHandler(api)), post);
 * ```
 */
export function registerHandler(api: AgentsApi) {
  return async (request: HttpRequest): Promise<HttpResponseInit> => {
    const body = await bodyOf(request);
    if (!('json' in body)) return body;
    const verdict = registrationOf(body.json);
    if (!verdict.ok) return registrationError(verdict.error, verdict.description);
    const store = api.registered;
    if (!store) return registrationError('invalid_client_metadata', 'Registration is off.');
    const now = api.now();
    const client: RegisteredClient = {
      ...verdict.registration,
      clientId: newRegisteredClientId(),
      issuedAt: Math.floor(now / 1000),
      expires: now + UNUSED_CLIENT_MS,
    };
    try {
      await store.create(client, now);
    } catch (e) {
      const unavailable = cosmosErrorResponse(e, 'the members container');
      if (unavailable) return unavailable;
      throw e;
    }
    return {
      status: 201,
      headers: { 'Content-Type': 'application/json', ...NO_STORE },
      jsonBody: {
        client_id: client.clientId,
        client_id_issued_at: client.issuedAt,
        ...(client.clientName !== undefined ? { client_name: client.clientName } : {}),
        redirect_uris: client.redirectUris,
        grant_types: client.grantTypes,
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
        scope: MCP_SCOPE,
      },
    };
  };
}
