import type { SecretClient, SecretClientOptions } from '@azure/keyvault-secrets';
import { AtakoraError } from '../../model/errors.js';
import { azureToken } from './credentials.js';
import { AUDIENCES, ENDPOINT_VARIABLES, vaultUrl } from './endpoints.js';
import { firstLine } from './errors.js';

// The session under keyVaultClient (keyvault.ts): one vault's SDK client, its origin guard and its failures.

/**
 * The REST API version the client speaks (https://learn.microsoft.com/rest/api/keyvault/secrets): 7.4, the one
 * this CLI was verified against, not the SDK's newest default.
 */
const API_VERSION = '7.4';

/** Options of {@link keyVaultClient}: how to reach the vault and with which token. */
export interface KeyVaultClientOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** A bearer token for Key Vault; default: one from the deployer's credential (credentials.ts). */
  readonly token?: () => Promise<string>;
}

type PipelinePolicy = NonNullable<SecretClientOptions['additionalPolicies']>[number]['policy'];

/** The SDK, loaded on the first call to a vault: commands that never reach one do not pay for it. */
let sdk: Promise<typeof import('@azure/keyvault-secrets')> | undefined;

/** A RestError of the Azure SDK, as far as this client reads it. */
export interface SdkError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message: string;
  readonly details?: KeyVaultErrorBody;
  readonly response?: { readonly bodyAsText?: string | null };
}

/** Key Vault's error body (the SDK's deserialized one says `innerError`, the wire `innererror`). */
interface KeyVaultErrorBody {
  error?: {
    code?: string;
    message?: string;
    innerError?: { code?: string };
    innererror?: { code?: string };
  };
}

/**
 * The error body of an SDK error: deserialized by the operation, else the last failed answer's body as the client
 * saw it (a listing's page error carries only its status and code).
 */
function errorBody(
  e: SdkError,
  last: { status: number; body: string } | undefined,
): KeyVaultErrorBody['error'] {
  if (e.details?.error) return e.details.error;
  const text = e.response?.bodyAsText ?? (last?.status === e.statusCode ? last?.body : undefined);
  try {
    return (JSON.parse(text ?? '') as KeyVaultErrorBody).error;
  } catch {
    return undefined;
  }
}

/** One vault's SDK client (made once, on first use) and the last failed answer it saw. */
export class VaultSession {
  private readonly base: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly token: () => Promise<string>;
  private client: Promise<SecretClient> | undefined;
  /** The last answer of 400 or more and its body, for {@link errorBody}. */
  private lastFailure: { status: number; body: string } | undefined;

  constructor(
    private readonly vault: string,
    options: KeyVaultClientOptions,
  ) {
    this.env = options.env ?? process.env;
    this.base = vaultUrl(vault, this.env);
    this.token = options.token ?? (() => azureToken(AUDIENCES.keyVault, this.env));
  }

  /** The SDK call with the client, its failure as an AtakoraError (404: `onMissing`, when given). */
  async call<T>(
    what: string,
    run: (c: SecretClient) => Promise<T>,
    onMissing?: () => T,
  ): Promise<T> {
    const c = await (this.client ??= this.connect(what).catch((e: unknown) => {
      this.client = undefined;
      throw e;
    }));
    try {
      return await run(c);
    } catch (e) {
      if (e instanceof AtakoraError) throw e;
      const err = e as SdkError;
      if (err.statusCode === 404 && onMissing) return onMissing();
      throw this.failure(err, what);
    }
  }

  private async connect(what: string): Promise<SecretClient> {
    const { vault, base, env } = this;
    let bearer: string;
    try {
      bearer = await this.token();
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
    const { SecretClient } = await (sdk ??= import('@azure/keyvault-secrets'));
    const sameVault = sameVaultPolicy(base, vault, (failed) => {
      this.lastFailure = failed;
    });
    return new SecretClient(
      base,
      {
        getToken: () =>
          Promise.resolve({ token: bearer, expiresOnTimestamp: Date.now() + 5 * 60_000 }),
      },
      {
        serviceVersion: API_VERSION,
        additionalPolicies: [{ policy: sameVault, position: 'perCall' }],
        // Key Vault's challenge names https://vault.azure.net, which a vault reached through
        // ATAKORA_KEYVAULT_ENDPOINT (a sovereign cloud's proxy, a test's loopback stand-in) is not under.
        disableChallengeResourceVerification: Boolean(env[ENDPOINT_VARIABLES.keyVault]),
        // Plain HTTP (a token in the clear) only to this machine's loopback: a test's stand-in.
        allowInsecureConnection: /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(`${base}/`),
        // A vault that does not exist is a DNS failure: asked twice, not for seconds.
        retryOptions: { maxRetries: 2, retryDelayInMs: 250, maxRetryDelayInMs: 2000 },
      },
    );
  }

  private failure(e: SdkError, what: string): AtakoraError {
    const { vault, base } = this;
    const status = e.statusCode;
    if (status === undefined) {
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return vaultNotFound(vault, base);
      return new AtakoraError(
        'SECRET_REQUEST_FAILED',
        `Key Vault ${vault} could not be reached (${what}): ${firstLine(e)}${e.code ? ` (${e.code})` : ''}.`,
        { path: [vault] },
      );
    }
    if (status === 404) return vaultNotFound(vault, base);
    const err = errorBody(e, this.lastFailure);
    const said = err ? `${err.code ?? ''}${err.message ? `: ${err.message}` : ''}` : firstLine(e);
    const inner = err?.innerError?.code ?? err?.innererror?.code ?? '';
    // A vault with public access off (isolated networking) refuses callers outside its VNet with a 403 of its own.
    if (status === 403 && /Firewall|Connection|Network/i.test(`${inner} ${err?.message ?? ''}`)) {
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
}

/**
 * Every request stays on the vault's origin, with the client's own api-version (one, never a link's). A
 * listing's nextLink is judged as URL resolution reads it, when its page arrives: the SDK would send a
 * protocol-relative link as a path under the vault, and any other link with the token.
 */
function sameVaultPolicy(
  base: string,
  vault: string,
  onFailure: (failed: { status: number; body: string }) => void,
): PipelinePolicy {
  return {
    name: 'atakoraSameVault',
    sendRequest: async (request, next) => {
      request.url = vaultNextPage(base, vault, request.url);
      const response = await next(request);
      if (response.status >= 400)
        onFailure({ status: response.status, body: response.bodyAsText ?? '' });
      if (request.method === 'GET' && response.status === 200 && response.bodyAsText) {
        let nextLink: unknown;
        try {
          nextLink = (JSON.parse(response.bodyAsText) as { nextLink?: unknown }).nextLink;
        } catch {
          nextLink = undefined;
        }
        if (typeof nextLink === 'string' && nextLink) vaultNextPage(base, vault, nextLink);
      }
      return response;
    },
  };
}

/**
 * The next page of a listing, followed only on the vault's own origin: the bearer token goes with every call, so
 * a `nextLink` naming another scheme, host or port (a tampered answer, a proxy's rewrite) is an error, never a
 * request (SECRET_REQUEST_FAILED). Its `api-version` is dropped, wherever it stands, so the client's own
 * api-version policy adds exactly one (the SDK's; it runs after this one, keyVaultClient's `sameVault`).
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
