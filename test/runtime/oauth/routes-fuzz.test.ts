/**
 * An attacker's fuzz of every route of the two newest surfaces against the real runtime over the local Cosmos DB
 * (DESIGN §2, "Agents that sign in": "every refusal is an OAuth error (RFC 6749 §5.2) or, on the page, an explained
 * refusal — never a 5xx"; "Integrations": "no 5xx"): the authorization server's routes (authorize GET and POST, token,
 * revoke, register, the protected-resource and OpenID documents, the JWK Set) and the organizations' API keys and
 * webhooks routes (and the agents' grants), each asked with any method, content type, body (JSON of wrong types, bad
 * JSON, forms with duplicated or missing parameters, huge and unicode strings) and caller (none, a member, an Owner,
 * tokens of the wrong kind: a refresh token, an agent's access token, an API key of the organization on its people
 * routes or naming another organization, a key that is none). Promise: never a 5xx, never a stack or a raw error in
 * the answer, and always the documented shape — RFC 6749 §5.2 JSON (`error`, a string; RFC 7591 §3.2.2's at
 * register) at token, revoke and register, an HTML page or a redirect at authorize, RFC 9457 problem+json (`type`,
 * `title`, `status` equal to the answer's) everywhere else. Earlier fuzzes (agents-server.test.ts "malformed
 * requests": forms at token, revoke and authorize GET; agents-register.test.ts: register bodies) stay; this one adds
 * the methods, content types, callers and the routes they did not reach.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentsApp, connectAgent, startAgentsApp } from '../support/agents-app.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { who } from '../support/organization-calls.js';
import { membershipAuth } from '../support/registry-auth.js';

const RUNS = 400;

/** acme and globex on pro (agents, keys and webhooks), initech on free; ada Owner of acme, Guest of globex. */
const policy = membershipAuth(
  'home-dir',
  {
    plans: {
      pro: { features: ['mcp', 'audit', 'api-keys', 'webhooks'] },
      free: { features: ['audit'] },
    },
    defaultPlan: 'free',
  },
  {
    createTenants: 'any-user',
    audit: 'audit',
    roles: ['Admin', 'Member', 'Guest'],
    apiKeys: { perOrganization: 5 },
  },
);

let cosmos: LocalCosmos;
let app: AgentsApp;
/** Credentials of every kind, made through the routes themselves. */
const held = { key: '', keyId: '', webhookId: '', refresh: '', access: '', grant: '' };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startAgentsApp(cosmos, {
    registration: true,
    auth: policy,
    // Deliveries are recorded, never sent: the fuzz is about the routes. Hosts resolve to a public address.
    webhooks: {
      queue: { send: () => Promise.resolve() },
      lookup: () => Promise.resolve([{ address: '20.42.0.1', family: 4 }]),
      now: () => app.clock.now,
    },
  });
  await app.reseed();
  const owner = { ...who('ada'), 'x-atakora-tenant': 'acme' };
  const key = await app.call('membership-api-keys', 'POST', 'tenant/api-keys', {
    headers: owner,
    body: { name: 'sync', role: 'Member' },
  });
  expect(key.status, key.text).toBe(201);
  held.key = String(key.body.key);
  held.keyId = String(key.body.id);
  const hook = await app.call('membership-webhooks', 'POST', 'tenant/webhooks', {
    headers: owner,
    body: { url: 'https://hooks.example.com/a', events: ['*'] },
  });
  expect(hook.status, hook.text).toBe(201);
  held.webhookId = String(hook.body.id);
  const agent = await connectAgent(app, 'ada', 'acme');
  expect(agent.tokens.status, agent.tokens.text).toBe(200);
  held.refresh = String(agent.tokens.body.refresh_token);
  held.access = String(agent.tokens.body.access_token);
  const grants = await app.call('agents-mine', 'GET', 'me/agents', { headers: who('ada') });
  held.grant = String(grants.body.items[0]?.id ?? '');
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});

/** Where a route answers, and in which shape its refusals are. */
type Shape = 'oauth-json' | 'page' | 'problem';
interface Route {
  readonly fn: string;
  readonly path: (p: Record<string, string>) => string;
  readonly params: readonly string[];
  readonly shape: Shape;
}
const r = (fn: string, path: string, shape: Shape, params: readonly string[] = []): Route => ({
  fn,
  // The host hands the function its params (below); the URL's own segments only need to be a URL.
  path: (p) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent((p[name] ?? '').replace(/[\ud800-\udfff]/g, '_')),
    ),
  params,
  shape,
});
const ROUTES: readonly Route[] = [
  r('oauth-authorize', 'oauth/authorize', 'page'),
  r('oauth-token', 'oauth/token', 'oauth-json'),
  r('oauth-revoke', 'oauth/revoke', 'oauth-json'),
  r('oauth-register', 'oauth/register', 'oauth-json'),
  r('oauth-protected-resource', '.well-known/oauth-protected-resource', 'problem'),
  r('oauth-openid-configuration', '.well-known/openid-configuration', 'problem'),
  r('oauth-jwks', 'oauth/jwks', 'problem'),
  r('membership-api-keys', 'tenant/api-keys', 'problem'),
  r('membership-api-key', 'tenant/api-keys/{id}', 'problem', ['id']),
  r('membership-webhooks', 'tenant/webhooks', 'problem'),
  r('membership-webhook', 'tenant/webhooks/{id}', 'problem', ['id']),
  r('membership-webhook-deliveries', 'tenant/webhooks/{id}/deliveries', 'problem', ['id']),
  r('membership-webhook-retry', 'tenant/webhooks/{id}/deliveries/{delivery}/retry', 'problem', [
    'id',
    'delivery',
  ]),
  r('membership-webhook-rotate', 'tenant/webhooks/{id}/rotate', 'problem', ['id']),
  r('agents-mine', 'me/agents', 'problem'),
  r('agents-my-grant', 'me/agents/{grant}', 'problem', ['grant']),
  r('agents-organization', 'tenant/agents', 'problem'),
  r('agents-organization-grant', 'tenant/agents/{grant}', 'problem', ['grant']),
];

// Header values reach the app as Latin-1 at most (a ByteString); bodies, params and queries carry any UTF-16.
const latin1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 30,
});
const text = (known: () => readonly string[]) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom(
      '',
      'x'.repeat(70_000),
      'lone-\ud800',
      '\udc00',
      'a\u0000b',
      '€',
      '../..',
      'a/b',
      '%00',
      'null',
      '[]',
      '{}',
      '*',
      'https://20.42.0.1/h',
      'http://127.0.0.1/h',
      'https://169.254.169.254/',
      'authorization_code',
      'refresh_token',
      'S256',
      'code',
      'mcp',
      'allow',
      'deny',
      'Reader',
      'Owner',
      'Member',
    ),
    fc.constant(null).map(() => known()[0] ?? ''),
    fc.constantFrom(0, 1, 2, 3, 4, 5).map((i) => known()[i] ?? ''),
  );
/** The values an attacker has seen: the agent's client id, credentials of every kind, ids. */
const known = () => [
  app.clientId,
  held.refresh,
  held.access,
  held.key,
  held.webhookId,
  held.grant,
  held.keyId,
];
const value = text(known);
const FIELDS = [
  'grant_type',
  'code',
  'client_id',
  'redirect_uri',
  'redirect_uris',
  'code_verifier',
  'code_challenge',
  'code_challenge_method',
  'response_type',
  'refresh_token',
  'token',
  'token_type_hint',
  'resource',
  'scope',
  'state',
  'csrf',
  'organization',
  'decision',
  'name',
  'role',
  'expiresInDays',
  'url',
  'events',
  'enabled',
  'client_name',
  'token_endpoint_auth_method',
  'grant_types',
  '__proto__',
  'constructor',
  '$first',
] as const;
const json: fc.Arbitrary<unknown> = fc.oneof(
  value,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(value, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 3 }),
);
/** Pairs, so a parameter may come twice (RFC 6749 §3.1: "MUST NOT be included more than once") or not at all. */
const pairs = fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { maxLength: 8 });
const body = fc.oneof(
  fc.constant(undefined),
  pairs.map((p) => new URLSearchParams(p).toString()),
  fc.dictionary(fc.constantFrom(...FIELDS), json, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  json.map((j) => JSON.stringify(j) ?? 'undefined'),
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,',
    '\u0000',
    'x'.repeat(200_000),
    '{"url":"https://20.42.0.1"}x',
  ),
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=ISO-8859-1',
  'application/json; charset=utf-16',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/problem+json',
  ';;;',
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
/** Who asks: no one, people of each role, and tokens of the wrong kind. */
const caller = fc.constantFrom<() => Record<string, string>>(
  () => ({}),
  () => who('ada'),
  () => who('bob'),
  () => who('al'),
  () => who('stranger'),
  () => ({ authorization: `Bearer ${held.refresh}` }),
  () => ({ authorization: `Bearer ${held.access}` }),
  () => ({ authorization: `Bearer ${held.key}` }),
  () => ({ authorization: `Bearer ${held.key.slice(0, -2)}xx` }),
  () => ({ authorization: 'Bearer atk_' }),
  () => ({ authorization: 'Bearer a.b.c' }),
  () => ({ authorization: 'Basic YTpi' }),
  () => ({ ...who('ada'), authorization: `Bearer ${held.key}` }),
);
const tenant = fc.oneof(
  fc.constantFrom(undefined, 'acme', 'globex', 'initech', 'nope', ''),
  latin1,
);

const STACK =
  /\n\s+at |\bat [\w.<>]+ \(|TypeError|ReferenceError|RangeError|Cannot read propert|undefined is not/;

function checkAnswer(route: Route, m: string, reply: Awaited<ReturnType<AgentsApp['call']>>) {
  const where = `${m} ${route.fn} → ${String(reply.status)} ${reply.text.slice(0, 300)}`;
  expect(reply.status, where).toBeLessThan(500);
  expect(reply.text, where).not.toMatch(STACK);
  if (reply.status < 400) return;
  const type = reply.headers.get('content-type') ?? '';
  if (route.shape === 'oauth-json') {
    expect(type, where).toMatch(/^application\/json/);
    expect(typeof reply.body?.error, where).toBe('string');
  } else if (route.shape === 'page' && reply.status !== 405 && reply.status !== 401) {
    // The page explains a refusal; a request without sign-in is the sign-in's 401 (App Service's in Azure).
    expect(type, where).toMatch(/^text\/html/);
  } else if (reply.text !== '') {
    expect(type, where).toMatch(/^application\/problem\+json/);
    expect(typeof reply.body?.type, where).toBe('string');
    expect(typeof reply.body?.title, where).toBe('string');
    expect(reply.body?.status, where).toBe(reply.status);
  }
}

describe('a fuzz of malformed requests at every OAuth, keys, webhooks and agents route', () => {
  it(`never a 5xx, a stack or an undocumented shape (${String(RUNS)} runs)`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        method,
        pairs,
        body,
        contentType,
        caller,
        tenant,
        fc.dictionary(fc.constantFrom('id', 'delivery', 'grant'), value, { maxKeys: 3 }),
        async (route, m, query, b, type, as, org, params) => {
          // A new minute each run: the rate limits (per person at authorize) never hide a route behind its 429.
          app.clock.now += 61_000;
          const q = new URLSearchParams(query).toString();
          const path = `${route.path(params)}${q ? `?${q}` : ''}`;
          const headers: Record<string, string> = {
            ...as(),
            ...(type !== undefined ? { 'content-type': type } : {}),
            ...(org !== undefined ? { 'x-atakora-tenant': org } : {}),
          };
          const reply = await app.call(route.fn, m, path, {
            headers,
            params: Object.fromEntries(route.params.map((p) => [p, params[p] ?? ''])),
            ...(b !== undefined && m !== 'GET' && m !== 'HEAD' ? { body: b } : {}),
          });
          seen.set(route.fn, (seen.get(route.fn) ?? 0) + 1);
          checkAnswer(route, m, reply);
        },
      ),
      { numRuns: RUNS },
    );
    // Every route was asked.
    expect([...seen.keys()].sort()).toEqual(ROUTES.map((x) => x.fn).sort());
  });

  it('tokens of the wrong kind and keys of another organization are refused in the documented shape', async () => {
    const cases: [string, string, string, Record<string, string>, number, string][] = [
      // An API key on its own organization's key and webhook routes, and naming another organization.
      [
        'membership-api-keys',
        'GET',
        'tenant/api-keys',
        { authorization: `Bearer ${held.key}` },
        403,
        'api-key-not-allowed',
      ],
      [
        'membership-webhooks',
        'GET',
        'tenant/webhooks',
        { authorization: `Bearer ${held.key}`, 'x-atakora-tenant': 'globex' },
        403,
        'api-key-not-allowed',
      ],
      // A refresh token or an agent's access token is no sign-in at any of these routes.
      [
        'membership-webhooks',
        'GET',
        'tenant/webhooks',
        { authorization: `Bearer ${held.refresh}` },
        401,
        'unauthenticated',
      ],
      [
        'membership-api-keys',
        'GET',
        'tenant/api-keys',
        { authorization: `Bearer ${held.access}`, 'x-atakora-tenant': 'acme' },
        401,
        'agent-token-invalid',
      ],
      // acme's webhook asked in globex by its Guest: not theirs.
      [
        'membership-webhook',
        'GET',
        `tenant/webhooks/${held.webhookId}`,
        { ...who('ada'), 'x-atakora-tenant': 'globex' },
        403,
        'access-denied',
      ],
    ];
    for (const [fn, m, path, headers, status, type] of cases) {
      const reply = await app.call(fn, m, path, {
        headers,
        params: { id: held.webhookId },
      });
      expect({ fn, status: reply.status, type: reply.body?.type }).toEqual({
        fn,
        status,
        type: `urn:atakora:problem:${type}`,
      });
    }
    // An id no stored item can have (Cosmos DB refuses `/`, `\\`, `?`, `#`) names nothing: 404, not the database's
    // error (before: 503 database-unavailable — seed 1232271438, shrunk to DELETE api/tenant/api-keys/{id} with the
    // agent's client id, an https URL, as the id).
    const admin = { ...who('al'), 'x-atakora-tenant': 'acme' };
    for (const [fn, m, path, params] of [
      ['membership-api-key', 'DELETE', 'tenant/api-keys/x', { id: 'https://a.example/b' }],
      ['membership-webhook', 'GET', 'tenant/webhooks/x', { id: 'a/b' }],
      ['membership-webhook', 'PATCH', 'tenant/webhooks/x', { id: 'a?b' }],
      ['membership-webhook-rotate', 'POST', 'tenant/webhooks/x/rotate', { id: 'a#b' }],
      ['membership-webhook-deliveries', 'GET', 'tenant/webhooks/x/deliveries', { id: 'a\\b' }],
      [
        'membership-webhook-retry',
        'POST',
        'tenant/webhooks/x/deliveries/y/retry',
        { id: held.webhookId, delivery: 'a/b' },
      ],
    ] as const) {
      const reply = await app.call(fn, m, path, { headers: admin, params, body: {} });
      expect({ fn, status: reply.status, type: reply.body?.type }).toEqual({
        fn,
        status: 404,
        type: 'urn:atakora:problem:not-found',
      });
    }
    // At the token endpoint an access token or a key is no refresh token: invalid_grant, RFC 6749 §5.2.
    for (const wrong of [held.access, held.key]) {
      const reply = await app.call('oauth-token', 'POST', 'oauth/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: wrong,
          client_id: app.clientId,
        }).toString(),
      });
      expect([reply.status, reply.body?.error]).toEqual([400, 'invalid_grant']);
    }
  });
});
