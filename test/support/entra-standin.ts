import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.js';

/**
 * A loopback stand-in for a Microsoft Entra ID tenant's v2.0 endpoints, refusing a `resource` as Entra does, for an
 * MCP client's sign-in (the MCP specification has clients send RFC 8707's `resource` on the authorization and
 * token requests). Learn, "Secure a Model Context Protocol server with Microsoft Entra ID"
 * (https://learn.microsoft.com/entra/agent-id/secure-mcp-server-with-entra-id): Entra compares the `resource` value
 * with the Application ID URIs (identifier URIs) of the server's registration and fails the request when none
 * matches — AADSTS500011, "The resource principal named … was not found in the tenant" (Learn, "Microsoft Entra
 * authentication and authorization error codes"); a `resource` of one registration beside a scope of another is
 * AADSTS9010010. A v2.0 scope is `<identifier URI>/<scope>` (AADSTS70011 otherwise); without `resource` the scope
 * alone names the API. Served: the OpenID metadata at `/<tenant>/v2.0/.well-known/openid-configuration` (no
 * registration endpoint: Entra has no dynamic client registration, nor does it list PKCE methods), the authorize
 * endpoint (the user signs in at once: a redirect with a code, or with the error), the token endpoint (code + PKCE
 * S256). Tokens are unsigned JWTs with the v2 access token's `aud` (the API's client id) and `scp`.
 */
export interface EntraStandIn {
  readonly base: string;
  /** The issuer, `<base>/<tenant>/v2.0`: what the protected-resource metadata names. */
  readonly issuer: string;
  /** Each token request: its form, and the error Entra answered (undefined: a token was issued). */
  readonly tokenRequests: { readonly form: Record<string, string>; readonly error?: string }[];
  close(): Promise<void>;
}

/** An API registration: its client id, identifier URIs and delegated scopes. */
export interface StandInApi {
  readonly clientId: string;
  readonly identifierUris: readonly string[];
  readonly scopes: readonly string[];
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const jwt = (claims: object) =>
  `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256' }))}.${b64url(JSON.stringify(claims))}.${b64url('unsigned')}`;

interface Refusal {
  readonly error: string;
  readonly description: string;
}

/** What Entra says of a request's `resource` and `scope`: a refusal, or the API they name and its granted scopes. */
function judge(
  apis: readonly StandInApi[],
  tenant: string,
  scope: string,
  resource: string | undefined,
): Refusal | { api: StandInApi; scp: string[] } {
  const named = resource ? apis.find((a) => a.identifierUris.includes(resource)) : undefined;
  if (resource && !named)
    return {
      error: 'invalid_resource',
      description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant named ${tenant}.`,
    };
  let api: StandInApi | undefined;
  const scp: string[] = [];
  for (const s of scope.split(' ').filter((x) => x && !OIDC_SCOPES.has(x))) {
    const owner = apis.find((a) =>
      a.identifierUris.some(
        (u) => s.startsWith(`${u}/`) && a.scopes.includes(s.slice(u.length + 1)),
      ),
    );
    if (!owner || (api && owner !== api))
      return {
        error: 'invalid_scope',
        description: `AADSTS70011: The provided value for the input parameter 'scope' isn't valid. The scope ${s} isn't valid.`,
      };
    api = owner;
    scp.push(s.slice(s.lastIndexOf('/') + 1));
  }
  if (!api) return { error: 'invalid_scope', description: 'AADSTS70011: no API scope requested.' };
  if (named && named !== api)
    return {
      error: 'invalid_request',
      description:
        "AADSTS9010010: The resource parameter provided in the request doesn't match with the requested scopes.",
    };
  return { api, scp };
}

/**
 * Start the stand-in for `tenant`, knowing `apis` and the public clients (client id → redirect URIs).
 *
 * @example
 * ```ts
 * const entra = await startEntraStandIn(TENANT, [{ clientId: API, identifierUris: [`api://${API}`], scopes: ['user_impersonation'] }], { [CLIENT]: [redirect] });
 * ```
 */
export async function startEntraStandIn(
  tenant: string,
  apis: readonly StandInApi[],
  clients: Readonly<Record<string, readonly string[]>>,
): Promise<EntraStandIn> {
  const codes = new Map<string, URLSearchParams>();
  const tokenRequests: { form: Record<string, string>; error?: string }[] = [];
  let base = '';
  const issuer = () => `${base}/${tenant}/v2.0`;
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const p = url.searchParams;
    if (req.method === 'GET' && url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`)
      return json(res, 200, {
        issuer: issuer(),
        authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: [
          'client_secret_post',
          'private_key_jwt',
          'client_secret_basic',
        ],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    if (req.method === 'GET' && url.pathname === `/${tenant}/oauth2/v2.0/authorize`) {
      const redirect = p.get('redirect_uri') ?? '';
      if (!clients[p.get('client_id') ?? '']?.includes(redirect))
        return json(res, 400, { error: 'AADSTS50011: unknown client or redirect URI' });
      const back = new URL(redirect);
      const verdict = judge(apis, tenant, p.get('scope') ?? '', p.get('resource') ?? undefined);
      if ('error' in verdict) {
        back.searchParams.set('error', verdict.error);
        back.searchParams.set('error_description', verdict.description);
      } else {
        const code = randomBytes(12).toString('base64url');
        codes.set(code, p);
        back.searchParams.set('code', code);
      }
      if (p.get('state')) back.searchParams.set('state', p.get('state') ?? '');
      return res.writeHead(302, { location: back.href }).end();
    }
    if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/token`) {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      const refuse = (error: string, description: string) => {
        tokenRequests.push({ form, error: description });
        json(res, 400, { error, error_description: description });
      };
      const asked = codes.get(form['code'] ?? '');
      const challenge = b64url(
        createHash('sha256')
          .update(form['code_verifier'] ?? '')
          .digest(),
      );
      if (
        !asked ||
        form['client_id'] !== asked.get('client_id') ||
        form['redirect_uri'] !== asked.get('redirect_uri') ||
        challenge !== asked.get('code_challenge')
      )
        return refuse('invalid_grant', 'AADSTS70008: the code is not valid for this request.');
      codes.delete(form['code'] ?? '');
      // The token request's own resource is judged with the scope the code was issued for.
      const verdict = judge(apis, tenant, asked.get('scope') ?? '', form['resource']);
      if ('error' in verdict) return refuse(verdict.error, verdict.description);
      tokenRequests.push({ form });
      return json(res, 200, {
        token_type: 'Bearer',
        scope: asked.get('scope'),
        expires_in: 3599,
        access_token: jwt({
          iss: issuer(),
          aud: verdict.api.clientId,
          tid: tenant,
          scp: verdict.scp.join(' '),
          ver: '2.0',
        }),
      });
    }
    return json(res, 404, { error: 'not found' });
  };
  const server = createServer((req, res) => void handle(req, res));
  const listening = await listenOnLoopback(server);
  base = listening.base;
  return { base, issuer: issuer(), tokenRequests, close: listening.close };
}
