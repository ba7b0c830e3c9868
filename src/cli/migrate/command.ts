import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import { HELP } from '../commands.js';
import {
  deployerCosmos,
  localCosmos,
  type CosmosClient,
  type CosmosConnection,
} from '../azure/cosmos.js';
import { checkEntryPath } from '../entry/errors.js';
import { checkTarget, loadFirstBackend } from '../shared/environment-option.js';
import { commandLine, soleEntry, type CommandIo } from '../shared/command-line.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { UsageError } from '../shared/usage-error.js';
import { checkpointFile, resumable, saveCheckpoint, type Checkpoint } from './checkpoint.js';
import { readDevState } from '../shared/dev-state.js';
import { estimateRewrite } from './estimate.js';
import { loadMigrations } from '../shared/load-migrations.js';
import { olderItemsQuery, rewriteOlderItems } from './rewrite-items.js';
import { migrateTargets, type MigrateTarget } from './targets.js';
import { StoredBytesTally, storedIn } from '../shared/ledger-bytes.js';
import { registryLocation } from '../shared/registry-location.js';
import { USAGE_LEDGER } from '../../kit/pure/tenant-registry.js';
import { isIsolated } from '../../runtime/values/tenancy.js';

/** Where the command writes (the CLI's Io, structurally). */
type Io = CommandIo;

/** Where the items are and how to reach them. */
interface Reach {
  readonly plan: ResourcePlan;
  /** `local`, or the environment: the checkpoint's name. */
  readonly label: string;
  readonly client: (endpoint: string) => Promise<CosmosClient>;
  readonly dispose: () => void;
}

/**
 * `atakora migrate <entry> [--environment E | --local] [--component Id] [--dry-run] [--batch-size N]`: rewrite the
 * items of each versioned CrudApi stored under an older schema version (rewrite-items.ts), with a progress line,
 * a checkpoint per component and a summary; exit 1 when a migration threw on some item. `--dry-run` counts and
 * estimates, writing nothing.
 */
export async function migrateCommand(args: readonly string[], io: Io): Promise<number> {
  const line = commandLine(
    args,
    {
      help: HELP['migrate'],
      strings: ['environment', 'resource-group', 'component', 'batch-size'],
      booleans: ['local', 'dry-run'],
    },
    io,
  );
  if (!line) return 0;
  const { values } = line;
  const entry = soleEntry('migrate', line.positionals);
  checkTarget('migrate', values);
  const batch = values['batch-size'] === undefined ? 100 : Number(values['batch-size']);
  if (!Number.isInteger(batch) || batch < 1 || batch > 1000)
    throw new UsageError(`--batch-size takes 1…1000 (got ${String(values['batch-size'])}).`);
  checkEntryPath(entry);
  const reach = values.local
    ? await localReach(entry)
    : await azureReach(entry, values.environment, values['resource-group']);
  try {
    const targets = migrateTargets(reach.plan, values.component);
    if (targets.length === 0) {
      io.out(
        `No CrudApi of ${reach.plan.backendId} has a schemaVersion above 1: nothing to migrate.\n`,
      );
      return 0;
    }
    let failed = 0;
    // What the rewrites add or free counted in the usage ledger (a registry backend's), as a write's would be.
    const registry = registryLocation(reach.plan);
    const tally = new StoredBytesTally(
      registry && !values['dry-run']
        ? (await reach.client(registry.endpoint))
            .database(registry.database)
            .container(USAGE_LEDGER.container)
        : undefined,
      io.err,
    );
    for (const target of targets) {
      const migrations = await loadMigrations(target, process.cwd());
      const client = await reach.client(target.endpoint);
      const container = client.database(target.database).container(target.container);
      const run = values['dry-run'] ? dryRun : rewrite;
      failed += await denied(target, () =>
        run({ target, container, migrations, batch, io, label: reach.label, tally }),
      );
    }
    return failed > 0 ? 1 : 0;
  } finally {
    reach.dispose();
  }
}

interface Run {
  readonly target: MigrateTarget;
  readonly container: import('../azure/cosmos.js').Container;
  readonly migrations: Awaited<ReturnType<typeof loadMigrations>>;
  readonly batch: number;
  readonly io: Io;
  readonly label: string;
  readonly tally: StoredBytesTally;
}

async function dryRun({ target, container, migrations, batch, io }: Run): Promise<number> {
  const current = target.entity.schemaVersion ?? 1;
  const started = performance.now();
  const dry = await rewriteOlderItems({
    container,
    entity: target.entity,
    migrations,
    batchSize: batch,
    dryRun: true,
  });
  const est = await estimateRewrite(
    container,
    dry,
    target.entity.partitionKey,
    performance.now() - started,
  );
  const { versions, failed } = dry;
  const older = Object.entries(versions)
    .filter(([v]) => Number(v) < current)
    .reduce((a, [, n]) => a + n, 0);
  const ahead = Object.entries(versions)
    .filter(([v]) => Number(v) > current)
    .reduce((a, [, n]) => a + n, 0);
  const counts = Object.entries(versions)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([v, n]) => `v${v}: ${String(n)}`)
    .join(', ');
  const ru = (n: number) => String(Math.ceil(n));
  io.out(
    `${target.componentId} (schemaVersion ${String(current)}, ${target.database}/${target.container}): ` +
      `${counts || 'no items'}; ${String(older)} to rewrite` +
      (failed.length ? ` (${String(failed.length)} would fail, listed below)` : '') +
      (older
        ? `, about ${ru(est.requestUnits)} RU (the query of older items ${ru(est.queryUnits)} RU in ` +
          `${String(est.queryRequests)} page${est.queryRequests === 1 ? '' : 's'} as measured now, and a replace ` +
          `of each item to rewrite at ${est.averageKb.toFixed(1)} KB: ${ru(est.writeUnits)} RU) and ` +
          `${est.seconds.toFixed(1)} s at the measured latency`
        : '') +
      (ahead
        ? `; ${String(ahead)} stored at a newer version than ${String(current)}, left as stored`
        : '') +
      '. Dry run: every migration ran in memory, nothing written.\n',
  );
  for (const f of failed) io.out(`  would fail: ${f.id}: ${f.detail}\n`);
  return failed.length;
}

async function rewrite({
  target,
  container,
  migrations,
  batch,
  io,
  label,
  tally,
}: Run): Promise<number> {
  const current = target.entity.schemaVersion ?? 1;
  const where = `${target.endpoint}|${target.database}|${target.container}`;
  const file = checkpointFile(process.cwd(), label, target.componentId);
  const resumed = resumable(file, where, current);
  const { resources } = await container.items
    .query<number>(olderItemsQuery(current).replace('SELECT *', 'SELECT VALUE COUNT(1)'))
    .fetchAll();
  const before = { rewritten: resumed?.rewritten ?? 0, overtaken: resumed?.overtaken ?? 0 };
  const earlierFailed = resumed?.failed ?? [];
  const total = (resources[0] ?? 0) + before.rewritten;
  if (resumed)
    io.err(
      `${target.componentId}: resuming an interrupted run (${String(before.rewritten)} rewritten, ` +
        `${String(earlierFailed.length)} failed so far; ${file})\n`,
    );
  const save = (
    state: Checkpoint['state'],
    s: Pick<Checkpoint, 'rewritten' | 'overtaken' | 'failed' | 'versions'>,
  ): void => {
    saveCheckpoint(file, {
      version: 1,
      component: target.componentId,
      target: where,
      schemaVersion: current,
      state,
      ...s,
      updatedAt: new Date().toISOString(),
    });
  };
  save('running', { ...before, failed: earlierFailed, versions: resumed?.versions ?? {} });
  const merge = (a: Readonly<Record<number, number>>, b: Readonly<Record<number, number>>) => {
    const out: Record<number, number> = { ...a };
    for (const [v, n] of Object.entries(b)) out[Number(v)] = (out[Number(v)] ?? 0) + n;
    return out;
  };
  const summary = await rewriteOlderItems({
    container,
    entity: target.entity,
    migrations,
    batchSize: batch,
    skip: new Set(earlierFailed.map((f) => f.id)),
    onRewritten: storedIn(tally, isIsolated(target.entity)),
    onProgress: async (done, failedNow, sofar) => {
      await tally.flush();
      const rewritten = before.rewritten + done;
      save('running', {
        rewritten,
        overtaken: before.overtaken + sofar.overtaken,
        failed: [...earlierFailed, ...sofar.failed],
        versions: merge(resumed?.versions ?? {}, sofar.versions),
      });
      io.err(
        `${target.componentId}: ${String(rewritten)}/${String(total)} items rewritten` +
          (failedNow + earlierFailed.length
            ? `, ${String(failedNow + earlierFailed.length)} failed`
            : '') +
          '\n',
      );
    },
  });
  const failed = [...earlierFailed, ...summary.failed];
  const rewritten = before.rewritten + summary.rewritten;
  const overtaken = before.overtaken + summary.overtaken;
  save('done', {
    rewritten,
    overtaken,
    failed,
    versions: merge(resumed?.versions ?? {}, summary.versions),
  });
  io.out(
    `${target.componentId}: ${String(rewritten)} rewritten to version ${String(current)}, ` +
      `${String(overtaken)} already current after a concurrent write (retried), ${String(failed.length)} failed.\n`,
  );
  for (const f of failed) io.out(`  failed: ${f.id}: ${f.detail}\n`);
  return failed.length;
}

/** A 401/403 from the data plane: the data role the identity lacks, and how to grant it. */
async function denied(target: MigrateTarget, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 401 || code === 403) {
      const account = /^https:\/\/([^.]+)\./.exec(target.endpoint)?.[1] ?? target.endpoint;
      throw new AtakoraError(
        'MIGRATE_DATA_ACCESS_DENIED',
        `Cosmos DB account ${account} refused the signed-in identity (HTTP ${String(code)}) reading or writing ` +
          `${target.database}/${target.container}: it needs the data-plane role "Cosmos DB Built-in Data ` +
          `Contributor" on the account.`,
        { path: ['migrate', target.componentId] },
      );
    }
    if (code === 404)
      throw new AtakoraError(
        'MIGRATE_CONTAINER_NOT_FOUND',
        `The container ${target.database}/${target.container} of ${target.componentId} does not exist at ` +
          `${target.endpoint}: the environment is not deployed (or dev has not created it yet).`,
        { path: ['migrate', target.componentId] },
      );
    throw e;
  }
}

async function localReach(entry: string): Promise<Reach> {
  const state = readDevState(process.cwd(), entry);
  const backend = await loadFirstBackend(entry, state.environment);
  // Checks on: the server must present dev's own loopback certificate.
  const { client, dispose } = await localCosmos(state.cosmos);
  return {
    plan: backend.plan(),
    label: 'local',
    // Every entity of the local run lives on dev's one server, whatever account the plan names.
    client: () => Promise.resolve(client),
    dispose,
  };
}

async function azureReach(
  entry: string,
  environment: string | undefined,
  resourceGroup: string | undefined,
): Promise<Reach> {
  const backend = await loadFirstBackend(entry, environment);
  // The names deploy gives this environment (rg-<stack>, ARM_SUBSCRIPTION_ID), as `atakora secret` finds its vault.
  const { plan } = deployedPlan(backend, resourceGroup);
  const connections: CosmosConnection[] = [];
  return {
    plan,
    label: plan.environment,
    // The deployer's identity (az login, ARM_* variables, OIDC) through the same token cache as deploy;
    // ATAKORA_COSMOS_ENDPOINT: a stand-in data plane (tests, an emulator), azure/endpoints.ts.
    client: async (endpoint) => {
      const c = await deployerCosmos(endpoint, process.env);
      connections.push(c);
      return c.client;
    },
    dispose: () => {
      for (const c of connections) c.dispose();
    },
  };
}
