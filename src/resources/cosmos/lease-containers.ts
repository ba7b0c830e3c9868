import type { CosmosAccountConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import type { ExistingCosmosAccount } from './account-config.js';
import type { MergedDatabase } from './databases.js';

/** One lease container of an account: its database and name. */
export interface LeaseContainerRef {
  readonly database: string;
  readonly container: string;
}

/**
 * The lease containers (a CrudApi `onChange`'s, `ContainerRequirement.lease`) among an account's merged databases,
 * in database then container order.
 *
 * @example
 * ```ts
 * leaseContainersOf([{ name: 'booking-db', containers: [{ name: 'booking-leases', lease: true, … }] }]);
 * // [{ database: 'booking-db', container: 'booking-leases' }]
 * ```
 */
export function leaseContainersOf(databases: readonly MergedDatabase[]): LeaseContainerRef[] {
  return databases.flatMap((d) =>
    d.containers.filter((c) => c.lease).map((c) => ({ database: d.name, container: c.name })),
  );
}

/**
 * On an existing account (`cosmosConfig.useExisting`) nothing of this backend creates containers, and the change
 * feed trigger cannot create its lease container either: it connects by identity, and a Cosmos DB data-plane role
 * cannot create containers (Learn, "Azure Cosmos DB trigger for Azure Functions 2.x and higher",
 * `createLeaseContainerIfNotExists`, and "Use data plane role-based access control": container creation is a
 * control-plane operation, https://learn.microsoft.com/azure/cosmos-db/nosql/security/how-to-grant-data-plane-role-based-access).
 * Without its lease container the trigger's listener never starts, and the lease container's data role cannot even
 * be assigned (Cosmos DB checks the scope exists). So: `cosmosConfig.leaseContainers` says who creates them —
 * `'create'` (this stack, with the deployer's control-plane rights on the account), `'existing'` (you did, e.g. with
 * the `az` command below, or the deployment that owns the account declares the same CrudApi) — and without it the
 * plan says which to create and how (`COSMOS_LEASE_CONTAINER_MISSING`).
 *
 * @example
 * ```ts
 * const issues: PlanIssue[] = [];
 * leaseContainerIssues(existing, undefined, databases, ['BookingApi'], issues); // one error naming booking-db/booking-leases
 * ```
 */
export function leaseContainerIssues(
  existing: ExistingCosmosAccount,
  given: CosmosAccountConfig['leaseContainers'],
  databases: readonly MergedDatabase[],
  components: readonly string[],
  issues: PlanIssue[],
): void {
  if (given !== undefined) return;
  const leases = leaseContainersOf(databases);
  if (leases.length === 0) return;
  const rg = existing.resourceGroupName ?? '<the stack resource group>';
  // No --throughput: a serverless account refuses any ("Setting offer throughput or autopilot on container is not
  // supported for serverless accounts"), and a database with shared throughput gives the container its share.
  // A provisioned account's database without shared throughput needs the container's own: 400 RU/s, the minimum
  // of manual throughput (Learn, "Provision standard (manual) throughput on an Azure Cosmos DB container").
  const commands = leases.map(
    (l) =>
      `az cosmosdb sql container create --account-name ${existing.accountName} --resource-group ${rg} ` +
      `--database-name ${l.database} --name ${l.container} --partition-key-path /id`,
  );
  issues.push({
    severity: 'error',
    code: 'COSMOS_LEASE_CONTAINER_MISSING',
    path: ['config', 'cosmosConfig', 'leaseContainers'],
    // A CrudApi is named by each requirement reading its feed (its own cosmos and the webhooks' feed): once here.
    components: [...new Set(components)],
    message:
      `Cosmos DB account "${existing.accountName}" is an existing one, and nothing creates the change feed ` +
      `lease container(s) ${leases.map((l) => `${l.database}/${l.container}`).join(', ')}: the onChange ` +
      `trigger connects by identity, which cannot create containers, so its listener would never start.`,
    resolution:
      `Create them (partition key /id), then set cosmosConfig.leaseContainers: 'existing': ${commands.join('; ')} ` +
      `(as printed for a serverless account or a database with shared throughput; on a provisioned account whose ` +
      `database has none, add --throughput 400). ` +
      `Or set cosmosConfig.leaseContainers: 'create' to have this stack create them in the existing account ` +
      `(the deployer then needs control-plane rights on it, e.g. DocumentDB Account Contributor).`,
  });
}
