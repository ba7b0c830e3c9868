import { createRequire } from 'node:module';
import type { ITerraformDependable } from 'cdktf';
import { AtakoraError } from '../../model/errors.js';
import { cdktf, loadOnce } from './cdk-modules.js';
import { named, type ProvisionContext } from './provision-context.js';
import { defaultProvider } from './default-provider.js';

/** The time provider bindings this file uses (prebuilt `@cdktf/provider-time`, an optional peer dependency). */
interface TimeModules {
  provider: typeof import('@cdktf/provider-time/lib/provider/index.js');
  sleep: typeof import('@cdktf/provider-time/lib/sleep/index.js');
}

// CommonJS bindings, required by deep path like the azurerm ones (cdk-modules.ts says why).
const requireCjs = createRequire(import.meta.url);

const loadedTime = new Map<string, unknown>();

function time<K extends keyof TimeModules>(name: K): TimeModules[K] {
  try {
    return loadOnce(loadedTime, name, () =>
      requireCjs(`@cdktf/provider-time/lib/${name}/index.js`),
    ) as TimeModules[K];
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw e;
    throw new AtakoraError(
      'TIME_PROVIDER_MISSING',
      'A Cosmos DB data role for a new identity waits for the principal to replicate with a time_sleep, ' +
        'which needs @cdktf/provider-time, not installed: npm install @cdktf/provider-time@^11.',
      { path: ['runtime'] },
    );
  }
}

/**
 * How long a new identity's Cosmos DB data role waits for the principal to replicate. Entra ID replicates a
 * new service principal within seconds to a few minutes (Learn, "Troubleshoot Azure RBAC": "wait a few
 * moments" after creating a principal); the wait runs once, when the identity is created, and in parallel.
 */
export const PRINCIPAL_REPLICATION_WAIT = '60s';

/**
 * A `time_sleep` that ends {@link PRINCIPAL_REPLICATION_WAIT} after the identity of `principalId` (its token,
 * read once by the caller) is created, for what must not reach Entra-backed checks before the principal has
 * replicated. azurerm creates a Cosmos DB SQL role
 * assignment with one PUT and never retries "principal not found"
 * (internal/services/cosmos/cosmosdb_sql_role_assignment_resource.go@v4.55.0, Create), unlike
 * azurerm_role_assignment, which retries PrincipalNotFound (internal/services/authorization/
 * role_assignment_resource.go@v4.55.0): the data role depends on this. Keyed on the principal id, so it sleeps
 * again only when the identity is replaced. One per `name` (the caller's planned Terraform name).
 *
 * @example
 * ```ts
 * const replicated = principalReplicated(ctx, identity.principalId, 'backend_cosmos_shared_wait_UserApi');
 * new CosmosdbSqlRoleAssignment(scope, id, { ..., dependsOn: [replicated] });
 * ```
 */
export function principalReplicated(
  ctx: ProvisionContext,
  principalId: string,
  name: string,
): ITerraformDependable {
  const existing = ctx.scope.node.tryFindChild(name);
  // The wait made for this name earlier in the stack (a time_sleep is a TerraformResource, hence dependable).
  if (existing && cdktf.TerraformResource.isTerraformResource(existing)) return existing;
  const { Sleep } = time('sleep');
  ensureTimeProvider(ctx);
  return named(
    new Sleep(ctx.scope, name, {
      createDuration: PRINCIPAL_REPLICATION_WAIT,
      triggers: { principal_id: principalId },
    }),
    name,
  );
}

/** The stack's default time provider: the one configured there, else one added on first use. */
function ensureTimeProvider(ctx: ProvisionContext): void {
  const { TimeProvider } = time('provider');
  const stack = cdktf.TerraformStack.of(ctx.scope);
  // An aliased time provider serves only resources that name it: the waits need the default one.
  if (!defaultProvider(stack, 'time')) new TimeProvider(stack, 'time', {});
}
