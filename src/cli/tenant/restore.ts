import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../model/errors.js';
import { deployerCosmos } from '../azure/cosmos.js';
import { azureToken } from '../azure/credentials.js';
import { armEndpoint } from '../azure/endpoints.js';
import { type TenantTarget, tokenFailure } from './connect.js';
import { type EraseReceipt, eraseTenant } from './erase.js';
import { recordCliAudit } from './audit/audit-data.js';
import { exportTenant } from './export.js';
import { type ImportReport, prepareImport, writeImport } from './import.js';
import { ledgerContainer, StoredBytesTally } from '../shared/ledger-bytes.js';
import {
  armStep,
  assignReader,
  deleteAccount,
  provisionRestoreAccount,
  RESTORE_TAGS,
} from './restore-account.js';
import { restoreTime } from './restore-window.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { principalOf, restoredEnv, untilReadable } from './restore-access.js';
import { BACKUP_LAG_MS, checkedPlans } from './restore-checks.js';
import { lockedNetwork } from './restore-network.js';
import { addPrivateEndpoint, deletePrivateEndpoint, lockNetwork } from './restore-lock.js';
import type { Plan, Run } from './restore-run.js';

/** Options of {@link restoreTenant}. */
export interface RestoreOptions {
  readonly progress?: (line: string) => void;
  /** Users of the tenant known besides the owners its items record (as export and delete take them). */
  readonly owners?: readonly string[];
  /**
   * The public addresses (IPv4 or CIDR) the operator reaches Azure from: the only ones a public backend's temporary
   * account admits (default the live account's own IP rules; none and an open live account: refused).
   */
  readonly operatorAddresses?: readonly string[];
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

/**
 * Put one tenant's items back as they were at `at` (DESIGN, "A tenant's data has a lifecycle"). Every check comes
 * before anything is created or billed (restore-checks.ts: continuous backup, `--at` strict ISO 8601 inside the
 * window and no later than the latest restorable time, the containers that existed at `--at`, how the operator alone
 * will reach the temporary account, the live data plane). Then per Cosmos DB account: a point-in-time restore of
 * those containers into a temporary account through Resource Manager, its network read back and locked
 * (restore-lock.ts) and, on an isolated backend, a private endpoint of its own in the backend's network, before any
 * item is read; the operator granted Data Reader on it. Then `tenant export` of the tenant from the temporary
 * accounts, the import prepared and checked (schema, migrations: nothing erased when an item would be refused), `tenant
 * delete` of its items in the live accounts, the import written — and every temporary account (and endpoint)
 * deleted, also when a step fails. Other tenants' items are never written. Files (Blob Storage) and the registry
 * record (plan, status) are not part of it. Safe to run twice: the temporary account's name is derived from the
 * account, the tenant and the time, so a run after a kill takes up the account the first made; the erase resumes
 * from its marker; the import creates what is missing.
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
  const progress = options.progress ?? (() => undefined);
  if (now.getTime() - Date.parse(at) < BACKUP_LAG_MS)
    progress(
      `tenant restore ${tenant}: warning: --at ${at} is within 100 s of now, and backups trail writes by up to ` +
        '100 s: the latest restorable time is checked before anything is created\n',
    );
  const arm = armEndpoint(undefined, env);
  const token = await armStep('signing in to Resource Manager', () => azureToken(arm, env));
  const run: Run = {
    target,
    plan: deployedPlan(target.backend, target.deployment.resourceGroup).plan,
    tenant,
    at,
    env,
    cwd: options.cwd ?? process.cwd(),
    owners: options.owners ?? [],
    operator: options.operatorAddresses ?? [],
    session: { endpoint: arm, token, subscriptionId },
    rg: target.deployment.resourceGroup,
    waits: {
      progress,
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
    else rmSync(run.dir, { recursive: true, force: true });
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
  await recordCliAudit(target, tenant, [{ action: 'tenant.restored', changes: { at } }]);
  return {
    tenant,
    at,
    temporaryAccounts: Object.fromEntries(
      plans.filter((p) => p.databases.length > 0).map((p) => [p.account.name, p.temp]),
    ),
    ...result,
  };
}

/** The restore's own hash: its export folder's name, the same for the same command. */
function runHash(target: TenantTarget, tenant: string, at: string): string {
  const text = `${target.layout.backendId}\n${target.where}\n${tenant}\n${at}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** Make one temporary account, lock it, give it its private endpoint and the operator's role, and read it. */
async function makeReadable(run: Run, p: Plan, principalId: string | undefined): Promise<void> {
  const { session: s, rg, waits } = run;
  const temp = await provisionRestoreAccount(
    s,
    rg,
    p.live,
    p.temp,
    p.source.id,
    run.at,
    p.databases,
    lockedNetwork(p.lock),
    waits,
  );
  // Nothing is read before the account is read back locked (a restore restores no network setting).
  await lockNetwork(s, rg, p.temp, p.lock, waits);
  if (p.lock.kind === 'private') {
    const tags = {
      [RESTORE_TAGS.madeBy]: 'true',
      [RESTORE_TAGS.source]: p.live.name,
      [RESTORE_TAGS.at]: run.at,
    };
    await addPrivateEndpoint(s, rg, { id: temp.id, name: p.temp }, p.lock, tags, waits);
  }
  if (principalId) await assignReader(s, rg, p.temp, principalId, waits);
  else
    waits.progress(
      `${waits.label}: the Resource Manager token names no principal (no oid claim): no data role ` +
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
  await untilReadable(c, p.restored, p.temp, waits);
}

/**
 * The temporary accounts made and readable, then the tenant exported from them, its import prepared (every item
 * checked), erased in the live accounts and imported there. Files and the registry record stay as they are: the
 * tenant's items alone go through.
 */
async function copyTenant(
  run: Run,
  plans: readonly Plan[],
  principalId: string | undefined,
): Promise<{ erased: EraseReceipt; imported: ImportReport }> {
  for (const p of plans.filter((x) => x.databases.length > 0))
    await makeReadable(run, p, principalId);
  const items = {
    ...run.target,
    layout: { ...run.target.layout, fileStores: [], registry: undefined },
    files: undefined,
  } as TenantTarget;
  // What is read as at --at: the tenant's containers that existed then (the others had none of its items).
  const restoredAt = (endpoint: string, database: string, container: string) =>
    plans.some(
      (p) => p.account.endpoint === endpoint && p.restored.get(database)?.has(container) === true,
    );
  const restored: TenantTarget = {
    ...items,
    layout: {
      ...items.layout,
      entities: items.layout.entities.filter((e) =>
        restoredAt(e.endpoint, e.database, e.container),
      ),
    },
    where: `${run.target.where} as at ${run.at}`,
    container: (endpoint, database, name) => {
      const c = run.connections.get(endpoint);
      if (!c) throw new Error(`no temporary account for ${endpoint}`);
      return Promise.resolve(c.client.database(database).container(name));
    },
  };
  const { progress } = run.waits;
  // A time before the tenant had any item restores it to nothing: an empty archive, not an unknown tenant.
  const manifest = await exportTenant(restored, run.tenant, run.dir, {
    owners: run.owners,
    progress,
    allowEmpty: true,
  });
  // Everything the import checks (schema, migrations, ids) is checked before the first item is erased.
  const prepared = await prepareImport(items, run.dir, { cwd: run.cwd });
  run.erasing = true;
  // The tenant's users then and now: the shared-entity items of both are the tenant's.
  const owners = [...new Set([...manifest.owners, ...run.owners])].sort();
  // The bytes it frees and stores counted in the live ledger (`items` hides the registry it sits beside).
  const tally = new StoredBytesTally(await ledgerContainer(run.target), progress);
  const erased = await eraseTenant(items, run.tenant, { owners, progress, cwd: run.cwd, tally });
  const imported = await writeImport(items, prepared, progress, tally);
  return { erased, imported };
}

/** Delete every temporary account and its endpoint (each tried, whatever the others do); the names of those left. */
async function deleteTemporary(run: Run, plans: readonly Plan[]): Promise<string[]> {
  const left: string[] = [];
  for (const p of plans.filter((x) => x.databases.length > 0))
    try {
      if (p.lock.kind === 'private')
        await deletePrivateEndpoint(run.session, run.rg, p.temp, run.waits);
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
