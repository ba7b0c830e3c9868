/**
 * The authorization server's rate limits through the runtime's functions over the local Cosmos DB (DESIGN §2: "The
 * authorization endpoints are rate-limited per address and per person; every refusal is an OAuth error … or, on the
 * page, an explained refusal — never a 5xx"): past its bound an address is answered 429 with `Retry-After` — an
 * OAuth error body at the token and revocation endpoints, an explained page at the authorize endpoint — and nothing
 * is issued or revoked; another address (or person) is served; a client-written `X-Forwarded-For` entry escapes
 * nothing (the address is the last entry, App Service's front end's), and a request without one (the worker reached
 * directly, as under `atakora dev`) is bounded per person only; the next minute serves the address again.
 * Small bounds (`RegisterDeps.agents.limits`) keep the test short; the shipped ones are `OAUTH_RATE_LIMITS`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AgentsApp,
  authorizePath,
  FORM,
  MCP_URL,
  mcpWith,
  pkcePair,
  REDIRECT,
  startAgentsApp,
  who,
} from '../support/agents-app.js';
import { consentForm } from '../support/consent-form.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';

const LIMITS = {
  tokenPerAddress: 4,
  revokePerAddress: 3,
  authorizePerAddress: 5,
  authorizePerPerson: 4,
  registerPerAddress: 3,
} as const;
/** As App Service's front end forwards a request: whatever the client wrote, then the address it came from. */
const from = (address: string, written = '203.0.113.66') => ({
  'x-forwarded-for': `${written}, ${address}:51234`,
});
const A = '198.51.100.7';
const B = '198.51.100.8';

let cosmos: LocalCosmos;
let app: AgentsApp;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos, { limits: LIMITS });
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});
beforeEach(async () => {
  // A new minute: every window starts empty.
  app.clock.now += 3_600_000;
  await app.reseed();
});

const form = (name: string, path: string, body: Record<string, string>, address: string) =>
  app.call(name, 'POST', path, {
    headers: { ...FORM, ...from(address) },
    body: new URLSearchParams(body).toString(),
  });

/** `person` allows the agent into `organization` from `address`: the code and its verifier, not yet exchanged. */
async function codeFor(person: string, organization: string, address = '192.0.2.1') {
  const { verifier, challenge } = pkcePair();
  const path = authorizePath(app, challenge);
  const headers = { ...who(person), ...from(address) };
  const page = await app.call('oauth-authorize', 'GET', path, { headers });
  const { csrf } = consentForm(page.text);
  const allowed = await app.call('oauth-authorize', 'POST', path, {
    headers: { ...headers, ...FORM },
    body: new URLSearchParams({ csrf, organization, decision: 'allow' }).toString(),
  });
  const code = new URL(allowed.headers.get('location') ?? 'http://x/').searchParams.get('code');
  return { code: code ?? '', verifier };
}

const exchange = (c: { code: string; verifier: string }, address: string) =>
  form(
    'oauth-token',
    'oauth/token',
    {
      grant_type: 'authorization_code',
      code: c.code,
      client_id: app.clientId,
      redirect_uri: REDIRECT,
      code_verifier: c.verifier,
      resource: MCP_URL,
    },
    address,
  );

const expectTooMany = (r: { status: number; headers: Headers }) => {
  expect(r.status).toBe(429);
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
};

describe('the token endpoint, per address', () => {
  it('past the bound: 429 too_many_requests with Retry-After, no token, the code unspent; another address served', async () => {
    const c = await codeFor('ada', 'acme');
    expect(c.code).not.toBe('');
    for (let i = 0; i < LIMITS.tokenPerAddress; i++)
      expect((await form('oauth-token', 'oauth/token', {}, A)).status).toBe(400);
    const refused = await exchange(c, A);
    expectTooMany(refused);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.body).toEqual({
      error: 'too_many_requests',
      error_description: expect.stringContaining('retry after'),
    });
    expect(refused.text).not.toContain('access_token');
    // What the client writes before the front end's entry changes nothing.
    const spoofed = await app.call('oauth-token', 'POST', 'oauth/token', {
      headers: { ...FORM, ...from(A, '10.9.8.7') },
      body: '',
    });
    expect(spoofed.status).toBe(429);
    // The refused exchange spent nothing: the code still works from another address.
    const served = await exchange(c, B);
    expect(served.status).toBe(200);
    expect((await mcpWith(app, String(served.body.access_token))).status).toBe(200);
    // No front end's entry (the worker reached directly, as under atakora dev): no address to bound.
    for (let i = 0; i <= LIMITS.tokenPerAddress; i++)
      expect((await app.call('oauth-token', 'POST', 'oauth/token', { headers: FORM })).status).toBe(
        400,
      );
    // The next minute serves the first address again.
    app.clock.now += 60_000;
    expect((await form('oauth-token', 'oauth/token', {}, A)).status).toBe(400);
  });
});

describe('the revocation endpoint, per address', () => {
  it('past the bound: 429 with Retry-After, and the grant is not revoked', async () => {
    const tokens = await exchange(await codeFor('ada', 'acme'), B);
    expect(tokens.status).toBe(200);
    for (let i = 0; i < LIMITS.revokePerAddress; i++)
      expect((await form('oauth-revoke', 'oauth/revoke', { token: 'unknown' }, A)).status).toBe(
        200,
      );
    const refused = await form(
      'oauth-revoke',
      'oauth/revoke',
      { token: String(tokens.body.refresh_token) },
      A,
    );
    expectTooMany(refused);
    expect(refused.body.error).toBe('too_many_requests');
    const refreshed = await form(
      'oauth-token',
      'oauth/token',
      {
        grant_type: 'refresh_token',
        refresh_token: String(tokens.body.refresh_token),
        client_id: app.clientId,
      },
      B,
    );
    expect(refreshed.status).toBe(200);
  });
});

describe('the authorize endpoint (the consent page)', () => {
  const page = (person: string, address: string) =>
    app.call('oauth-authorize', 'GET', authorizePath(app, pkcePair().challenge), {
      headers: { ...who(person), ...from(address) },
    });

  it('per address: past the bound an explained 429 page, whoever asks; another address served', async () => {
    const people = ['ada', 'bob', 'al', 'ada', 'bob'];
    for (const person of people.slice(0, LIMITS.authorizePerAddress))
      expect((await page(person, A)).status).toBe(200);
    const refused = await page('al', A);
    expectTooMany(refused);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(refused.headers.get('location')).toBeNull();
    expect(refused.text).toContain('temporarily_unavailable');
    expect(refused.text).toContain('this minute');
    expect((await page('al', B)).status).toBe(200);
  });

  it('per person: past the bound from any address, Allow issues no code; another person served', async () => {
    const { challenge } = pkcePair();
    const path = authorizePath(app, challenge);
    const first = await app.call('oauth-authorize', 'GET', path, {
      headers: { ...who('ada'), ...from('192.0.2.10') },
    });
    const { csrf } = consentForm(first.text);
    for (let i = 1; i < LIMITS.authorizePerPerson; i++)
      expect((await page('ada', `192.0.2.${String(10 + i)}`)).status).toBe(200);
    const allow = await app.call('oauth-authorize', 'POST', path, {
      headers: { ...who('ada'), ...from('192.0.2.99'), ...FORM },
      body: new URLSearchParams({ csrf, organization: 'acme', decision: 'allow' }).toString(),
    });
    expectTooMany(allow);
    expect(allow.headers.get('location')).toBeNull();
    expect(allow.text).toContain('You asked to connect agents');
    expect((await page('bob', '192.0.2.99')).status).toBe(200);
  });
});
