import { AtakoraError } from '../../model/errors.js';
import { type Container, deployerCosmos, localCosmos } from '../azure/cosmos.js';
import { azureToken } from '../azure/credentials.js';
import { AUDIENCES } from '../azure/endpoints.js';
import { firstLine } from '../azure/errors.js';
import { HELP } from '../commands.js';
import { checkTarget, loadFirstBackend, loadInEnvironment } from '../shared/environment-option.js';
import { commandLine, type CommandIo } from '../shared/command-line.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { UsageError } from '../shared/usage-error.js';
import { readDevState } from '../shared/dev-state.js';
import { seedSets, stampSeedItems, type SeedSet } from '../shared/seed-file.js';
import { seedReportLine, writeSeedItems } from '../shared/seed-write.js';
import { checkOwnerKnown, checkSeedTarget, ownerOfToken } from './seed-guard.js';
import { StoredBytesTally, storedIn } from '../shared/ledger-bytes.js';
import { registryLocation } from '../shared/registry-location.js';
import { USAGE_LEDGER } from '../../kit/pure/tenant-registry.js';
import { isIsolated } from '../../runtime/values/tenancy.js';

/** Where the command writes. */
export type SeedIo = CommandIo;

/**
 * `atakora seed <entry> (--environment E --tenant <tid> | --local [--tenant <tid>]) [--component Id]
 * [--owner <oid>] [--replace] [--allow-production] [--resource-group RG]`: create each CrudApi's seed (its file
 * for E) in the container, stamped for tenant `<tid>` as a create through the API is. What exists is never
 * written over by surprise: an id this tenant already has is left (replaced with `--replace`, never when it is
 * stored at a newer schema version), and an id held by another tenant is skipped and reported, that item
 * untouched (shared/seed-write.ts). `--environment`: the deployed account through the Cosmos DB data plane with
 * the deployer's Entra identity; refused before any network call for `prod` or an environment with
 * `preventDestroy` on, without `--allow-production` (cli/seed/seed-guard.ts). `--local`: the running `atakora
 * dev` of the entry (its tenant and user unless --tenant/--owner say otherwise).
 *
 * @example
 * ```ts
 * process.exitCode = await seedCommand(['backend.ts', '--environment', 'test', '--tenant', tid], io);
 * ```
 */
export async function seedCommand(argv: readonly string[], io: SeedIo): Promise<number> {
  const line = commandLine(
    argv,
    {
      help: HELP['seed'],
      strings: ['environment', 'resource-group', 'tenant', 'component', 'owner'],
      booleans: ['local', 'replace', 'allow-production'],
    },
    io,
  );
  if (!line) return 0;
  const { values: v, positionals } = line;
  const [entry, ...extra] = positionals;
  if (entry === undefined || extra.length > 0)
    throw new UsageError(
      'seed takes one entry: atakora seed <entry> --environment E --tenant <tid> (or --local).',
    );
  checkTarget('seed', v, { required: true });
  if (!v.local && v.tenant === undefined)
    throw new UsageError('seed needs --tenant <tid>: the tenant the seeded items belong to.');
  const target = v.local ? await localTarget(entry, v) : await deployedTarget(entry, v);
  const { sets, tenant } = target;
  if (v.component !== undefined && sets.length === 0)
    throw new AtakoraError(
      'CRUD_SEED_INVALID',
      `No CrudApi ${v.component} with a seed for environment ${target.environment}.`,
      {
        path: ['--component'],
        resolution: 'Name a CrudApi whose seed option has a file for this environment.',
      },
    );
  if (sets.length === 0) {
    io.out(`No CrudApi has a seed for environment ${target.environment}; nothing to do.\n`);
    return 0;
  }
  const owner = v.owner ?? (await target.owner());
  checkOwnerKnown(sets, owner);
  // Every file is stamped and checked (migrations run) before anything is written.
  const stamped = [];
  for (const set of sets)
    stamped.push({
      set,
      items: await stampSeedItems(set, { tenant, owner, keepGivenOwner: true }),
    });
  try {
    // What it stores counted in the usage ledger (a registry backend's), as the runtime counts a create.
    const tally = new StoredBytesTally(await target.ledger(), io.err);
    for (const { set, items } of stamped) {
      const { container, endpoint } = await target.container(set);
      let report;
      try {
        report = await writeSeedItems(container, set.entity, items, {
          tenant,
          replace: v.replace === true,
          stored: storedIn(tally, isIsolated(set.entity)),
        });
      } catch (e) {
        throw requestFailed(
          set,
          endpoint,
          (e as { failedItem?: Record<string, unknown> }).failedItem,
          e,
        );
      }
      await tally.flush();
      io.out(`${seedReportLine(set.componentId, report, tenant, set.file)}\n`);
    }
  } finally {
    target.dispose();
  }
  return 0;
}

/** Where a run writes: the seeds to load, the tenant, the creator when none is given, and each container. */
interface SeedTarget {
  readonly environment: string;
  readonly sets: SeedSet[];
  readonly tenant: string;
  readonly owner: () => Promise<string | undefined>;
  readonly container: (set: SeedSet) => Promise<{ container: Container; endpoint: string }>;
  /** The usage ledger, when the backend has a tenant registry (it is beside it). */
  readonly ledger: () => Promise<Container | undefined>;
  readonly dispose: () => void;
}

interface SeedValues {
  readonly environment?: string | undefined;
  readonly tenant?: string | undefined;
  readonly component?: string | undefined;
  readonly 'allow-production'?: boolean | undefined;
  readonly 'resource-group'?: string | undefined;
}

async function deployedTarget(entry: string, v: SeedValues): Promise<SeedTarget> {
  const environment = v.environment ?? '';
  const backends = await loadInEnvironment(entry, environment);
  // Everything that can refuse does so before a token is asked for or a request sent.
  const sets = backends.flatMap((backend) => {
    checkSeedTarget(backend, { tenant: v.tenant, allowProduction: v['allow-production'] === true });
    const { plan } = deployedPlan(backend, v['resource-group']);
    return seedSets(backend, plan, process.cwd(), v.component);
  });
  const connections: { dispose: () => void }[] = [];
  const registry = backends
    .map((b) => registryLocation(deployedPlan(b, v['resource-group']).plan))
    .find((r) => r !== undefined);
  return {
    environment,
    sets,
    tenant: v.tenant ?? '',
    owner: async () => ownerOfToken(await cosmosToken(AUDIENCES.cosmos)),
    container: async (set) => {
      // The deployer's identity; a failure to sign in is this command's error (ATAKORA_COSMOS_ENDPOINT: a stand-in).
      const c = await deployerCosmos(set.cosmosEndpoint, process.env, tokenFailure);
      connections.push(c);
      return {
        container: c.client.database(set.databaseName).container(set.containerName),
        endpoint: c.endpoint,
      };
    },
    ledger: async () => {
      if (!registry) return undefined;
      const c = await deployerCosmos(registry.endpoint, process.env, tokenFailure);
      connections.push(c);
      return c.client.database(registry.database).container(USAGE_LEDGER.container);
    },
    dispose: () => {
      for (const c of connections) c.dispose();
    },
  };
}

async function localTarget(entry: string, v: SeedValues): Promise<SeedTarget> {
  const state = readDevState(process.cwd(), entry, 'seed');
  const tenant = v.tenant ?? state.user?.tid ?? 'local-dev';
  const backend = await loadFirstBackend(entry, state.environment);
  // Local data: no production guard (dev never serves Azure's data), only the tenant's form is checked.
  checkSeedTarget(backend, { tenant, allowProduction: true });
  const plan = backend.plan();
  const sets = seedSets(backend, plan, process.cwd(), v.component);
  // Checks on: the server must present dev's own loopback certificate.
  const { client, endpoint, dispose } = await localCosmos(state.cosmos);
  return {
    environment: plan.environment,
    sets,
    tenant,
    owner: () => Promise.resolve(state.user?.oid),
    // Every entity of the local run lives on dev's one server, whatever account the plan names.
    container: (set) =>
      Promise.resolve({
        container: client.database(set.databaseName).container(set.containerName),
        endpoint,
      }),
    ledger: () =>
      Promise.resolve(
        registryLocation(plan)
          ? client.database(USAGE_LEDGER.database).container(USAGE_LEDGER.container)
          : undefined,
      ),
    dispose,
  };
}

/**
 * A token for the Cosmos DB data plane (Entra data-plane RBAC, https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac:
 * the upsert needs the `.../containers/items/upsert` data action, which Cosmos DB Built-in Data Contributor holds),
 * from the deployer's identity as deploy signs in.
 */
async function cosmosToken(audience: string): Promise<string> {
  try {
    return await azureToken(audience, process.env);
  } catch (e) {
    throw tokenFailure(e);
  }
}

function tokenFailure(e: unknown): AtakoraError {
  return new AtakoraError('SEED_REQUEST_FAILED', `No Entra token for Cosmos DB: ${firstLine(e)}.`, {
    path: ['seed'],
    resolution:
      'Sign in (az login, or ARM_CLIENT_ID / ARM_TENANT_ID with ARM_CLIENT_SECRET or OIDC), then run the ' +
      'command again.',
  });
}

function requestFailed(
  set: SeedSet,
  endpoint: string,
  item: Record<string, unknown> | undefined,
  e: unknown,
): AtakoraError {
  const code = (e as { code?: unknown }).code;
  const status = typeof code === 'number' || typeof code === 'string' ? code : undefined;
  const denied = status === 401 || status === 403;
  return new AtakoraError(
    'SEED_REQUEST_FAILED',
    `seed ${set.componentId}: writing item ${JSON.stringify(item?.['id'])} into ` +
      `${set.databaseName}/${set.containerName} at ${endpoint} failed (${status === undefined ? 'no status' : String(status)}: ` +
      `${firstLine(e)}).`,
    {
      path: ['components', set.componentId, 'config', 'seed'],
      resolution: denied
        ? 'Give the deployer a Cosmos DB data role on the account (Cosmos DB Built-in Data Contributor: ' +
          'az cosmosdb sql role assignment create … --role-definition-id 00000000-0000-0000-0000-000000000002).'
        : 'Check that the environment is deployed (atakora deploy) and that the account answers; then run ' +
          "atakora seed again (it creates only what is missing, so a second run leaves the first's items).",
    },
  );
}
