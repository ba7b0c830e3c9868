/**
 * A fuzz of malformed OAuth requests against a real `atakora dev` (DESIGN §2: "every refusal is an OAuth error (RFC
 * 6749 §5.2) or, on the page, an explained refusal — never a 5xx"), over real HTTP so dev's host, its sign-in and its
 * body handling are in the path: any method, content type and body at the token, revocation and registration
 * endpoints; any query (duplicated, badly percent-encoded, oversized, the good client's values mixed with others) and
 * form at the authorize endpoint. Never a 5xx; every token or revocation refusal is §5.2's JSON; and the authorize
 * endpoint redirects only ever to the good client's exact redirect URI with `iss` (no open redirect, RFC 9700 §4.11).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  as,
  authorizeUrl,
  callAs,
  type DevAgents,
  pkce,
  REDIRECT,
  startDevAgents,
} from './support/dev-agents.js';

const RUNS = 120;
/** Owners of an organization each, taking turns: the consent page takes 20 requests a minute per person. */
const PEOPLE = ['alice', 'bea', 'cid', 'dee', 'eve', 'fay', 'gus', 'hal'].map(
  (n) => `${n}@example.com`,
);
let turn = 0;
/** RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 8707 §2, and the rate limit's (docs/mcp.md "Rate limits"). */
const OAUTH_ERRORS = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_token_type',
  'invalid_scope',
  'invalid_target',
  'too_many_requests',
];
let a: DevAgents;

beforeAll(async () => {
  a = await startDevAgents('test/cli/fixtures/verify/org-keys.ts', {});
  for (const who of PEOPLE) await callAs(a.api, 'POST', 'tenants', who, undefined, { name: who });
});
afterAll(async () => {
  await a?.stop();
});

/** Values an attacker or a broken client sends: the good ones too, so deeper branches are reached. */
const value = () =>
  fc.oneof(
    fc.constantFrom(
      '',
      'code',
      'token',
      'S256',
      'plain',
      'mcp',
      'authorization_code',
      'refresh_token',
      REDIRECT,
      `${REDIRECT}/`,
      'https://evil.example/cb',
      'atr_x.y.z',
      'atr_.acme.',
      'a.b.c',
      '%zz',
      '%',
      '\u0000',
      '\uD800',
      'x'.repeat(20_000),
      'https://169.254.169.254/a.json',
      'javascript:alert(1)',
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
  );
const KEYS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'state',
  'scope',
  'resource',
  'grant_type',
  'code',
  'code_verifier',
  'refresh_token',
  'token',
  'token_type_hint',
  'csrf',
  'organization',
  'decision',
] as const;
const pairs = () => fc.array(fc.tuple(fc.constantFrom(...KEYS), value()), { maxLength: 8 });
/** A lone surrogate cannot be percent-encoded (URIError): it is sent as U+FFFD, as a browser would. */
const wellFormed = (v: string) => v.replace(/[\uD800-\uDFFF]/g, '\uFFFD');
const encode = (ps: readonly (readonly [string, string])[], raw: boolean) =>
  ps
    .map(([k, v]) =>
      raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(wellFormed(v))}`,
    )
    .join('&');

describe('a fuzz of malformed requests at the OAuth endpoints under atakora dev', () => {
  it(`token, revoke and register: never a 5xx; refusals are RFC 6749 §5.2 JSON (${String(RUNS)} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('oauth/token', 'oauth/revoke', 'oauth/register'),
        fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded; charset=utf-8',
          'APPLICATION/X-WWW-FORM-URLENCODED',
          'application/json',
          'multipart/form-data; boundary=x',
          'text/plain',
          undefined,
        ),
        pairs(),
        fc.boolean(),
        async (path, method, type, ps, raw) => {
          const body = method === 'GET' || method === 'OPTIONS' ? undefined : encode(ps, raw);
          const r = await fetch(`${a.api}/${path}`, {
            method,
            headers: type ? { 'content-type': type } : {},
            ...(body === undefined ? {} : { body }),
          });
          const text = await r.text();
          const said = `${method} ${path} ${String(type)} ${body?.slice(0, 200) ?? ''} → ${String(r.status)} ${text.slice(0, 200)}`;
          expect(r.status, said).toBeLessThan(500);
          if (path === 'oauth/register') return void expect(r.status, said).toBe(404);
          if (r.status >= 400 && r.status !== 404 && r.status !== 405) {
            expect(r.headers.get('content-type'), said).toMatch(/^application\/json/);
            const error = (JSON.parse(text) as { error?: unknown }).error;
            expect(OAUTH_ERRORS, said).toContain(error);
            expect(r.headers.get('cache-control'), said).toBe('no-store');
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`authorize: never a 5xx, and a redirect only to the client's exact redirect URI with iss (${String(RUNS)} runs)`, async () => {
    const good = new URL(authorizeUrl(a, pkce().challenge));
    const goodPairs = [...good.searchParams.entries()];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST'),
        fc.subarray(goodPairs),
        pairs(),
        fc.boolean(),
        pairs(),
        async (method, kept, extra, raw, form) => {
          const query = [kept.length ? encode(kept, false) : '', encode(extra, raw)]
            .filter(Boolean)
            .join('&');
          const r = await fetch(`${a.api}/oauth/authorize?${query}`, {
            method,
            redirect: 'manual',
            headers: {
              ...as(PEOPLE[turn++ % PEOPLE.length] ?? ''),
              ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            ...(method === 'POST' ? { body: encode(form, raw) } : {}),
          });
          const text = await r.text();
          const said = `${method} ?${query.slice(0, 300)} → ${String(r.status)} ${text.slice(0, 200)}`;
          expect(r.status, said).toBeLessThan(500);
          if (r.status >= 300 && r.status < 400) {
            const to = new URL(r.headers.get('location') ?? 'http://invalid/');
            expect(`${to.origin}${to.pathname}`, said).toBe(REDIRECT);
            expect(to.searchParams.get('iss'), said).toBe(a.api);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
