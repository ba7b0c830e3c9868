/**
 * The dev banner's "Signed in as" line names the caller a request that names nobody really is: the claims dev's
 * sign-in gives the worker (principalHeaderFor, as App Service's x-ms-client-principal), not the command line's
 * words. With tenants by membership `--user alice@example.com` is the user of that verified email in dev's directory
 * — not "alice (oid alice) of tenant example.com", a user and a tenant that do not exist.
 */
import { describe, expect, it } from 'vitest';
import { signedInLine } from '../../src/cli/dev/session/signed-in-line.js';
import {
  DEFAULT_DEV_USER,
  devUserOf,
  principalHeaderFor,
  type DevUser,
} from '../../src/cli/dev/sign-in/sign-in.js';

/** The claims a request naming nobody carries into the worker. */
function signedIn(user: DevUser, emailUsers: boolean): Record<string, string> {
  const header = principalHeaderFor(undefined, user, 'tid', emailUsers)!;
  const { claims } = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
    claims: { typ: string; val: string }[];
  };
  return Object.fromEntries(claims.map((c) => [c.typ, c.val]));
}

describe("dev's banner: who a request is signed in as", () => {
  it('tenants by membership: --user alice@example.com is the verified email in the directory dev signs in', () => {
    const user = devUserOf('alice@example.com')!;
    const claims = signedIn(user, true);
    const line = signedInLine(user, true);
    expect(line).toContain(
      `oid ${claims['http://schemas.microsoft.com/identity/claims/objectidentifier']!})`,
    );
    expect(line).toContain(`verified email ${claims['email']!}`);
    expect(line).toContain(`of directory ${claims['tid']!}`);
    expect(line).not.toMatch(/oid alice\)|tenant example\.com/);
    expect(line).toContain('X-Atakora-Tenant');
  });

  it('tenants by directory: the user and the tenant are the token’s oid and tid', () => {
    for (const user of [DEFAULT_DEV_USER, devUserOf('alice@contoso', undefined, 'NoteAdmin')!]) {
      const claims = signedIn(user, false);
      const line = signedInLine(user, false);
      expect(line).toContain(
        `Signed in as ${claims['name']!} (oid ${claims['http://schemas.microsoft.com/identity/claims/objectidentifier']!}) of tenant ${claims['tid']!}`,
      );
    }
    expect(signedInLine(devUserOf('alice@contoso', undefined, 'NoteAdmin')!, false)).toContain(
      'with roles NoteAdmin',
    );
  });
});

describe("dev's banner on a running session with tenants by membership", () => {
  it('names the member an organization created by a request naming nobody really has', async () => {
    const { startDev } = await import('../../src/cli/dev/session/session.js');
    const dev = await startDev('test/packaging/fixtures/mcp-members-backend.ts', {
      user: devUserOf('alice@example.com')!,
      log: () => undefined,
    });
    try {
      const base = dev.apps[0]!.url;
      const created = await fetch(`${base}/api/tenants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Acme' }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const members = (await (
        await fetch(`${base}/api/tenant/members`, {
          headers: { 'x-atakora-tenant': id },
        })
      ).json()) as { items: { userId: string }[] };
      const owner = members.items[0]!.userId;
      expect(owner).toBe('alice@example.com');
      expect(dev.emailUsers).toBe(true);
      expect(signedInLine(dev.user, dev.emailUsers)).toContain(`oid ${owner})`);
    } finally {
      await dev.stop();
    }
  });
});
