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
import { ENDPOINT_VARIABLES, armEndpoint } from '../azure/endpoints.js';
import { type TenantTarget, tokenFailure } from './connect.js';
import { type EraseReceipt, eraseTenant } from './erase.js';
import { exportTenant } from './export.js';
import { type ImportReport, importTenant } from './import.js';
import {
  armStep,
  assignReader,
  deleteAccount,
  provisionRestoreAccount,
  temporaryAccountName,
} from './restore-account.js';
import { restoreSource, restoreTime } from './restore-window.js';
import { pollUntil } from '../shared/poll.js';

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
 * const report = await restoreTenant(target, 'contoso', '2026-11-20T09:00:00Z', { progress: (l) => process.stderr.write(l) });
 * ```
 */
export async function restoreTenant(
  target: TenantTarget,
  tenant: string,
  atText: string,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const progress = options.progress ?? (() => undefined);
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const label = `tenant restore ${tenant}`;
  const at = restoreTime(atText);
  const now = options.now?.() ?? new Date();
  if (Date.parse(at) > now.getTime())
    throw new AtakoraError(
      'TENANT_RESTORE_TIME_INVALID',
      `--at ${at} is in the future (now ${now.toISOString()}). Nothing was created or changed.`,
      { path: ['tenant', 'restore', '--at'] },
    );
  const deployment = target.deployment;
  if (!deployment?.subscriptionId)
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
  const session: ArmSession = { endpoint: arm, token, subscriptionId: deployment.subscriptionId };
  const rg = deployment.resourceGroup;

  // Every check before anything is created.
  const plans: { account: LiveAccount; live: CosmosAccount; source: string; temp: string }[] = [];
  for (const account of liveAccounts(target)) {
    const live = await armStep(`reading ${account.name}`, () =>
      readAccount(session, rg, account.name),
    );
    if (!live)
      throw new AtakoraError(
        'TENANT_RESTORE_FAILED',
        `Cosmos DB account ${account.name} is not in ${rg}: is ${target.where} deployed? Nothing was changed.`,
        { path: ['tenant', 'restore', '--environment'] },
      );
    const instances = await armStep(`listing the restorable accounts of ${live.location}`, () =>
      listRestorableAccounts(session, live.location, account.name),
    );
    const source = restoreSource(live, instances, at, now);
    progress(`${label}: ${account.name} restorable from ${source.from} to ${source.to}\n`);
    plans.push({
      account,
      live,
      source: source.restorable.id,
      temp: temporaryAccountName(account.name, tenant, at),
    });
  }
  const principalId = principalOf(token);
  const waits = {
    progress,
    label,
    timeoutMs: options.timeoutMs ?? 12 * 60 * 60_000,
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
  };
  const dir = join(
    cwd,
    '.atakora',
    `tenant-restore-${createHash('sha256').update(`${target.layout.backendId}\n${target.where}\n${tenant}\n${at}`).digest('hex').slice(0, 12)}`,
  );
  // Files and the registry record stay as they are (see above): the tenant's items alone are exported, erased, loaded.
  const items = {
    ...target,
    layout: { ...target.layout, fileStores: [], registry: undefined },
    files: undefined,
  } as TenantTarget;
  const connections: CosmosConnection[] = [];
  let erasing = false;
  let failure: Error | undefined;
  let result: { erased: EraseReceipt; imported: ImportReport } | undefined;
  try {
    const endpoints = new Map<string, string>();
    for (const p of plans) {
      const temp = await provisionRestoreAccount(
        session,
        rg,
        p.live,
        p.temp,
        p.source,
        at,
        [...p.account.databases].map(([databaseName, c]) => ({
          databaseName,
          collectionNames: [...c].sort(),
        })),
        waits,
      );
      await assignReader(session, rg, p.temp, principalId, waits);
      if (!temp.documentEndpoint)
        throw new AtakoraError(
          'TENANT_RESTORE_FAILED',
          `Resource Manager reports no endpoint for ${p.temp}.`,
          {
            path: ['tenant', 'restore'],
          },
        );
      const c = await deployerCosmos(
        temp.documentEndpoint,
        restoredEnv(env, temp.documentEndpoint),
        tokenFailure,
      );
      connections.push(c);
      endpoints.set(p.account.endpoint, p.temp);
      await untilReadable(c, p.account, p.temp, waits.pollMs, label, progress);
    }
    const byLive = new Map(plans.map((p, i) => [p.account.endpoint, connections[i]!]));
    const restored: TenantTarget = {
      ...items,
      where: `${target.where} as at ${at}`,
      container: (endpoint, database, name) =>
        Promise.resolve(byLive.get(endpoint)!.client.database(database).container(name)),
    };
    const manifest = await exportTenant(restored, tenant, dir, {
      owners: options.owners ?? [],
      progress,
    });
    erasing = true;
    const owners = [...new Set([...manifest.owners, ...(options.owners ?? [])])].sort();
    const erased = await eraseTenant(items, tenant, { owners, progress, cwd });
    const imported = await importTenant(items, dir, { progress, cwd });
    result = { erased, imported };
  } catch (e) {
    failure = e as Error;
  }
  for (const c of connections) c.dispose();
  const left: string[] = [];
  for (const p of plans)
    try {
      await deleteAccount(session, rg, p.temp, waits);
    } catch (e) {
      left.push(p.temp);
      progress(`${label}: deleting temporary account ${p.temp} failed: ${(e as Error).message}\n`);
    }
  if (left.length > 0)
    progress(
      `${label}: temporary account(s) ${left.join(', ')} in ${rg} are left and billed: delete them ` +
        `(az cosmosdb delete --resource-group ${rg} --name <account>) or run the command again\n`,
    );
  if (failure !== undefined) {
    if (erasing)
      progress(
        `${label}: the tenant's items as at ${at} are kept in ${dir}; run the command again, or load them with ` +
          `atakora tenant import <entry> --from ${dir} --environment ${target.where}\n`,
      );
    throw failure;
  }
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0)
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `Tenant ${tenant} was restored, and temporary account(s) ${left.join(', ')} in ${rg} could not be deleted.`,
      {
        path: ['tenant', 'restore'],
        resolution: `Delete them: az cosmosdb delete --resource-group ${rg} --name <account> (they are billed).`,
      },
    );
  return {
    tenant,
    at,
    temporaryAccounts: Object.fromEntries(plans.map((p) => [p.account.name, p.temp])),
    ...result!,
  };
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

/**
 * The environment the temporary account's client is made with: a per-account `ATAKORA_COSMOS_ENDPOINT` (with
 * `{account}`) applies to it as to every account; a fixed one stands for the live account alone, so the temporary
 * one is reached where Resource Manager says it is (with `ATAKORA_COSMOS_CA` still trusted).
 */
function restoredEnv(env: NodeJS.ProcessEnv, documentEndpoint: string): NodeJS.ProcessEnv {
  const override = env[ENDPOINT_VARIABLES.cosmos];
  if (!override || override.includes('{account}')) return env;
  return { ...env, [ENDPOINT_VARIABLES.cosmos]: documentEndpoint };
}

/**
 * Wait until the operator's new data role holds on the temporary account (Learn: a data-plane role assignment
 * may take a few minutes to apply): read one of the tenant's containers until it answers other than 401/403.
 */
async function untilReadable(
  c: CosmosConnection,
  account: LiveAccount,
  temp: string,
  pollMs: number | undefined,
  label: string,
  progress: (line: string) => void,
): Promise<void> {
  const [database, containers] = [...account.databases][0]!;
  const name = [...containers][0]!;
  const outcome = await pollUntil(
    async () => {
      try {
        await c.client.database(database).container(name).read();
        return { ok: true, said: 'readable' };
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 401 || code === 403) return `HTTP ${String(code)}`;
        throw e;
      }
    },
    {
      timeoutMs: 10 * 60_000,
      ...(pollMs !== undefined ? { initialDelayMs: pollMs, maxDelayMs: pollMs } : {}),
      onAttempt: (_n, last) => {
        progress(`${label}: waiting for the data role on ${temp} (${last})\n`);
      },
    },
  );
  if (!outcome.ok)
    throw new AtakoraError(
      'TENANT_RESTORE_FAILED',
      `reading ${database}/${name} of temporary account ${temp} failed: ${outcome.last}.`,
      { path: ['tenant', 'restore'] },
    );
}

/**
 * The signed-in principal's object id: the `oid` claim of the Resource Manager token (Microsoft identity platform
 * access token claims, https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference) — the id a
 * Cosmos DB role assignment names.
 */
function principalOf(token: string): string {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as {
      oid?: unknown;
    };
    if (typeof payload.oid === 'string' && payload.oid !== '') return payload.oid;
  } catch {
    // Not a JWT: reported below.
  }
  throw new AtakoraError(
    'TENANT_RESTORE_FAILED',
    'The Resource Manager token names no principal (no oid claim): the temporary account cannot grant you its data ' +
      'role. Nothing was created or changed.',
    {
      path: ['tenant', 'restore'],
      resolution:
        'Sign in as a user or service principal (az login, or ARM_CLIENT_ID / ARM_TENANT_ID), not with a token.',
    },
  );
}
