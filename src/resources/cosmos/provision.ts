import type {
  CosmosdbAccount,
  CosmosdbSqlContainerIndexingPolicy,
  DataAzurermCosmosdbAccount,
} from '../../kit/cdktf/azurerm-types.js';
import type { JsonValue } from '../../model/plan.js';
import { named, regional, type ProvisionContext } from '../../kit/cdktf/provision-context.js';
import type { FunctionAppOf } from '../../kit/cdktf/provisioner.js';
import { componentIdentityOf } from '../../kit/cdktf/component-identity.js';
import type { TypedPlannedResource } from '../../kit/pure/resources/resource-type.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import {
  cosmosContainerName,
  cosmosDatabaseName,
  cosmosPrincipalWaitName,
  cosmosRoleAssignmentName,
  type MergedCosmosConfig,
} from './type.js';
import { principalReplicated } from '../../kit/cdktf/principal-wait.js';
import { azurerm } from '../../kit/cdktf/cdk-modules.js';
import { appWaitsFor } from '../../kit/cdktf/app-waits-for.js';
import type { ITerraformDependable } from '../../kit/cdktf/engine.js';
import { cosmosBackupBlock } from './backup.js';

/** Key under which a container's construct is kept in `ctx.constructs` (not a resource key: it has a `|`). */
const containerKey = (accountKey: string, db: string, container: string) =>
  `container|${accountKey}|${db}|${container}`;

/**
 * The account's public endpoint. Without `allowedIpRanges` it is as the backend's networking says (open, or off
 * when isolated). With ranges (`ip_range_filter`, a set of CIDR blocks in azurerm 4.x:
 * cosmosdb_account_resource.go@v4.55.0, `validation.IsCIDR`): public networking admits the ranges plus
 * `0.0.0.0`, Learn's "Accept connections from within public Azure datacenters" (Configure IP firewall in Azure
 * Cosmos DB), because the Function App reaches the account from Azure's shared outbound addresses, which no
 * fixed range lists; isolated networking opens the public endpoint to the ranges only (the apps come through the
 * private endpoint, which the IP filter does not apply to).
 */
function cosmosNetworkRules(
  ranges: readonly string[] | undefined,
  isolated: boolean,
): { publicNetworkAccessEnabled: boolean; ipRangeFilter?: string[] } {
  if (!ranges) return { publicNetworkAccessEnabled: !isolated };
  return {
    publicNetworkAccessEnabled: true,
    ipRangeFilter: isolated ? [...ranges] : [...ranges, AZURE_DATACENTERS],
  };
}

/** `ip_range_filter`'s entry for "Accept connections from within public Azure datacenters" (Learn). */
export const AZURE_DATACENTERS = '0.0.0.0';

/** Built-in Cosmos DB data-plane roles. */
export const COSMOS_DATA_ROLES = {
  read: '00000000-0000-0000-0000-000000000001', // Cosmos DB Built-in Data Reader
  readwrite: '00000000-0000-0000-0000-000000000002', // Cosmos DB Built-in Data Contributor
} as const;

/**
 * The Cosmos DB account with its databases and containers. Key auth off (identity only), key-based
 * metadata writes off, TLS 1.2; serverless unless provisioned throughput was asked for; its regions and
 * automatic failover from `cosmosConfig`. An existing account (`useExisting`) is only read, through a data
 * source: its databases and containers belong to the deployment that owns it.
 *
 * @example
 * ```ts
 * const account = provisionCosmos(ctx, plan.resources.find((r) => r.key === 'cosmos:shared')!);
 * ```
 */
export function provisionCosmos(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCosmosConfig>,
): CosmosdbAccount | DataAzurermCosmosdbAccount {
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  if (c.existing) {
    const { DataAzurermCosmosdbAccount } = azurerm('data-azurerm-cosmosdb-account');
    const existing = named(
      new DataAzurermCosmosdbAccount(ctx.scope, base, {
        name: c.existing.accountName,
        resourceGroupName: c.existing.resourceGroupName ?? ctx.resourceGroupName,
        // Looked up in the stack's resource group: read it once that group exists.
        ...(c.existing.resourceGroupName ? {} : { dependsOn: [...ctx.dependsOn] }),
      }),
      base,
    );
    if (c.existing.createLeaseContainers) provisionLeaseContainers(ctx, resource, existing);
    return existing;
  }
  const { CosmosdbAccount } = azurerm('cosmosdb-account');
  const { CosmosdbSqlContainer } = azurerm('cosmosdb-sql-container');
  const { CosmosdbSqlDatabase } = azurerm('cosmosdb-sql-database');
  const isolated = ctx.config.networking.mode === 'isolated';
  const account = named(
    new CosmosdbAccount(ctx.scope, base, {
      ...regional(ctx, resource.name, c.location),
      offerType: 'Standard',
      kind: 'GlobalDocumentDB',
      consistencyPolicy: { consistencyLevel: c.consistency },
      geoLocation: (c.geoLocations ?? [{ location: c.location, failoverPriority: 0 }]).map((g) => ({
        location: g.location,
        failoverPriority: g.failoverPriority,
      })),
      ...(c.automaticFailover !== undefined
        ? { automaticFailoverEnabled: c.automaticFailover }
        : {}),
      capabilities: c.capabilities.map((name) => ({ name })),
      ...(c.backup ? { backup: { ...cosmosBackupBlock(c.backup) } } : {}),
      localAuthenticationDisabled: true,
      accessKeyMetadataWritesEnabled: false,
      minimalTlsVersion: 'Tls12',
      ...cosmosNetworkRules(c.ipRanges, isolated),
      // The capabilities are the new account's: azurerm v4.55.0 replaces an existing account to add any but a listed
      // few (`ForceNewIf("capabilities")` → `checkCapabilitiesCanBeUpdated`, cosmosdb_account_resource.go) or to drop
      // one (EnableNoSQLFullTextSearch, which accounts planned before full-text search was generally available hold).
      // Capacity mode, the one capability the plan changes otherwise, is a separate account (its compatibility key);
      // vector search on an existing account is enabled in place by `atakora deploy` (search/account-capabilities.ts).
      lifecycle: { ignoreChanges: ['capabilities'] },
    }),
    base,
  );
  // Each read of a construct's attribute makes a new token, and cdktf captures a full stack trace for every
  // token: read once, not once per database and container (the profile of a 100-API apply showed these reads
  // as a fifth of apply). The same text in cdk.tf.json either way.
  const accountName = account.name;
  // A database's and a container's common arguments: in the account, with its own throughput when it has one.
  const inAccount = (x: SqlThroughput & { readonly name: string }) => ({
    name: x.name,
    resourceGroupName: ctx.resourceGroupName,
    accountName,
    ...throughputArgs(x),
  });
  for (const db of c.databases) {
    const dbId = cosmosDatabaseName(base, db.name);
    const database = named(new CosmosdbSqlDatabase(ctx.scope, dbId, inAccount(db)), dbId);
    for (const cont of db.containers) {
      // Made by `atakora deploy` through Resource Manager (type.ts, deploys).
      if (cont.deployedBy) continue;
      const cId = cosmosContainerName(dbId, cont.name);
      const container = named(
        new CosmosdbSqlContainer(ctx.scope, cId, {
          ...inAccount(cont),
          databaseName: database.name,
          partitionKeyPaths: [cont.partitionKey],
          partitionKeyVersion: 2,
          ...(cont.ttl !== undefined ? { defaultTtl: cont.ttl } : {}),
          ...(cont.uniqueKeys.length
            ? { uniqueKey: cont.uniqueKeys.map((p) => ({ paths: [p] })) }
            : {}),
          ...(cont.indexingPolicy
            ? { indexingPolicy: toTerraformIndexingPolicy(cont.indexingPolicy) }
            : {}),
        }),
        cId,
      );
      ctx.constructs.set(containerKey(resource.key, db.name, cont.name), container);
    }
  }
  return account;
}

/**
 * `cosmosConfig.leaseContainers: 'create'` on an existing account: its change feed lease containers, in the
 * databases the account already has (lease-containers.ts says why the trigger cannot create them). Minimal
 * throughput as planned (databases.ts), partition key `/id` as the trigger requires.
 */
function provisionLeaseContainers(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCosmosConfig>,
  account: DataAzurermCosmosdbAccount,
): void {
  const { CosmosdbSqlContainer } = azurerm('cosmosdb-sql-container');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const accountName = account.name;
  for (const db of c.databases) {
    for (const cont of db.containers) {
      if (!cont.lease) continue;
      const cId = cosmosContainerName(cosmosDatabaseName(base, db.name), cont.name);
      const container = named(
        new CosmosdbSqlContainer(ctx.scope, cId, {
          name: cont.name,
          resourceGroupName: c.existing?.resourceGroupName ?? ctx.resourceGroupName,
          accountName,
          databaseName: db.name,
          partitionKeyPaths: [cont.partitionKey],
          partitionKeyVersion: 2,
        }),
        cId,
      );
      ctx.constructs.set(containerKey(resource.key, db.name, cont.name), container);
    }
  }
}

/**
 * Least privilege: each component's own user-assigned identity gets one data role scoped to that
 * component's own container — Built-in Data Reader when its operations only read, Contributor otherwise — so
 * no component's principal reaches another's container. (Cosmos DB data roles:
 * https://learn.microsoft.com/azure/cosmos-db/nosql/security/reference-data-plane-roles)
 *
 * @example
 * ```ts
 * grantCosmosAccess(ctx, plan.resources.find((r) => r.key === 'cosmos:shared')!, functionAppOf);
 * ```
 */
export function grantCosmosAccess(
  ctx: ProvisionContext,
  resource: TypedPlannedResource<MergedCosmosConfig>,
  functionAppOf: FunctionAppOf,
): void {
  const { CosmosdbSqlRoleAssignment } = azurerm('cosmosdb-sql-role-assignment');
  const c = resource.config;
  const base = tfName(ctx.config.backendId, resource.key);
  const account = ctx.constructs.get(resource.key) as CosmosdbAccount | DataAzurermCosmosdbAccount;
  // Role assignments live in the account's resource group: an existing account may sit in another one.
  const accountGroup = c.existing?.resourceGroupName ?? ctx.resourceGroupName;
  // Read once (see provisionCosmos): one token each instead of three per grant.
  const accountName = account.name;
  const accountId = account.id;
  for (const db of c.databases) {
    const dbName = cosmosDatabaseName(base, db.name);
    for (const cont of db.containers) {
      // Its grants are made with it by `atakora deploy` (type.ts, deploys).
      if (cont.deployedBy) continue;
      const containerName = cosmosContainerName(dbName, cont.name);
      for (const [componentId, mode] of Object.entries(cont.access)) {
        // Only components hosted on a Function App have an identity (and need a grant).
        const identity = functionAppOf(componentId)
          ? componentIdentityOf(ctx, componentId)
          : undefined;
        if (!identity) continue;
        const id = cosmosRoleAssignmentName(containerName, componentId);
        // Cosmos DB checks the scope when the assignment is created ("The collection with name … could not be
        // found"), and the provider sends it once (cosmosdb_sql_role_assignment_resource.go@v4.55.0, Create):
        // the container must exist first. Its ARM id is not the `/dbs/…/colls/…` scope form, hence depends_on.
        const container = ctx.constructs.get(containerKey(resource.key, db.name, cont.name)) as
          | ITerraformDependable
          | undefined;
        // The identity's principal id (a token) read once for the role and its wait.
        const principalId = identity.principalId;
        const assignment = named(
          new CosmosdbSqlRoleAssignment(ctx.scope, id, {
            resourceGroupName: accountGroup,
            accountName,
            roleDefinitionId: `${accountId}/sqlRoleDefinitions/${COSMOS_DATA_ROLES[mode]}`,
            principalId,
            scope: `${accountId}/dbs/${db.name}/colls/${cont.name}`,
            // …and the new principal must have replicated: see principalReplicated (one PUT, no
            // PrincipalNotFound retry).
            dependsOn: [
              ...(container ? [container] : []),
              principalReplicated(ctx, principalId, cosmosPrincipalWaitName(base, componentId)),
            ],
          }),
          id,
        );
        // The component's runtime reads this container as soon as the app starts: the app waits for the role.
        appWaitsFor(functionAppOf(componentId), assignment);
      }
    }
  }
}

/** Azure's JSON indexing policy (checked at define time) in the azurerm block shape. */
function toTerraformIndexingPolicy(policy: {
  readonly [k: string]: JsonValue;
}): CosmosdbSqlContainerIndexingPolicy {
  const p = policy as {
    indexingMode?: string;
    includedPaths?: { path: string }[];
    excludedPaths?: { path: string }[];
    compositeIndexes?: { path: string; order?: string }[][];
    spatialIndexes?: { path: string }[];
  };
  return {
    ...(p.indexingMode ? { indexingMode: p.indexingMode } : {}),
    ...(p.includedPaths ? { includedPath: p.includedPaths.map((x) => ({ path: x.path })) } : {}),
    ...(p.excludedPaths ? { excludedPath: p.excludedPaths.map((x) => ({ path: x.path })) } : {}),
    ...(p.compositeIndexes
      ? {
          compositeIndex: p.compositeIndexes.map((index) => ({
            index: index.map((x) => ({ path: x.path, order: x.order ?? 'ascending' })),
          })),
        }
      : {}),
    ...(p.spatialIndexes ? { spatialIndex: p.spatialIndexes.map((x) => ({ path: x.path })) } : {}),
  };
}

interface SqlThroughput {
  readonly throughput?: number | undefined;
  readonly autoscaleMaxThroughput?: number | undefined;
}

/** A database's or a container's own throughput, when it has one: manual RU/s, or autoscale's maximum. */
function throughputArgs(t: SqlThroughput) {
  return {
    ...(t.throughput ? { throughput: t.throughput } : {}),
    ...(t.autoscaleMaxThroughput
      ? { autoscaleSettings: { maxThroughput: t.autoscaleMaxThroughput } }
      : {}),
  };
}
