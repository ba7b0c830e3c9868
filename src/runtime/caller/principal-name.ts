import { type ClientPrincipal, claimValuesOf } from './client-principal.js';

/**
 * What a token says of the account in its directory, beyond who it is: its user principal name (`upn`, lower case)
 * and its directory roles (`wids`, role template ids). Neither is an identity nor a proof of an e-mail (Learn,
 * "Secure applications and APIs by validating claims": never authorize on `upn`): the name only finds the SCIM user
 * Entra provisioned for a user of the directory an organization linked, the roles only say who may link it.
 */
export interface AccountFacts {
  readonly upn?: string;
  readonly wids?: readonly string[];
}

/**
 * Claims that carry the user principal name: `upn` (v1.0 tokens, an optional claim in v2.0 — also under the long
 * name App Service may write), else `preferred_username` (v2.0: the UPN of a work account). Learn, "Access token
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
 * (`name@domain`). Read only to find the SCIM user Entra provisioned (its default mapping sends `userName` =
 * `userPrincipalName`) in the organization that links the token's own `tid`, where that directory's administrators
 * assign the name.
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

/**
 * The {@link AccountFacts} of `principal`, or undefined when it carries neither.
 *
 * @example
 * ```ts
 * accountOf(principal); // { upn: 'kim@contoso.com', wids: ['62e90394-69f5-4237-9190-012177145e10'] }
 * ```
 */
export function accountOf(principal: ClientPrincipal | undefined): AccountFacts | undefined {
  if (!principal) return undefined;
  const upn = principalNameOf(principal);
  const wids = claimValuesOf(principal, 'wids');
  if (upn === undefined && wids.length === 0) return undefined;
  return { ...(upn !== undefined ? { upn } : {}), ...(wids.length > 0 ? { wids } : {}) };
}
