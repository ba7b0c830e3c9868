import {
  VaultSession,
  vaultNextPage,
  type KeyVaultClientOptions,
  type SdkError,
} from './keyvault-session.js';

export { vaultNextPage, type KeyVaultClientOptions };

/** One secret's metadata as Key Vault lists it: never its value. */
export interface SecretInfo {
  /** The Key Vault name (`STRIPE-KEY`). */
  readonly name: string;
  readonly enabled: boolean;
  readonly created?: Date;
  readonly updated?: Date;
}

/** One version of a secret, metadata only. */
export interface SecretVersion {
  readonly version: string;
  readonly enabled: boolean;
  readonly created?: Date;
}

const lastSegment = (id: string | undefined) =>
  (id ?? '').replace(/\/+$/, '').split('/').pop() ?? '';

/**
 * A client of one vault's secrets through the maintained SDK (`@azure/keyvault-secrets`: Key Vault's challenge
 * authentication, paging, the recover poller) with Entra credentials (RBAC vaults): values go to Key Vault only,
 * never to Terraform, the plan or a log. What this file adds: the deployer's token (asked once, before any
 * request, so a sign-in failure is ours to word), one origin for every request the SDK makes (a listing's
 * `nextLink` on another origin is refused before it is sent, with the token nowhere else — {@link vaultNextPage}),
 * and failures as AtakoraErrors with the fix: SECRET_VAULT_NOT_FOUND (no such vault: the environment was never
 * deployed), SECRET_ACCESS_DENIED (401/403: the role to grant), SECRET_REQUEST_FAILED (anything else, with Key
 * Vault's status and message).
 *
 * @example
 * ```ts
 * const kv = keyVaultClient('kv-backend-dev-k3x9a1', { env: process.env });
 * await kv.set('STRIPE-KEY', value);
 * (await kv.list()).map((s) => s.name); // ['STRIPE-KEY']
 * ```
 */
export function keyVaultClient(vault: string, options: KeyVaultClientOptions = {}) {
  const session = new VaultSession(vault, options);
  return {
    vault,
    /** Every secret's metadata (all pages). SECRET_VAULT_NOT_FOUND when the vault does not exist. */
    list(): Promise<SecretInfo[]> {
      return listSecrets(session);
    },
    /** The versions of one secret, newest first; [] when it does not exist. */
    versions(name: string): Promise<SecretVersion[]> {
      return listVersions(session, name);
    },
    /**
     * A new version holding `value`. A secret removed before (soft-deleted; purge protection keeps it) is
     * recovered first, as Key Vault refuses a new one of that name (409) while the deleted one exists.
     */
    set(name: string, value: string): Promise<{ version: string }> {
      return setSecret(session, name, value);
    },
    /**
     * The current version's value (for a command that hands it on, such as `atakora auth setup`: never printed);
     * undefined when the secret does not exist.
     */
    get(name: string): Promise<string | undefined> {
      return session.call(
        `reading ${name}`,
        async (c) => (await c.getSecret(name, signal())).value,
        () => undefined,
      );
    },
    /** Delete (soft-delete: the vault keeps it for its retention, purge protection on). False when there was none. */
    remove(name: string): Promise<boolean> {
      // The delete is sent by begin; its poller (waiting for the deleted state) is not needed.
      return session.call(
        `removing ${name}`,
        async (c) => {
          await c.beginDeleteSecret(name, signal());
          return true;
        },
        () => false,
      );
    },
  };
}

const signal = () => ({ abortSignal: AbortSignal.timeout(60_000) });

function listSecrets(session: VaultSession): Promise<SecretInfo[]> {
  return session.call('listing secrets', async (c) => {
    const out: SecretInfo[] = [];
    for await (const s of c.listPropertiesOfSecrets(signal()))
      out.push({
        name: lastSegment(s.id),
        enabled: s.enabled !== false,
        ...(s.createdOn ? { created: s.createdOn } : {}),
        ...(s.updatedOn ? { updated: s.updatedOn } : {}),
      });
    return out;
  });
}

function listVersions(session: VaultSession, name: string): Promise<SecretVersion[]> {
  return session.call(
    `listing the versions of ${name}`,
    async (c) => {
      const out: SecretVersion[] = [];
      for await (const v of c.listPropertiesOfSecretVersions(name, signal()))
        out.push({
          version: lastSegment(v.id),
          enabled: v.enabled !== false,
          ...(v.createdOn ? { created: v.createdOn } : {}),
        });
      return out.sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0));
    },
    () => [],
  );
}

function setSecret(
  session: VaultSession,
  name: string,
  value: string,
): Promise<{ version: string }> {
  return session.call(`setting ${name}`, async (c) => {
    // contentType reaches the vault from 4.12 on, which needs Node 22; 4.11 (pinned for Node 20) drops it.
    const put = () => c.setSecret(name, value, { contentType: 'text/plain', ...signal() });
    try {
      return { version: (await put()).properties.version ?? '' };
    } catch (e) {
      if ((e as SdkError).statusCode !== 409) throw e;
    }
    try {
      await c.beginRecoverDeletedSecret(name, signal());
    } catch (e) {
      if ((e as SdkError).statusCode !== 409) throw e;
    }
    // Recovery completes in the background: a few tries, a second apart.
    for (let i = 0; ; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        return { version: (await put()).properties.version ?? '' };
      } catch (e) {
        if ((e as SdkError).statusCode !== 409 || i >= 9) throw e;
      }
    }
  });
}

/** What {@link keyVaultClient} returns. */
export type KeyVaultClient = ReturnType<typeof keyVaultClient>;
