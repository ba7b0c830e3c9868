import type { ITerraformDependable, TerraformResource } from 'cdktf';
import { cdktf } from './cdk-modules.js';

/**
 * Make a Function App wait for something created after it in provisioning order (a role assignment on a
 * resource provisioned later, e.g. a component's Cosmos DB container role), by adding it to the app's
 * `depends_on`. Terraform then creates it first, so the identity holds its role when the app first starts.
 *
 * @example
 * ```ts
 * appWaitsFor(functionAppOf('UserApi'), assignment);
 * ```
 */
export function appWaitsFor(
  app: TerraformResource | undefined,
  dependency: ITerraformDependable,
): void {
  if (!app) return;
  // The same token cdktf makes of a dependsOn entry given to a constructor (a bare address at synth).
  const fqn = cdktf.dependable(dependency);
  const current = app.dependsOn ?? [];
  if (!current.includes(fqn)) app.dependsOn = [...current, fqn];
}
