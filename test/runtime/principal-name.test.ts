// The token's account facts (runtime/caller/principal-name.ts): the user principal name a linked directory's SCIM
// match reads, and the directory roles linking a directory takes — as App Service writes the claims.
import { describe, expect, it } from 'vitest';
import { accountOf, principalNameOf } from '../../src/runtime/caller/principal-name.js';

const principal = (claims: readonly (readonly [string, string])[]) => ({
  authType: 'aad',
  claims: claims.map(([typ, val]) => ({ typ, val })),
});

describe('the account a token names', () => {
  it('reads upn before preferred_username (also under its long name), lower case and trimmed', () => {
    expect(principalNameOf(principal([['preferred_username', 'Kim@Contoso.com']]))).toBe(
      'kim@contoso.com',
    );
    expect(
      principalNameOf(
        principal([
          ['preferred_username', 'alias@contoso.com'],
          ['upn', ' Kim.Lee@Contoso.onmicrosoft.com '],
        ]),
      ),
    ).toBe('kim.lee@contoso.onmicrosoft.com');
    expect(
      principalNameOf(
        principal([['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'a@b.example']]),
      ),
    ).toBe('a@b.example');
  });

  it('names no one by a value not shaped as a user principal name, nor without a principal', () => {
    for (const v of [
      '',
      'kim',
      '@contoso.com',
      'kim@',
      'kim lee@contoso.com',
      'a@b@c',
      '+15551234567',
    ])
      expect(principalNameOf(principal([['preferred_username', v]])), v).toBeUndefined();
    expect(
      principalNameOf(
        principal([
          ['upn', 'x'],
          ['preferred_username', 'x@y.example'],
        ]),
      ),
    ).toBe('x@y.example');
    expect(principalNameOf(undefined)).toBeUndefined();
    expect(principalNameOf(principal([['email', 'kim@contoso.com']]))).toBeUndefined();
  });

  it('carries the directory roles beside it, and nothing when the token has neither', () => {
    const admin = '62e90394-69f5-4237-9190-012177145e10';
    expect(
      accountOf(
        principal([
          ['wids', admin],
          ['upn', 'kim@contoso.com'],
        ]),
      ),
    ).toEqual({
      upn: 'kim@contoso.com',
      wids: [admin],
    });
    expect(accountOf(principal([['wids', admin]]))).toEqual({ wids: [admin] });
    expect(accountOf(principal([['oid', 'u-1']]))).toBeUndefined();
  });
});
