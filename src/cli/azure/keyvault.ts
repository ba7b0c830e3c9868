import { AtakoraError } from '../../model/errors.js';
import { azureToken } from './credentials.js';
import { AUDIENCES, vaultUrl } from './endpoints.js';
import { AzureRequestError, firstLine } from './errors.js';
import { azureRequest } from './http.js';

/** The REST API version of the calls below (https://learn.microsoft.com/rest/api/keyvault/secrets). */
const API_VERSION = '7.4';

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

/** Options of {@link keyVaultClient}: how to reach the vault and with which token. */
export interface KeyVaultClientOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** A bearer token for Key Vault; default: one from the deployer's credential (arm-token.ts). */
  readonly token?: () => Promise<string>;
}

/**
 * A small client of one vault's secrets through the data plane with Entra credentials (RBAC vaults): values go
 * to Key Vault only, never to Terraform, the plan or a log. Failures are AtakoraErrors with the fix:
 * SECRET_VAULT_NOT_FOUND (no such vault: the environment was never deployed), SECRET_ACCESS_DENIED (401/403:
 * the role to grant), SECRET_REQUEST_FAILED (anything else, with Key Vault's status and message).
 *
 * @example
 * ```ts
 * const kv = keyVaultClient('kv-backend-dev-k3x9a1', { env: process.env });
 * await kv.set('STRIPE-KEY', value);
 * (await kv.list()).map((s) => s.name); // ['STRIPE-KEY']
 * ```
 */
export function keyVaultClient(vault: string, options: KeyVaultClientOptions = {}) {
  const env = options.env ?? process.env;
  const base = vaultUrl(vault, env);
  const token = options.token ?? (() => azureToken(AUDIENCES.keyVault, env));

  async function call(
    method: string,
    path: string,
    what: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    let bearer: string;
    try {
      bearer = await token();
    } catch (e) {
      throw new AtakoraError(
        'SECRET_ACCESS_DENIED',
        `No Entra token for Key Vault (${what}): ${firstLine(e)}.`,
        {
          path: [vault],
          resolution:
            'Sign in (az login, or ARM_CLIENT_ID / ARM_TENANT_ID with ARM_CLIENT_SECRET or OIDC), then run ' +
            'the command again.',
        },
      );
    }
    const url = `${path.startsWith('http') ? path : `${base}${path}`}${path.includes('?') ? '&' : '?'}api-version=${API_VERSION}`;
    let res: Awaited<ReturnType<typeof azureRequest>>;
    try {
      res = await azureRequest({
        service: 'Key Vault',
        what,
        url,
        method,
        token: bearer,
        ...(body === undefined ? {} : { json: body }),
      });
    } catch (e) {
      const cause = e instanceof AzureRequestError ? e.network : undefined;
      if (cause === 'ENOTFOUND' || cause === 'EAI_AGAIN') throw vaultNotFound(vault, base);
      throw new AtakoraError(
        'SECRET_REQUEST_FAILED',
        `Key Vault ${vault} could not be reached (${what}): ${firstLine(e)}${cause ? ` (${cause})` : ''}.`,
        { path: [vault] },
      );
    }
    const json = res.json();
    return { status: res.status, json };
  }

  function failure(status: number, json: unknown, what: string): AtakoraError {
    const err = (
      json as
        | { error?: { code?: string; message?: string; innererror?: { code?: string } } }
        | undefined
    )?.error;
    const said = err ? `${err.code ?? ''}${err.message ? `: ${err.message}` : ''}` : '';
    // A vault with public access off (isolated networking) refuses callers outside its VNet with a 403 of its own.
    if (
      status === 403 &&
      /Firewall|Connection|Network/i.test(`${err?.innererror?.code ?? ''} ${err?.message ?? ''}`)
    ) {
      return new AtakoraError(
        'SECRET_REQUEST_FAILED',
        `Key Vault ${vault} refused ${what} from this network (HTTP 403${said ? ` ${said}` : ''}): its public access is off (isolated networking).`,
        {
          path: [vault],
          details: { network: true },
          resolution:
            "Run the command from inside the backend's VNet (a VM, a self-hosted runner, a VPN into it); the " +
            'vault takes no calls from the internet.',
        },
      );
    }
    if (status === 401 || status === 403) {
      return new AtakoraError(
        'SECRET_ACCESS_DENIED',
        `Key Vault ${vault} refused ${what} (HTTP ${status}${said ? ` ${said}` : ''}): the signed-in identity holds no secrets role on it.`,
        {
          path: [vault],
          resolution:
            `Grant yourself 'Key Vault Secrets Officer' on the vault, then wait a minute and run the command ` +
            `again:\n  az role assignment create --role "Key Vault Secrets Officer" --assignee "$(az ad ` +
            `signed-in-user show --query id -o tsv)" --scope "$(az keyvault show --name ${vault} --query id -o ` +
            `tsv)"`,
        },
      );
    }
    return new AtakoraError(
      'SECRET_REQUEST_FAILED',
      `Key Vault ${vault} answered HTTP ${status} to ${what}${said ? `: ${said}` : ''}.`,
      { path: [vault] },
    );
  }

  const date = (seconds: unknown) =>
    typeof seconds === 'number' ? new Date(seconds * 1000) : undefined;
  const lastSegment = (id: unknown) =>
    typeof id === 'string' ? (id.replace(/\/+$/, '').split('/').pop() ?? '') : '';

  return {
    vault,
    /** Every secret's metadata (all pages). SECRET_VAULT_NOT_FOUND when the vault does not exist. */
    async list(): Promise<SecretInfo[]> {
      const out: SecretInfo[] = [];
      let next: string | undefined = '/secrets';
      while (next) {
        const { status, json } = await call('GET', next, 'listing secrets');
        if (status === 404) throw vaultNotFound(vault, base);
        if (status !== 200) throw failure(status, json, 'listing secrets');
        const page = json as {
          value?: {
            id?: string;
            attributes?: { enabled?: boolean; created?: number; updated?: number };
          }[];
          nextLink?: string | null;
        };
        for (const s of page.value ?? []) {
          const created = date(s.attributes?.created);
          const updated = date(s.attributes?.updated);
          out.push({
            name: lastSegment(s.id),
            enabled: s.attributes?.enabled !== false,
            ...(created ? { created } : {}),
            ...(updated ? { updated } : {}),
          });
        }
        next = page.nextLink ? vaultNextPage(base, vault, page.nextLink) : undefined;
      }
      return out;
    },
    /** The versions of one secret, newest first; [] when it does not exist. */
    async versions(name: string): Promise<SecretVersion[]> {
      const { status, json } = await call(
        'GET',
        `/secrets/${encodeURIComponent(name)}/versions`,
        `listing the versions of ${name}`,
      );
      if (status === 404) return [];
      if (status !== 200) throw failure(status, json, `listing the versions of ${name}`);
      const items = (
        (
          json as {
            value?: { id?: string; attributes?: { enabled?: boolean; created?: number } }[];
          }
        ).value ?? []
      ).map((v) => {
        const created = date(v.attributes?.created);
        return {
          version: lastSegment(v.id),
          enabled: v.attributes?.enabled !== false,
          ...(created ? { created } : {}),
        };
      });
      return items.sort((a, b) => (b.created?.getTime() ?? 0) - (a.created?.getTime() ?? 0));
    },
    /**
     * A new version holding `value`. A secret removed before (soft-deleted; purge protection keeps it) is
     * recovered first, as Key Vault refuses a new one of that name while the deleted one exists.
     */
    async set(name: string, value: string): Promise<{ version: string }> {
      const put = () =>
        call('PUT', `/secrets/${encodeURIComponent(name)}`, `setting ${name}`, {
          value,
          contentType: 'text/plain',
        });
      let res = await put();
      if (res.status === 409) {
        const recovered = await call(
          'POST',
          `/deletedsecrets/${encodeURIComponent(name)}/recover`,
          `recovering the deleted ${name}`,
        );
        if (recovered.status !== 200 && recovered.status !== 409)
          throw failure(recovered.status, recovered.json, `recovering the deleted ${name}`);
        // Recovery completes in the background: a few tries, a second apart.
        for (let i = 0; i < 10 && res.status === 409; i++) {
          await new Promise((r) => setTimeout(r, 1000));
          res = await put();
        }
      }
      if (res.status === 404) throw vaultNotFound(vault, base);
      if (res.status !== 200) throw failure(res.status, res.json, `setting ${name}`);
      return { version: lastSegment((res.json as { id?: string } | undefined)?.id) };
    },
    /** Delete (soft-delete: the vault keeps it for its retention, purge protection on). False when there was none. */
    async remove(name: string): Promise<boolean> {
      const { status, json } = await call(
        'DELETE',
        `/secrets/${encodeURIComponent(name)}`,
        `removing ${name}`,
      );
      if (status === 404) return false;
      if (status !== 200) throw failure(status, json, `removing ${name}`);
      return true;
    },
  };
}

/** What {@link keyVaultClient} returns. */
export type KeyVaultClient = ReturnType<typeof keyVaultClient>;

/**
 * The next page of a listing, followed only on the vault's own origin: the bearer token goes with every call, so
 * a `nextLink` naming another scheme, host or port (a tampered answer, a proxy's rewrite) is an error, never a
 * request (SECRET_REQUEST_FAILED). Its `api-version` is dropped, wherever it stands, so call() adds exactly one.
 *
 * @example
 * ```ts
 * vaultNextPage('https://kv-a.vault.azure.net', 'kv-a',
 *   'https://kv-a.vault.azure.net:443/secrets?api-version=7.4&$skiptoken=x');
 * // 'https://kv-a.vault.azure.net/secrets?%24skiptoken=x'
 * ```
 */
export function vaultNextPage(base: string, vault: string, nextLink: string): string {
  let url: URL;
  try {
    url = new URL(nextLink, `${base}/`);
  } catch {
    url = new URL('invalid:');
  }
  if (url.origin !== new URL(base).origin) {
    throw new AtakoraError(
      'SECRET_REQUEST_FAILED',
      `Key Vault ${vault} answered a next page on another origin (${url.origin}), not ${new URL(base).origin}: ` +
        `not followed, so the token went to the vault only.`,
      {
        path: [vault],
        resolution:
          'Check what sits between you and the vault (a proxy rewriting answers, ATAKORA_KEYVAULT_ENDPOINT) and ' +
          'run the command again.',
      },
    );
  }
  url.searchParams.delete('api-version');
  return url.href;
}

function vaultNotFound(vault: string, base: string): AtakoraError {
  return new AtakoraError(
    'SECRET_VAULT_NOT_FOUND',
    `Key Vault ${vault} does not exist (${base} has no vault): this environment was never deployed, or was ` +
      `deployed with another subscription or resource group.`,
    {
      path: [vault],
      resolution:
        'Deploy the environment first (atakora deploy <entry> --environment <name>); check ' +
        'ARM_SUBSCRIPTION_ID and --resource-group match the deploy, as they name the vault.',
    },
  );
}
