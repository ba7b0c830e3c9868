import type { StandInRequest } from './cosmos-arm-standin.js';

const RESTORABLE =
  /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.DocumentDB\/locations\/([^/]+)\/restorableDatabaseAccounts(?:\/([^/]+)\/restorableSqlResources)?$/;
const BACKUP_INFO =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.DocumentDB\/databaseAccounts\/([^/]+)\/sqlDatabases\/([^/]+)\/containers\/([^/]+)\/retrieveContinuousBackupInformation$/;
const ACCOUNT_NAME = /\/databaseAccounts\/([^/]+)/;
const INSTANCE = 'b2b7a0a1-0000-4000-8000-00000000c05';

/**
 * The stand-in's restorable-resource routes (api-version 2024-08-15, the REST specification's restorable.json):
 * - Restorable Database Accounts - List By Location: one live instance of every account asked about so far, plus an
 *   unrelated account (`properties: { accountName, creationTime, apiType }`).
 * - Restorable Sql Resources - List (`?restoreLocation=&restoreTimestampInUtc=`): the databases and containers
 *   of `behaviour.containers` created by that time (`{ databaseName, collectionNames }`, the example
 *   CosmosDBRestorableSqlResourceList.json's shape); 400 without a timestamp Date.parse reads.
 * - Sql Resources - Retrieve Continuous Backup Information (POST, body `{ location }`): 202 with `Location`
 *   (`final-state-via: location`), then `{ continuousBackupInformation: { latestRestorableTimestamp } }` at it
 *   (CosmosDBSqlContainerBackupInformation.json): now less `behaviour.backupLagMs`, or the Unix epoch; 404 for a
 *   container the account does not have; 400 without a location.
 * True when the request was one of them.
 */
export function restorableRoutes(r: StandInRequest): boolean {
  const { behaviour, calls, accounts } = r.standIn;
  const restorable = RESTORABLE.exec(r.path);
  if (restorable && r.method === 'GET') {
    const [, sub, location, instance] = restorable as unknown as [string, string, string, string?];
    if (instance) {
      const at = Date.parse(r.query.get('restoreTimestampInUtc') ?? '');
      if (Number.isNaN(at) || !r.query.get('restoreLocation'))
        return (
          r.send(400, { error: { code: 'BadRequest', message: 'restoreTimestampInUtc' } }), true
        );
      const byDb = new Map<string, string[]>();
      for (const c of behaviour.containers)
        if (Date.parse(c.createdOn) <= at)
          byDb.set(c.database, [...(byDb.get(c.database) ?? []), c.container]);
      const base = `/subscriptions/${sub}/providers/Microsoft.DocumentDB/locations/${location}/restorableDatabaseAccounts/${instance}`;
      r.send(200, {
        value: [...byDb].map(([databaseName, collectionNames]) => ({
          id: `${base}/restorablesqlresources/${databaseName}`,
          type: 'Microsoft.DocumentDB/locations/restorableDatabaseAccounts/restorablesqlresources',
          name: databaseName,
          databaseName,
          collectionNames,
        })),
      });
      return true;
    }
    const names = new Set(
      calls.map((c) => ACCOUNT_NAME.exec(c.path)?.[1]).filter((n) => n !== undefined),
    );
    r.send(200, {
      value: [...names, 'someone-else']
        .filter((n) => !accounts.has(n) && !/-r[0-9a-f]{10}$/.test(n))
        .map((accountName, i) => ({
          id:
            `/subscriptions/${sub}/providers/Microsoft.DocumentDB/locations/${location}` +
            `/restorableDatabaseAccounts/${INSTANCE}${String(i)}`,
          name: `${INSTANCE}${String(i)}`,
          type: 'Microsoft.DocumentDB/locations/restorableDatabaseAccounts',
          properties: { accountName, creationTime: behaviour.creationTime, apiType: 'Sql' },
        })),
    });
    return true;
  }
  const info = BACKUP_INFO.exec(r.path);
  if (info && r.method === 'POST') {
    const [, , database, container] = info as unknown as [string, string, string, string];
    if (typeof r.body?.location !== 'string')
      return (r.send(400, { error: { code: 'BadRequest', message: 'location' } }), true);
    if (!behaviour.containers.some((c) => c.database === database && c.container === container))
      return (
        r.send(404, { error: { code: 'NotFound', message: `${database}/${container}` } }), true
      );
    const latest =
      behaviour.backupLagMs === 'epoch'
        ? '1970-01-01T00:00:00Z'
        : new Date(Date.now() - behaviour.backupLagMs).toISOString();
    r.send(202, undefined, {
      location: r.locationResult(1, {
        continuousBackupInformation: { latestRestorableTimestamp: latest },
      }),
    });
    return true;
  }
  return false;
}
