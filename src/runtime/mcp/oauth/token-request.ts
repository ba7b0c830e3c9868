import type { HttpResponseInit } from '@azure/functions';
import type { CodeExchange } from './authorization-code.js';

/** The error codes of a token, revocation or registration answer (RFC 6749 §5.2, RFC 8707 §2, RFC 7591 §3.2.2). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_token_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'invalid_client_metadata'
  | 'invalid_redirect_uri';

/**
 * An OAuth error answer: JSON `{ error, error_description }`, `400` (`401` for `invalid_client`, with
 * `WWW-Authenticate`), never cached (RFC 6749 §5.2; §5.1: `Cache-Control: no-store`).
 *
 * @example
 * ```ts
 * return oauthError('invalid_grant', 'The code expired.');
 * ```
 */
export function oauthError(error: OAuthErrorCode, description: string): HttpResponseInit {
  const status = error === 'invalid_client' ? 401 : 400;
  return {
    status,
    headers: {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...(status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_client"' } : {}),
    },
    jsonBody: { error, error_description: description },
  };
}

/** A token request, read: a code exchange, a refresh, or the error it is. */
export type TokenRequest =
  | ({ readonly grantType: 'authorization_code' } & CodeExchange)
  | {
      readonly grantType: 'refresh_token';
      readonly refreshToken: string;
      readonly clientId: string;
      readonly resource: string | undefined;
    }
  | { readonly grantType: 'error'; readonly error: OAuthErrorCode; readonly description: string };

/**
 * Read `POST api/oauth/token`'s form (`application/x-www-form-urlencoded`, RFC 6749 §4.1.3, §6): the grant type
 * and its parameters, each at most once (RFC 6749 §3.2: "Request and response parameters MUST NOT be included more
 * than once"), `client_id` always (a public client identifies itself: §3.2.1).
 *
 * @example
 * ```ts
 * const request = tokenRequestOf(new URLSearchParams(await req.text()));
 * ```
 */
export function tokenRequestOf(form: URLSearchParams): TokenRequest {
  const fail = (error: OAuthErrorCode, description: string): TokenRequest => ({
    grantType: 'error',
    error,
    description,
  });
  for (const name of new Set(form.keys()))
    if (form.getAll(name).length > 1) return fail('invalid_request', `${name} is given twice.`);
  const one = (name: string) => form.get(name) ?? undefined;
  const clientId = one('client_id');
  const grantType = one('grant_type');
  if (!grantType) return fail('invalid_request', 'grant_type is missing.');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token')
    return fail('unsupported_grant_type', `grant_type ${grantType} is not served.`);
  if (!clientId) return fail('invalid_client', 'client_id is missing.');
  if (grantType === 'refresh_token') {
    const refreshToken = one('refresh_token');
    if (!refreshToken) return fail('invalid_request', 'refresh_token is missing.');
    return { grantType, refreshToken, clientId, resource: one('resource') };
  }
  const code = one('code');
  if (!code) return fail('invalid_request', 'code is missing.');
  if (!one('code_verifier'))
    return fail('invalid_request', 'code_verifier is missing (PKCE is required).');
  return {
    grantType,
    code,
    clientId,
    redirectUri: one('redirect_uri'),
    codeVerifier: one('code_verifier'),
    resource: one('resource'),
  };
}
