import type {
  ApplicationInsights,
  CosmosdbAccount,
  KeyVault,
  RoleAssignment as RoleAssignmentT,
  UserAssignedIdentity,
  WebPubsub,
} from '../../../kit/cdktf/azurerm-types.js';
import type { ITerraformDependable } from '../../../kit/cdktf/engine.js';
import type { FunctionAppConstruct } from '../../../kit/cdktf/provisioner.js';
import { named, type ProvisionContext } from '../../../kit/cdktf/provision-context.js';
import { azurerm, cdktf } from '../../../kit/cdktf/cdk-modules.js';
import { appWaitsFor } from '../../../kit/cdktf/app-waits-for.js';
import { principalReplicated } from '../../../kit/cdktf/principal-wait.js';
import { tfName } from '../../../kit/pure/names/terraform-names.js';
import { AtakoraFault } from '../../../model/fault.js';
import { scimAppNames, type MergedScimAppConfig } from './scim-type.js';

/**
 * Built-in Cosmos DB data roles (Learn, "Use data plane role-based access control with Azure Cosmos DB for NoSQL",
 * built-in role definitions: Cosmos DB Built-in Data Reader 00000000-0000-0000-0000-000000000001, Contributor
 * 00000000-0000-0000-0000-000000000002), as the Cosmos DB type grants them (resources/cosmos/provision.ts).
 */
const DATA_ROLES = {
  read: '00000000-0000-0000-0000-000000000001',
  readwrite: '00000000-0000-0000-0000-000000000002',
} as const;

/** Built-in Azure roles the SCIM app's identities hold (Learn, "Azure built-in roles"). */
const ROLES = {
  secretsUser: 'Key Vault Secrets User',
  webPubSubOwner: 'Web PubSub Service Owner',
  metricsPublisher: 'Monitoring Metrics Publisher',
} as const;

/**
 * The SCIM app's data identity's Cosmos DB roles, one per container of the registry's database it reads or writes
 * (`MergedScimAppConfig.containers`) and scoped to that container — never the account or the database, never a
 * CrudApi's container. Like the Cosmos DB type's grants, each waits for its container (Cosmos DB checks the scope at
 * creation) and for the new principal to replicate (one PUT, no retry: kit/cdktf/principal-wait.ts). The app waits
 * for them: the runtime reads the registry as it starts.
 *
 * @example
 * ```ts
 * const roles = scimDataRoles(ctx, config, dataIdentity);
 * ```
 */
export function scimDataRoles(
  ctx: ProvisionContext,
  c: MergedScimAppConfig,
  data: UserAssignedIdentity,
): ITerraformDependable[] {
  const names = scimAppNames(ctx.config.backendId);
  const { CosmosdbSqlRoleAssignment } = azurerm('cosmosdb-sql-role-assignment');
  const account = ctx.constructs.get(c.cosmos) as CosmosdbAccount | undefined;
  if (!account)
    throw new AtakoraFault(`the SCIM app finds no Cosmos DB account ${c.cosmos}.`, {
      details: { path: ['resources', c.cosmos] },
    });
  const principalId = data.principalId;
  const replicated = principalReplicated(ctx, principalId, names.wait);
  // The containers' logical names as the Cosmos DB type names them (cosmos/type.ts cosmosContainerName).
  const database = tfName(tfName(ctx.config.backendId, c.cosmos), 'db', c.database);
  const accountId = account.id;
  const accountName = account.name;
  return Object.entries(c.containers).map(([container, mode]) => {
    const made = ctx.scope.node.tryFindChild(tfName(database, 'c', container));
    const dependable = made && cdktf.TerraformResource.isTerraformResource(made) ? [made] : [];
    return named(
      new CosmosdbSqlRoleAssignment(ctx.scope, names.data(container), {
        resourceGroupName: ctx.resourceGroupName,
        accountName,
        roleDefinitionId: `${accountId}/sqlRoleDefinitions/${DATA_ROLES[mode]}`,
        principalId,
        scope: `${accountId}/dbs/${c.database}/colls/${container}`,
        dependsOn: [...dependable, replicated],
      }),
      names.data(container),
    );
  });
}

/**
 * The rest of what the SCIM app's identities hold, each scoped to its one resource: Key Vault Secrets User on each
 * vault the serving app reads secrets from (the Stripe key a per-seat quantity needs), by the identity that resolves
 * Key Vault references (Flex: the system identity; Premium / Dedicated: the host identity, as
 * kit/cdktf/app-role-grants.ts); Web PubSub Service Owner for the data identity, which closes a deprovisioned
 * member's connections; Monitoring Metrics Publisher on Application Insights for the system identity (telemetry by
 * Entra ID, local auth off).
 *
 * @example
 * ```ts
 * scimAppRoles(ctx, config, app, hostIdentity, 'flex');
 * ```
 */
export function scimAppRoles(
  ctx: ProvisionContext,
  c: MergedScimAppConfig,
  app: FunctionAppConstruct,
  ids: { readonly host: UserAssignedIdentity; readonly data: UserAssignedIdentity },
  hosting: 'flex' | 'package-url',
): void {
  const names = scimAppNames(ctx.config.backendId);
  const { RoleAssignment } = azurerm('role-assignment');
  const grant = (name: string, scope: string, role: string, principalId: string): RoleAssignmentT =>
    named(
      new RoleAssignment(ctx.scope, name, {
        scope,
        roleDefinitionName: role,
        principalId,
        principalType: 'ServicePrincipal',
      }),
      name,
    );
  for (const key of c.keyVaults) {
    const vault = ctx.constructs.get(key) as KeyVault | undefined;
    if (!vault) continue;
    const host = hosting === 'package-url';
    const name = names.secrets(key);
    const role = grant(
      name,
      vault.id,
      ROLES.secretsUser,
      host ? ids.host.principalId : app.identity.principalId,
    );
    // The host identity exists before the app: the app starts once its references resolve.
    if (host) appWaitsFor(app, role);
  }
  const realtime = c.realtime
    ? (ctx.constructs.get(c.realtime) as WebPubsub | undefined)
    : undefined;
  // The data identity exists before the app: the app starts with its role in place (it needs it only on a removal).
  if (realtime)
    appWaitsFor(
      app,
      grant(names.realtime, realtime.id, ROLES.webPubSubOwner, ids.data.principalId),
    );
  const insights = c.monitoring
    ? (ctx.constructs.get(c.monitoring) as ApplicationInsights | undefined)
    : undefined;
  if (insights)
    grant(names.publisher, insights.id, ROLES.metricsPublisher, app.identity.principalId);
}
