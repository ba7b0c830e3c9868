import { azureOk, azureRequest } from '../http.js';
import { AzureRequestError } from '../errors.js';
import {
  accountUrl,
  armCall,
  type ArmSession,
  type RestorableAccount,
  withVersion,
} from '../cosmos-accounts.js';

// What a point-in-time restore can hold, asked of Resource Manager before anything is created (API version: the
// one azurerm v4.55.0 manages Cosmos DB with, ../cosmos-accounts.ts).

/** One database of an account as it was at a time, and its containers then (`DatabaseRestoreResource`). */
export interface RestorableDatabase {
  readonly databaseName: string;
  readonly collectionNames: readonly string[];
}

/**
 * The databases and containers that existed in a restorable account at `at`, in `restoreLocation` (Restorable Sql
 * Resources - List, `GET …/locations/{location}/restorableDatabaseAccounts/{instanceId}/restorableSqlResources
 * ?restoreLocation=&restoreTimestampInUtc=`,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/restorable-sql-resources/list: "a list of database
 * and container combo that exist on the account at the given timestamp and location").
 *
 * @example
 * ```ts
 * await restorableSqlResources(session, 'West Europe', instance, 'West Europe', '2026-11-20T09:00:00.000Z');
 * // [{ databaseName: 'note-db', collectionNames: ['note'] }]
 * ```
 */
export async function restorableSqlResources(
  s: ArmSession,
  location: string,
  restorable: RestorableAccount,
  restoreLocation: string,
  at: string,
): Promise<RestorableDatabase[]> {
  const url = withVersion(
    `${s.endpoint}/subscriptions/${s.subscriptionId}/providers/Microsoft.DocumentDB/locations/` +
      `${encodeURIComponent(location)}/restorableDatabaseAccounts/${encodeURIComponent(restorable.instanceId)}` +
      `/restorableSqlResources?restoreLocation=${encodeURIComponent(restoreLocation)}` +
      `&restoreTimestampInUtc=${encodeURIComponent(at)}`,
  );
  const answer = await azureOk(
    armCall(s, `listing what existed in ${restorable.accountName} at ${at}`, url),
  );
  const value = ((answer.json() as { value?: unknown } | undefined)?.value ?? []) as Record<
    string,
    unknown
  >[];
  return value
    .filter((r) => typeof r['databaseName'] === 'string')
    .map((r) => ({
      databaseName: r['databaseName'] as string,
      collectionNames: Array.isArray(r['collectionNames'])
        ? (r['collectionNames'] as unknown[]).filter((c): c is string => typeof c === 'string')
        : [],
    }));
}

/** How long {@link latestRestorableTimestamp} follows its operation. */
export interface BackupInformationWait {
  /** Between two looks (default the answer's Retry-After, else 5 s). */
  readonly pollMs?: number;
  /** Give up after this long (default 10 min). */
  readonly timeoutMs?: number;
}

/**
 * The latest time a container can be restored to in `location` (Sql Resources - Retrieve Continuous Backup
 * Information, `POST …/sqlDatabases/{db}/containers/{c}/retrieveContinuousBackupInformation` with body
 * `{ location }`,
 * https://learn.microsoft.com/rest/api/cosmos-db-resource-provider/sql-resources/retrieve-continuous-backup-information:
 * 200 `{ continuousBackupInformation: { latestRestorableTimestamp } }`, or 202 and the result at `Location`
 * (`final-state-via: location` in the REST specification, restorable.json). Learn, "Latest restorable timestamp for
 * Azure Cosmos DB accounts with continuous backup mode": the minimum over the container's partitions of their last
 * backup, usually within a few hundred seconds of now; the Unix epoch when a partition has data not backed up yet.
 * Undefined when the container does not exist (404).
 *
 * @example
 * ```ts
 * await latestRestorableTimestamp(session, 'rg-app-prod', 'cosmos-app-prod', 'note-db', 'note', 'West Europe');
 * // '2026-11-26T11:58:31Z'
 * ```
 */
export async function latestRestorableTimestamp(
  s: ArmSession,
  resourceGroup: string,
  account: string,
  database: string,
  container: string,
  location: string,
  wait: BackupInformationWait = {},
): Promise<string | undefined> {
  const what = `reading the latest restorable time of ${account}/${database}/${container}`;
  const url = withVersion(
    `${accountUrl(s, resourceGroup, account)}/sqlDatabases/${encodeURIComponent(database)}` +
      `/containers/${encodeURIComponent(container)}/retrieveContinuousBackupInformation`,
  );
  const request = armCall(s, what, url, { method: 'POST', json: { location } });
  let answer = await azureRequest(request);
  let poll: string | null = null;
  const deadline = Date.now() + (wait.timeoutMs ?? 10 * 60_000);
  for (;;) {
    if (answer.status === 404) return undefined;
    if (answer.status === 200) {
      const body = answer.json() as
        | { continuousBackupInformation?: { latestRestorableTimestamp?: unknown } }
        | undefined;
      const t = body?.continuousBackupInformation?.latestRestorableTimestamp;
      if (typeof t === 'string' && !Number.isNaN(Date.parse(t))) return t;
      throw new AzureRequestError(request.service, what, {
        status: 200,
        body: `no latestRestorableTimestamp in ${answer.text.slice(0, 200)}`,
      });
    }
    // A 202 names where the result will be; a look there still in progress may say it again or not.
    poll = answer.headers.get('location') ?? poll;
    if (answer.status !== 202 || !poll || Date.now() > deadline)
      throw new AzureRequestError(request.service, what, {
        status: answer.status,
        body: answer.text,
      });
    const retry = Number(answer.headers.get('retry-after'));
    await new Promise((r) =>
      setTimeout(r, wait.pollMs ?? (Number.isFinite(retry) && retry > 0 ? retry * 1000 : 5000)),
    );
    answer = await azureRequest(armCall(s, `${what} (result)`, poll));
  }
}
