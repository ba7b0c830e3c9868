import type { KeyClient, KeyProperties, KeyVaultKey } from '@azure/keyvault-keys';
import { importJWK } from 'jose';
import { statusOf, vaultCall } from './vault-call.js';

/** How long an instance signs with the version it last read as current: a rotation reaches every instance within. */
export const CURRENT_VERSION_MS = 5 * 60_000;
/**
 * The longest-lived token the key signs: access tokens, `accessTokenMinutes` at most 60 (DESIGN §2; the config's
 * bound, backend/config-schema.ts). Refresh tokens and codes are opaque and kept hashed in Cosmos DB
 * (refresh-rotation.ts, authorization-code.ts): no signature of the key's, so a rotation never ends them.
 */
export const LONGEST_TOKEN_MS = 60 * 60_000;
/**
 * At most one read of the key's versions per instance in this time for `kid`s it does not list, whatever arrives: a
 * token naming a version the instance has not listed (a rotation another instance saw first) makes it look again, a
 * storm of forged kids costs the vault one read a period (beside the read every {@link CURRENT_VERSION_MS}). Also
 * how long a failed read is not retried.
 */
export const KEY_LIST_REFRESH_MS = 5_000;
/** How long the versions last read keep verifying while the vault cannot be read (then 503). */
export const STALE_VERSIONS_MS = LONGEST_TOKEN_MS;
/** Versions read from the list at most (weekly rotation for 19 years), and the public keys kept. */
const MAX_VERSIONS = 1000;
/** Versions served at most: even a key rotated in a loop lists a bounded JWKS and costs a bounded number of reads. */
const MAX_LIVE_VERSIONS = 20;
/** Key Vault's key versions are 32 hex digits; a `kid` of another shape is never looked up. */
const VERSION = /^[0-9a-f]{32}$/i;

/** What the list says of a version (times in ms since the epoch). */
export interface VersionState {
  readonly version: string;
  readonly enabled: boolean;
  readonly created: number;
  readonly expires?: number;
  readonly notBefore?: number;
}

/**
 * Whether a version may be used at `now`: enabled, after its `nbf`, before its `exp` — Key Vault's attributes
 * (https://learn.microsoft.com/azure/key-vault/keys/about-keys-details, "Key attributes": `enabled` "Specifies
 * whether the key is enabled and useable for cryptographic operations"; `exp` "identifies the expiration time on or
 * after which the key MUST NOT be used for cryptographic operation, except for certain operation types under
 * particular conditions"; `nbf` "the time before which the key MUST NOT be used for cryptographic operations"). Key
 * Vault would still verify with an expired key; the runtime is stricter: a token of an expired or disabled version
 * is refused, so the operator who ends a version ends what it signed.
 *
 * @example
 * ```ts
 * usable({ version, enabled: true, created: 0, expires: Date.now() - 1 }, Date.now()); // false
 * ```
 */
export const usable = (v: VersionState, now: number): boolean =>
  v.enabled &&
  (v.notBefore === undefined || v.notBefore <= now) &&
  (v.expires === undefined || now < v.expires);

/**
 * The versions that may have signed a token still live at `now`, newest first: usable ones that are the current
 * version (the newest created — Get Key without a version answers it, and a rotation creates it) or were superseded
 * less than {@link CURRENT_VERSION_MS} + `lifetimeMs` ago (an instance signs with the version it read for up to
 * CURRENT_VERSION_MS after the next is created; a token lives `lifetimeMs` at most). At most 20. `current`, when
 * given, is the newest whatever its `created`: Key Vault stamps `created` in whole seconds (KeyAttributes, "Creation
 * time in UTC", an integer of seconds — https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key), so two
 * versions made within one second tie: ordered by id alone, the current one could seem superseded, and of two older
 * ones the wrong one could be dropped first.
 *
 * @example
 * ```ts
 * liveVersions([v1, v2], v2.created + 10 * 60_000); // [v2, v1]: v1's last tokens are still live
 * ```
 */
export function liveVersions(
  versions: readonly VersionState[],
  now: number,
  lifetimeMs = LONGEST_TOKEN_MS,
  current?: string,
): VersionState[] {
  const rank = (v: VersionState) => (v.version === current ? 1 : 0);
  const byAge = [...versions].sort(
    (a, b) => rank(a) - rank(b) || a.created - b.created || (a.version < b.version ? -1 : 1),
  );
  return byAge
    .filter((v, i) => {
      // What superseded it: the current version, or the first made in a later second — of versions made within one
      // second none can tell which came first, so each is kept as long as the last of them.
      const next = byAge.slice(i + 1).find((n) => n.version === current || n.created > v.created);
      return (
        usable(v, now) &&
        (next === undefined || now < next.created + CURRENT_VERSION_MS + lifetimeMs)
      );
    })
    .reverse()
    .slice(0, MAX_LIVE_VERSIONS);
}

/** One read of the vault: its current version (the bundle, to sign with), the live versions and their keys. */
export interface Snapshot {
  readonly at: number;
  readonly current: KeyVaultKey;
  readonly live: ReadonlyMap<string, { readonly state: VersionState; readonly key: CryptoKey }>;
}

/**
 * The versions of a Key Vault key an instance signs and verifies with, read together: Get Key (the current version,
 * https://learn.microsoft.com/rest/api/keyvault/keys/get-key/get-key), Get Key Versions (every version's
 * attributes, paged by `nextLink`, https://learn.microsoft.com/rest/api/keyvault/keys/get-key-versions/get-key-versions
 * — KeyItems carry no key material) and Get Key of each live version not read before (a version's public key never
 * changes; its attributes do). Read again after {@link CURRENT_VERSION_MS}, or at most once per
 * {@link KEY_LIST_REFRESH_MS} for a `kid` it does not list. All three need `Microsoft.KeyVault/vaults/keys/read`,
 * which Key Vault Crypto User holds (Learn, built-in roles, "Key Vault Crypto User" dataActions).
 */
export class KeyVersions {
  readonly #publicKeys = new Map<string, Promise<CryptoKey | undefined>>();
  #snapshot: Snapshot | undefined;
  #reading: Promise<Snapshot> | undefined;
  #lastUnlisted = Number.NEGATIVE_INFINITY;
  #failure: { readonly at: number; readonly error: unknown } | undefined;

  constructor(
    private readonly name: string,
    private readonly keys: () => Promise<KeyClient>,
    private readonly now: () => number,
  ) {}

  /** The versions as read at most {@link CURRENT_VERSION_MS} ago (or, the vault failing, as last read). */
  async fresh(): Promise<Snapshot> {
    const t = this.now();
    const last = this.#snapshot;
    if (last && t - last.at < CURRENT_VERSION_MS) return last;
    const stale = last && t - last.at < STALE_VERSIONS_MS ? last : undefined;
    if (this.#failure && t - this.#failure.at < KEY_LIST_REFRESH_MS) {
      if (stale) return stale;
      throw this.#failure.error;
    }
    try {
      return await this.read();
    } catch (e) {
      if (stale) return stale;
      throw e;
    }
  }

  /** The public key of version `kid` if it verifies now; an unlisted one makes at most one read a period. */
  async publicKey(kid: string | undefined): Promise<CryptoKey | undefined> {
    if (!kid || !VERSION.test(kid)) return undefined;
    let found = (await this.fresh()).live.get(kid);
    if (!found && this.now() - this.#lastUnlisted >= KEY_LIST_REFRESH_MS) {
      this.#lastUnlisted = this.now();
      found = (await this.read()).live.get(kid);
    }
    return found && usable(found.state, this.now()) ? found.key : undefined;
  }

  /** Every version that verifies now, newest first, with its public key: the JWKS. */
  async publicKeys(): Promise<{ readonly kid: string; readonly key: CryptoKey }[]> {
    const now = this.now();
    return [...(await this.fresh()).live.values()]
      .filter(({ state }) => usable(state, now))
      .map(({ state, key }) => ({ kid: state.version, key }));
  }

  /** Read the vault again at the next use (a sign refused: the version disabled or deleted meanwhile). */
  stale(): void {
    if (this.#snapshot)
      this.#snapshot = { ...this.#snapshot, at: this.#snapshot.at - CURRENT_VERSION_MS };
  }

  /** One read at a time per instance: concurrent callers share it. */
  private read(): Promise<Snapshot> {
    this.#reading ??= this.readVault()
      .then((s) => {
        this.#snapshot = s;
        this.#failure = undefined;
        return s;
      })
      .catch((error: unknown) => {
        this.#failure = { at: this.now(), error };
        throw error;
      })
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }

  private async readVault(): Promise<Snapshot> {
    const at = this.now();
    const keys = await this.keys();
    const current = await vaultCall(keys.getKey(this.name), this.name);
    const states = await vaultCall(this.list(keys), this.name);
    const currentState = stateOf(current.properties);
    if (currentState && !states.some((s) => s.version === currentState.version))
      states.push(currentState);
    const live = new Map<string, { state: VersionState; key: CryptoKey }>();
    for (const state of liveVersions(states, at, LONGEST_TOKEN_MS, currentState?.version)) {
      const key = await this.keyOf(
        keys,
        state.version,
        state.version === currentState?.version ? current : undefined,
      );
      if (key) live.set(state.version, { state, key });
    }
    return { at, current, live };
  }

  /** Every version's attributes, page after page (`nextLink`), at most {@link MAX_VERSIONS}. */
  private async list(keys: KeyClient): Promise<VersionState[]> {
    const states: VersionState[] = [];
    for await (const properties of keys.listPropertiesOfKeyVersions(this.name)) {
      const state = stateOf(properties);
      if (state) states.push(state);
      if (states.length >= MAX_VERSIONS) break;
    }
    return states;
  }

  /** A version's public key, read once (the bundle at hand, else Get Key of that version). */
  private keyOf(
    keys: KeyClient,
    version: string,
    bundle: KeyVaultKey | undefined,
  ): Promise<CryptoKey | undefined> {
    const known = this.#publicKeys.get(version);
    if (known) return known;
    const read = (async () => {
      try {
        return await publicKeyOf(bundle ?? (await keys.getKey(this.name, { version })));
      } catch (e) {
        // Gone between the list and the read: no key, not a failure of the vault.
        if (statusOf(e) === 404) return undefined;
        throw e;
      }
    })();
    if (this.#publicKeys.size >= MAX_VERSIONS)
      this.#publicKeys.delete(this.#publicKeys.keys().next().value as string);
    this.#publicKeys.set(version, read);
    read.catch(() => this.#publicKeys.delete(version));
    return vaultCall(read, this.name);
  }
}

const stateOf = (p: KeyProperties): VersionState | undefined =>
  p.version
    ? {
        version: p.version,
        enabled: p.enabled !== false,
        created: p.createdOn?.getTime() ?? 0,
        ...(p.expiresOn ? { expires: p.expiresOn.getTime() } : {}),
        ...(p.notBefore ? { notBefore: p.notBefore.getTime() } : {}),
      }
    : undefined;

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
