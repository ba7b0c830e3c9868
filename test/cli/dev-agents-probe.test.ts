/**
 * The backend as its own authorization server, probed from outside as a held-out bar would (DESIGN §2, "Agents that
 * sign in to an organization"): plain fetch against a real `atakora dev`, nothing of the runtime imported — the
 * metadata documents field by field (RFC 8414, RFC 9728), Client ID Metadata Document fetch bounds (redirects, size,
 * time, platform metadata addresses, a document naming another client), redirect URIs compared exactly, PKCE (plain
 * refused, a wrong verifier, a code used twice revoking what it made), `iss` on every redirect (RFC 9207), the
 * consent page's headers, CSRF and refusals, the token's claims and confinement (RFC 8707 resources), refresh
 * rotation, revocation (RFC 7009).
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  callAs,
  codeFor,
  consentPageOf,
  type DevAgents,
  document,
  goodDocument,
  mcpStatus,
  pkce,
  postConsent,
  postForm,
  REDIRECT,
  startDevAgents,
} from './support/dev-agents.js';

const ALICE = 'alice@example.com';
const CAROL = 'carol@example.com';
/** Owners of an organization each, taking turns to connect: the consent page takes 20 a minute per person. */
const OWNERS = ['bea', 'cid', 'dee', 'eve'].map((n) => `${n}@example.com`);
let a: DevAgents;
let acme = '';
let globex = '';
const owned = new Map<string, string>();
let turn = 0;
let fresh = 0;
/** A person signed in for the first time: a refusal before any organization is looked at counts against no one's bound. */
const newcomer = () => `newcomer-${String(++fresh)}@example.com`;

beforeAll(async () => {
  a = await startDevAgents('test/cli/fixtures/verify/org-keys.ts', {
    // A redirect to the good document: never followed.
    '/moved.json': (base, _req, res) =>
      void res.writeHead(302, { location: `${base}/agent.json` }).end(),
    // 6 KB of valid JSON naming itself: over the 5 KB bound.
    '/big.json': (base, _req, res) =>
      document(res, { ...goodDocument(`${base}/big.json`), padding: 'x'.repeat(6 * 1024) }),
    // Headers at once, the body after 4.5 s: past the 3 s bound.
    '/slow.json': (base, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setTimeout(() => res.end(JSON.stringify(goodDocument(`${base}/slow.json`))), 4_500);
      res.on('close', () => clearTimeout(t));
    },
    // A document naming another client as its client_id.
    '/impostor.json': (base, _req, res) => document(res, goodDocument(`${base}/agent.json`)),
    // A document carrying a secret: a public client has none.
    '/secret.json': (base, _req, res) =>
      document(res, { ...goodDocument(`${base}/secret.json`), client_secret: 's3cret' }),
  });
  const made = async (who: string, name: string) =>
    String((await callAs(a.api, 'POST', 'tenants', who, undefined, { name })).body['id']);
  acme = await made(ALICE, 'Acme');
  globex = await made(CAROL, 'Globex');
  for (const o of OWNERS) owned.set(o, await made(o, `Org of ${o}`));
});
afterAll(async () => {
  await a?.stop();
});

/** Asserts a refusal the page explains: no redirect anywhere, an HTML page, never a 5xx. */
const explained = async (url: string, who = newcomer()) => {
  const page = await consentPageOf(url, who);
  expect(page.status, page.html.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(page.status).toBeLessThan(500);
  expect(page.status, 'the rate limit, not the refusal probed').not.toBe(429);
  expect(page.headers.get('location')).toBe(null);
  expect(page.form.csrf).toBe('');
  return page;
};

/** A code exchanged for tokens by the good client. */
const exchange = (code: string, verifier: string, over: Record<string, string> = {}) =>
  postForm(a.api, 'oauth/token', {
    grant_type: 'authorization_code',
    code,
    client_id: a.clientId,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    ...over,
  });

const connect = async (
  who = OWNERS[turn++ % OWNERS.length] ?? ALICE,
  organization = owned.get(who) ?? acme,
) => {
  const { verifier, challenge } = pkce();
  const code = await codeFor(authorizeUrl(a, challenge), who, organization);
  const tokens = await exchange(code, verifier);
  expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
  return {
    code,
    verifier,
    access: String(tokens.body['access_token']),
    refresh: String(tokens.body['refresh_token']),
  };
};

const refresh = (token: string, clientId = a.clientId) =>
  postForm(a.api, 'oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: token,
    client_id: clientId,
  });

describe('metadata (RFC 8414, RFC 9728)', () => {
  it('the authorization server’s metadata at every discovery URL names the issuer and its endpoints exactly', async () => {
    const origin = new URL(a.api).origin;
    for (const path of [
      '/.well-known/oauth-authorization-server/api',
      '/.well-known/oauth-authorization-server',
      '/api/.well-known/openid-configuration',
    ]) {
      const r = await fetch(`${origin}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toMatch(/^application\/json/);
      const m = (await r.json()) as Record<string, unknown>;
      expect(m, path).toMatchObject({
        issuer: a.api,
        authorization_endpoint: `${a.api}/oauth/authorize`,
        token_endpoint: `${a.api}/oauth/token`,
        revocation_endpoint: `${a.api}/oauth/revoke`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        scopes_supported: ['mcp'],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      });
      // Registration is off by default: no endpoint named, none served.
      expect(m['registration_endpoint'], path).toBeUndefined();
    }
    expect((await fetch(`${a.api}/oauth/register`, { method: 'POST' })).status).toBe(404);
  });

  it('the protected-resource metadata names the MCP URL and the API’s base as its one server', async () => {
    const challenge = await fetch(`${a.api}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(challenge.status).toBe(401);
    const header = challenge.headers.get('www-authenticate') ?? '';
    const named = /resource_metadata="([^"]+)"/.exec(header)?.[1] ?? '';
    expect(named).not.toBe('');
    for (const url of [named, `${a.api}/.well-known/oauth-protected-resource`]) {
      const r = await fetch(url);
      expect(r.status, url).toBe(200);
      expect(await r.json(), url).toMatchObject({
        resource: `${a.api}/mcp`,
        authorization_servers: [a.api],
        scopes_supported: ['mcp'],
      });
    }
  });
});

describe('client metadata documents under atakora dev', () => {
  it('a redirect, more than 5 KB, more than 3 s, another client_id or a secret: explained, never redirected', async () => {
    const { challenge } = pkce();
    for (const path of [
      '/moved.json',
      '/big.json',
      '/slow.json',
      '/impostor.json',
      '/secret.json',
    ]) {
      const clientId = `${a.host}${path}`;
      const page = await explained(authorizeUrl({ api: a.api, clientId }, challenge));
      expect(page.html, path).toContain('invalid_client');
    }
  });

  it('the platform’s metadata addresses and client ids that are no HTTPS URL are refused before any fetch', async () => {
    const { challenge } = pkce();
    for (const clientId of [
      'https://169.254.169.254/metadata/agent.json',
      'https://168.63.129.16/agent.json',
      'http://localhost:6274/agent.json',
      `${a.host}/agent.json#fragment`,
      `https://user:pw@localhost${new URL(a.host).port ? `:${new URL(a.host).port}` : ''}/agent.json`,
      `${a.host}/x/../agent.json`,
      'not a url',
    ])
      await explained(authorizeUrl({ api: a.api, clientId }, challenge));
  });
});

describe('authorization requests', () => {
  it('a redirect URI not exactly the client’s is explained on the page, never redirected', async () => {
    const { challenge } = pkce();
    for (const redirect_uri of [
      `${REDIRECT}/`,
      REDIRECT.replace('localhost', 'LOCALHOST'),
      REDIRECT.replace('callback', 'Callback'),
      `${REDIRECT}?next=https://evil.example/`,
      `${REDIRECT}#frag`,
      REDIRECT.replace('6274', '6275'),
      REDIRECT.replace('localhost', '127.0.0.1'),
      REDIRECT.replace('/callback', '/%63allback'),
      'https://evil.example/callback',
    ])
      await explained(authorizeUrl(a, challenge, { redirect_uri }));
  });

  it('PKCE plain, none, or a malformed challenge goes back as invalid_request with state and iss', async () => {
    const { verifier, challenge } = pkce();
    for (const over of [
      { code_challenge_method: 'plain', code_challenge: verifier },
      { code_challenge_method: 'plain' },
      { code_challenge_method: undefined },
      { code_challenge: undefined },
      { code_challenge: 'short' },
    ]) {
      const r = await consentPageOf(
        authorizeUrl(a, challenge, { ...over, state: 'p/1 +' }),
        newcomer(),
      );
      expect(r.status, JSON.stringify(over)).toBe(302);
      const back = new URL(r.headers.get('location') ?? 'http://invalid/');
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('state')).toBe('p/1 +');
      expect(back.searchParams.get('iss')).toBe(a.api);
      expect(back.searchParams.get('code')).toBe(null);
    }
  });

  it('a resource or scope of another server goes back as invalid_target or invalid_scope (RFC 8707)', async () => {
    const { challenge } = pkce();
    for (const [over, error] of [
      [{ resource: 'https://other.example/api/mcp' }, 'invalid_target'],
      [{ resource: `${a.api}/notes` }, 'invalid_target'],
      [{ scope: 'mcp openid' }, 'invalid_scope'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
    ] as const) {
      const page = await consentPageOf(authorizeUrl(a, challenge, over), newcomer());
      expect(page.status, JSON.stringify(over)).toBe(302);
      const back = new URL(page.headers.get('location') ?? 'http://invalid/');
      expect(back.searchParams.get('error')).toBe(error);
      expect(back.searchParams.get('iss')).toBe(a.api);
    }
  });
});

describe('the consent page', () => {
  it('is never framed, never cached; offers only the person’s organizations', async () => {
    const page = await consentPageOf(authorizeUrl(a, pkce().challenge), ALICE);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Probe Agent');
    expect(page.html).toContain(new URL(a.host).host);
    expect(page.form.organizations).toEqual([acme]);
    // Someone of no organization is told so, on the page.
    const none = await explained(authorizeUrl(a, pkce().challenge));
    expect(none.status).toBe(403);
    expect(none.html).toContain('no organization');
  });

  it('refuses another person’s form, another request’s, none, and an organization not offered', async () => {
    const url = authorizeUrl(a, pkce().challenge);
    const carols = (await consentPageOf(url, CAROL)).form.csrf;
    const otherRequest = (await consentPageOf(authorizeUrl(a, pkce().challenge), ALICE)).form.csrf;
    const own = (await consentPageOf(url, ALICE)).form.csrf;
    const forms: Record<string, string>[] = [
      { csrf: carols, organization: acme, decision: 'allow' },
      { csrf: otherRequest, organization: acme, decision: 'allow' },
      { organization: acme, decision: 'allow' },
      { csrf: `${own}x`, organization: acme, decision: 'allow' },
      { csrf: own, organization: globex, decision: 'allow' },
      { csrf: own, organization: acme, decision: 'maybe' },
    ];
    for (const fields of forms) {
      const r = await postConsent(url, ALICE, fields);
      expect(r.status, JSON.stringify(fields)).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.location, JSON.stringify(fields)).toBeUndefined();
    }
  });

  it('Deny goes back as access_denied with state and iss; no code', async () => {
    const url = authorizeUrl(a, pkce().challenge, { state: 'deny-me' });
    const { form } = await consentPageOf(url, ALICE);
    const r = await postConsent(url, ALICE, {
      csrf: form.csrf,
      organization: acme,
      decision: 'deny',
    });
    expect(r.status).toBe(302);
    expect(r.location?.searchParams.get('error')).toBe('access_denied');
    expect(r.location?.searchParams.get('state')).toBe('deny-me');
    expect(r.location?.searchParams.get('iss')).toBe(a.api);
    expect(r.location?.searchParams.get('code')).toBe(null);
  });
});

describe('codes, PKCE and tokens', () => {
  it('Allow goes back with code, state and iss; a wrong or missing verifier is invalid_grant', async () => {
    const { verifier, challenge } = pkce();
    const url = authorizeUrl(a, challenge, { state: 'allow-me' });
    const { form } = await consentPageOf(url, ALICE);
    const r = await postConsent(url, ALICE, {
      csrf: form.csrf,
      organization: acme,
      decision: 'allow',
    });
    expect(r.status).toBe(302);
    expect(r.location?.searchParams.get('state')).toBe('allow-me');
    expect(r.location?.searchParams.get('iss')).toBe(a.api);
    const code = r.location?.searchParams.get('code') ?? '';
    const wrong: Record<string, string>[] = [
      { code_verifier: pkce().verifier },
      { code_verifier: '' },
      { code_verifier: challenge },
      { redirect_uri: `${REDIRECT}/` },
      { client_id: `${a.host}/secret.json` },
      { resource: 'https://other.example/api/mcp' },
    ];
    for (const over of wrong) {
      const t = await exchange(code, verifier, over);
      expect(t.status, JSON.stringify(over)).toBeGreaterThanOrEqual(400);
      expect(t.status).toBeLessThan(500);
      expect(t.headers.get('cache-control')).toBe('no-store');
    }
    // None of those spent the code: the right exchange still redeems it.
    expect((await exchange(code, verifier)).status).toBe(200);
  });

  it('a code used twice is invalid_grant, and the tokens it made stop working (RFC 6749 §4.1.2)', async () => {
    const { code, verifier, access, refresh: first } = await connect();
    expect(await mcpStatus(a.api, access)).toBe(200);
    const again = await exchange(code, verifier);
    expect(again.status).toBe(400);
    expect(again.body['error']).toBe('invalid_grant');
    expect((await refresh(first)).body['error']).toBe('invalid_grant');
    expect(await mcpStatus(a.api, access)).toBe(401);
  });

  it('the access token: ES256 at+jwt with the contract’s claims, verified by the JWKS', async () => {
    const { access } = await connect(CAROL, globex);
    const header = decodeProtectedHeader(access);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    const claims = decodeJwt(access);
    expect(claims).toMatchObject({
      iss: a.api,
      aud: `${a.api}/mcp`,
      org: globex,
      client_id: a.clientId,
      scope: 'mcp',
    });
    expect(typeof claims.sub).toBe('string');
    expect(typeof claims['grant']).toBe('string');
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(10 * 60);
    const jwks = createRemoteJWKSet(new URL(`${a.api}/oauth/jwks`));
    await expect(
      jwtVerify(access, jwks, { issuer: a.api, audience: `${a.api}/mcp`, typ: 'at+jwt' }),
    ).resolves.toBeDefined();
  });

  it('is taken only at api/mcp and only in its organization', async () => {
    const { access } = await connect(ALICE, acme);
    expect(await mcpStatus(a.api, access)).toBe(200);
    expect(await mcpStatus(a.api, access, { 'x-atakora-tenant': acme })).toBe(200);
    expect(await mcpStatus(a.api, access, { 'x-atakora-tenant': globex })).toBe(403);
    for (const path of ['notes', 'me/agents', 'tenant/agents', 'me/tenants', 'tenant/audit']) {
      const r = await fetch(`${a.api}/${path}`, {
        headers: { authorization: `Bearer ${access}`, 'x-atakora-tenant': acme },
      });
      expect(r.status, path).toBe(401);
    }
    // A byte changed in the signature: no token.
    const forged = `${access.slice(0, -2)}${access.endsWith('A') ? 'B' : 'A'}A`;
    expect(await mcpStatus(a.api, forged)).toBe(401);
  });

  it('a refresh rotates; the previous token works once more, then never; another client’s never', async () => {
    const { refresh: first } = await connect();
    const second = await refresh(first);
    expect(second.status).toBe(200);
    expect(second.body['refresh_token']).not.toBe(first);
    expect((await refresh(String(second.body['refresh_token']), `${a.host}/big.json`)).status).toBe(
      400,
    );
    const grace = await refresh(first);
    expect(grace.status).toBe(200);
    const third = await refresh(first);
    expect(third.body['error']).toBe('invalid_grant');
    // The grace use's successor refreshes (a hosted client keeps the last token it was given).
    const after = await refresh(String(grace.body['refresh_token']));
    expect(after.status, JSON.stringify(after.body)).toBe(200);
  });

  it('revocation (RFC 7009): 200 for any token; a refresh token revoked ends its grant', async () => {
    const { refresh: token, access } = await connect();
    for (const t of ['nonsense', 'atr_x.y.z', access.slice(0, 20)])
      expect((await postForm(a.api, 'oauth/revoke', { token: t })).status).toBe(200);
    expect((await postForm(a.api, 'oauth/revoke', {})).body['error']).toBe('invalid_request');
    expect((await postForm(a.api, 'oauth/revoke', { token, client_id: a.clientId })).status).toBe(
      200,
    );
    expect((await refresh(token)).body['error']).toBe('invalid_grant');
  });
});
