import type { NormalizedConfig } from '../../model/config.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import { vaultSecretName } from '../../kit/pure/names/secret-names.js';
import { SOCIAL_SECRETS } from '../../kit/pure/external-tenant.js';

/**
 * Who asks for the social providers' secrets in the plan (the vault's consumers): not a component of the backend,
 * so no Function App gets a role on them — only `atakora auth setup`, run by the operator, reads them.
 */
export const SIGN_IN_CONSUMER = 'atakora:sign-in';

/**
 * A Key Vault requirement for the social providers' secrets of a customer sign-in (`auth.identityProviders`), so
 * the environment has a vault holding them by name — set with `atakora secret set`, read by `atakora auth setup`,
 * never by an app, never in config or Terraform state. None without social providers.
 *
 * @example
 * ```ts
 * signInSecretRequirements(normalizeConfig({ auth: { signInAudience: 'customers', externalTenant, identityProviders: ['google'] }, tenants }));
 * // [{ componentId: 'atakora:sign-in', requirement: { resourceType: 'keyvault', config: { secrets: ['GOOGLE-CLIENT-SECRET'], … } }, … }]
 * ```
 */
export function signInSecretRequirements(config: NormalizedConfig): SourcedRequirement[] {
  const providers = config.auth.customers?.identityProviders ?? [];
  if (providers.length === 0) return [];
  return [
    {
      componentId: SIGN_IN_CONSUMER,
      componentKey: 'auth',
      componentType: 'sign-in',
      index: 0,
      requirement: {
        resourceType: 'keyvault',
        requirementKey: 'sign-in-keyvault',
        config: {
          secrets: providers.map((p) => vaultSecretName(SOCIAL_SECRETS[p.type])),
          access: 'read',
        },
      },
    },
  ];
}
