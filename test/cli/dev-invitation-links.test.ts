/**
 * Invitations of examples/teams under `atakora dev`, asked from Node (no Origin) and as a browser page would ask:
 * the accept link is dev's site with `?invitation=<token>`, never the API's origin; the preview answers anonymous
 * callers and bounds one address; duplicate and member invitations are 409s.
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
  dev = await startDev('examples/teams/backend.ts', {
    user: alice,
    log: () => undefined,
    quietWorkers: true,
  });
});
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
    // The landing page previews it without anyone signed in (App Service authentication lets the route through),
    // and one address is bounded: a script guessing tokens gets 429 within the minute.
    const token = new URL(String(fromNode.body['acceptUrl'])).searchParams.get('invitation') ?? '';
    const preview = (t: string) =>
      call('GET', `invitations/preview?invitation=${encodeURIComponent(t)}`, 'anonymous');
    const seen = await preview(token);
    expect([seen.status, seen.body['organization'], seen.body['emailHint']]).toEqual([
      200,
      { id, name: 'Links' },
      'b…@example.com',
    ]);
    // 30 a minute: at most 61 requests see a 429 even when the UTC minute turns once while they run.
    const statuses: number[] = [];
    while (statuses.length < 61 && !statuses.includes(429))
      statuses.push((await preview(`${id}.zzzzzzzzzzzz.${'A'.repeat(43)}`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Inviting the same address again, or a member's, is answered instead of passing silently.
    expect((await invite('bob@example.com')).body['type']).toBe(
      'urn:atakora:problem:invitation-exists',
    );
    expect((await invite('alice@example.com')).body['type']).toBe(
      'urn:atakora:problem:already-a-member',
    );
  });
});
