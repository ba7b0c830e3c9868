/**
 * RFC 7591 dynamic client registration (`POST api/oauth/register`, DESIGN §2: "only when `registration` is on")
 * through the runtime's functions over the local Cosmos DB: off by default (no function, no `registration_endpoint`);
 * on, a public client with loopback or HTTPS redirect URIs is answered 201 with its id, `client_id_issued_at` and the
 * registered metadata (§3.2.1), kept in the `members` container with a TTL; every refusal is §3.2.2's 400
 * (`invalid_redirect_uri`, `invalid_client_metadata`), never a 5xx; the address is bounded (429); and the authorize
 * and token endpoints take the registered client as they take a metadata document's — only its redirect URIs,
 * matched exactly — with its name marked unverified on the consent page.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AgentsApp,
  BASE_URL,
  FORM,
  MCP_URL,
  mcpWith,
  pkcePair,
  postForm,
  startAgentsApp,
  who,
} from '../support/agents-app.js';
import { consentForm } from '../support/consent-form.js';
import { allItems, type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

const LOOPBACK = 'http://127.0.0.1:33418/callback';
const LIMITS = {
  tokenPerAddress: 100,
  revokePerAddress: 100,
  authorizePerAddress: 100,
  authorizePerPerson: 100,
  registerPerAddress: 3,
} as const;

let cosmos: LocalCosmos;
let app: AgentsApp;
let off: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos, { registration: true, limits: LIMITS });
  off = await startAgentsApp(cosmos);
});
afterAll(async () => {
  await app?.stop();
  await off?.stop();
  await cosmos?.stop();
});
beforeEach(async () => {
  // A new minute: every rate window starts empty.
  app.clock.now += 3_600_000;
  await app.reseed();
});

const register = (body: unknown, headers: Record<string, string> = {}, target = app) =>
  target.call('oauth-register', 'POST', 'oauth/register', { headers, body });

const metadataOf = async (target: AgentsApp) =>
  (await (
    await target.fetch()(`${new URL(BASE_URL).origin}/.well-known/oauth-authorization-server/api`)
  ).json()) as Record<string, unknown>;

describe('registration off (the default)', () => {
  it('serves no register function and names no registration_endpoint', async () => {
    expect(off.fns.has('oauth-register')).toBe(false);
    expect((await metadataOf(off))['registration_endpoint']).toBeUndefined();
    const answer = await off.fetch()(`${BASE_URL}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [LOOPBACK] }),
    });
    expect(answer.status).toBe(404);
  });

  it('a registered-looking client id is refused on the page, never redirected', async () => {
    const id = `dcr_${'A'.repeat(43)}`;
    const page = await off.call('oauth-authorize', 'GET', authorizeFor(id, LOOPBACK), {
      headers: who('ada'),
    });
    expect(page.status).toBe(400);
    expect(page.headers.get('location')).toBeNull();
    expect(page.text).toContain('invalid_client');
  });
});

describe('registration on', () => {
  it('the metadata names the registration endpoint', async () => {
    expect((await metadataOf(app))['registration_endpoint']).toBe(`${BASE_URL}/oauth/register`);
  });

  it('201 with a random, non-URL client id, its issue time and the registered metadata; kept with a TTL', async () => {
    const answer = await register({
      redirect_uris: [LOOPBACK, 'https://agent.example.com/cb'],
      client_name: '  My Agent ',
      token_endpoint_auth_method: 'none',
      scope: 'mcp',
      logo_uri: 'https://agent.example.com/logo.png',
    });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = answer.body as Record<string, unknown>;
    expect(body).toEqual({
      client_id: expect.stringMatching(/^dcr_[A-Za-z0-9_-]{43}$/),
      client_id_issued_at: Math.floor(app.clock.now / 1000),
      client_name: 'My Agent',
      redirect_uris: [LOOPBACK, 'https://agent.example.com/cb'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'mcp',
    });
    expect(() => new URL(String(body['client_id']))).toThrow();
    const other = await register({ redirect_uris: [LOOPBACK] });
    expect((other.body as Record<string, unknown>)['client_id']).not.toBe(body['client_id']);
    const kept = (await allItems(app.c.members)).find(
      (i) => i['clientId'] === body['client_id'] && i['kind'] === 'oauth-client',
    );
    expect(kept?.['tenant']).toBe('~oauth-clients');
    expect(kept?.['ttl']).toBe(86_400);
  });

  it('every refusal is RFC 7591 §3.2.2’s 400 with its code', async () => {
    const cases: [unknown, string][] = [
      [{}, 'invalid_redirect_uri'],
      [{ redirect_uris: [] }, 'invalid_redirect_uri'],
      [{ redirect_uris: 'https://a.example/cb' }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['http://agent.example.com/cb'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['https://agent.example.com/cb#frag'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['http://localhost@evil.example/cb'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
      [{ redirect_uris: ['/relative'] }, 'invalid_redirect_uri'],
      [
        { redirect_uris: [LOOPBACK], token_endpoint_auth_method: 'client_secret_basic' },
        'invalid_client_metadata',
      ],
      [
        { redirect_uris: [LOOPBACK], grant_types: ['client_credentials'] },
        'invalid_client_metadata',
      ],
      [{ redirect_uris: [LOOPBACK], grant_types: ['refresh_token'] }, 'invalid_client_metadata'],
      [{ redirect_uris: [LOOPBACK], response_types: ['token'] }, 'invalid_client_metadata'],
      [{ redirect_uris: [LOOPBACK], scope: 'mcp admin' }, 'invalid_client_metadata'],
      [{ redirect_uris: [LOOPBACK], client_name: 'x'.repeat(101) }, 'invalid_client_metadata'],
      [{ redirect_uris: [LOOPBACK], client_name: 'Claude\u202Eevil' }, 'invalid_client_metadata'],
      [{ redirect_uris: [LOOPBACK], client_name: 7 }, 'invalid_client_metadata'],
      [[LOOPBACK], 'invalid_client_metadata'],
      ['{not json', 'invalid_client_metadata'],
      [
        JSON.stringify({ redirect_uris: [LOOPBACK], pad: 'x'.repeat(9000) }),
        'invalid_client_metadata',
      ],
    ];
    for (const [body, error] of cases) {
      app.clock.now += 3_600_000; // each in a new minute: the rate bound is not what refuses it
      const answer = await register(
        body,
        typeof body === 'string' ? { 'content-type': 'application/json' } : {},
      );
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body.error, JSON.stringify(body).slice(0, 80)).toBe(error);
      expect(typeof answer.body.error_description).toBe('string');
    }
    const form = await app.call('oauth-register', 'POST', 'oauth/register', {
      headers: FORM,
      body: `redirect_uris=${encodeURIComponent(LOOPBACK)}`,
    });
    expect(form.status).toBe(400);
    expect(form.body.error).toBe('invalid_client_metadata');
    const get = await app.call('oauth-register', 'GET', 'oauth/register');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('fast-check: no body whatever is answered with a 5xx, and a 201 only for a body the rules take', async () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.oneof(fc.string(), fc.constantFrom(LOOPBACK, 'https://a.example/cb'))),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'redirect_uris',
            'client_name',
            'grant_types',
            'response_types',
            'scope',
            'token_endpoint_auth_method',
            'other',
          ),
          field,
        ),
        async (body) => {
          app.clock.now += 3_600_000;
          const answer = await register(body);
          expect([201, 400]).toContain(answer.status);
          if (answer.status === 201) {
            const uris = body['redirect_uris'] as string[];
            expect(answer.body.redirect_uris).toEqual([...new Set(uris)]);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('an address is bounded: past registerPerAddress a minute, 429 with Retry-After and nothing stored', async () => {
    const from = (a: string) => ({ 'x-forwarded-for': `${a}:5000` });
    for (let i = 0; i < LIMITS.registerPerAddress; i++)
      expect((await register({ redirect_uris: [LOOPBACK] }, from('198.51.100.9'))).status).toBe(
        201,
      );
    const before = (await allItems(app.c.members)).filter((i) => i['kind'] === 'oauth-client');
    const refused = await register({ redirect_uris: [LOOPBACK] }, from('198.51.100.9'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(refused.body.error).toBe('too_many_requests');
    const after = (await allItems(app.c.members)).filter((i) => i['kind'] === 'oauth-client');
    expect(after.length).toBe(before.length);
    expect((await register({ redirect_uris: [LOOPBACK] }, from('198.51.100.10'))).status).toBe(201);
  });
});

const authorizeFor = (clientId: string, redirect: string, challenge = pkcePair().challenge) =>
  `oauth/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirect,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's-1',
    scope: 'mcp',
    resource: MCP_URL,
  }).toString()}`;

/** ada connects the registered client `id` to acme: the consent, Allow, the exchange. */
async function connectRegistered(id: string) {
  const { verifier, challenge } = pkcePair();
  const path = authorizeFor(id, LOOPBACK, challenge);
  const page = await app.call('oauth-authorize', 'GET', path, { headers: who('ada') });
  const allowed = await app.call('oauth-authorize', 'POST', path, {
    headers: { ...who('ada'), ...FORM },
    body: new URLSearchParams({
      csrf: consentForm(page.text).csrf,
      organization: 'acme',
      decision: 'allow',
    }).toString(),
  });
  const code = new URL(allowed.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const tokens = await postForm(app, 'oauth-token', 'oauth/token', {
    grant_type: 'authorization_code',
    code,
    client_id: id,
    redirect_uri: LOOPBACK,
    code_verifier: verifier,
  });
  expect(tokens.status).toBe(200);
  return { tokens };
}

describe('a registered client at the authorize and token endpoints', () => {
  it('consents with its name marked unverified and the redirect host; only its redirect URIs, exactly', async () => {
    const reg = await register({ redirect_uris: [LOOPBACK], client_name: 'Claude' });
    const id = String(reg.body.client_id);
    const { verifier, challenge } = pkcePair();
    const path = authorizeFor(id, LOOPBACK, challenge);
    const page = await app.call('oauth-authorize', 'GET', path, { headers: who('ada') });
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="client-unverified"');
    expect(page.text).toMatch(/Unverified/);
    expect(/id="redirect-host">([^<]+)</.exec(page.text)?.[1]).toBe('127.0.0.1:33418');
    expect(page.text).not.toContain('id="client-host"');

    // Another redirect — even the same host on another port or path — is explained, never redirected to.
    for (const other of [
      'http://127.0.0.1:33419/callback',
      `${LOOPBACK}/`,
      'https://evil.example/callback',
    ]) {
      const refused = await app.call('oauth-authorize', 'GET', authorizeFor(id, other), {
        headers: who('ada'),
      });
      expect(refused.status, other).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
    }

    const form = consentForm(page.text);
    const allowed = await app.call('oauth-authorize', 'POST', path, {
      headers: { ...who('ada'), ...FORM },
      body: new URLSearchParams({
        csrf: form.csrf,
        organization: 'acme',
        decision: 'allow',
      }).toString(),
    });
    expect(allowed.status).toBe(302);
    const back = new URL(allowed.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(LOOPBACK);
    const tokens = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      client_id: id,
      redirect_uri: LOOPBACK,
      code_verifier: verifier,
      resource: MCP_URL,
    });
    expect(tokens.status).toBe(200);
    expect((await mcpWith(app, tokens.body.access_token)).status).toBe(200);
    // A consent used it: kept for the refresh token lifetime (30 days) and a day, no longer one day.
    const kept = (await allItems(app.c.members)).find((i) => i['clientId'] === id);
    expect(kept?.['ttl']).toBe(31 * 86_400);
    const mine = await app.call('agents-mine', 'GET', 'me/agents', { headers: who('ada') });
    expect(mine.body.items.map((g: { clientName: string }) => g.clientName)).toContain('Claude');

    const refreshed = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: id,
    });
    expect(refreshed.status).toBe(200);
  });

  it('a registration no consent used is forgotten after a day: then refused on the page', async () => {
    const id = String((await register({ redirect_uris: [LOOPBACK] })).body.client_id);
    const path = authorizeFor(id, LOOPBACK);
    expect((await app.call('oauth-authorize', 'GET', path, { headers: who('ada') })).status).toBe(
      200,
    );
    app.clock.now += 86_400_000 + 1000;
    const later = await app.call('oauth-authorize', 'GET', path, { headers: who('ada') });
    expect(later.status).toBe(400);
    expect(later.text).toContain('register again');
  });

  it('a used client outlives its refresh tokens: kept while refreshed, forgotten only after they died', async () => {
    const id = String((await register({ redirect_uris: [LOOPBACK] })).body.client_id);
    const { tokens } = await connectRegistered(id);
    const day = 86_400_000;
    let refresh = String(tokens.body.refresh_token);
    for (let i = 0; i < 3; i++) {
      app.clock.now += 25 * day; // past the client's first day and past 30 days in all: each refresh extends it
      const next = await postForm(app, 'oauth-token', 'oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: refresh,
        client_id: id,
      });
      expect(next.status, `refresh ${String(i)}`).toBe(200);
      refresh = String(next.body.refresh_token);
    }
    const path = authorizeFor(id, LOOPBACK);
    expect((await app.call('oauth-authorize', 'GET', path, { headers: who('ada') })).status).toBe(
      200,
    );
    // Unused for the refresh token's 30 days: the token is dead; a day later the client is forgotten too.
    app.clock.now += 30 * day + 1000;
    const dead = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: id,
    });
    expect(dead.body.error).toBe('invalid_grant');
    expect((await app.call('oauth-authorize', 'GET', path, { headers: who('ada') })).status).toBe(
      200,
    );
    app.clock.now += day;
    expect((await app.call('oauth-authorize', 'GET', path, { headers: who('ada') })).status).toBe(
      400,
    );
  });

  it('a client that registered no refresh_token grant is refused a refresh (unauthorized_client)', async () => {
    const id = String(
      (await register({ redirect_uris: [LOOPBACK], grant_types: ['authorization_code'] })).body
        .client_id,
    );
    const { tokens } = await connectRegistered(id);
    const refused = await postForm(app, 'oauth-token', 'oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.body.refresh_token,
      client_id: id,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('unauthorized_client');
  });
});
