import type { Backend } from '../../backend/backend.js';
import { TENANT_REGISTRY, USAGE_LEDGER } from '../../kit/pure/tenant-registry.js';
import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import { type Container, deployerCosmos, localCosmos } from '../azure/cosmos.js';
import { firstLine } from '../azure/errors.js';
import { readDevState } from '../shared/dev-state.js';
import { loadOneBackend, type TargetOptions } from '../shared/environment-option.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { printable } from '../shared/terminal-text.js';
import { registryLocation } from '../shared/registry-location.js';

/** Where `atakora usage` reads: the ledger and the registry of a backend with one, or its telemetry. */
export type UsageSource =
  | {
      readonly kind: 'ledger';
      readonly backend: Backend;
      readonly plan: ResourcePlan;
      /** `local` or the environment. */
      readonly where: string;
      readonly usage: Container;
      readonly tenants: Container;
      readonly dispose: () => void;
    }
  | { readonly kind: 'telemetry'; readonly backend: Backend };

/** How the command names its target: the tenant commands' options (`--environment`, `--local`, `--resource-group`). */
export type UsageTargetOptions = TargetOptions;

/**
 * The source of `atakora usage`: with a tenant registry (`auth.allowedTenants: 'registry'`) the usage ledger beside
 * it — on the running `atakora dev` (`--local`, through its state file, as `atakora tenant --local`) or on the
 * deployed account with the deployer's Entra identity (`ATAKORA_COSMOS_ENDPOINT` a stand-in) — else the
 * environment's telemetry. `--local` of a backend without a registry is USAGE_NO_LEDGER: dev keeps no telemetry.
 *
 * @example
 * ```ts
 * const source = await usageSource('backend.ts', { local: true });
 * ```
 */
export async function usageSource(
  entry: string,
  options: UsageTargetOptions,
  cwd: string = process.cwd(),
): Promise<UsageSource> {
  if (options.local) {
    const state = readDevState(cwd, entry, {
      name: 'usage',
      code: 'USAGE_DEV_NOT_RUNNING',
      resolution: `Start it in this folder (atakora dev ${entry}), or read a deployed one: --environment <name>.`,
    });
    // In dev's own environment (its --environment, else the config's): the one its runtime's manifest names.
    const backend = await loadOneBackend(entry, state.environment, 'usage reads one');
    const plan = backend.plan();
    if (!registryLocation(plan)) throw noLedger(backend);
    const { client, dispose } = await localCosmos(state.cosmos);
    const db = client.database(USAGE_LEDGER.database);
    return {
      kind: 'ledger',
      backend,
      plan,
      where: 'local',
      usage: db.container(USAGE_LEDGER.container),
      tenants: client.database(TENANT_REGISTRY.database).container(TENANT_REGISTRY.container),
      dispose,
    };
  }
  const backend = await loadOneBackend(entry, options.environment, 'usage reads one');
  const { plan } = deployedPlan(backend, options['resource-group']);
  const registry = registryLocation(plan);
  if (!registry) return { kind: 'telemetry', backend };
  const { client, dispose } = await deployerCosmos(registry.endpoint, process.env, (e) =>
    unreadable(backend, plan.environment, `no Entra token for Cosmos DB: ${firstLine(e)}`),
  );
  return {
    kind: 'ledger',
    backend,
    plan,
    where: plan.environment,
    usage: client.database(registry.database).container(USAGE_LEDGER.container),
    tenants: client.database(registry.database).container(registry.container),
    dispose,
  };
}

function noLedger(backend: Backend): AtakoraError {
  return new AtakoraError(
    'USAGE_NO_LEDGER',
    `${backend.backendId} has no tenant registry, so no usage ledger; atakora dev keeps no telemetry either: ` +
      'there is no usage to read locally.',
    {
      path: ['auth', 'allowedTenants'],
      resolution:
        "Set auth.allowedTenants: 'registry' and tenants: { plans, defaultPlan } to get the ledger, or read a " +
        "deployed environment's telemetry: atakora usage <entry> --environment <name>.",
    },
  );
}

/**
 * A failure to read the ledger or the registry as the command's error: the service's words escaped, the role to
 * ask for on a 401/403, a deploy on a 404 (an environment deployed before the ledger existed).
 *
 * @example
 * ```ts
 * throw unreadable(backend, 'prod', e);
 * ```
 */
export function unreadable(backend: Backend, where: string, e: unknown): AtakoraError {
  if (e instanceof AtakoraError) return e;
  const status = (e as { code?: unknown }).code;
  const said = printable(typeof e === 'string' ? e : firstLine(e)).slice(0, 300);
  const resolution =
    status === 401 || status === 403
      ? 'Ask for the Cosmos DB Built-in Data Reader role on the account (az cosmosdb sql role assignment create ' +
        '--role-definition-id 00000000-0000-0000-0000-000000000001 …); a new assignment takes a few minutes.'
      : status === 404
        ? `Deploy ${backend.backendId} again (or restart atakora dev): the usage container is created with the ` +
          'tenant registry.'
        : 'Sign in (az login, or ARM_CLIENT_ID / ARM_TENANT_ID with ARM_CLIENT_SECRET or OIDC) and run the command ' +
          'again; if it persists, check the network to the account.';
  return new AtakoraError(
    'USAGE_LEDGER_UNREADABLE',
    `Reading the usage ledger of ${backend.backendId} (${where}) failed: ${said}`,
    { path: ['usage', where], resolution },
  );
}
