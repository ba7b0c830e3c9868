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

/**
 * The Microsoft Entra built-in roles that can grant tenant-wide consent to an application, by role template id — the
 * ids tokens carry in the `wids` claim (Learn, "Microsoft Entra built-in roles",
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference, "All roles"; who may
 * consent: Learn, "Grant tenant-wide admin consent to an application"). Linking a directory routes every one of its
 * users into an organization, so it takes one of them (403 `directory-admin-required` otherwise: runtime/members/directory).
 *
 * @example
 * ```ts
 * DIRECTORY_CONSENT_ROLES['Global Administrator']; // '62e90394-69f5-4237-9190-012177145e10'
 * ```
 */
export const DIRECTORY_CONSENT_ROLES = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Privileged Role Administrator': 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  'Application Administrator': '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  'Cloud Application Administrator': '158c047a-c907-4556-b7ef-446551a6b5f7',
} as const;

/**
 * Whether a token's `wids` (its directory roles' template ids) hold one that can consent for the directory
 * ({@link DIRECTORY_CONSENT_ROLES}); compared in lower case.
 *
 * @example
 * ```ts
 * mayLinkDirectory(['62E90394-69F5-4237-9190-012177145E10']); // true
 * mayLinkDirectory(['b79fbf4d-3ef9-4689-8143-76b194e85509']); // false (default user permissions)
 * ```
 */
export function mayLinkDirectory(wids: readonly string[]): boolean {
  const consenting: readonly string[] = Object.values(DIRECTORY_CONSENT_ROLES);
  return wids.some((w) => consenting.includes(w.trim().toLowerCase()));
}
