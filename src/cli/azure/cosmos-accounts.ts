import { azureOk, azureRequest, type AzureAnswer } from './http.js';
import { AzureRequestError } from './errors.js';

/**
 * The Resource Manager API version of every call here: the one azurerm v4.55.0 manages Cosmos DB accounts with
 * (internal/services/cosmos/cosmosdb_account_resource.go imports go-azure-sdk `cosmosdb/2024-08-15`).
 */
export const COSMOS_API_VERSION = '2024-08-15';

/** Where and as whom the calls go: Resource Manager's base URL, a bearer token, the subscription. */
export interface ArmSession {
  readonly endpoint: string;
  readonly token: string;
  readonly subscriptionId: string;
  /** Another fetch (tests inject one). */
  readonly fetch?: typeof fetch;
}

/** What a tenant restore reads of a database account (Database Accounts - Get). */
export interface CosmosAccount {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly kind?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly provisioningState?: string;
  readonly documentEndpoint?: string;
  /** `Continuous` or `Periodic` (`properties.backupPolicy.type`). */
  readonly backupType?: string;
  /** `Continuous7Days` or `Continuous30Days` (`properties.backupPolicy.continuousModeProperties.tier`). */
  readonly backupTier?: string;
  /** The account's `properties` as Resource Manager gave them (network rules, capabilities). */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** One entry of Restorable Database Accounts - List By Location. */
export interface RestorableAccount {
  /** `/subscriptions/…/providers/Microsoft.DocumentDB/locations/<l>/restorableDatabaseAccounts/<instance id>`. */
  readonly id: string;
  readonly instanceId: string;
  readonly accountName: string;
  readonly creationTime?: string;
  readonly deletionTime?: string;
  readonly oldestRestorableTime?: string;
}

/**
 * A database account's URL under Resource Manager.
 *
 * @example
 * ```ts
 * accountUrl(session, 'rg-app-prod', 'cosmos-app-prod');
 * // 'https://management.azure.com/subscriptions/…/cosmos-app-prod'
 * ```
 */
export function accountUrl(s: ArmSession, resourceGroup: string, name: string): string {
  return (
    `${s.endpoint}/subscriptions/${s.subscriptionId}/resourceGroups/${resourceGroup}` +
    `/providers/Microsoft.DocumentDB/databaseAccounts/${name}`
  );
}

/**
 * `url` with the Cosmos DB API version, unless it names one already (another provider's call, an operation's URL).
 *
 * @example
 * ```ts
 * withVersion(accountUrl(session, 'rg', 'a')); // '…/databaseAccounts/a?api-version=2024-08-15'
 * ```
 */
export const withVersion = (url: string): string =>
  /[?&]api-version=/.test(url)
    ? url
    : `${url}${url.includes('?') ? '&' : '?'}api-version=${COSMOS_API_VERSION}`;

/**
 * One Resource Manager request of the session (its token, a 60 s deadline, the test's fetch).
 *
 * @example
 * ```ts
 * await azureOk(armCall(session, 'reading the account', withVersion(url)));
 * ```
 */
export const armCall = (
  s: ArmSession,
  what: string,
  url: string,
  extra: { method?: string; json?: unknown } = {},
) => ({
  service: 'Resource Manager',
  what,
  url,
  token: s.token,
  timeoutMs: 60_000,
  ...extra,
  ...(s.fetch ? { fetch: s.fetch } : {}),
});

/**
 * Read a database account (Database Accounts - Get,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/database-accounts/get); undefined on 404.
 *
 * @example
 * ```ts
 * const live = await readAccount(session, 'rg-app-prod', 'cosmos-app-prod');
 * live?.backupType; // 'Continuous'
 * ```
 */
export async function readAccount(
  s: ArmSession,
  resourceGroup: string,
  name: string,
): Promise<CosmosAccount | undefined> {
  const url = withVersion(accountUrl(s, resourceGroup, name));
  const found = await armRead(s, `reading Cosmos DB account ${name}`, url);
  return found === undefined ? undefined : parseAccount(found.json);
}

/**
 * GET a Resource Manager resource: its JSON, or undefined when it does not exist (404); any other failure is an
 * {@link AzureRequestError}.
 *
 * @example
 * ```ts
 * const found = await armRead(session, 'reading the endpoint', url); // { json } | undefined
 * ```
 */
export async function armRead(
  s: ArmSession,
  what: string,
  url: string,
): Promise<{ readonly json: unknown } | undefined> {
  const request = armCall(s, what, url);
  const answer = await azureRequest(request);
  if (answer.status === 404) return undefined;
  if (!answer.ok)
    throw new AzureRequestError(request.service, request.what, {
      status: answer.status,
      body: answer.text,
    });
  return { json: answer.json() };
}

/**
 * A database account as Resource Manager writes it (Get, or a Create Or Update's answer), read into
 * {@link CosmosAccount}.
 *
 * @example
 * ```ts
 * parseAccount({ name: 'a', location: 'West Europe', properties: { provisioningState: 'Succeeded' } }).provisioningState;
 * ```
 */
export function parseAccount(json: unknown): CosmosAccount {
  const a = (json ?? {}) as Record<string, unknown>;
  const p = (a['properties'] ?? {}) as Record<string, unknown>;
  const backup = (p['backupPolicy'] ?? {}) as Record<string, unknown>;
  const continuous = (backup['continuousModeProperties'] ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const optional = (k: string, v: unknown) => (text(v) !== undefined ? { [k]: text(v) } : {});
  return {
    id: text(a['id']) ?? '',
    name: text(a['name']) ?? '',
    location: text(a['location']) ?? '',
    tags: (a['tags'] ?? {}) as Record<string, string>,
    properties: p,
    ...optional('kind', a['kind']),
    ...optional('provisioningState', p['provisioningState']),
    ...optional('documentEndpoint', p['documentEndpoint']),
    ...optional('backupType', backup['type']),
    ...optional('backupTier', continuous['tier']),
  };
}

/**
 * The restorable accounts of a region (Restorable Database Accounts - List By Location,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/restorable-database-accounts/list-by-location):
 * what azurerm's `azurerm_cosmosdb_restorable_database_accounts` data source lists and filters by account name
 * (cosmosdb_restorable_database_accounts_data_source.go@v4.55.0) — each instance of an account of that name, the
 * live one without `deletionTime`.
 *
 * @example
 * ```ts
 * const instances = await listRestorableAccounts(session, 'West Europe', 'cosmos-app-prod');
 * ```
 */
export async function listRestorableAccounts(
  s: ArmSession,
  location: string,
  accountName: string,
): Promise<RestorableAccount[]> {
  const url = withVersion(
    `${s.endpoint}/subscriptions/${s.subscriptionId}/providers/Microsoft.DocumentDB/locations/` +
      `${encodeURIComponent(location)}/restorableDatabaseAccounts`,
  );
  const answer = await azureOk(
    armCall(s, `listing the restorable Cosmos DB accounts of ${location}`, url),
  );
  const value = ((answer.json() as { value?: unknown } | undefined)?.value ?? []) as Record<
    string,
    unknown
  >[];
  const out: RestorableAccount[] = [];
  for (const r of value) {
    const p = (r['properties'] ?? {}) as Record<string, unknown>;
    if (p['accountName'] !== accountName || typeof r['id'] !== 'string') continue;
    const time = (k: string) => (typeof p[k] === 'string' ? { [k]: p[k] } : {});
    out.push({
      id: r['id'],
      instanceId: typeof r['name'] === 'string' ? r['name'] : (r['id'].split('/').pop() ?? ''),
      accountName,
      ...time('creationTime'),
      ...time('deletionTime'),
      ...time('oldestRestorableTime'),
    });
  }
  return out;
}

/** What a PUT or DELETE left to wait for: the operation's status URL, or the resource to read. */
export interface PendingOperation {
  readonly statusUrl?: string;
  readonly retryAfterMs?: number;
}

/**
 * Start an operation (PUT, PATCH, POST or DELETE) and return what to poll: Resource Manager's `Azure-AsyncOperation` header, else
 * `Location` (https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations).
 *
 * @example
 * ```ts
 * const op = await startOperation(session, 'PUT', url, body, 'creating the temporary account');
 * ```
 */
export async function startOperation(
  s: ArmSession,
  method: 'PUT' | 'PATCH' | 'POST' | 'DELETE',
  url: string,
  json: unknown,
  what: string,
): Promise<PendingOperation & { readonly answer: AzureAnswer }> {
  const answer = await azureOk(
    armCall(s, what, withVersion(url), { method, ...(json !== undefined ? { json } : {}) }),
  );
  const statusUrl =
    answer.headers.get('azure-asyncoperation') ?? answer.headers.get('location') ?? undefined;
  const retry = Number(answer.headers.get('retry-after'));
  return {
    answer,
    ...(statusUrl ? { statusUrl } : {}),
    ...(Number.isFinite(retry) && retry > 0 ? { retryAfterMs: retry * 1000 } : {}),
  };
}

/**
 * One look at an operation's status URL: `InProgress` (also a 202 without body: a `Location` poll), `Succeeded`,
 * `Failed` or `Canceled` with the error's message.
 *
 * @example
 * ```ts
 * const { status } = await operationStatus(session, op.statusUrl, 'creating the temporary account');
 * ```
 */
export async function operationStatus(
  s: ArmSession,
  statusUrl: string,
  what: string,
): Promise<{ status: string; message?: string }> {
  const answer = await azureOk(armCall(s, `${what} (status)`, statusUrl));
  if (answer.status === 202) return { status: 'InProgress' };
  const body = (answer.json() ?? {}) as { status?: unknown; error?: { message?: unknown } };
  // A Location poll answers 200 with the resource (or nothing) when done.
  const status = typeof body.status === 'string' ? body.status : 'Succeeded';
  const message = typeof body.error?.message === 'string' ? body.error.message : undefined;
  return { status, ...(message !== undefined ? { message } : {}) };
}

/**
 * The body of a point-in-time restore into a new account (Database Accounts - Create Or Update with
 * `createMode: 'Restore'`,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/database-accounts/create-or-update;
 * RestoreParameters in Learn, "Resource model for the point-in-time restore feature",
 * https://learn.microsoft.com/azure/cosmos-db/continuous-backup-restore-resource-model). The parameters are the ones
 * azurerm v4.55.0 sends (`expandCosmosdbAccountRestoreParameters`: `restoreMode: PointInTime`, `restoreSource` the
 * restorable account's id, `restoreTimestampInUtc`, `databasesToRestore` `{ databaseName, collectionNames }`).
 * The capabilities are the live account's; the network properties are the locked ones the caller gives (a restore
 * brings back no firewall, virtual network or private endpoint setting — Learn, "Continuous backup with
 * point-in-time restore", What isn't restored — and may ignore those sent with it: the caller reads the account back
 * and locks it, cli/tenant/restore-network.ts); keys are off (Entra only), and the tags say what made it.
 *
 * @example
 * ```ts
 * const databases = [{ databaseName: 'note-db', collectionNames: ['note'] }];
 * restoreBody(live, restorable.id, '2026-11-20T10:00:00Z', databases, tags, { publicNetworkAccess: 'Disabled' });
 * ```
 */
export function restoreBody(
  live: CosmosAccount,
  restoreSource: string,
  at: string,
  databases: readonly { databaseName: string; collectionNames: readonly string[] }[],
  tags: Readonly<Record<string, string>>,
  network: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const p = live.properties;
  const copied = (k: string) => (p[k] !== undefined ? { [k]: p[k] } : {});
  return {
    location: live.location,
    kind: live.kind ?? 'GlobalDocumentDB',
    tags,
    properties: {
      databaseAccountOfferType: 'Standard',
      locations: [{ locationName: live.location, failoverPriority: 0, isZoneRedundant: false }],
      ...copied('capabilities'),
      ...network,
      disableLocalAuth: true,
      createMode: 'Restore',
      restoreParameters: {
        restoreMode: 'PointInTime',
        restoreSource,
        restoreTimestampInUtc: at,
        databasesToRestore: databases,
      },
    },
  };
}

/**
 * The body of a data-plane role assignment on an account (Sql Resources - Create Update Sql Role Assignment,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/sql-resources/create-update-sql-role-assignment):
 * Cosmos DB Built-in Data Reader (`00000000-0000-0000-0000-000000000001`, Learn "Use data plane role-based access
 * control", https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac) over the whole account, for one principal.
 *
 * @example
 * ```ts
 * readerAssignment(temp.id, oid);
 * // { properties: { roleDefinitionId: '…/sqlRoleDefinitions/…0001', scope, principalId } }
 * ```
 */
export function readerAssignment(accountId: string, principalId: string): Record<string, unknown> {
  return {
    properties: {
      roleDefinitionId: `${accountId}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000001`,
      scope: accountId,
      principalId,
    },
  };
}
