import { setTimeout as sleep } from 'node:timers/promises';
import type { MatrixSignIn } from '../../access/matrix/sign-in.js';
import { TENANT_ADMIN_ROLE } from '../../model/runtime-manifest.js';
import { newTenantRecord, TENANTS_FUNCTIONS, TENANTS_ROUTE } from '../../contract/tenants.js';
import { TENANT_REGISTRY } from '../../kit/pure/tenant-registry.js';
import { DEV_REGISTRY_MAX_AGE_MS, type ProofStack } from './dev-stack.js';
import { send } from './loopback-http.js';

/**
 * Register the matrix's customer directory (`other`) on the proof's stack before any cell is proven, as an operator
 * would: `POST api/tenants` by the home directory's `TenantAdmin` (DESIGN §2 "Tenants are data"), on the default
 * plan — the stack serves the plans without bounds (startProofStack). A backend without a registry has nothing to
 * register. Throws when the stack refuses: the proof could not say anything of the customer's column.
 *
 * @example
 * ```ts
 * await registerCustomer(stack, signIn); // other: active on the default plan
 * ```
 */
export async function registerCustomer(stack: ProofStack, signIn: MatrixSignIn): Promise<void> {
  const registry = signIn.registry;
  const customer = signIn.other;
  if (!registry || customer === undefined) return;
  const app = stack.apps.find((a) => a.functions.includes(TENANTS_FUNCTIONS.collection));
  if (!app)
    throw new Error('The proof stack serves no api/tenants: the customer cannot be registered.');
  const operator = `verify-operator@${signIn.home};roles=${TENANT_ADMIN_ROLE}`;
  const answer = await send(
    'POST',
    `${app.url}/api/${TENANTS_ROUTE}`,
    { 'x-atakora-dev-user': operator },
    { id: customer, plan: registry.defaultPlan, name: 'Verify customer' },
  );
  if (answer.status !== 201)
    throw new Error(
      `Registering the customer directory ${customer} on the proof stack answered ${String(answer.status)}: ` +
        JSON.stringify(answer.body ?? null).slice(0, 300),
    );
}

/**
 * Put the per-plan proof's directories on `plan` (plan-proof.ts), as seedOrganizations puts organizations: one record
 * each, born active as `POST api/tenants` makes it (`newTenantRecord`), written straight into the stack's registry —
 * the home directory's too, which is served on its record's plan when it has an active one
 * (runtime/caller/registry-tenants.ts). The home directory cannot be named afresh per plan set as the customer's can,
 * so its record of the previous set may still be in the workers' caches: this returns once dev's bound on a registry
 * answer's age has passed, and every request after reads the new plan.
 *
 * @example
 * ```ts
 * await seedDirectories(stack, ['verify-home', 'verify-plan1-other'], 'pro');
 * ```
 */
export async function seedDirectories(
  stack: ProofStack,
  directories: readonly string[],
  plan: string,
): Promise<void> {
  const at = new Date(0).toISOString();
  await stack.write(
    TENANT_REGISTRY.database,
    TENANT_REGISTRY.container,
    directories.map((id) => ({ ...newTenantRecord(id, { plan }, plan, at) })),
  );
  await sleep(DEV_REGISTRY_MAX_AGE_MS + 100);
}
