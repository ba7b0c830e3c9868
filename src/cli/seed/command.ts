import { parseArgs } from 'node:util';
import { AtakoraError } from '../../model/errors.js';
import { deployerCosmos } from '../azure/cosmos.js';
import { azureToken } from '../azure/credentials.js';
import { AUDIENCES } from '../azure/endpoints.js';
import { firstLine } from '../azure/errors.js';
import { HELP } from '../commands.js';
import { loadInEnvironment } from '../shared/environment-option.js';
import { deployedPlan } from '../shared/secret-target.js';
import { UsageError } from '../shared/usage-error.js';
import { seedSets, stampSeedItems, type SeedSet } from '../shared/seed-file.js';
import { checkOwnerKnown, checkSeedTarget, ownerOfToken } from './seed-guard.js';

/** Where the command writes. */
export interface SeedIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/**
 * `atakora seed <entry> --environment E --tenant <tid> [--component Id] [--owner <oid>] [--allow-production]
 * [--resource-group RG]`: upsert each CrudApi's seed (its file for E) into the deployed container, through the
 * Cosmos DB data plane with the deployer's Entra identity, every item stamped for tenant `<tid>` as a create
 * through the API is. Refused before any network call for `prod` or an environment with `preventDestroy` on,
 * without `--allow-production` (cli/seed/seed-guard.ts).
 *
 * @example
 * ```ts
 * process.exitCode = await seedCommand(['backend.ts', '--environment', 'test', '--tenant', tid], io);
 * ```
 */
export async function seedCommand(argv: readonly string[], io: SeedIo): Promise<number> {
  const { values: v, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      environment: { type: 'string' },
      tenant: { type: 'string' },
      component: { type: 'string' },
      owner: { type: 'string' },
      'allow-production': { type: 'boolean' },
      'resource-group': { type: 'string' },
    },
  });
  if (v.help) {
    io.out(`${HELP['seed'] ?? ''}\n`);
    return 0;
  }
  const [entry, ...extra] = positionals;
  if (entry === undefined || extra.length > 0)
    throw new UsageError(
      'seed takes one entry: atakora seed <entry> --environment E --tenant <tid>.',
    );
  if (v.environment === undefined)
    throw new UsageError('seed needs --environment: the environment whose containers to seed.');
  if (v.tenant === undefined)
    throw new UsageError('seed needs --tenant <tid>: the tenant the seeded items belong to.');
  const backends = await loadInEnvironment(entry, v.environment);
  // Everything that can refuse does so before a token is asked for or a request sent.
  const plans = backends.map((backend) => {
    checkSeedTarget(backend, { tenant: v.tenant, allowProduction: v['allow-production'] === true });
    const { plan } = deployedPlan(backend, v['resource-group']);
    return { plan, sets: seedSets(backend, plan, process.cwd(), v.component) };
  });
  const sets = plans.flatMap((p) => p.sets);
  if (v.component !== undefined && sets.length === 0)
    throw new AtakoraError(
      'CRUD_SEED_INVALID',
      `No CrudApi ${v.component} with a seed for environment ${v.environment}.`,
      {
        path: ['--component'],
        resolution: 'Name a CrudApi whose seed option has a file for this environment.',
      },
    );
  if (sets.length === 0) {
    io.out(`No CrudApi has a seed for environment ${v.environment}; nothing to do.\n`);
    return 0;
  }
  const ownerGiven = v.owner;
  const owner = ownerGiven ?? ownerOfToken(await cosmosToken(AUDIENCES.cosmos));
  checkOwnerKnown(sets, owner);
  const stamped = sets.map((set) => ({
    set,
    items: stampSeedItems(set, { tenant: v.tenant ?? '', owner, keepGivenOwner: true }),
  }));
  for (const { set, items } of stamped) {
    // The deployer's identity; a failure to sign in is this command's error (ATAKORA_COSMOS_ENDPOINT: a stand-in).
    const { client, endpoint, dispose } = await deployerCosmos(
      set.cosmosEndpoint,
      process.env,
      tokenFailure,
    );
    try {
      const container = client.database(set.databaseName).container(set.containerName);
      for (const item of items) {
        try {
          await container.items.upsert(item);
        } catch (e) {
          throw requestFailed(set, endpoint, item, e);
        }
      }
    } finally {
      dispose();
    }
    io.out(
      `seed ${set.componentId}: ${String(items.length)} item(s) upserted from ${set.file} into ` +
        `${set.databaseName}/${set.containerName} (tenant ${v.tenant ?? ''})\n`,
    );
  }
  return 0;
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
  item: Record<string, unknown>,
  e: unknown,
): AtakoraError {
  const code = (e as { code?: unknown }).code;
  const status = typeof code === 'number' || typeof code === 'string' ? code : undefined;
  const denied = status === 401 || status === 403;
  return new AtakoraError(
    'SEED_REQUEST_FAILED',
    `seed ${set.componentId}: upserting item ${JSON.stringify(item['id'])} into ` +
      `${set.databaseName}/${set.containerName} at ${endpoint} failed (${status === undefined ? 'no status' : String(status)}: ` +
      `${firstLine(e)}).`,
    {
      path: ['components', set.componentId, 'config', 'seed'],
      resolution: denied
        ? 'Give the deployer a Cosmos DB data role on the account (Cosmos DB Built-in Data Contributor: ' +
          'az cosmosdb sql role assignment create … --role-definition-id 00000000-0000-0000-0000-000000000002).'
        : 'Check that the environment is deployed (atakora deploy) and that the account answers; then run ' +
          'atakora seed again (it upserts, so a second run writes the same items).',
    },
  );
}
