import type { NormalizedConfig } from '../../model/config.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import {
  AGENT_SIGNING_IDENTITY_SETTING,
  AGENT_SIGNING_KEY_ID_SETTING,
  AGENT_SIGNING_KEY_NAME,
} from '../../contract/mcp/oauth/agent-signing-key.js';
import { componentIdentitySetting } from '../../kit/pure/names/component-identity.js';
import { crudRuntimeHost, onHost } from './crud-host.js';

/**
 * What `mcp.authorization` asks of the plan when the backend deploys with sign-in on (DESIGN §2, "Tokens": "signed
 * with a key the plan keeps in Key Vault"): the backend's vault holds an EC P-256 key, {@link AGENT_SIGNING_KEY_NAME}
 * (resources/keyvault/type.ts `signingKeys`: created by apply, its private part never leaving Key Vault), the
 * identity of the app that runs the CRUD runtime — where the authorization server issues its tokens — gets
 * Key Vault Crypto User on it (sign, read the public key), and that app gets {@link AGENT_SIGNING_KEY_ID_SETTING},
 * the key's versionless id, so every instance signs with the one key and verifies every other's tokens. No secret
 * role: the requirement names keys only. `atakora dev` keeps its local key (cli/dev/host/app-settings.ts drops the
 * setting).
 *
 * @example
 * ```ts
 * agentKeyRequirements(normalizeConfig({ mcp: { authorization: true }, tenants }), collected);
 * // [<host>-agents-functions with the setting, <host>-agents-keyvault with signingKeys: ['atakora-agent-signing']]
 * ```
 */
export function agentKeyRequirements(
  config: NormalizedConfig,
  collected: readonly SourcedRequirement[],
): SourcedRequirement[] {
  if (!config.auth.enabled || !config.mcp?.authorization || !config.tenants?.membership) return [];
  const host = crudRuntimeHost(collected);
  if (!host) return [];
  const functions = {
    runtime: 'node',
    crudRuntime: true,
    functionCount: 0,
    // The vault's URI is planned (`${keyvault.uri}`, resolved by plan/phases/references.ts): the id is known before
    // apply, and the key's versionless id is `<vault URI>keys/<name>` (Key Vault's object identifiers,
    // https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#object-identifiers).
    sharedSettings: {
      [AGENT_SIGNING_KEY_ID_SETTING]: `\${keyvault.uri}keys/${AGENT_SIGNING_KEY_NAME}`,
      // The identity the key's role goes to (the host component's: signing-keys-provision.ts), by its setting.
      [AGENT_SIGNING_IDENTITY_SETTING]: componentIdentitySetting(host.componentId),
    },
  };
  const vault = { signingKeys: [AGENT_SIGNING_KEY_NAME] };
  const of = onHost(host, collected, 'agents', 4);
  return [of('functions', functions, 0), of('keyvault', vault, 1)];
}
