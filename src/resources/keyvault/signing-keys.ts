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
}

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
        `az keyvault key create --vault-name ${vault} --name ${n} --kty EC --curve P-256 --ops sign verify`,
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
      `After the first deploy, create the key from inside the VNet (a VM, a self-hosted runner, a VPN into it): ` +
      `${create} (docs/mcp.md, "The signing key").`,
  };
}
