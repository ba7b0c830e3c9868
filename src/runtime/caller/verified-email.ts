import { normalizedEmail } from '../../contract/members.js';
import { VERIFIED_EMAIL_OPTIONAL_CLAIMS } from '../../model/entra-claims.js';
import type { ClientPrincipal } from './client-principal.js';

/**
 * Claims that carry an email Microsoft Entra ID vouches for (Learn, "Optional claims reference",
 * https://learn.microsoft.com/entra/identity-platform/optional-claims-reference): `verified_primary_email` and
 * `verified_secondary_email` come from the user's authoritative email addresses in the directory.
 */
const VERIFIED_EMAIL_CLAIMS = ['verified_primary_email', 'verified_secondary_email'];

/**
 * `email` — with its long name as App Service may write it — counts only beside `xms_edov: true` ("email domain
 * owner verified", same reference): the `email` claim alone is whatever the account's mail attribute says, which its
 * holder or another directory's administrator may set (Learn, "Secure applications and APIs by validating claims":
 * never authorize on `email` or `upn`).
 */
// The optional claims are those the API registration declares (model/entra-claims.ts), so a deploy keeps them.
const [EMAIL_CLAIM, EDOV_CLAIM] = VERIFIED_EMAIL_OPTIONAL_CLAIMS;
const EMAIL_CLAIMS = [
  EMAIL_CLAIM,
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
];

const valuesOf = (principal: ClientPrincipal, typ: string): string[] =>
  principal.claims.filter((c) => c.typ === typ).map((c) => c.val);

/**
 * The caller's verified email, lower case, or undefined when the token proves none — what an invitation's email
 * is checked against (`POST api/invitations/accept`): the first `verified_primary_email` /
 * `verified_secondary_email` that is an address, else `email` when `xms_edov` is `true` (or `1`). Under `atakora
 * dev`, `--user alice@example.com` signs in with `email` and `xms_edov: true`.
 *
 * @example
 * ```ts
 * verifiedEmailOf({ authType: 'aad', claims: [{ typ: 'email', val: 'Ada@Example.com' }, { typ: 'xms_edov', val: 'true' }] });
 * // 'ada@example.com'
 * verifiedEmailOf({ authType: 'aad', claims: [{ typ: 'email', val: 'ada@example.com' }] }); // undefined
 * ```
 */
export function verifiedEmailOf(principal: ClientPrincipal | undefined): string | undefined {
  if (!principal) return undefined;
  for (const typ of VERIFIED_EMAIL_CLAIMS)
    for (const v of valuesOf(principal, typ)) {
      const email = normalizedEmail(v);
      if (email) return email;
    }
  const edov = valuesOf(principal, EDOV_CLAIM).map((v) => v.trim().toLowerCase());
  if (!edov.some((v) => v === 'true' || v === '1')) return undefined;
  for (const typ of EMAIL_CLAIMS)
    for (const v of valuesOf(principal, typ)) {
      const email = normalizedEmail(v);
      if (email) return email;
    }
  return undefined;
}
