import type { KeyVault } from '../../kit/cdktf/azurerm-types.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { appWaitsFor } from '../../kit/cdktf/app-waits-for.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { componentIdentityOf } from '../../kit/cdktf/component-identity.js';
import { named, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import { signingKeyRoleTfName, signingKeyTfName } from './signing-keys.js';
import { KEYVAULT_KEY_USER_ROLE } from './type.js';
import type { PlannedSigningKey } from './signing-keys.js';

/**
 * The vault's signing keys (`signingKeys`, keyvault/signing-keys.ts) and their users' roles. Each key apply creates
 * is `azurerm_key_vault_key` with `key_type` 'EC', `curve` 'P-256' and `key_opts` sign and verify — the values the
 * provider validates (internal/services/keyvault/key_vault_key_resource.go@v4.55.0: `key_type` one of EC, EC-HSM,
 * RSA, RSA-HSM; `curve` one of P-256, P-256K, P-384, P-521, conflicting with `key_size`; `key_opts` required), and
 * the key's rotation policy (`rotation_policy`, signing-keys.ts `SIGNING_KEY_ROTATION`), which azurerm sets
 * through Key Vault's UpdateKeyRotationPolicy after CreateKey and reads on every refresh. Its
 * private part is made in and never leaves Key Vault; Terraform's state holds only its public part (`x`, `y`).
 * Each user's component identity (the one the runtime signs as) gets {@link KEYVAULT_KEY_USER_ROLE} on the key's
 * Resource Manager id (`resource_versionless_id`), or on the vault when the operator creates the key (isolated
 * networking). Runs with the grants, after the apps and their identities exist.
 *
 * @example
 * ```ts
 * provisionSigningKeys(ctx, vault, 'backend_keyvault_shared', resource.config.signingKeys, functionAppOf);
 * ```
 */
export function provisionSigningKeys(
  ctx: ProvisionContext,
  vault: KeyVault,
  vaultTfName: string,
  keys: Readonly<Record<string, PlannedSigningKey>> | undefined,
  functionAppOf: FunctionAppOf,
): void {
  const { KeyVaultKey } = azurerm('key-vault-key');
  const { RoleAssignment } = azurerm('role-assignment');
  for (const [name, key] of Object.entries(keys ?? {})) {
    const id = signingKeyTfName(vaultTfName, name);
    const made = key.byApply
      ? named(
          new KeyVaultKey(ctx.scope, id, {
            name,
            keyVaultId: vault.id,
            keyType: 'EC',
            curve: 'P-256',
            keyOpts: ['sign', 'verify'],
            rotationPolicy: {
              automatic: { timeAfterCreation: key.rotation.rotateAfter },
              expireAfter: key.rotation.expireAfter,
              notifyBeforeExpiry: key.rotation.notifyBeforeExpiry,
            },
            // Each version the policy makes carries an `exp`, which azurerm reads back from the current version
            // into `expiration_date` (resource read); unset here, the next plan would take it away, and removing it
            // forces a new key (CustomizeDiff ForceNewIfChange, key_vault_key_resource.go@v4.55.0): every deploy
            // after the first rotation would replace the signing key (hashicorp/terraform-provider-azurerm#22838,
            // Azure/terraform-azurerm-avm-res-keyvault-vault#255: "Confirmed the drift is real"). The date is Key
            // Vault's to keep, never ours.
            lifecycle: { ignoreChanges: ['expiration_date'] },
          }),
          id,
        )
      : undefined;
    for (const user of key.users) {
      const identity = componentIdentityOf(ctx, user);
      if (!identity) continue;
      const ra = signingKeyRoleTfName(vaultTfName, name, user);
      const assignment = named(
        new RoleAssignment(ctx.scope, ra, {
          scope: made ? made.resourceVersionlessId : vault.id,
          roleDefinitionName: KEYVAULT_KEY_USER_ROLE,
          principalId: identity.principalId,
          principalType: 'ServicePrincipal',
        }),
        ra,
      );
      // The app signs its first token with the key as it starts: its identity holds the role by then (Learn,
      // functions-reference "identity-based connections": roles in place before the host starts).
      appWaitsFor(functionAppOf(user), assignment);
    }
  }
}
