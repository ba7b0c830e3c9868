/**
 * Ordering rules over the Terraform dependency graph: whatever Azure validates against another resource when
 * it is created waits for that resource (by reference or depends_on, transitively), so the first
 * `terraform apply` never sends a request Azure refuses for something "not found", and an app never starts
 * before its identities hold the roles it reads with.
 */
import { DependencyGraph } from './dependency-graph.js';

type Attrs = Readonly<Record<string, unknown>>;
type Json = {
  resource?: Readonly<Record<string, Readonly<Record<string, Attrs>>>>;
  data?: unknown;
};
type Add = (address: string, problem: string, source: string) => void;

const APPS = ['azurerm_function_app_flex_consumption', 'azurerm_linux_function_app'] as const;
const entries = (json: Json, type: string) => Object.entries(json.resource?.[type] ?? {});

/** Problems with creation order, reported through `add` (see deployability.ts). */
export function orderProblems(json: Json, add: Add): void {
  const graph = new DependencyGraph(json as ConstructorParameters<typeof DependencyGraph>[0]);

  // 1. A container-scoped Cosmos DB role assignment waits for its container. Cosmos DB validates the scope on
  // create ("The collection with name … in provided scope … could not be found") and azurerm sends the PUT
  // once (internal/services/cosmos/cosmosdb_sql_role_assignment_resource.go@v4.55.0, Create).
  const databases = new Map(entries(json, 'azurerm_cosmosdb_sql_database').map(([n, d]) => [n, d]));
  const containers = entries(json, 'azurerm_cosmosdb_sql_container');
  for (const [rn, r] of entries(json, 'azurerm_cosmosdb_sql_role_assignment')) {
    const m =
      /^\$\{azurerm_cosmosdb_account\.([A-Za-z0-9_-]+)\.id\}\/dbs\/([^/]+)\/colls\/([^/]+)$/.exec(
        String(r['scope']),
      );
    if (!m) continue;
    const [, account, db, coll] = m;
    const container = containers.find(
      ([, c]) =>
        c['name'] === coll &&
        c['account_name'] === `\${azurerm_cosmosdb_account.${account}.name}` &&
        databases.get(
          /^\$\{azurerm_cosmosdb_sql_database\.([A-Za-z0-9_-]+)\.name\}$/.exec(
            String(c['database_name']),
          )?.[1] ?? '',
        )?.['name'] === db,
    );
    if (!container) {
      add(
        `azurerm_cosmosdb_sql_role_assignment.${rn}`,
        `scope names container ${db}/${coll}, which the stack does not create`,
        'cosmosdb_sql_role_assignment_resource.go@v4.55.0: the scope must exist',
      );
    } else if (
      !graph.waits(
        `azurerm_cosmosdb_sql_role_assignment.${rn}`,
        `azurerm_cosmosdb_sql_container.${container[0]}`,
      )
    ) {
      add(
        `azurerm_cosmosdb_sql_role_assignment.${rn}`,
        `does not wait for its container azurerm_cosmosdb_sql_container.${container[0]}`,
        'cosmosdb_sql_role_assignment_resource.go@v4.55.0: Cosmos DB checks the scope on create',
      );
    }
  }

  // 2. A Function App waits for every role held by a user-assigned identity attached to it (host storage,
  // the package, each component's container and queues): the host and the runtime use them at first start
  // (Learn: functions-reference "Connecting to host storage with an identity"; a role granted later leaves
  // the host failing until it restarts). Roles of its system identity cannot precede it (the principal
  // exists only with the app) and are not required here.
  const roleTypes = ['azurerm_role_assignment', 'azurerm_cosmosdb_sql_role_assignment'];
  for (const type of APPS) {
    for (const [an, app] of entries(json, type)) {
      const ids = (((app['identity'] as Attrs | undefined)?.['identity_ids'] ?? []) as string[])
        .map((id) => /^\$\{azurerm_user_assigned_identity\.([A-Za-z0-9_-]+)\.id\}$/.exec(id)?.[1])
        .filter((x): x is string => !!x);
      const principals = new Set(
        ids.map((i) => `\${azurerm_user_assigned_identity.${i}.principal_id}`),
      );
      // 3. Key Vault references resolvable at first start: resolved with key_vault_reference_identity_id, a
      // user-assigned identity attached to the app (so its secrets role can exist first, rule 2 makes the app
      // wait for it). Flex is exempt: azurerm 4.55 has no key_vault_reference_identity_id on
      // azurerm_function_app_flex_consumption (function_app_flex_consumption_resource.go@v4.55.0; #31439 open).
      const settings = (app['app_settings'] ?? {}) as Record<string, string>;
      const usesReferences = Object.values(settings).some(
        (v) => typeof v === 'string' && v.startsWith('@Microsoft.KeyVault('),
      );
      if (usesReferences && type === 'azurerm_linux_function_app') {
        const refId = /^\$\{azurerm_user_assigned_identity\.([A-Za-z0-9_-]+)\.id\}$/.exec(
          String(app['key_vault_reference_identity_id'] ?? ''),
        )?.[1];
        if (!refId || !ids.includes(refId))
          add(
            `${type}.${an}`,
            'resolves Key Vault references with its system identity, whose role can only follow the app',
            'Learn: app-service-key-vault-references, access with a user-assigned identity (keyVaultReferenceIdentity)',
          );
      }
      for (const rt of roleTypes) {
        for (const [rn, r] of entries(json, rt)) {
          if (
            principals.has(String(r['principal_id'])) &&
            !graph.waits(`${type}.${an}`, `${rt}.${rn}`)
          ) {
            add(
              `${type}.${an}`,
              `starts before ${rt}.${rn} grants its identity a role`,
              'Learn: functions-reference, identity-based connections (roles in place before the host starts)',
            );
          }
        }
      }
    }
  }
}
