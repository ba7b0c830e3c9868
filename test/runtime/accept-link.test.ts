/**
 * The accept link of a new invitation (DESIGN §2, "Invitations that arrive"): the configured page (the site, or
 * `tenants.acceptUrl`) from Node and from a browser page that is not one of the app's sites; the calling page only
 * when it is one of the app's sites; `?invitation=<token>` on it — never the Function App's root when a page is known.
 */
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { acceptLink } from '../../src/runtime/members/accept-link.js';

const TOKEN = `acme-k3x9qa.k3x9qa7b2c1d.${'A'.repeat(43)}`;
const API = 'https://func-teams.azurewebsites.net/api/tenant/invitations';
const request = (headers: Record<string, string> = {}) =>
  new HttpRequest({ method: 'POST', url: API, headers });
const site = 'https://red-sea-1.azurestaticapps.net';
const sites = { origins: [site, 'https://teams.contoso.com'], acceptUrl: site };

describe('the accept link', () => {
  it("is the site's from Node (no Origin), with ?invitation=<token>", () => {
    const link = new URL(acceptLink(request(), TOKEN, sites));
    expect(link.origin).toBe(site);
    expect(link.pathname).toBe('/');
    expect(link.searchParams.get('invitation')).toBe(TOKEN);
    expect(link.search.startsWith('?invitation=')).toBe(true);
  });

  it("is the calling page's when it is one of the app's sites (a custom domain), never a foreign Origin", () => {
    expect(
      new URL(acceptLink(request({ origin: 'https://teams.contoso.com' }), TOKEN, sites)).origin,
    ).toBe('https://teams.contoso.com');
    for (const spoofed of ['https://evil.example', 'null', 'javascript:alert(1)'])
      expect(new URL(acceptLink(request({ origin: spoofed }), TOKEN, sites)).origin).toBe(site);
    expect(
      new URL(acceptLink(request({ referer: 'https://evil.example/page' }), TOKEN, sites)).origin,
    ).toBe(site);
  });

  it('keeps the path of tenants.acceptUrl and never points at the API', () => {
    const link = acceptLink(request({ origin: 'https://evil.example' }), TOKEN, {
      acceptUrl: 'https://app.contoso.com/join?from=mail',
    });
    const url = new URL(link);
    expect([url.origin, url.pathname, url.searchParams.get('from')]).toEqual([
      'https://app.contoso.com',
      '/join',
      'mail',
    ]);
    expect(url.searchParams.get('invitation')).toBe(TOKEN);
    expect(link).not.toContain('azurewebsites.net');
  });
});
