import type { MatrixSignIn } from '../../access/matrix/sign-in.js';
import { TENANT_ADMIN_ROLE } from '../../model/runtime-manifest.js';
import { TENANTS_FUNCTIONS, TENANTS_ROUTE } from '../../contract/tenants.js';
import type { ProofStack } from './dev-stack.js';
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
