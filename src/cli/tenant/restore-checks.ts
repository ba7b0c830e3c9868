import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import {
  type CosmosAccount,
  listRestorableAccounts,
  readAccount,
} from '../azure/cosmos-accounts.js';
import {
  latestRestorableTimestamp,
  type RestorableDatabase,
  restorableSqlResources,
} from '../azure/restore/restorable.js';
import { firstLine } from '../azure/errors.js';
import { printable } from '../shared/terminal-text.js';
import { armStep, temporaryAccountName } from './restore-account.js';
import { networkLockFor } from './restore-network.js';
import type { LiveAccount, Plan, Run } from './restore-run.js';
import { liveAccounts } from './restore-run.js';
import { accountFromPlan, requireContinuous, restoreSource } from './restore-window.js';

/**
 * How far continuous backup trails the writes: "all mutations performed on the source account … are backed up
 * asynchronously within 100 seconds" (Learn, "Continuous backup with point-in-time restore in Azure Cosmos DB", What
 * is restored into a new account).
 */
export const BACKUP_LAG_MS = 100_000;

/**
 * Everything that can be checked before anything is created or billed, per live account: its backup (continuous),
 * `--at` inside a restorable instance's window, what existed at `--at` (the databases to restore), `--at` no later
 * than the latest restorable time of those containers, how the temporary account will be reached by the operator
 * alone, and that the live account's data plane answers (the erase and the import will need it).
 *
 * @example
 * ```ts
 * const plans = await checkedPlans(run, new Date());
 * ```
 */
export async function checkedPlans(run: Run, now: Date): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (const account of liveAccounts(run.target)) {
    const live =
      (await armStep(`reading ${account.name}`, () =>
        readAccount(run.session, run.rg, account.name),
      )) ?? fromPlan(run, account.name);
    requireContinuous(live);
    const instances = await armStep(`listing the restorable accounts of ${live.location}`, () =>
      listRestorableAccounts(run.session, live.location, account.name),
    );
    const source = restoreSource(live, instances, run.at, now);
    run.waits.progress(
      `${run.waits.label}: ${account.name} restorable from ${source.from} to ${source.to}\n`,
    );
    const then = await armStep(`listing what ${account.name} held at ${run.at}`, () =>
      restorableSqlResources(run.session, live.location, source.restorable, live.location, run.at),
    );
    const chosen = databasesAt(account, then, sharedThroughputOf(run.plan, live.name));
    for (const c of chosen.skipped)
      run.waits.progress(
        `${run.waits.label}: ${c} did not exist at ${run.at}: nothing of it is restored (the tenant's items ` +
          'there now are erased, as at that time there were none)\n',
      );
    await checkLatest(run, live, chosen.restored);
    const lock = networkLockFor(run.plan, live, run.operator, {
      subscriptionId: run.session.subscriptionId,
      resourceGroup: run.rg,
    });
    await checkLiveAnswers(run, account);
    plans.push({
      account,
      live,
      source: source.restorable,
      temp: temporaryAccountName(account.name, run.tenant, run.at),
      databases: chosen.databases,
      restored: chosen.restored,
      lock,
    });
  }
  return plans;
}

/** The plan's word on an account Resource Manager does not show (said on stderr); none: not deployed. */
function fromPlan(run: Run, name: string): CosmosAccount {
  const planned = accountFromPlan(run.plan, name);
  if (!planned)
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `Cosmos DB account ${name} is not in ${run.rg}: is ${run.target.where} deployed? Nothing was changed.`,
      { path: ['tenant', 'restore', '--environment'] },
    );
  run.waits.progress(
    `${run.waits.label}: Resource Manager does not show ${name}; going by the plan (${planned.location}, ` +
      `${planned.backupType ?? ''} backup${planned.backupTier ? ` ${planned.backupTier}` : ''})\n`,
  );
  return planned;
}

/** The databases of an account the plan gives throughput of their own (shared by their containers). */
function sharedThroughputOf(plan: ResourcePlan, account: string): ReadonlySet<string> {
  const r = plan.resources.find((x) => x.type === 'cosmos' && x.name === account);
  const dbs = (r?.config['databases'] ?? []) as {
    name: string;
    throughput?: number;
    autoscaleMaxThroughput?: number;
  }[];
  return new Set(
    dbs
      .filter((d) => d.throughput !== undefined || d.autoscaleMaxThroughput !== undefined)
      .map((d) => d.name),
  );
}

/**
 * `databasesToRestore` from what existed at `--at` (Restorable Sql Resources - List), never from today's containers:
 * of each database the tenant's items are in, its containers that existed then; a shared-throughput database whole,
 * every container it had then (Learn, "Continuous backup with point-in-time restore", What isn't restored: "A subset
 * of containers under a shared throughput database can't be restored. The entire database can be restored as a
 * whole."). The tenant's containers that did not exist then are skipped (listed as `database/container`).
 *
 * @example
 * ```ts
 * databasesAt(account, [{ databaseName: 'note-db', collectionNames: ['note'] }], new Set());
 * ```
 */
export function databasesAt(
  account: LiveAccount,
  then: readonly RestorableDatabase[],
  sharedThroughput: ReadonlySet<string>,
): {
  databases: RestorableDatabase[];
  restored: Map<string, Set<string>>;
  skipped: string[];
} {
  const databases: RestorableDatabase[] = [];
  const restored = new Map<string, Set<string>>();
  const skipped: string[] = [];
  for (const [db, containers] of [...account.databases].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const existed = new Set(then.find((d) => d.databaseName === db)?.collectionNames ?? []);
    const ours = [...containers].sort().filter((c) => {
      if (!existed.has(c)) skipped.push(`${db}/${c}`);
      return existed.has(c);
    });
    if (ours.length === 0) continue;
    restored.set(db, new Set(ours));
    databases.push({
      databaseName: db,
      collectionNames: sharedThroughput.has(db) ? [...existed].sort() : ours,
    });
  }
  return { databases, restored, skipped };
}

/**
 * `--at` no later than the latest restorable time of every container to restore, in the account's region (Sql
 * Resources - Retrieve Continuous Backup Information: ../azure/restore/restorable.ts); the Unix epoch means a
 * partition's backup has not begun (Learn, "Latest restorable timestamp …": retry later).
 */
async function checkLatest(
  run: Run,
  live: CosmosAccount,
  restored: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<void> {
  let latest: { at: string; of: string } | undefined;
  for (const [db, containers] of restored)
    for (const c of containers) {
      const t = await armStep(`reading the latest restorable time of ${db}/${c}`, () =>
        latestRestorableTimestamp(run.session, run.rg, live.name, db, c, live.location, {
          ...(run.waits.pollMs !== undefined ? { pollMs: run.waits.pollMs } : {}),
        }),
      );
      if (t !== undefined && (!latest || Date.parse(t) < Date.parse(latest.at)))
        latest = { at: t, of: `${db}/${c}` };
    }
  if (!latest) return;
  const latestMs = Date.parse(latest.at);
  if (latestMs <= 0)
    throw timeRefused(
      `${live.name}'s ${latest.of} has data not backed up yet (Resource Manager reports no restorable time).`,
      'Run the command again in a few minutes.',
    );
  if (Date.parse(run.at) > latestMs)
    throw timeRefused(
      `--at ${run.at} is later than the latest restorable time of ${live.name}'s ${latest.of}, ` +
        `${new Date(latestMs).toISOString()} (backups trail writes by up to 100 s).`,
      `Pass --at ${new Date(latestMs).toISOString()} or earlier, or wait and run the command again.`,
    );
  run.waits.progress(
    `${run.waits.label}: ${live.name} backed up to ${new Date(latestMs).toISOString()} (--at ${run.at})\n`,
  );
}

const timeRefused = (message: string, resolution: string) =>
  new AtakoraError('TENANT_RESTORE_TIME_INVALID', `${message} Nothing was created or changed.`, {
    path: ['tenant', 'restore', '--at'],
    resolution,
  });

/** One read of a live container with the operator's identity: the erase and the import need the data plane. */
async function checkLiveAnswers(run: Run, account: LiveAccount): Promise<void> {
  const [first] = account.databases;
  const [container] = first?.[1] ?? [];
  if (!first || container === undefined) return;
  try {
    await (await run.target.container(account.endpoint, first[0], container)).read();
  } catch (e) {
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `The data plane of ${account.name} did not answer this machine (${printable(firstLine(e))}): the restore ` +
        "would replace the tenant's items there. Nothing was created or changed.",
      {
        path: ['tenant', 'restore'],
        resolution:
          'Reach the live account as tenant export and delete do (its network; Cosmos DB Built-in Data ' +
          'Contributor), then run the command again.',
      },
    );
  }
}
