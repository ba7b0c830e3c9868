/**
 * RFC 7591 registration's rules (runtime/mcp/oauth/client-registration.ts), as properties: a redirect URI is taken
 * exactly when it is HTTPS, or http on a loopback host (the MCP specification: "All redirect URIs MUST be either
 * `localhost` or use HTTPS"; RFC 8252 §7.3), without fragment or user name; a registered client id is never a URL
 * and never repeats; the consent page marks a registered client's name unverified and escapes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientIdUrl } from '../../../src/runtime/mcp/oauth/client-id-url.js';
import {
  isRegisteredClientId,
  newRegisteredClientId,
  redirectUriRefusal,
  registrationOf,
} from '../../../src/runtime/mcp/oauth/client-registration.js';
import { consentPage } from '../../../src/runtime/mcp/oauth/consent-page.js';

const host = fc.oneof(
  fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'example.com', 'evil.example', '10.0.0.1'),
  fc.domain(),
);
const uri = fc.record({
  scheme: fc.constantFrom('https', 'http', 'javascript', 'ftp', 'custom.app'),
  user: fc.constantFrom('', 'localhost@', 'u:p@'),
  host,
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  path: fc.constantFrom('/callback', '/cb?x=1', '/'),
  fragment: fc.constantFrom('', '#f'),
});

describe('redirect URIs a registration takes', () => {
  it('fast-check: exactly https, or http on localhost, 127.0.0.1 or [::1] — no fragment, no user name', () => {
    fc.assert(
      fc.property(uri, (u) => {
        const text = `${u.scheme}://${u.user}${u.host}${u.port === undefined ? '' : `:${String(u.port)}`}${u.path}${u.fragment}`;
        const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.host);
        const good =
          u.fragment === '' &&
          u.user === '' &&
          (u.scheme === 'https' || (u.scheme === 'http' && loopback));
        expect(redirectUriRefusal(text) === undefined, text).toBe(good);
        const verdict = registrationOf({ redirect_uris: [text] });
        expect(verdict.ok ? 'ok' : verdict.error).toBe(good ? 'ok' : 'invalid_redirect_uri');
      }),
    );
  });

  it('refuses lookalikes of loopback', () => {
    for (const bad of [
      'http://localhost.evil.example/cb',
      'http://127.0.0.1.evil.example/cb',
      'http://localhost@evil.example/cb',
      'http://[::2]/cb',
      'http://0.0.0.0/cb',
    ])
      expect(redirectUriRefusal(bad), bad).toBeDefined();
  });
});

describe('registered client ids', () => {
  it('are 256 random bits, never a URL, never a metadata document id, never repeated', () => {
    const ids = Array.from({ length: 200 }, newRegisteredClientId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isRegisteredClientId(id)).toBe(true);
      expect(clientIdUrl(id).ok).toBe(false);
    }
    expect(isRegisteredClientId('https://claude.ai/oauth/mcp-client.json')).toBe(false);
    expect(isRegisteredClientId('dcr_short')).toBe(false);
  });
});

describe('the registered metadata', () => {
  it('defaults and substitutions: none, both grant types, the name trimmed, duplicates dropped, unknown fields ignored', () => {
    const verdict = registrationOf({
      redirect_uris: ['https://a.example/cb', 'https://a.example/cb'],
      client_name: ' Agent ',
      logo_uri: 'https://a.example/l.png',
      client_secret: 'ignored',
    });
    expect(verdict).toEqual({
      ok: true,
      registration: {
        clientName: 'Agent',
        redirectUris: ['https://a.example/cb'],
        grantTypes: ['authorization_code', 'refresh_token'],
      },
    });
  });
});

describe('the consent page of a registered client', () => {
  it('marks its name unverified, escaped, shows no host of its own and the redirect host', () => {
    const html = consentPage({
      clientName: 'Claude <script>',
      clientHost: '127.0.0.1:33418',
      registered: true,
      redirectUri: 'http://127.0.0.1:33418/callback',
      person: 'ada',
      organizations: [{ id: 'acme', name: 'Acme', abilities: [] }],
      action: '/api/oauth/authorize?x',
      csrf: 't',
    });
    expect(html).toContain('id="client-unverified"');
    expect(html).toContain('Claude &lt;script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('id="client-host"');
    expect(/id="redirect-host">([^<]+)</.exec(html)?.[1]).toBe('127.0.0.1:33418');
  });
});
