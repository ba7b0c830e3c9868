/**
 * `GET api/oauth/authorize`'s request checks (DESIGN.md §2; RFC 6749 §4.1.2.1, RFC 7636, RFC 8707, RFC 9207): a
 * request whose client or redirect is not known good is explained on the page and never redirected (no open
 * redirect); every other error goes back to the client's redirect with `state` and `iss`; PKCE S256 required.
 * A property: for any query, the only redirect ever chosen is one of the client's own URIs, exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authorizeVerdict,
  clientIdOf,
  redirectWith,
} from '../../../src/runtime/mcp/oauth/authorize-request.js';
import type { ClientLookup } from '../../../src/runtime/mcp/oauth/client-metadata.js';

const MCP = 'http://127.0.0.1:7071/api/mcp';
const CLIENT_ID = 'https://claude.ai/oauth/mcp-client.json';
const CB = 'https://claude.ai/api/mcp/auth_callback';
const claude: ClientLookup = {
  ok: true,
  client: {
    clientId: CLIENT_ID,
    name: 'Claude',
    host: 'claude.ai',
    redirectUris: [CB, 'http://localhost:6274/cb'],
  },
};
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const good = {
  response_type: 'code',
  client_id: CLIENT_ID,
  redirect_uri: CB,
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  state: 'xyz',
  resource: MCP,
  scope: 'mcp',
};
const verdict = (q: Record<string, string>, ...lookup: [ClientLookup | undefined] | []) =>
  authorizeVerdict(new URLSearchParams(q), lookup.length ? lookup[0] : claude, MCP);

describe('an authorization request', () => {
  it('with every parameter right is one to consent to', () => {
    expect(verdict(good)).toEqual({
      kind: 'consent',
      request: {
        client: claude.ok ? claude.client : undefined,
        redirectUri: CB,
        state: 'xyz',
        codeChallenge: CHALLENGE,
        resource: MCP,
      },
    });
    const { resource: _r, scope: _s, ...bare } = good;
    expect(verdict(bare).kind).toBe('consent');
  });

  it('with an unknown client or a redirect not exactly the client’s is explained, never redirected', () => {
    expect(verdict(good, undefined).kind).toBe('page-error');
    expect(verdict(good, { ok: false, error: 'invalid_client', description: 'x' })).toMatchObject({
      kind: 'page-error',
      error: 'invalid_client',
    });
    for (const redirect of [
      `${CB}/`,
      `${CB}?x=1`,
      'https://evil.example/cb',
      'http://claude.ai/api/mcp/auth_callback',
      'HTTPS://claude.ai/api/mcp/auth_callback',
    ])
      expect(verdict({ ...good, redirect_uri: redirect }).kind, redirect).toBe('page-error');
    const { redirect_uri: _x, ...noRedirect } = good;
    expect(verdict(noRedirect).kind).toBe('page-error');
  });

  it('otherwise errors go back to the client with its state', () => {
    const cases: [Record<string, string>, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ code_challenge: 'short' }, 'invalid_request'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ scope: 'mcp admin' }, 'invalid_scope'],
      [{ resource: 'https://elsewhere.example/api/mcp' }, 'invalid_target'],
    ];
    for (const [change, error] of cases)
      expect(verdict({ ...good, ...change }), JSON.stringify(change)).toMatchObject({
        kind: 'redirect-error',
        redirectUri: CB,
        error,
        state: 'xyz',
      });
    const twice = new URLSearchParams(good);
    twice.append('code_challenge', CHALLENGE);
    expect(authorizeVerdict(twice, claude, MCP)).toMatchObject({
      kind: 'redirect-error',
      error: 'invalid_request',
    });
  });

  it('a client of one redirect URI may leave redirect_uri out (RFC 6749 §3.1.2.3)', () => {
    const one: ClientLookup = {
      ok: true,
      client: { clientId: CLIENT_ID, name: 'C', host: 'claude.ai', redirectUris: [CB] },
    };
    const { redirect_uri: _x, ...noRedirect } = good;
    expect(verdict(noRedirect, one)).toMatchObject({
      kind: 'consent',
      request: { redirectUri: CB },
    });
  });

  it('never picks a redirect that is not one of the client’s, whatever the query', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom(CB, 'https://evil.example/', CHALLENGE, 'S256', 'code', MCP),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...Object.keys(good), 'extra'), value), (q) => {
        const v = verdict({ ...q });
        if (v.kind === 'redirect-error')
          expect(claude.ok && claude.client.redirectUris).toContain(v.redirectUri);
        if (v.kind === 'consent')
          expect(claude.ok && claude.client.redirectUris).toContain(v.request.redirectUri);
      }),
    );
  });

  it('client_id is read once; the redirect carries iss (RFC 9207)', () => {
    expect(clientIdOf(new URLSearchParams({ client_id: CLIENT_ID }))).toBe(CLIENT_ID);
    expect(clientIdOf(new URLSearchParams('client_id=a&client_id=b'))).toBe(undefined);
    const url = new URL(
      redirectWith(
        `${CB}?keep=1`,
        { code: 'c1', state: 'xyz', error: undefined },
        'http://127.0.0.1:7071/api',
      ),
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      keep: '1',
      code: 'c1',
      state: 'xyz',
      iss: 'http://127.0.0.1:7071/api',
    });
  });
});
