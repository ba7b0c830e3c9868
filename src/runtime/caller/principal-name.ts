import type { ClientPrincipal } from './client-principal.js';

/**
 * Claims that carry the user principal name: `upn` (v1.0 tokens, an optional claim in v2.0 — also under the long
 * name App Service may write), else `preferred_username` (v2.0: the UPN for a work account). Learn, "Access token
 * claims reference" and "Optional claims reference"
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 */
const PRINCIPAL_NAME_CLAIMS = [
  'upn',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn',
  'preferred_username',
];

/**
 * The caller's user principal name, lower case, or undefined when the token carries none shaped as one
 * (`name@domain`). Never an identity and never a proof of an e-mail (Learn: `upn` and `preferred_username` are
 * mutable and not for authorization): it is read only to find the SCIM user Entra provisioned for a user of the
 * directory an organization linked — Entra's default mapping sends `userName` = `userPrincipalName` — and only in
 * the organization that links the token's own `tid`, where that directory's administrators assign the name.
 *
 * @example
 * ```ts
 * principalNameOf({ authType: 'aad', claims: [{ typ: 'preferred_username', val: 'Kim@Contoso.com' }] }); // 'kim@contoso.com'
 * ```
 */
export function principalNameOf(principal: ClientPrincipal | undefined): string | undefined {
  if (!principal) return undefined;
  for (const typ of PRINCIPAL_NAME_CLAIMS)
    for (const c of principal.claims) {
      if (c.typ !== typ) continue;
      const v = c.val.trim().toLowerCase();
      if (/^[^@\s]{1,128}@[^@\s]{1,255}$/.test(v)) return v;
    }
  return undefined;
}
