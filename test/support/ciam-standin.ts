import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.js';

/**
 * A loopback stand-in for a Microsoft Entra External ID tenant's sign-in host (`https://<subdomain>.ciamlogin.com`),
 * for MSAL.js in a real browser (the test routes that host here): the OpenID metadata at
 * `/<tenant id>/v2.0/.well-known/openid-configuration`, whose `issuer` is `https://<tenant id>.ciamlogin.com/<tenant
 * id>/v2.0` (Learn, "Access tokens … external tenants": "This endpoint returns an issuer value
 * https://{tenantid}.ciamlogin.com/{tenantid}/v2.0"); the authorization endpoint as a user flow with an email
 * one-time code (a page asks the email, the code goes to `mailbox`, a second page asks it); the token endpoint
 * (authorization code with PKCE S256, RFC 7636 §4.6; CORS for the SPA's origin, as Entra answers a SPA redirect
 * URI). Tokens are JWTs with the v2.0 claims (`iss`, `aud`, `oid`, `tid`, `nonce`; the access token's `scp`,
 * `email` and `xms_edov`), signed with nothing: MSAL.js in a browser does not check signatures.
 */
export interface CiamStandIn {
  /** http://127.0.0.1:<port>: the test maps `https://<subdomain>.ciamlogin.com` here. */
  readonly base: string;
  /** The tenant's sign-in host, as the issuer and the endpoints name it. */
  readonly host: string;
  readonly issuer: string;
  /** email → the last one-time code sent. */
  readonly mailbox: Map<string, string>;
  /** Every request: method and path with query. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Pending {
  readonly params: URLSearchParams;
  email?: string;
  code?: string;
}

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const jwt = (claims: object) =>
  `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'standin' }))}.${b64url(JSON.stringify(claims))}.${b64url('unsigned')}`;
const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

/** Start the stand-in for the tenant `tenantId` at `https://<subdomain>.ciamlogin.com`, the API `apiClientId`. */
export async function startCiamStandIn(
  subdomain: string,
  tenantId: string,
  apiClientId: string,
): Promise<CiamStandIn> {
  const host = `https://${subdomain}.ciamlogin.com`;
  const issuer = `https://${tenantId}.ciamlogin.com/${tenantId}/v2.0`;
  const mailbox = new Map<string, string>();
  const requests: string[] = [];
  const sessions = new Map<string, Pending>();
  const codes = new Map<string, Pending & { email: string }>();
  const oid = (email: string) => {
    const h = createHash('sha256').update(email).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
      route(req, res, new URLSearchParams(text));
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    const url = new URL(req.url ?? '/', host);
    const cors = { 'access-control-allow-origin': req.headers.origin ?? '*', vary: 'origin' };
    const json = (status: number, data: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json', ...cors })
        .end(JSON.stringify(data));
    const html = (text: string) => res.writeHead(200, { 'content-type': 'text/html' }).end(text);
    if (req.method === 'OPTIONS')
      return void res
        .writeHead(204, {
          ...cors,
          'access-control-allow-headers': '*',
          'access-control-allow-methods': 'GET, POST',
        })
        .end();
    const at = `/${tenantId}`;
    // The metadata answers under the tenant's id and under its domain name alike, naming the same issuer.
    if (
      url.pathname === `${at}/v2.0/.well-known/openid-configuration` ||
      url.pathname === `/${subdomain}.onmicrosoft.com/v2.0/.well-known/openid-configuration`
    )
      return void json(200, {
        issuer,
        authorization_endpoint: `${host}${at}/oauth2/v2.0/authorize`,
        token_endpoint: `${host}${at}/oauth2/v2.0/token`,
        end_session_endpoint: `${host}${at}/oauth2/v2.0/logout`,
        jwks_uri: `${host}${at}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: [
          'sub',
          'iss',
          'aud',
          'exp',
          'iat',
          'nonce',
          'oid',
          'tid',
          'email',
          'name',
        ],
        request_uri_parameter_supported: false,
        tenant_region_scope: 'EU',
      });
    if (url.pathname === `${at}/oauth2/v2.0/authorize`) {
      const id = randomBytes(8).toString('hex');
      sessions.set(id, { params: url.searchParams });
      return void html(
        page(
          'Sign in',
          `<form method="post" action="${at}/otp/send"><input type="hidden" name="session" value="${id}">` +
            '<label>Email <input id="email" name="email" type="email" required></label>' +
            '<button id="send" type="submit">Send code</button></form>',
        ),
      );
    }
    const session = sessions.get(form.get('session') ?? '');
    if (url.pathname === `${at}/otp/send` && session) {
      session.email = (form.get('email') ?? '').toLowerCase();
      session.code = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000));
      mailbox.set(session.email, session.code);
      return void html(
        page(
          'Enter your code',
          `<form method="post" action="${at}/otp/verify"><input type="hidden" name="session" value="${form.get('session') ?? ''}">` +
            '<label>Code <input id="code" name="code" required></label><button id="verify" type="submit">Sign in</button></form>',
        ),
      );
    }
    if (url.pathname === `${at}/otp/verify` && session?.email) {
      if (form.get('code') !== session.code) return void html(page('Wrong code', ''));
      const code = randomBytes(16).toString('hex');
      codes.set(code, { ...session, email: session.email });
      const p = session.params;
      const answer = new URLSearchParams({
        code,
        state: p.get('state') ?? '',
        client_info: b64url(JSON.stringify({ uid: oid(session.email), utid: tenantId })),
      });
      const back = new URL(p.get('redirect_uri') ?? '');
      if (p.get('response_mode') === 'query') back.search = answer.toString();
      else back.hash = answer.toString();
      return void res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === `${at}/oauth2/v2.0/token` && req.method === 'POST') {
      const grant = codes.get(form.get('code') ?? '');
      const p = grant?.params;
      const verifier = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      if (
        !grant ||
        !p ||
        p.get('client_id') !== form.get('client_id') ||
        p.get('redirect_uri') !== form.get('redirect_uri') ||
        p.get('code_challenge') !== verifier
      )
        return void json(400, {
          error: 'invalid_grant',
          error_description: 'AADSTS70000: the code is not valid.',
        });
      codes.delete(form.get('code') ?? '');
      const now = Math.floor(Date.now() / 1000);
      const who = {
        oid: oid(grant.email),
        sub: oid(grant.email),
        tid: tenantId,
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + 3600,
      };
      const scope = (p.get('scope') ?? '')
        .split(' ')
        .filter((s) => s.startsWith('api://'))
        .join(' ');
      return void json(200, {
        token_type: 'Bearer',
        scope,
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: jwt({
          ...who,
          aud: apiClientId,
          azp: p.get('client_id'),
          scp: scope.split('/').pop(),
          email: grant.email,
          xms_edov: true,
          ver: '2.0',
        }),
        id_token: jwt({
          ...who,
          aud: p.get('client_id'),
          nonce: p.get('nonce'),
          preferred_username: grant.email,
          email: grant.email,
          name: grant.email.split('@')[0],
          ver: '2.0',
        }),
        client_info: b64url(JSON.stringify({ uid: who.oid, utid: tenantId })),
      });
    }
    json(404, { error: 'not_found', error_description: `${req.method ?? ''} ${url.pathname}` });
  }

  return { ...(await listenOnLoopback(server)), host, issuer, mailbox, requests };
}
