import type { AccessToken, TokenCredential } from '@azure/identity';
import { graphEndpoint } from './endpoints.js';

/**
 * A token for an Entra audience (Resource Manager, Microsoft Graph, Key Vault, Storage, Cosmos DB) from the
 * deployer's identity: the one way the CLI signs in to Azure. `ATAKORA_ARM_TOKEN` (tests, a pipeline that holds a
 * token already) is used as it is.
 * Terraform's azurerm provider reads `ARM_*` variables, `@azure/identity` reads `AZURE_*`: so a service principal
 * given as ARM_CLIENT_ID / ARM_TENANT_ID / ARM_CLIENT_SECRET, and GitHub's OIDC (ARM_USE_OIDC with the runner's
 * ACTIONS_ID_TOKEN_REQUEST_* variables, the token exchanged as a client assertion with audience
 * api://AzureADTokenExchange, https://learn.microsoft.com/entra/workload-id/workload-identity-federation) are used
 * as such; otherwise DefaultAzureCredential (AZURE_* variables, managed identity, `az login`).
 *
 * One credential per identity and one token per audience for the whole process, reused until five minutes
 * before it expires: a deploy asks at its preflight, then for each Function App's trigger sync and each site's
 * upload, and through `az login` each new credential was a run of `az account get-access-token` (a second or
 * two each). A token that failed is asked for again next time.
 *
 * @example
 * ```ts
 * const bearer = await azureToken(armEndpoint(undefined, process.env), process.env);
 * ```
 */
export async function azureToken(
  endpoint: string,
  env: NodeJS.ProcessEnv,
  tenantId?: string,
): Promise<string> {
  if (env['ATAKORA_ARM_TOKEN']) return env['ATAKORA_ARM_TOKEN'];
  const key = `${identityKey(env)}|${tenantId ?? ''}`;
  let identity = identities.get(key);
  if (!identity)
    identities.set(
      key,
      (identity = { credential: credentialFor(env, tenantId), tokens: new Map() }),
    );
  const scope = `${endpoint}/.default`;
  const known = identity.tokens.get(scope);
  if (known) {
    const token = await known.catch(() => undefined);
    if (token && token.expiresOnTimestamp - Date.now() > REFRESH_BEFORE_MS) return token.token;
  }
  const tokens = identity.tokens;
  const asked = identity.credential
    .then((c) => c.getToken(scope))
    .then((t) => {
      if (!t) throw new Error('the credential returned no token');
      return t;
    });
  tokens.set(scope, asked);
  asked.catch(() => {
    if (tokens.get(scope) === asked) tokens.delete(scope);
  });
  return (await asked).token;
}

/** A token is asked for again when it has less than this left (Entra's tokens last 60–90 minutes). */
const REFRESH_BEFORE_MS = 5 * 60_000;

interface Identity {
  readonly credential: Promise<TokenCredential>;
  /** Scope → the token asked for it (pending or done). */
  readonly tokens: Map<string, Promise<AccessToken>>;
}

/** By {@link identityKey}: the variables that choose the credential, so another identity is another entry. */
const identities = new Map<string, Identity>();

/**
 * Forget every credential and token this process holds, as a new process starts: for a host that runs several
 * commands one after another as if each were its own `atakora` process (test/support/cli-in-process.ts), where one
 * command's sign-in (an `az` on PATH, another tenant) must not answer for the next.
 *
 * @example
 * ```ts
 * forgetSignIns(); // the next azureToken() asks its credential again
 * ```
 */
export function forgetSignIns(): void {
  identities.clear();
}

function identityKey(env: NodeJS.ProcessEnv): string {
  return JSON.stringify([
    env['ARM_TENANT_ID'],
    env['ARM_CLIENT_ID'],
    env['ARM_CLIENT_SECRET'],
    env['ARM_USE_OIDC'],
    env['ACTIONS_ID_TOKEN_REQUEST_URL'],
    env['AZURE_TENANT_ID'],
    env['AZURE_CLIENT_ID'],
    env['AZURE_TOKEN_CREDENTIALS'],
  ]);
}

/**
 * The credential of the deployer's identity; `tenantId` asks it for tokens of another tenant than its home (an
 * external tenant of customers: the same service principal, consented there, or `az login --tenant`).
 */
async function credentialFor(
  env: NodeJS.ProcessEnv,
  tenantId: string | undefined,
): Promise<TokenCredential> {
  const identity = await import('@azure/identity');
  const tenant = tenantId ?? env['ARM_TENANT_ID'];
  const client = env['ARM_CLIENT_ID'];
  if (tenant && client && env['ARM_CLIENT_SECRET'])
    return new identity.ClientSecretCredential(tenant, client, env['ARM_CLIENT_SECRET']);
  if (
    tenant &&
    client &&
    isTrue(env['ARM_USE_OIDC']) &&
    env['ACTIONS_ID_TOKEN_REQUEST_URL'] &&
    env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']
  ) {
    const url = `${env['ACTIONS_ID_TOKEN_REQUEST_URL']}&audience=${encodeURIComponent('api://AzureADTokenExchange')}`;
    return new identity.ClientAssertionCredential(tenant, client, async () => {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'] ?? ''}` },
      });
      return ((await res.json()) as { value: string }).value;
    });
  }
  return new identity.DefaultAzureCredential(tenantId ? { tenantId } : undefined);
}

/**
 * A token for Microsoft Graph: `ATAKORA_GRAPH_TOKEN`, else the deployer's identity for Graph's audience (never
 * `ATAKORA_ARM_TOKEN`, which is Resource Manager's).
 *
 * @example
 * ```ts
 * const bearer = await graphToken(process.env);
 * ```
 */
export async function graphToken(env: NodeJS.ProcessEnv): Promise<string> {
  return (
    env['ATAKORA_GRAPH_TOKEN'] ||
    (await azureToken(graphEndpoint(env), { ...env, ATAKORA_ARM_TOKEN: '' }))
  );
}

/**
 * A token for Microsoft Graph in another tenant (a customer sign-in's external tenant): `ATAKORA_GRAPH_TOKEN` (which
 * must then be that tenant's), else the deployer's identity asked for a token of `tenantId`.
 *
 * @example
 * ```ts
 * const bearer = await graphTokenIn(process.env, customers.tenantId);
 * ```
 */
export async function graphTokenIn(env: NodeJS.ProcessEnv, tenantId: string): Promise<string> {
  return (
    env['ATAKORA_GRAPH_TOKEN'] ||
    (await azureToken(graphEndpoint(env), { ...env, ATAKORA_ARM_TOKEN: '' }, tenantId))
  );
}

/**
 * The deployer's identity as a `TokenCredential` for an Azure SDK client (Cosmos DB, Key Vault): the SDK asks
 * for the scope it needs, {@link azureToken} answers from its cache. `onError` turns a failure to sign in into the
 * command's own error.
 *
 * @example
 * ```ts
 * new CosmosClient({ endpoint, aadCredentials: deployerCredential(process.env) });
 * ```
 */
export function deployerCredential(
  env: NodeJS.ProcessEnv,
  onError: (e: unknown) => Error = (e) => e as Error,
): TokenCredential {
  return {
    async getToken(scopes): Promise<AccessToken> {
      const scope = (Array.isArray(scopes) ? scopes[0] : scopes) ?? '';
      let token: string;
      try {
        token = await azureToken(scope.replace(/\/\.default$/, ''), env);
      } catch (e) {
        throw onError(e);
      }
      // azureToken keeps its own cache and renews five minutes before expiry: the SDK may ask again after that.
      return { token, expiresOnTimestamp: Date.now() + 5 * 60_000 };
    },
  };
}

const isTrue = (v: string | undefined) => v === 'true' || v === '1';
