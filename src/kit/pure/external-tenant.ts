import type { NormalizedConfig, NormalizedCustomers } from '../../model/config.js';

// Microsoft Entra External ID (a customer sign-in, `auth.signInAudience: 'customers'`): where its tokens come from
// and how registrations in it are declared. Pure: read by the plan's handles, apply and `atakora dev`.

/**
 * The sign-in authority of an external tenant: `https://<subdomain>.ciamlogin.com/<tenant id>`. External tenants
 * sign users in on their own `ciamlogin.com` host, never on login.microsoftonline.com (Learn, "Custom
 * authentication extensions overview": the issuer of an external tenant is `https://{domainName}.ciamlogin.com/
 * {tenantId}/v2.0`, https://learn.microsoft.com/entra/identity-platform/custom-extension-overview). MSAL.js takes the
 * authority without the `/v2.0` it appends itself: Learn's single-page-app samples for external tenants write
 * `authority: 'https://<subdomain>.ciamlogin.com/'` (MSAL then names the tenant `<subdomain>.onmicrosoft.com`); the
 * tenant id in the path names the same tenant without that lookup, as the v2.0 endpoint above does.
 *
 * @example
 * ```ts
 * customersAuthority({ tenantId: '6f1c2b3a-0000-4000-8000-00000000c1a0', subdomain: 'contosoid', emailSignIn: 'one-time-code', identityProviders: [] });
 * // 'https://contosoid.ciamlogin.com/6f1c2b3a-0000-4000-8000-00000000c1a0'
 * ```
 */
export function customersAuthority(customers: NormalizedCustomers): string {
  return `https://${customers.subdomain}.ciamlogin.com/${customers.tenantId}`;
}

/**
 * The v2.0 endpoint App Service authentication validates customers' tokens against (its `openIdIssuer`, azurerm's
 * `tenant_auth_endpoint`): `https://<subdomain>.ciamlogin.com/<tenant id>/v2.0`. App Service reads the tenant's
 * OpenID metadata under it, which gives the signing keys and the `iss` the tokens carry (Learn, "Configure your
 * App Service or Azure Functions app to use Microsoft Entra sign-in", Issuer URL: "used to … download the
 * appropriate metadata to determine the appropriate token signing keys and token issuer claim value"; for an
 * external tenant, its "External configuration").
 *
 * @example
 * ```ts
 * customersIssuer(customers); // 'https://contosoid.ciamlogin.com/6f1c2b3a-0000-4000-8000-00000000c1a0/v2.0'
 * ```
 */
export function customersIssuer(customers: NormalizedCustomers): string {
  return `${customersAuthority(customers)}/v2.0`;
}

/**
 * The `sign_in_audience` of the registrations the stack creates: an external tenant's apps are registered for
 * "Accounts in this organizational directory only" (Learn, "Register an app in an external tenant",
 * https://learn.microsoft.com/entra/external-id/customers/how-to-register-ciam-app): its customers are accounts
 * of that directory.
 *
 * @example
 * ```ts
 * registrationAudience(normalizeConfig({})); // 'AzureADMyOrg'
 * ```
 */
export function registrationAudience(
  config: NormalizedConfig,
): 'AzureADMyOrg' | 'AzureADMultipleOrgs' {
  return config.auth.signInAudience === 'AzureADMultipleOrgs'
    ? 'AzureADMultipleOrgs'
    : 'AzureADMyOrg';
}

/**
 * The alias of the `azuread` provider configured for the external tenant (`tenant_id`): every registration of a
 * customer sign-in, and the data source reading who deploys, go through it, so a stack's own (workforce) azuread
 * provider is left as it is.
 *
 * @example
 * ```ts
 * externalProviderAlias('shop'); // 'shop_customers'
 * ```
 */
export function externalProviderAlias(backendId: string): string {
  return `${backendId.replace(/[^A-Za-z0-9_]/g, '_')}_customers`;
}

/**
 * The secret each social identity provider of a customer sign-in needs: Google's OAuth client secret, Facebook's
 * app secret (Learn, "Add Google as an identity provider" / "Add Facebook as an identity provider" for external
 * tenants; Graph `socialIdentityProvider.clientSecret`, write-only).
 */
export const SOCIAL_SECRETS = {
  google: 'GOOGLE_CLIENT_SECRET',
  facebook: 'FACEBOOK_APP_SECRET',
} as const;

/**
 * What each provider's client id looks like: a Google OAuth client id ends in `.apps.googleusercontent.com`
 * (Google Cloud console → Credentials; Learn, "Add Google as an identity provider",
 * https://learn.microsoft.com/entra/external-id/customers/how-to-google-federation-customers), a Facebook app id
 * is a number (Meta for Developers → App settings → Basic; Learn, "Add Facebook as an identity provider",
 * https://learn.microsoft.com/entra/external-id/customers/how-to-facebook-federation-customers). Anything else is
 * likely the secret pasted in the wrong place — which must never sit in the config.
 */
export const CLIENT_ID_SHAPE = {
  google: {
    pattern: /^[0-9]+-[A-Za-z0-9_]+\.apps\.googleusercontent\.com$/,
    example: '1234567890-abc123.apps.googleusercontent.com',
    secret: 'GOOGLE_CLIENT_SECRET',
  },
  facebook: { pattern: /^[0-9]{5,32}$/, example: '236028191057849', secret: 'FACEBOOK_APP_SECRET' },
} as const;

/**
 * Whether `value` has the shape of `type`'s client id (Google: `<digits>-<token>.apps.googleusercontent.com`;
 * Facebook: a number): a client id read from `GOOGLE_CLIENT_ID` / `FACEBOOK_APP_ID` by `atakora auth setup` is
 * checked as the config's is.
 *
 * @example
 * ```ts
 * isSocialClientId('facebook', '236028191057849'); // true
 * isSocialClientId('google', 'GOCSPX-…');          // false: likely the secret
 * ```
 */
export function isSocialClientId(type: 'google' | 'facebook', value: string): boolean {
  return CLIENT_ID_SHAPE[type].pattern.test(value);
}

/** The example of a client id of `type`, for messages. */
export const socialClientIdExample = (type: 'google' | 'facebook'): string =>
  CLIENT_ID_SHAPE[type].example;
