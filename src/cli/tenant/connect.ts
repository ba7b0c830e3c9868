import type { Backend } from '../../backend/backend.js';
import { AtakoraError } from '../../model/errors.js';
import { type Container, deployerCosmos, localCosmos } from '../azure/cosmos.js';
import { firstLine } from '../azure/errors.js';
import {
  checkTarget,
  loadFirstBackend,
  loadOneBackend,
  type TargetOptions,
} from '../shared/environment-option.js';

export type { TargetOptions } from '../shared/environment-option.js';
import { deployedPlan } from '../shared/secrets/secret-target.js';
import { readDevState } from './dev-link.js';
import { tenantLayout, type TenantFileStore, type TenantLayout } from './targets.js';
import { type FileBlobSide, fileBlobSide } from '../azure/file-blobs.js';
import { deployerCredential } from '../azure/credentials.js';
import { localFileBlobSide } from '../azure/local-storage.js';

/** Where a tenant command reads and writes: the backend's layout and a container per (endpoint, database, name). */
export interface TenantTarget {
  readonly backend: Backend;
  readonly layout: TenantLayout;
  /** `local` for the running `atakora dev`, else the deployed environment's name. */
  readonly where: string;
  readonly container: (endpoint: string, database: string, name: string) => Promise<Container>;
  /** A FileStore's container; undefined where the command cannot reach files (`--local`: dev's Azurite). */
  readonly files?: (store: TenantFileStore) => Promise<FileBlobSide>;
  /** Where the environment is deployed (`--environment` only): what Resource Manager calls name. */
  readonly deployment?: {
    readonly resourceGroup: string;
    readonly subscriptionId: string | undefined;
  };
  readonly dispose: () => void;
}

/**
 * The data a tenant command works on: the running `atakora dev` of the entry (`--local`: its one local server,
 * reached as `migrate --local` and `seed --local` reach it, certificate checks on), or the deployed environment
 * through the Cosmos DB data plane with the deployer's Entra identity (`ATAKORA_COSMOS_ENDPOINT` a stand-in).
 *
 * @example
 * ```ts
 * const target = await tenantTarget('backend.ts', { local: true }, 'export');
 * ```
 */
export async function tenantTarget(
  entry: string,
  options: TargetOptions,
  command: string,
  cwd: string = process.cwd(),
): Promise<TenantTarget> {
  checkTarget(`tenant ${command}`, options, { required: true });
  if (options.local) {
    const state = readDevState(cwd, entry, {
      name: `tenant ${command}`,
      code: 'TENANT_DEV_NOT_RUNNING',
    });
    const backend = await loadFirstBackend(entry, state.environment ?? 'dev');
    const { client, dispose } = await localCosmos(state.cosmos);
    const blobs = state.blobs;
    return {
      backend,
      layout: tenantLayout(backend.plan()),
      where: 'local',
      // Every entity of the local run lives on dev's one server, whatever account the plan names.
      container: (_endpoint, database, name) =>
        Promise.resolve(client.database(database).container(name)),
      // Every FileStore of the local run lives in dev's one Azurite, whatever account the plan names.
      ...(blobs
        ? {
            files: (store: TenantFileStore) =>
              Promise.resolve(localFileBlobSide(blobs.endpoint, store.container, blobs.ca)),
          }
        : {}),
      dispose,
    };
  }
  const environment = options.environment ?? '';
  const backend = await loadOneBackend(entry, environment, `tenant ${command} works on one`);
  const { plan, resourceGroup, subscriptionId } = deployedPlan(backend, options['resource-group']);
  const connections = new Map<string, Awaited<ReturnType<typeof deployerCosmos>>>();
  return {
    backend,
    layout: tenantLayout(plan),
    where: environment,
    deployment: { resourceGroup, subscriptionId },
    container: async (endpoint, database, name) => {
      let c = connections.get(endpoint);
      if (!c) {
        c = await deployerCosmos(endpoint, process.env, tokenFailure);
        connections.set(endpoint, c);
      }
      return c.client.database(database).container(name);
    },
    files: (store) =>
      fileBlobSide(
        store.account,
        store.container,
        deployerCredential(process.env, tokenFailure),
        process.env,
      ),
    dispose: () => {
      for (const c of connections.values()) c.dispose();
    },
  };
}

/**
 * TENANT_REQUEST_FAILED for a failure to get the deployer's Entra token for Cosmos DB.
 *
 * @example
 * ```ts
 * await deployerCosmos(endpoint, process.env, tokenFailure);
 * ```
 */
export function tokenFailure(e: unknown): AtakoraError {
  return new AtakoraError(
    'TENANT_REQUEST_FAILED',
    `No Entra token for Cosmos DB: ${firstLine(e)}.`,
    {
      path: ['tenant'],
      resolution:
        'Sign in (az login, or ARM_CLIENT_ID / ARM_TENANT_ID with ARM_CLIENT_SECRET or OIDC), then run the ' +
        'command again.',
    },
  );
}
