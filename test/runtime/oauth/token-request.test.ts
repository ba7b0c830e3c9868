/**
 * `POST api/oauth/token`'s checks (DESIGN.md §2; RFC 6749 §4.1.3, §5.2; RFC 7636 §4.6): a code is single use,
 * lives at most 60 s, and is bound to its client, redirect, PKCE challenge and resource; a replayed code names the
 * grant to revoke; every malformed form is an OAuth error (400, or 401 for a missing client), never cached, never a
 * 5xx. A property: a random form is always an answer of RFC 6749 §5.2's shape.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CODE_LIFETIME_MS,
  type CodeBinding,
  newAuthorizationCode,
  redeemCode,
} from '../../../src/runtime/mcp/oauth/authorization-code.js';
import { oauthError, tokenRequestOf } from '../../../src/runtime/mcp/oauth/token-request.js';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const binding: CodeBinding = {
  clientId: 'https://claude.ai/oauth/mcp-client.json',
  redirectUri: 'https://claude.ai/api/mcp/auth_callback',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  person: 'alice@contoso.com',
  organization: 'acme',
  resource: 'http://127.0.0.1:7071/api/mcp',
};

describe('an authorization code', () => {
  const now = 5_000_000;
  const { code, record } = newAuthorizationCode(binding, now);
  const exchange = {
    code,
    clientId: binding.clientId,
    redirectUri: binding.redirectUri,
    codeVerifier: VERIFIER,
    resource: undefined,
  };

  it('is stored hashed and redeems once for its binding', () => {
    expect(JSON.stringify(record)).not.toContain(code);
    expect(redeemCode(record, exchange, now + 1000)).toEqual({ ok: true, binding });
    expect(redeemCode(record, { ...exchange, resource: `${binding.resource}/` }, now).ok).toBe(
      true,
    );
  });

  it('is refused stolen (no verifier), for another client, redirect or resource, or expired', () => {
    for (const bad of [
      { codeVerifier: undefined },
      { codeVerifier: 'x'.repeat(43) },
      { clientId: 'https://evil.example/client.json' },
      { redirectUri: 'https://evil.example/cb' },
      { redirectUri: undefined },
      { resource: 'https://elsewhere.example/api/mcp' },
      { code: `${code}x` },
    ])
      expect(redeemCode(record, { ...exchange, ...bad }, now).ok, JSON.stringify(bad)).toBe(false);
    expect(redeemCode(record, exchange, now + CODE_LIFETIME_MS).ok).toBe(false);
    expect(redeemCode(undefined, exchange, now).ok).toBe(false);
  });

  it('used once, a second use names the grant it made (to revoke)', () => {
    expect(redeemCode({ ...record, usedFor: 'grant-9' }, exchange, now)).toMatchObject({
      ok: false,
      replayed: 'grant-9',
    });
  });
});

describe('a token request', () => {
  it('reads the code exchange and the refresh', () => {
    expect(
      tokenRequestOf(
        new URLSearchParams({
          grant_type: 'authorization_code',
          code: 'c',
          client_id: 'id',
          redirect_uri: 'r',
          code_verifier: VERIFIER,
        }),
      ),
    ).toEqual({
      grantType: 'authorization_code',
      code: 'c',
      clientId: 'id',
      redirectUri: 'r',
      codeVerifier: VERIFIER,
      resource: undefined,
    });
    expect(
      tokenRequestOf(
        new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 't', client_id: 'id' }),
      ),
    ).toMatchObject({ grantType: 'refresh_token', refreshToken: 't' });
  });

  it('malformed is the OAuth error RFC 6749 §5.2 names', () => {
    const cases: [string, string][] = [
      ['', 'invalid_request'],
      ['grant_type=password&client_id=a', 'unsupported_grant_type'],
      ['grant_type=client_credentials', 'unsupported_grant_type'],
      ['grant_type=authorization_code&code=c&code_verifier=v', 'invalid_client'],
      ['grant_type=authorization_code&client_id=a&code_verifier=v', 'invalid_request'],
      ['grant_type=authorization_code&client_id=a&code=c', 'invalid_request'],
      ['grant_type=refresh_token&client_id=a', 'invalid_request'],
      ['grant_type=refresh_token&client_id=a&refresh_token=t&refresh_token=u', 'invalid_request'],
    ];
    for (const [form, error] of cases)
      expect(tokenRequestOf(new URLSearchParams(form)), form).toMatchObject({
        grantType: 'error',
        error,
      });
  });

  it('an error answer is 400 (401 for the client), JSON, never cached', () => {
    const a = oauthError('invalid_grant', 'The code expired.');
    expect(a).toMatchObject({
      status: 400,
      headers: { 'Cache-Control': 'no-store' },
      jsonBody: { error: 'invalid_grant', error_description: 'The code expired.' },
    });
    expect(oauthError('invalid_client', 'x').status).toBe(401);
  });

  it('any form is read without throwing, as a request or an error', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'grant_type',
              'code',
              'client_id',
              'refresh_token',
              'code_verifier',
              'x',
            ),
            fc.string(),
          ),
        ),
        (pairs) => {
          const r = tokenRequestOf(new URLSearchParams(pairs));
          expect(['authorization_code', 'refresh_token', 'error']).toContain(r.grantType);
        },
      ),
    );
  });
});
