import type { TokenCredential } from '@azure/core-auth';
import type {
  CryptographyClient,
  CryptographyClientOptions,
  KeyClient,
} from '@azure/keyvault-keys';
import { KeyVersions, usable } from './key-versions.js';
import { SigningKeyUnavailable, type TokenSigner } from './token-signer.js';
import { vaultCall } from './vault-call.js';

export { CURRENT_VERSION_MS } from './key-versions.js';

// Loaded on the first token signed or verified: a backend without agents never loads the SDK.
let sdk: Promise<typeof import('@azure/keyvault-keys')> | undefined;

/** How {@link vaultSigningKey} reaches the vault. */
export interface VaultSigningKeyOptions {
  /** The identity's credential; absent → the managed identity `clientId` names, else `DefaultAzureCredential`. */
  readonly credential?: TokenCredential;
  /** The client id of the user-assigned identity holding Key Vault Crypto User on the key. */
  readonly clientId?: string;
  readonly now?: () => number;
}

/**
 * The backend's signing key in Key Vault (`ATAKORA_AGENT_SIGNING_KEY_ID`, its versionless id) through Microsoft's
 * client, `@azure/keyvault-keys` on its defaults (its challenge authentication: a first request without a token,
 * Key Vault's 401 naming the authority and resource, then the token; its retries). Signs with the version read as
 * current (read again after {@link CURRENT_VERSION_MS}) through Key Vault's `sign` (ES256 over a SHA-256 digest,
 * https://learn.microsoft.com/rest/api/keyvault/keys/sign/sign), the version being the token's `kid`; verifies and
 * serves in the JWKS every enabled, unexpired version that may have signed a live token (key-versions.ts: the
 * current one and those superseded within the longest token's life), so a rotation — by the key's rotation policy
 * or an operator — ends no token, and a version disabled or expired in the vault verifies nothing. Every refusal of
 * the vault (403 without the role or for a disabled key, 404 KeyNotFound) and every failure to reach it is a
 * {@link SigningKeyUnavailable}.
 *
 * @example
 * ```ts
 * const signer = vaultSigningKey('https://kv-shop-prod-x1y2.vault.azure.net/keys/atakora-agent-signing', { clientId });
 * ```
 */
export function vaultSigningKey(keyId: string, options: VaultSigningKeyOptions = {}): TokenSigner {
  const now = options.now ?? Date.now;
  const id = new URL(keyId);
  const name = /^\/keys\/([^/]+)\/?$/.exec(id.pathname)?.[1];
  if (!name)
    throw new SigningKeyUnavailable(`${keyId} is no Key Vault key id (…/keys/<name>).`, undefined);
  const vaultUrl = id.origin;
  let clients: Promise<Vault> | undefined;
  const client = () => (clients ??= connect(vaultUrl, options));
  const versions = new KeyVersions(name, async () => (await client()).keys, now);
  const signers = new Map<string, CryptographyClient>();

  return {
    async current() {
      const { current } = await versions.fresh();
      const version = current.properties.version ?? '';
      const state = {
        version,
        enabled: current.properties.enabled !== false,
        created: 0,
        ...(current.properties.expiresOn
          ? { expires: current.properties.expiresOn.getTime() }
          : {}),
        ...(current.properties.notBefore
          ? { notBefore: current.properties.notBefore.getTime() }
          : {}),
      };
      if (!usable(state, now()))
        throw new SigningKeyUnavailable(
          `The key ${name}'s current version ${version} is ${state.enabled ? 'expired or not yet valid' : 'disabled'} in Key Vault.`,
          403,
        );
      return {
        kid: version,
        sign: async (digest) => {
          const { credential, clientOptions } = await client();
          const { CryptographyClient } = await loadSdk();
          let signer = signers.get(version);
          if (!signer)
            signers.set(
              version,
              (signer = new CryptographyClient(current, credential, clientOptions)),
            );
          try {
            return (await vaultCall(signer.sign('ES256', digest), name)).result;
          } catch (e) {
            // The key disabled or deleted meanwhile: read it again next time.
            versions.stale();
            throw e;
          }
        },
      };
    },
    publicKey: (kid) => versions.publicKey(kid),
    publicKeys: () => versions.publicKeys(),
  };
}

const loadSdk = () => (sdk ??= import('@azure/keyvault-keys'));

interface Vault {
  readonly keys: KeyClient;
  readonly credential: TokenCredential;
  readonly clientOptions: CryptographyClientOptions;
}

async function connect(vaultUrl: string, options: VaultSigningKeyOptions): Promise<Vault> {
  const credential = options.credential ?? (await managedIdentity(options.clientId));
  const { KeyClient } = await loadSdk();
  // Plain HTTP only to this machine's loopback (the test stand-in), whose challenge names no vault domain.
  const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(`${vaultUrl}/`);
  const clientOptions = loopback
    ? { allowInsecureConnection: true, disableChallengeResourceVerification: true }
    : {};
  return { keys: new KeyClient(vaultUrl, credential, clientOptions), credential, clientOptions };
}

async function managedIdentity(clientId: string | undefined): Promise<TokenCredential> {
  const { DefaultAzureCredential, ManagedIdentityCredential } = await import('@azure/identity');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
}
