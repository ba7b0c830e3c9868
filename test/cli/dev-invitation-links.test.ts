/**
 * Invitations of examples/teams under `atakora dev`, asked from Node (no Origin) and as a browser page would ask:
 * the accept link is dev's site with `?invitation=<token>`, never the API's origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevSession, startDev } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';

let dev: DevSession;
const api = () => `${dev.apps[0]?.url ?? ''}/api`;
const site = () => new URL(dev.sites[0]?.url ?? '').origin;

async function call(
  method: string,
  path: string,
  as: string,
  options: { body?: unknown; org?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${api()}/${path}`, {
    method,
    headers: {
      'x-atakora-dev-user': as,
      ...(options.org ? { 'x-atakora-tenant': options.org } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

beforeAll(async () => {
  const alice = devUserOf('alice@example.com');
  if (!alice) throw new Error('no dev user');
  dev = await startDev('examples/teams/backend.ts', { user: alice, log: () => undefined });
}, 120_000);
afterAll(async () => dev?.stop());

describe('invitation links under atakora dev', () => {
  it("lead to dev's site from Node and from a page, never to the API", async () => {
    const org = await call('POST', 'tenants', 'alice@example.com', { body: { name: 'Links' } });
    expect(org.status).toBe(201);
    const id = String(org.body['id']);
    const invite = (email: string, headers: Record<string, string> = {}) =>
      call('POST', 'tenant/invitations', 'alice@example.com', {
        org: id,
        body: { email, roles: ['Member'] },
        headers,
      });
    const fromNode = await invite('bob@example.com');
    const fromPage = await invite('carol@example.com', { origin: site() });
    // (A foreign page's Origin is refused by dev's sign-in guard before the runtime; test/runtime/accept-link.test.ts.)
    for (const r of [fromNode, fromPage]) {
      expect(r.status).toBe(201);
      const link = new URL(String(r.body['acceptUrl']));
      expect(link.origin).toBe(site());
      expect(link.origin).not.toBe(new URL(api()).origin);
      expect(link.searchParams.get('invitation')).toMatch(new RegExp(`^${id}\\.`));
    }
  }, 60_000);
});
