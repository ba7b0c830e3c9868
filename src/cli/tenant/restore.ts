import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import {
  type ArmSession,
  type CosmosAccount,
  listRestorableAccounts,
  readAccount,
} from '../azure/cosmos-accounts.js';
import { type CosmosConnection, deployerCosmos } from '../azure/cosmos.js';
import { azureToken } from '../azure/credentials.js';
import { armEndpoint } from '../azure/endpoints.js';
import { type TenantTarget, tokenFailure } from './connect.js';
import { type EraseReceipt, eraseTenant } from './erase.js';
import { exportTenant } from './export.js';
import { type ImportReport, importTenant } from './import.js';
import { ledgerContainer, StoredBytesTally } from '../shared/ledger-bytes.js';
import {
  armStep,
  assignReader,
  type RestoreWaits,
  deleteAccount,
  provisionRestoreAccount,
  temporaryAccountName,
} from './restore-account.js';
import {
  accountFromPlan,
  requireContinuous,
  restoreSource,
  restoreTime,
} from './restore-window.js';
import { deployedPlan } from '../shared/secret-target.js';
import { principalOf, restoredEnv, untilReadable } from './restore-access.js';

/** Options of {@link restoreTenant}. */
export interface RestoreOptions {
  readonly progress?: (line: string) => void;
  /** Users of the tenant known besides the owners its items record (as export and delete take them). */
  readonly owners?: readonly string[];
  /** Where the export of the restored tenant and the erase's marker are kept (default the working folder). */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
  /** Between two looks at a Resource Manager operation (default its Retry-After, else 10 s). */
  readonly pollMs?: number;
  /** Give up on one operation after this long (default 12 h). */
  readonly timeoutMs?: number;
}

/** What a restore did. */
export interface RestoreReport {
  readonly tenant: string;
  readonly at: string;
  /** Per live account, the temporary account it was restored into (deleted at the end). */
  readonly temporaryAccounts: Readonly<Record<string, string>>;
  readonly erased: EraseReceipt;
  readonly imported: ImportReport;
}

/** One live account holding tenant data, and the databases and containers of it that the tenant's items are in. */
interface LiveAccount {
  readonly name: string;
  readonly endpoint: string;
  readonly databases: Map<string, Set<string>>;
}

/**
 * Put one tenant's items back as they were at `at` (DESIGN, "A tenant's data has a lifecycle"): for each Cosmos DB
 * account holding them, a point-in-time restore of its tenant databases into a temporary account through Resource
 * Manager (continuous backup only), the operator granted Data Reader on it, then `atakora tenant export` of the
 * tenant from the temporary accounts → `atakora tenant delete` of its items in the live ones → `atakora tenant
 * import` — the same three functions the commands run — and every temporary account deleted, also when a step
 * fails. Other tenants' items are never written. Files (Blob Storage) and the registry record (plan, status) are
 * not part of it: a Cosmos DB backup holds neither the one nor — as the operator set it today — the other.
 * Safe to run twice: the temporary account's name is derived from the account, the tenant and the time, so a run
 * after a kill takes up the account the first made; the erase resumes from its marker; the import creates what is
 * missing. Every check (backup mode, window) is made before anything is created.
 *
 * @example
 * ```ts
 * const progress = (l: string) => process.stderr.write(l);
 * const report = await restoreTenant(target, 'contoso', '2026-11-20T09:00:00Z', { progress });
 * ```
 */
export async function restoreTenant(
  target: TenantTarget,
  tenant: string,
  atText: string,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const env = options.env ?? process.env;
  const at = restoreTime(atText);
  const now = options.now?.() ?? new Date();
  if (Date.parse(at) > now.getTime())
    throw new AtakoraError(
      'TENANT_RESTORE_TIME_INVALID',
      `--at ${at} is in the future (now ${now.toISOString()}). Nothing was created or changed.`,
      { path: ['tenant', 'restore', '--at'] },
    );
  const subscriptionId = target.deployment?.subscriptionId;
  if (!target.deployment || !subscriptionId)
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `tenant restore works on a deployed environment through Resource Manager, and ${target.where} names no ` +
        'subscription. Nothing was created or changed.',
      {
        path: ['tenant', 'restore', '--environment'],
        resolution: 'Set ARM_SUBSCRIPTION_ID to the subscription the environment is deployed in.',
      },
    );
  const arm = armEndpoint(undefined, env);
  const token = await armStep('signing in to Resource Manager', () => azureToken(arm, env));
  const run: Run = {
    target,
    tenant,
    at,
    env,
    cwd: options.cwd ?? process.cwd(),
    owners: options.owners ?? [],
    session: { endpoint: arm, token, subscriptionId },
    rg: target.deployment.resourceGroup,
    waits: {
      progress: options.progress ?? (() => undefined),
      label: `tenant restore ${tenant}`,
      timeoutMs: options.timeoutMs ?? 12 * 60 * 60_000,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    },
    dir: join(
      options.cwd ?? process.cwd(),
      '.atakora',
      `tenant-restore-${runHash(target, tenant, at)}`,
    ),
    connections: new Map(),
    erasing: false,
  };
  // Every check before anything is created.
  const plans = await checkedPlans(run, now);
  const principalId = principalOf(token);
  let result: { erased: EraseReceipt; imported: ImportReport } | Error;
  try {
    result = await copyTenant(run, plans, principalId);
  } catch (e) {
    result = e instanceof Error ? e : new Error(String(e));
  }
  for (const c of run.connections.values()) c.dispose();
  const left = await deleteTemporary(run, plans);
  if (result instanceof Error) {
    if (run.erasing)
      run.waits.progress(
        `${run.waits.label}: the tenant's items as at ${at} are kept in ${run.dir}; run the command again, or ` +
          `load them with atakora tenant import <entry> --from ${run.dir} --environment ${target.where}\n`,
      );
    throw result;
  }
  rmSync(run.dir, { recursive: true, force: true });
  if (left.length > 0)
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `Tenant ${tenant} was restored, and temporary account(s) ${left.join(', ')} in ${run.rg} could not be deleted.`,
      {
        path: ['tenant', 'restore'],
        resolution: `Delete them: az cosmosdb delete --resource-group ${run.rg} --name <account> (they are billed).`,
      },
    );
  return {
    tenant,
    at,
    temporaryAccounts: Object.fromEntries(plans.map((p) => [p.account.name, p.temp])),
    ...result,
  };
}

/** The restore's own hash: its export folder's name, the same for the same command. */
function runHash(target: TenantTarget, tenant: string, at: string): string {
  const text = `${target.layout.backendId}\n${target.where}\n${tenant}\n${at}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One restore under way: what every step reads, and what the clean-up needs to know. */
interface Run {
  readonly target: TenantTarget;
  readonly tenant: string;
  readonly at: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly owners: readonly string[];
  readonly session: ArmSession;
  readonly rg: string;
  readonly waits: RestoreWaits;
  /** Where the tenant's items as at `at` are exported to. */
  readonly dir: string;
  /** Per live account endpoint, the client of its temporary account. */
  readonly connections: Map<string, CosmosConnection>;
  /** The erase began: the live items may be gone, the export is the copy to keep. */
  erasing: boolean;
}

/** Per live account: the account, its restorable instance's id and the temporary account's name. */
interface Plan {
  readonly account: LiveAccount;
  readonly live: CosmosAccount;
  readonly source: string;
  readonly temp: string;
}

/** The plan's word on an account Resource Manager does not show (said on stderr); none: not deployed. */
function fromPlan(run: Run, name: string): CosmosAccount {
  const planned = accountFromPlan(
    deployedPlan(run.target.backend, run.target.deployment?.resourceGroup).plan,
    name,
  );
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

/** The live accounts read and their windows checked (backup mode, `--at`): nothing is created here. */
async function checkedPlans(run: Run, now: Date): Promise<Plan[]> {
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
    plans.push({
      account,
      live,
      source: source.restorable.id,
      temp: temporaryAccountName(account.name, run.tenant, run.at),
    });
  }
  return plans;
}

/**
 * The temporary accounts made and readable, then the tenant exported from them, erased in the live accounts and
 * imported there. Files and the registry record stay as they are: the tenant's items alone go through.
 */
async function copyTenant(
  run: Run,
  plans: readonly Plan[],
  principalId: string | undefined,
): Promise<{ erased: EraseReceipt; imported: ImportReport }> {
  for (const p of plans) {
    const databases = [...p.account.databases].map(([databaseName, c]) => ({
      databaseName,
      collectionNames: [...c].sort(),
    }));
    const temp = await provisionRestoreAccount(
      run.session,
      run.rg,
      p.live,
      p.temp,
      p.source,
      run.at,
      databases,
      run.waits,
    );
    if (principalId) await assignReader(run.session, run.rg, p.temp, principalId, run.waits);
    else
      run.waits.progress(
        `${run.waits.label}: the Resource Manager token names no principal (no oid claim): no data role ` +
          `assigned on ${p.temp}; reading it needs one you already hold\n`,
      );
    if (!temp.documentEndpoint)
      throw new AtakoraError(
        'TENANT_RESTORE_FAILED',
        `Resource Manager reports no endpoint for ${p.temp}.`,
        { path: ['tenant', 'restore'] },
      );
    const c = await deployerCosmos(
      temp.documentEndpoint,
      restoredEnv(run.env, temp.documentEndpoint),
      tokenFailure,
    );
    run.connections.set(p.account.endpoint, c);
    await untilReadable(c, p.account.databases, p.temp, run.waits);
  }
  const items = {
    ...run.target,
    layout: { ...run.target.layout, fileStores: [], registry: undefined },
    files: undefined,
  } as TenantTarget;
  const restored: TenantTarget = {
    ...items,
    where: `${run.target.where} as at ${run.at}`,
    container: (endpoint, database, name) => {
      const c = run.connections.get(endpoint);
      if (!c) throw new Error(`no temporary account for ${endpoint}`);
      return Promise.resolve(c.client.database(database).container(name));
    },
  };
  const { progress } = run.waits;
  const manifest = await exportTenant(restored, run.tenant, run.dir, {
    owners: run.owners,
    progress,
  });
  run.erasing = true;
  // The tenant's users then and now: the shared-entity items of both are the tenant's.
  const owners = [...new Set([...manifest.owners, ...run.owners])].sort();
  // The bytes it frees and stores counted in the live ledger (`items` hides the registry it sits beside).
  const tally = new StoredBytesTally(await ledgerContainer(run.target), progress);
  const erased = await eraseTenant(items, run.tenant, { owners, progress, cwd: run.cwd, tally });
  const imported = await importTenant(items, run.dir, { progress, cwd: run.cwd, tally });
  return { erased, imported };
}

/** Delete every temporary account (each tried, whatever the others do); the names of those left. */
async function deleteTemporary(run: Run, plans: readonly Plan[]): Promise<string[]> {
  const left: string[] = [];
  for (const p of plans)
    try {
      await deleteAccount(run.session, run.rg, p.temp, run.waits);
    } catch (e) {
      left.push(p.temp);
      run.waits.progress(
        `${run.waits.label}: deleting temporary account ${p.temp} failed: ${(e as Error).message}\n`,
      );
    }
  if (left.length > 0)
    run.waits.progress(
      `${run.waits.label}: temporary account(s) ${left.join(', ')} in ${run.rg} are left and billed: delete ` +
        `them (az cosmosdb delete --resource-group ${run.rg} --name <account>) or run the command again\n`,
    );
  return left;
}

/** The live accounts of the tenant's entities, by endpoint, with their databases and containers. */
function liveAccounts(target: TenantTarget): LiveAccount[] {
  const byEndpoint = new Map<string, LiveAccount>();
  for (const e of target.layout.entities) {
    let a = byEndpoint.get(e.endpoint);
    if (!a) {
      const name = new URL(e.endpoint).hostname.split('.')[0] ?? '';
      byEndpoint.set(e.endpoint, (a = { name, endpoint: e.endpoint, databases: new Map() }));
    }
    const containers = a.databases.get(e.database) ?? new Set<string>();
    containers.add(e.container);
    a.databases.set(e.database, containers);
  }
  return [...byEndpoint.values()];
}
