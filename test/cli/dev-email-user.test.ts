/**
 * `atakora dev` with tenants by membership: `--user alice@example.com` (or the dev-user header's
 * `bob@example.com`) is a user with that verified email — the principal the worker injects carries `email` and
 * `xms_edov: true`, which the runtime's verified-email rule takes — while a `<user>@<tenant>` stays a user of that
 * directory with no email, and directory backends keep reading `alice@contoso` as before.
 */
import { describe, expect, it } from 'vitest';
import { clientPrincipalOf } from '../../src/runtime/caller/client-principal.js';
import { verifiedEmailOf } from '../../src/runtime/caller/verified-email.js';
import {
  DEFAULT_DEV_USER,
  devUserOf,
  emailUserOf,
  principalHeaderFor,
} from '../../src/cli/dev/sign-in/sign-in.js';

const principal = (header: string | undefined) => clientPrincipalOf(header);

describe('dev users with an email (tenants by membership)', () => {
  it('--user alice@example.com is that verified email; alice@contoso is not an email', () => {
    const alice = emailUserOf(devUserOf('Alice@Example.com') ?? DEFAULT_DEV_USER);
    expect(alice).toEqual({
      oid: 'alice@example.com',
      tid: 'local-dev',
      name: 'Alice',
      email: 'alice@example.com',
    });
    expect(emailUserOf(devUserOf('alice@contoso') ?? DEFAULT_DEV_USER)).toEqual({
      oid: 'alice',
      tid: 'contoso',
      name: 'alice',
    });
    const withRoles = emailUserOf(
      devUserOf('ops@example.com', undefined, 'TenantAdmin') ?? DEFAULT_DEV_USER,
    );
    expect(withRoles.roles).toEqual(['TenantAdmin']);
  });

  it('the injected principal proves the email to the runtime, in membership mode only', () => {
    const session = emailUserOf(devUserOf('alice@example.com') ?? DEFAULT_DEV_USER);
    expect(verifiedEmailOf(principal(principalHeaderFor(undefined, session, 'tid', true)))).toBe(
      'alice@example.com',
    );
    // The header names another email user; anonymous stays anonymous.
    expect(
      verifiedEmailOf(principal(principalHeaderFor('Bob@Example.com', session, 'tid', true))),
    ).toBe('bob@example.com');
    expect(principalHeaderFor('anonymous', session, 'tid', true)).toBeUndefined();
    // A directory backend: bob@example.com is user bob of directory example.com, with no email claim.
    const plain = principal(principalHeaderFor('bob@example.com', DEFAULT_DEV_USER, 'tid', false));
    expect(verifiedEmailOf(plain)).toBeUndefined();
    expect(plain?.claims.find((c) => c.typ === 'tid')?.val).toBe('example.com');
  });

  it('an email claim alone is no verified email; verified_primary_email is', () => {
    expect(
      verifiedEmailOf({ authType: 'aad', claims: [{ typ: 'email', val: 'a@example.com' }] }),
    ).toBeUndefined();
    expect(
      verifiedEmailOf({
        authType: 'aad',
        claims: [
          { typ: 'email', val: 'a@example.com' },
          { typ: 'xms_edov', val: 'false' },
        ],
      }),
    ).toBeUndefined();
    expect(
      verifiedEmailOf({
        authType: 'aad',
        claims: [{ typ: 'verified_primary_email', val: 'A@Example.com' }],
      }),
    ).toBe('a@example.com');
    expect(
      verifiedEmailOf({
        authType: 'aad',
        claims: [
          {
            typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
            val: 'c@example.com',
          },
          { typ: 'xms_edov', val: '1' },
        ],
      }),
    ).toBe('c@example.com');
  });
});
