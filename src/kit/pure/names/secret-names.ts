/**
 * Secret names as components declare them and as Key Vault stores them. A component declares the name its
 * code reads from the environment (`STRIPE_KEY`: `^[A-Z][A-Z0-9_]*$`); Key Vault object names take only
 * letters, digits and hyphens (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates),
 * so each `_` becomes `-` in the vault (`STRIPE_KEY` → `STRIPE-KEY`). The mapping is one to one: a declared
 * name holds no `-`, so no two declared names share a vault name.
 */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/** Key Vault object names are at most 127 characters. */
export const SECRET_NAME_MAX = 127;

/**
 * Whether `name` is a declarable secret name.
 *
 * @example
 * ```ts
 * isSecretName('STRIPE_KEY'); // true
 * isSecretName('stripe-key'); // false
 * ```
 */
export function isSecretName(name: unknown): name is string {
  return (
    typeof name === 'string' && name.length <= SECRET_NAME_MAX && SECRET_NAME_PATTERN.test(name)
  );
}

/**
 * The Key Vault secret name of a declared secret.
 *
 * @example
 * ```ts
 * vaultSecretName('STRIPE_KEY'); // 'STRIPE-KEY'
 * ```
 */
export function vaultSecretName(name: string): string {
  return name.replace(/_/g, '-');
}

/**
 * The declared name of a Key Vault secret name (the inverse of {@link vaultSecretName}).
 *
 * @example
 * ```ts
 * declaredSecretName('STRIPE-KEY'); // 'STRIPE_KEY'
 * ```
 */
export function declaredSecretName(vaultName: string): string {
  return vaultName.replace(/-/g, '_');
}

/**
 * The app setting value that resolves a declared secret from the backend's vault: a Key Vault reference whose
 * vault name the planner fills in (`${keyvault.name}`). Without a version, the app follows the latest one
 * (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#reference-syntax).
 *
 * @example
 * ```ts
 * secretReferenceSetting('STRIPE_KEY'); // '@Microsoft.KeyVault(VaultName=${keyvault.name};SecretName=STRIPE-KEY)'
 * ```
 */
export function secretReferenceSetting(name: string): string {
  return `@Microsoft.KeyVault(VaultName=\${keyvault.name};SecretName=${vaultSecretName(name)})`;
}
