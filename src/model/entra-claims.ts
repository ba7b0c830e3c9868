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

/**
 * The `groupMembershipClaims` value that puts the `wids` claim — the signed-in user's directory roles, as role
 * template ids — in the API's access tokens (Learn, "Access token claims reference": `wids` is configured by the
 * application's `groupMembershipClaims`, set to `All` or `DirectoryRole`; "App manifest reference":
 * `DirectoryRole` "gets the Microsoft Entra directory roles the user is a member of"). `DirectoryRole` and not
 * `All`: no group ids in the token. A backend with directory sign-in declares it on its API registration
 * (kit/cdktf/entra-registrations.ts, azuread v3.7.0 `azuread_application.group_membership_claims`), so the runtime
 * can tell a directory's administrator from its ordinary users when an Owner links it.
 *
 * @example
 * ```ts
 * const groupMembershipClaims = [...DIRECTORY_ROLE_CLAIMS]; // ['DirectoryRole']
 * ```
 */
export const DIRECTORY_ROLE_CLAIMS = ['DirectoryRole'] as const;
