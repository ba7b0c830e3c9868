/**
 * For `npm run check:terraform`: the day after Key Vault rotates a signing key by its rotation policy, the next
 * `terraform plan` must leave the key alone. Key Vault gives each version its policy makes an `exp`, and azurerm
 * reads it back into the key's `expiration_date` (internal/services/keyvault/key_vault_key_resource.go@v4.55.0,
 * read); a configuration that does not ignore it would take it away, which azurerm answers by replacing the key
 * (CustomizeDiff `ForceNewIfChange("expiration_date", …)`: a value going to none) — every token of every agent then
 * fails. An empty world cannot show that, so this makes, from a synthesized stack, a stack of its Key Vault keys
 * alone (the vault's id a literal, as it is once the vault exists) and a Terraform state holding each key as azurerm
 * reads it after a rotation; tf-plan.sh plans the two together (`TF_CLI_ARGS_plan=-state=<file>`, the local
 * backend's legacy flag) and must plan no change.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** A version id of Key Vault's shape (32 hex digits): the version the policy made. */
const ROTATED_VERSION = '8f3e2a1b0c9d4e5f6a7b8c9d0e1f2a3b';

/**
 * Writes `<out>/cdk.tf.json` (the stack's `azurerm_key_vault_key`s, nothing else) and `<out>/rotated.tfstate` (each
 * key after a rotation by its policy: the new version current, its `expiration_date` set) for the stack at `stackDir`;
 * returns the state file's path, or undefined when the stack has no Key Vault key.
 *
 * @example
 * ```ts
 * const state = writeRotatedKeyStack(stack.dir, join(work, 'rotated', slug(stack.label)), SUBSCRIPTION);
 * ```
 */
export function writeRotatedKeyStack(
  stackDir: string,
  out: string,
  subscription: string,
): string | undefined {
  const src = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as Json;
  const keys = ((src['resource'] as Json | undefined)?.['azurerm_key_vault_key'] ?? {}) as Record<
    string,
    Json
  >;
  if (Object.keys(keys).length === 0) return undefined;
  const vault =
    `/subscriptions/${subscription}/resourceGroups/rg-rotated/providers/` +
    'Microsoft.KeyVault/vaults/kv-rotated';
  const resources: Record<string, Json> = {};
  const instances: Json[] = [];
  for (const [name, key] of Object.entries(keys)) {
    const { '//': _metadata, ...rest } = key;
    resources[name] = { ...rest, key_vault_id: vault };
    instances.push({ name, attributes: rotatedAttributes(rest, vault) });
  }
  const required = (src['terraform'] as Json)['required_providers'] as Json;
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'cdk.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { azurerm: required['azurerm'] } },
      provider: { azurerm: (src['provider'] as Json)['azurerm'] },
      resource: { azurerm_key_vault_key: resources },
    }),
  );
  const state = join(out, 'rotated.tfstate');
  writeFileSync(
    state,
    JSON.stringify({
      version: 4,
      terraform_version: '1.11.4',
      serial: 2,
      lineage: '5b0e7c1e-0000-4000-8000-000000000121',
      outputs: {},
      resources: instances.map(({ name, attributes }) => ({
        mode: 'managed',
        type: 'azurerm_key_vault_key',
        name,
        provider: 'provider["registry.terraform.io/hashicorp/azurerm"]',
        instances: [{ schema_version: 0, attributes, sensitive_attributes: [] }],
      })),
    }),
  );
  return state;
}

/** The key as azurerm's read leaves it in state after a rotation by its policy (the provider's own attributes). */
function rotatedAttributes(key: Json, vault: string): Json {
  const name = String(key['name']);
  const policy = key['rotation_policy'] as Json | undefined;
  const automatic = policy?.['automatic'] as Json | undefined;
  const versionless = `https://kv-rotated.vault.azure.net/keys/${name}`;
  return {
    id: `${versionless}/${ROTATED_VERSION}`,
    name,
    key_vault_id: vault,
    key_type: key['key_type'],
    key_size: 0,
    curve: key['curve'] ?? '',
    key_opts: key['key_opts'],
    not_before_date: '',
    // The new version's exp: created + the policy's expire_after (here a date, as the read formats it, RFC 3339).
    expiration_date: '2027-05-28T10:00:00Z',
    rotation_policy: policy
      ? [
          {
            automatic: automatic
              ? [
                  {
                    time_after_creation: automatic['time_after_creation'] ?? '',
                    time_before_expiry: automatic['time_before_expiry'] ?? '',
                  },
                ]
              : [],
            expire_after: policy['expire_after'] ?? '',
            notify_before_expiry: policy['notify_before_expiry'] ?? '',
          },
        ]
      : [],
    version: ROTATED_VERSION,
    versionless_id: versionless,
    n: '',
    e: '',
    x: 'rotated-x',
    y: 'rotated-y',
    public_key_pem: '',
    public_key_openssh: '',
    resource_id: `${vault}/keys/${name}/versions/${ROTATED_VERSION}`,
    resource_versionless_id: `${vault}/keys/${name}`,
    tags: key['tags'] ?? {},
    timeouts: null,
  };
}
