/**
 * The optional claims the runtime reads a verified email from (runtime/caller/verified-email.ts): `email`, which
 * counts only beside `xms_edov: true` (the email domain's owner verified it; Learn, "Optional claims reference",
 * https://learn.microsoft.com/entra/identity-platform/optional-claims-reference). Entra puts them in the API's access
 * tokens only when the API's registration asks for them, so the registration the stack creates declares every one
 * where invitations are accepted (kit/cdktf/entra-registrations.ts): declared, a deploy keeps them; added by hand,
 * the next deploy removes them (azuread's `optional_claims` is not computed).
 *
 * @example
 * ```ts
 * const accessToken = VERIFIED_EMAIL_OPTIONAL_CLAIMS.map((name) => ({ name })); // [{ name: 'email' }, { name: 'xms_edov' }]
 * ```
 */
export const VERIFIED_EMAIL_OPTIONAL_CLAIMS = ['email', 'xms_edov'] as const;
