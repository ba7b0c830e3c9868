import type { TokenCredential } from '@azure/core-auth';
import type {
  CryptographyClient,
  CryptographyClientOptions,
  KeyClient,
  KeyVaultKey,
} from '@azure/keyvault-keys';
import { importJWK } from 'jose';
import { SigningKeyUnavailable, type TokenSigner } from './token-signer.js';

/** How long an instance signs with the version it last read as current: a rotation reaches every instance within. */
export const CURRENT_VERSION_MS = 5 * 60_000;
/** Key Vault's key versions are 32 hex digits; a `kid` of another shape is never looked up. */
const VERSION = /^[0-9a-f]{32}$/i;
/** At most one look-up of an unseen `kid` a second per instance: forged kids cannot make the vault a target. */
const UNSEEN_LOOKUP_MS = 1000;
/** Versions remembered (a key rotated hourly for a month is 720). */
const MAX_VERSIONS = 1000;

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
 * current (GET key, again after {@link CURRENT_VERSION_MS}) through Key Vault's `sign` (ES256 over a SHA-256 digest,
 * https://learn.microsoft.com/rest/api/keyvault/keys/sign/sign), the version being the token's `kid`; verifies with
 * the public key of the token's `kid`, read once per version (GET key/version,
 * https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key: "The get key operation is applicable to all
 * key types … Note: … returns the public part of a stored key") — so a rotated key's tokens hold until they expire,
 * and a version disabled in the vault verifies nothing. Every refusal of the vault (403 without the role or for a
 * disabled key, 404 KeyNotFound) and every failure to reach it is a {@link SigningKeyUnavailable}.
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
  const publicKeys = new Map<string, Promise<CryptoKey | undefined>>();
  const signers = new Map<string, CryptographyClient>();
  let current: { at: number; key: Promise<KeyVaultKey> } | undefined;
  let lastUnseen = Number.NEGATIVE_INFINITY;

  const remember = (version: string, key: Promise<CryptoKey | undefined>) => {
    if (publicKeys.size >= MAX_VERSIONS)
      publicKeys.delete(publicKeys.keys().next().value as string);
    publicKeys.set(version, key);
  };
  const readCurrent = async (): Promise<KeyVaultKey> => {
    if (!current || now() - current.at >= CURRENT_VERSION_MS) {
      const key = client().then(({ keys }) => keys.getKey(name));
      current = { at: now(), key };
      key.catch(() => {
        if (current?.key === key) current = undefined;
      });
    }
    const key = await vaultCall(current.key, name);
    const version = key.properties.version;
    if (version && key.properties.enabled !== false && !publicKeys.has(version))
      remember(version, publicKeyOf(key));
    return key;
  };

  return {
    async current() {
      const key = await readCurrent();
      if (key.properties.enabled === false)
        throw new SigningKeyUnavailable(`The key ${name} is disabled in Key Vault.`, 403);
      const version = key.properties.version ?? '';
      return {
        kid: version,
        sign: async (digest) => {
          const { credential, clientOptions } = await client();
          const { CryptographyClient } = await loadSdk();
          let signer = signers.get(version);
          if (!signer)
            signers.set(version, (signer = new CryptographyClient(key, credential, clientOptions)));
          try {
            return (await vaultCall(signer.sign('ES256', digest), name)).result;
          } catch (e) {
            // The key disabled or deleted meanwhile: read it again next time.
            current = undefined;
            throw e;
          }
        },
      };
    },
    async publicKey(kid) {
      if (!kid || !VERSION.test(kid)) return undefined;
      // The current version (read at most every CURRENT_VERSION_MS) is known without a look-up of its own: a
      // rotation elsewhere is found here, and only an older version costs one.
      if (!publicKeys.has(kid)) await readCurrent();
      const known = publicKeys.get(kid);
      if (known) return known;
      if (now() - lastUnseen < UNSEEN_LOOKUP_MS) return undefined;
      lastUnseen = now();
      const read = (async () => {
        const { keys } = await client();
        try {
          const key = await keys.getKey(name, { version: kid });
          return key.properties.enabled === false ? undefined : await publicKeyOf(key);
        } catch (e) {
          if (statusOf(e) === 404) return undefined;
          throw e;
        }
      })();
      const key = await vaultCall(read, name).catch((e: unknown) => {
        publicKeys.delete(kid);
        throw e;
      });
      // A version disabled now may be enabled later: only what verifies is kept.
      if (key) remember(kid, Promise.resolve(key));
      return key;
    },
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

/** The public key of a Key Vault EC key (its `x` and `y`), for ES256 verification. */
async function publicKeyOf(key: KeyVaultKey): Promise<CryptoKey | undefined> {
  const jwk = key.key;
  if (!jwk?.x || !jwk.y || jwk.crv !== 'P-256') return undefined;
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  const publicKey = await importJWK(
    { kty: 'EC', crv: 'P-256', x: b64(jwk.x), y: b64(jwk.y) },
    'ES256',
  );
  // A JWK with `kty` EC is imported as a CryptoKey (raw bytes only for `oct`).
  return publicKey instanceof Uint8Array ? undefined : publicKey;
}

const statusOf = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number'
    ? e.statusCode
    : undefined;

/** A call to the vault, its failure a {@link SigningKeyUnavailable} naming what Key Vault said. */
async function vaultCall<T>(call: Promise<T>, name: string): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof SigningKeyUnavailable) throw e;
    const status = statusOf(e);
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    const said = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new SigningKeyUnavailable(
      `Key Vault ${status === undefined ? 'could not be reached' : `answered ${String(status)}${code ? ` ${code}` : ''}`} for the key ${name}: ${said}`,
      status,
    );
  }
}
