import type { NormalizedConfig } from '../../model/config.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import { hasTenantRegistry } from '../../kit/pure/tenant-registry.js';
import { secretReferenceSetting, vaultSecretName } from '../../kit/pure/names/secret-names.js';
import { crudRuntimeHost, onHost } from './crud-host.js';

/**
 * What `tenants.billing` asks of the plan (DESIGN §2, "Usage to invoices"): the Function App that runs the CRUD
 * runtime — where the billing timer runs — gets the Stripe key as a Key Vault reference under the secret's name
 * (`STRIPE_KEY` → `@Microsoft.KeyVault(VaultName=…;SecretName=STRIPE-KEY)`, resolved by the app's identity) and one
 * more function; the backend's vault holds the secret, read by that app (Key Vault Secrets User). The function is
 * the first CrudApi's (by key: its app); the vault's consumer is {@link BILLING_CONSUMER}, reading in that app —
 * the vault, the role and the setting are what apply creates for any declared secret, so the real providers judge
 * them the same way.
 *
 * @example
 * ```ts
 * const extra = billingRequirements(config, collected); // [] without tenants.billing
 * ```
 */
export function billingRequirements(
  config: NormalizedConfig,
  collected: readonly SourcedRequirement[],
): SourcedRequirement[] {
  const stripe = config.tenants?.billing?.stripe;
  if (!stripe || !hasTenantRegistry(config)) return [];
  const host = crudRuntimeHost(collected);
  if (!host) return [];
  const { secret, webhookSecret } = stripe;
  // The webhook's signing secret, when subscriptions drive plans: a Key Vault reference exactly like the key's.
  const secrets = webhookSecret !== undefined ? [secret, webhookSecret] : [secret];
  // A `functions` requirement (resources/functions/requirement.ts) as the CRUD app's: node at its default version
  // (the CrudApis' own), so it joins their app, whose compatibility key it shares.
  const functions = {
    runtime: 'node',
    crudRuntime: true,
    // The billing timer (runtime/billing/billing-timer.ts).
    functionCount: 1,
    sharedSettings: Object.fromEntries(secrets.map((s) => [s, secretReferenceSetting(s)])),
  };
  // A `keyvault` requirement (resources/keyvault/type.ts): the secret by its vault name, read by the app. Its
  // consumer is the runtime's billing (no CrudApi reads the key), reading in the CRUD app: that app gets the role.
  const vault = {
    secrets: secrets.map(vaultSecretName),
    access: 'read',
    readsIn: host.componentId,
  };
  const of = onHost(host, collected, 'billing');
  const reader: SourcedRequirement = {
    componentId: BILLING_CONSUMER,
    componentKey: 'billing',
    componentType: 'billing',
    requirement: {
      resourceType: 'keyvault',
      requirementKey: 'billing-keyvault',
      priority: host.requirement.priority ?? 10,
      config: { ...vault },
    },
    index: 1,
  };
  // The timer's function and its settings are billing's too: sourced as its consumer, so the Key Vault references
  // in its settings resolve against the vault it reads (its usage), in the CRUD app it joins (same compatibility).
  const timer = of('functions', functions, 0);
  return [
    {
      ...timer,
      componentId: BILLING_CONSUMER,
      componentKey: 'billing',
      componentType: 'billing',
      index: 0,
    },
    reader,
  ];
}

/**
 * Who reads the Stripe key and the webhook's signing secret in the plan (the vault's consumer): the runtime's
 * billing — the export timer, the subscription routes and the webhook — not a CrudApi of the backend, though it
 * runs in the CRUD runtime's Function App (whose identity gets the role: `readsIn`).
 */
export const BILLING_CONSUMER = 'atakora:billing';
