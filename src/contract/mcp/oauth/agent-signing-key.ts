/**
 * The Key Vault key the backend signs its agents' access tokens with, when the plan keeps one (`mcp.authorization`
 * deployed with sign-in on; plan/phases/agent-key-requirements.ts): an EC P-256 key (ES256), created by apply in
 * the backend's vault, its private part never leaving Key Vault.
 */
export const AGENT_SIGNING_KEY_NAME = 'atakora-agent-signing';

/**
 * The app setting naming that key: its versionless id, `https://<vault>.vault.azure.net/keys/atakora-agent-signing`.
 * The runtime signs through Key Vault's `sign` with the current version and verifies by each token's `kid` (the
 * version it was signed with), so a rotated key's tokens hold until they expire. Absent under `atakora dev`.
 *
 * @example
 * ```ts
 * process.env[AGENT_SIGNING_KEY_ID_SETTING]; // 'https://kv-shop-prod-x1y2.vault.azure.net/keys/atakora-agent-signing'
 * ```
 */
export const AGENT_SIGNING_KEY_ID_SETTING = 'ATAKORA_AGENT_SIGNING_KEY_ID';

/**
 * The app setting naming *another* app setting: the one holding the client id of the user-assigned identity that
 * holds Key Vault Crypto User on the key (the CRUD runtime's host component's, `<COMPONENT>_AZURE_CLIENT_ID`), so
 * the runtime signs as that identity.
 */
export const AGENT_SIGNING_IDENTITY_SETTING = 'ATAKORA_AGENT_SIGNING_IDENTITY';
