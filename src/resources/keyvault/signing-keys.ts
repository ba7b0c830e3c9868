import { requirementPath } from '../../kit/pure/resources/requirement-path.js';
import type { TypedRequirement } from '../../kit/pure/resources/resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy } from '../../model/plan.js';

/** What a `keyvault` requirement says of signing keys (type.ts `KeyVaultRequirementConfig.signingKeys`). */
type KeyVaultRequirementConfig = { readonly signingKeys?: readonly string[] };

/** A signing key in the merged config: its versionless id, who signs with it, whether apply creates it. */
export interface PlannedSigningKey {
  /** `https://<vault>.vault.azure.net/keys/<name>` (what the runtime is given). */
  id: string;
  /** Component ids whose identities get Key Vault Crypto User on it, sorted. */
  users: string[];
  /**
   * `false` under isolated networking: the vault takes no calls from outside its VNet and Terraform writes keys
   * through the data plane, so the operator creates the key (KEYVAULT_KEY_ISOLATED) and the role is on the vault.
   */
  byApply: boolean;
  /** The rotation policy Key Vault keeps on it ({@link SIGNING_KEY_ROTATION}). */
  rotation: SigningKeyRotation;
}

/** A signing key's rotation policy, each an ISO 8601 duration as Key Vault and azurerm take it. */
export interface SigningKeyRotation {
  /** `automatic.time_after_creation` (a Rotate trigger's `timeAfterCreate`): a new version this long after the last. */
  readonly rotateAfter: string;
  /** `expire_after` (the policy's `expiryTime`): each version the policy makes expires this long after it is made. */
  readonly expireAfter: string;
  /** `notify_before_expiry` (a Notify trigger's `timeBeforeExpiry`): Key Vault's near-expiry event this long before. */
  readonly notifyBeforeExpiry: string;
}

/**
 * The rotation policy of every signing key (without one the key never rotates by itself). Key Vault
 * makes a new version 90 days after the current one was made, and each version it makes expires 180 days after it
 * was made ("Configure cryptographic key auto-rotation in Azure Key Vault",
 * https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation: "Expiry time: key expiration
 * interval. It's used to set expiration date on newly rotated key. It doesn't affect a current key" — the version
 * apply creates has none). Why these:
 * - **Expiry far after rotation.** The runtime refuses a version past its `exp` (runtime/mcp/oauth/key-versions.ts
 *   `usable`) and still needs a superseded version for 65 minutes (5 an instance may sign with it, 60 the longest
 *   access token). A version is current from day 0 to day 90 and needed until day 90 plus 65 minutes; it expires on
 *   day 180, so neither a token it signed nor the 65-minute window ever meets its expiry, and Key Vault's scheduler
 *   may be 89 days late before a current version expires (then issuing stops, 503, until someone rotates).
 * - **Expiry at all.** A version that outlives a stopped rotation (the policy removed, the vault's scheduler failing)
 *   ends: no key signs for more than 180 days, and the near-expiry notice comes 30 days before.
 * - **The notice, 30 days.** azurerm requires it with `expire_after` (`RequiredWith`,
 *   key_vault_key_resource.go@v4.55.0)
 *   and Key Vault gives every key a Notify of 30 days before expiry by default (Get-AzKeyVaultKeyRotationPolicy,
 *   Example 1: "TimeBeforeExpiry: P30D" on a key with no policy set; the provider's read notes "a default is set after
 *   creation for notify_before_expiry"): the same value reads back unchanged, so no plan shows a change.
 * - **Key Vault's and azurerm's bounds.** `expire_after` P28D-P100Y and `notify_before_expiry` at least P7D (the
 *   provider's ValidateFuncs); a rotation at least 7 days after creation and 7 before expiry (Learn, above: "the
 *   minimum value is seven days from creation and seven days from expiration time").
 * Setting it needs `Microsoft.KeyVault/vaults/keyrotationpolicies/*`, which the deployer's Key Vault Crypto Officer
 * holds (Learn, above, "Permissions required": "assign a 'Key Vault Crypto Officer' role to manage rotation policy");
 * the app's Key Vault Crypto User needs none of it — Key Vault rotates by itself.
 */
export const SIGNING_KEY_ROTATION: SigningKeyRotation = {
  rotateAfter: 'P90D',
  expireAfter: 'P180D',
  notifyBeforeExpiry: 'P30D',
};

/** Key Vault object names: 1-127 alphanumerics and hyphens (about-keys-secrets-certificates). */
const KEY_NAME = /^[0-9A-Za-z-]{1,127}$/;

/**
 * The vault's signing keys from its requirements' `signingKeys`: by name, the key's versionless id
 * (`<vault URI>keys/<name>`), the components that sign with it, and whether apply creates it — not under isolated
 * networking, where the vault's public access is off (keyvault/provision.ts) and azurerm writes keys through the
 * data plane (`azurerm_key_vault_key` creates through Key Vault's CreateKey, internal/services/keyvault/
 * key_vault_key_resource.go@v4.55.0), which a Terraform run outside the VNet cannot reach: the first apply would
 * fail, so the plan leaves the key to the operator and says so (KEYVAULT_KEY_ISOLATED). Undefined without keys.
 *
 * @example
 * ```ts
 * mergeSigningKeys(reqs, 'kv-shop-prod-x1y2', config, issues);
 * // { 'atakora-agent-signing': { id: 'https://kv-shop-prod-x1y2.vault.azure.net/keys/atakora-agent-signing', users: ['NoteApi'], byApply: true } }
 * ```
 */
export function mergeSigningKeys(
  reqs: readonly TypedRequirement<KeyVaultRequirementConfig>[],
  vault: string,
  config: NormalizedConfig,
  issues: PlanIssue[],
): Record<string, PlannedSigningKey> | undefined {
  const users = new Map<string, Set<string>>();
  for (const r of reqs) {
    const keys = r.requirement.config.signingKeys;
    if (keys === undefined) continue;
    if (!Array.isArray(keys)) {
      issues.push(invalid(r, ['signingKeys'], 'must be a list of key names'));
      continue;
    }
    keys.forEach((k: unknown, i) => {
      if (typeof k !== 'string' || !KEY_NAME.test(k))
        issues.push(
          invalid(
            r,
            ['signingKeys', i],
            `${JSON.stringify(k)} must be 1-127 letters, digits and hyphens`,
          ),
        );
      else users.set(k, (users.get(k) ?? new Set()).add(r.componentId));
    });
  }
  if (users.size === 0) return undefined;
  const byApply = config.networking.mode !== 'isolated';
  const names = [...users.keys()].sort(compare);
  if (!byApply) issues.push(isolatedIssue(vault, names));
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        id: `https://${vault}.vault.azure.net/keys/${name}`,
        users: [...(users.get(name) ?? [])].sort(compare),
        byApply,
        rotation: SIGNING_KEY_ROTATION,
      },
    ]),
  );
}

/**
 * What apply creates for the signing keys: each key (when apply creates it) and one role assignment per user.
 *
 * @example
 * ```ts
 * signingKeyDeploys('backend_keyvault_shared', merged.signingKeys);
 * // [{ terraformType: 'azurerm_key_vault_key', name: 'backend_keyvault_shared_key_atakora-agent-signing' }, …]
 * ```
 */
export function signingKeyDeploys(
  vaultTfName: string,
  keys: Readonly<Record<string, PlannedSigningKey>> | undefined,
): PlannedDeploy[] {
  return Object.entries(keys ?? {}).flatMap(([name, key]) => [
    ...(key.byApply
      ? [{ terraformType: 'azurerm_key_vault_key', name: signingKeyTfName(vaultTfName, name) }]
      : []),
    ...key.users.map((user) => ({
      terraformType: 'azurerm_role_assignment',
      name: signingKeyRoleTfName(vaultTfName, name, user),
    })),
  ]);
}

/** The Terraform name of a signing key. */
export const signingKeyTfName = (vaultTfName: string, name: string): string =>
  tfName(vaultTfName, 'key', name);

/** The Terraform name of a user's role on a signing key. */
export const signingKeyRoleTfName = (vaultTfName: string, name: string, user: string): string =>
  tfName(vaultTfName, 'key', name, 'ra', user);

function invalid(
  r: TypedRequirement<KeyVaultRequirementConfig>,
  at: (string | number)[],
  what: string,
): PlanIssue {
  return {
    severity: 'error',
    code: 'KEYVAULT_INVALID',
    path: requirementPath(r, 'config', ...at),
    components: [r.componentId],
    message: `Key Vault signingKeys of ${r.componentId}: ${what}.`,
  };
}

function isolatedIssue(vault: string, names: readonly string[]): PlanIssue {
  const create = names
    .map(
      (n) =>
        `az keyvault key create --vault-name ${vault} --name ${n} --kty EC --curve P-256 --ops sign verify; ` +
        `az keyvault key rotation-policy update --vault-name ${vault} --name ${n} --value '${policyJson()}'`,
    )
    .join('; ');
  return {
    severity: 'warning',
    code: 'KEYVAULT_KEY_ISOLATED',
    path: ['config', 'networking', 'mode'],
    message:
      `Key Vault ${vault} takes no calls from outside its VNet (isolated networking), and Terraform creates keys ` +
      `through the vault's data plane, so this plan does not create the signing key ${names.join(', ')}: ` +
      'the role and the app setting naming it are planned, and until the key exists the authorization server ' +
      'answers its token requests 503.',
    resolution:
      'After the first deploy, create the key and set its rotation policy from inside the VNet (a VM, a ' +
      `self-hosted runner, a VPN into it): ` +
      `${create} (docs/mcp.md, "The signing key").`,
  };
}

/**
 * {@link SIGNING_KEY_ROTATION} as Key Vault's KeyRotationPolicy (REST "Update Key Rotation Policy": `lifetimeActions`
 * of `trigger` and `action`, `attributes.expiryTime`;
 * https://learn.microsoft.com/rest/api/keyvault/keys/update-key-rotation-policy),
 * the JSON `az keyvault key rotation-policy update --value` takes.
 */
function policyJson(): string {
  const r = SIGNING_KEY_ROTATION;
  return JSON.stringify({
    lifetimeActions: [
      { trigger: { timeAfterCreate: r.rotateAfter }, action: { type: 'Rotate' } },
      { trigger: { timeBeforeExpiry: r.notifyBeforeExpiry }, action: { type: 'Notify' } },
    ],
    attributes: { expiryTime: r.expireAfter },
  });
}
