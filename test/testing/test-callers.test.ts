/**
 * The callers of `startBackend(...).as(caller)` (src/testing/test-callers.ts) as the headers dev's sign-in reads —
 * read back by dev's own parser, so a caller is signed in as exactly who the test named — and each caller dev could
 * not sign in refused as TEST_CALLER_INVALID naming the field (dev would take a malformed header as nobody: a test
 * of "alice" would silently run anonymous); a path below "the" app refused when several apps serve the backend.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { devUserOfHeader } from '../../src/cli/dev/sign-in/sign-in.js';
import { AtakoraError } from '../../src/model/errors.js';
import { appUrlOf, callerHeaders, type TestCaller } from '../../src/testing/test-callers.js';

const refusal = (caller: unknown) => {
  try {
    callerHeaders(caller as TestCaller, 'home-dir');
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('callerHeaders', () => {
  it('signs in exactly the caller named, in the home directory unless one is named', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/);
    const role = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.:-]{0,12}$/);
    fc.assert(
      fc.property(
        id,
        fc.option(id, { nil: undefined }),
        fc.uniqueArray(role, { maxLength: 3 }),
        (user, directory, roles) => {
          const h = callerHeaders({ user, ...(directory ? { directory } : {}), roles }, 'home-dir');
          const signed = devUserOfHeader(h['x-atakora-dev-user']!);
          expect(signed).toEqual({
            oid: user,
            tid: directory ?? 'home-dir',
            name: user,
            ...(roles.length ? { roles } : {}),
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sends an email as is and an organization as X-Atakora-Tenant; anonymous as anonymous', () => {
    expect(callerHeaders({ user: 'alice@example.com', tenant: 'acme' }, 'home-dir')).toEqual({
      'x-atakora-dev-user': 'alice@example.com',
      'x-atakora-tenant': 'acme',
    });
    expect(callerHeaders('anonymous', 'home-dir')).toEqual({ 'x-atakora-dev-user': 'anonymous' });
  });

  it('refuses a caller dev cannot sign in as TEST_CALLER_INVALID naming the field', () => {
    const cases: [unknown, string][] = [
      [{ user: 'alice smith' }, 'user'],
      [{ user: '' }, 'user'],
      [{ user: 'alice@' }, 'user'],
      [{ user: 42 }, 'user'],
      ['alice', 'user'],
      [null, 'user'],
      [{ user: 'alice', directory: 'con toso' }, 'directory'],
      [{ user: 'alice@example.com', directory: 'contoso' }, 'directory'],
      [{ user: 'alice', roles: ['Agent', 'no spaces'] }, 'roles'],
      [{ user: 'alice', roles: 'Agent' }, 'roles'],
      [{ user: 'alice', roles: [''] }, 'roles'],
      [{ user: 'alice', tenant: 'Acme Inc' }, 'tenant'],
    ];
    for (const [caller, field] of cases) {
      const e = refusal(caller);
      expect(e, JSON.stringify(caller)).toBeInstanceOf(AtakoraError);
      expect((e as AtakoraError).code).toBe('TEST_CALLER_INVALID');
      expect((e as AtakoraError).path, JSON.stringify(caller)).toEqual([field]);
      expect((e as AtakoraError).resolution).toMatch(/as\(\)/);
    }
  });
});

describe('appUrlOf', () => {
  it('puts a path below the one app, takes a URL as given, refuses a path when several apps serve', () => {
    expect(appUrlOf(['http://127.0.0.1:7071'], '/api/stats')).toBe(
      'http://127.0.0.1:7071/api/stats',
    );
    expect(appUrlOf(['http://127.0.0.1:7071'], 'api/stats')).toBe(
      'http://127.0.0.1:7071/api/stats',
    );
    const two = ['http://127.0.0.1:7071', 'http://127.0.0.1:7072'];
    expect(appUrlOf(two, 'http://127.0.0.1:7072/api/x')).toBe('http://127.0.0.1:7072/api/x');
    expect(() => appUrlOf(two, 'api/x')).toThrowError(
      expect.objectContaining({ code: 'TEST_BACKEND_PATH_AMBIGUOUS', path: ['path'] }),
    );
  });
});
