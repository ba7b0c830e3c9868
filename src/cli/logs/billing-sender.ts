import type { Backend } from '../../backend/backend.js';
import type { BillingConfig } from '../../model/config.js';
import { AtakoraError } from '../../model/errors.js';
import type { RuntimeBilling } from '../../model/runtime-manifest.js';
import { STRIPE_API_BASE_SETTING, stripeKeyIn } from '../../model/billing.js';
import { secretReferenceSetting } from '../../kit/pure/names/secret-names.js';
import type { MeterEventSender } from '../../runtime/billing/meter-sender.js';
import type { StripeReader } from '../../runtime/billing/atakora-billing.js';
import { localSecretValues } from '../shared/secrets/local-secrets.js';

/**
 * The backend's `tenants.billing`, or BILLING_NOT_CONFIGURED naming the key to add (`atakora usage --billing` and
 * `atakora usage export` need it).
 *
 * @example
 * ```ts
 * const billing = billingOf(backend); // { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } }
 * ```
 */
export function billingConfigOf(backend: Backend): RuntimeBilling {
  const billing: BillingConfig['stripe'] = backend.config.tenants?.billing?.stripe;
  if (!billing)
    throw new AtakoraError(
      'BILLING_NOT_CONFIGURED',
      `${backend.backendId} sends no usage to Stripe: its config has no tenants.billing.stripe.`,
      {
        path: ['config', 'tenants', 'billing'],
        resolution:
          "Add tenants.billing: { stripe: { secret: 'STRIPE_KEY', meters: { requests: '<event name>' } } }, then " +
          'deploy (or restart atakora dev).',
      },
    );
  return billing;
}

/**
 * The Stripe key as the CLI reads it: the environment variable the config names, with `--local` also
 * `.atakora/secrets.json` (as `atakora dev` reads it); undefined when neither holds one. Never printed.
 *
 * @example
 * ```ts
 * const key = cliStripeKey(billing, { local: true }); // 'sk_test_…' or undefined
 * ```
 */
export function cliStripeKey(
  billing: RuntimeBilling,
  options: { readonly local: boolean },
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string | undefined {
  const key = stripeKeyIn(env[billing.secret]);
  if (key || !options.local) return key;
  const settings = { [billing.secret]: secretReferenceSetting(billing.secret) };
  localSecretValues(settings, env, cwd);
  return stripeKeyIn(settings[billing.secret]);
}

/** The billing module (the official SDK's client), or BILLING_STRIPE_UNAVAILABLE when the SDK is not installed. */
async function billingModule(): Promise<typeof import('../../runtime/billing/atakora-billing.js')> {
  try {
    return await import('../../runtime/billing/atakora-billing.js');
  } catch (e) {
    throw new AtakoraError(
      'BILLING_STRIPE_UNAVAILABLE',
      `The official Stripe SDK could not be loaded (${e instanceof Error ? (e.message.split('\n')[0] ?? '') : ''}).`,
      {
        path: ['stripe'],
        resolution: 'Install it beside the package: npm install stripe (an optional peer of ours).',
      },
    );
  }
}

/**
 * A reader of Stripe's prices and meter error reports for the CLI, with the key {@link cliStripeKey} finds, or
 * undefined when there is none (the invoice then shows quantities only, and says so).
 *
 * @example
 * ```ts
 * const reader = await cliStripeReader(billing, { local: false }); // undefined without STRIPE_KEY
 * ```
 */
export async function cliStripeReader(
  billing: RuntimeBilling,
  options: { readonly local: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<StripeReader | undefined> {
  const key = cliStripeKey(billing, options, env);
  if (!key) return undefined;
  return (await billingModule()).stripeReader({
    key,
    apiBase: env[STRIPE_API_BASE_SETTING]?.trim(),
  });
}

/**
 * A sender for the CLI: the key from the environment variable the config names (with `--local` also from
 * `.atakora/secrets.json`, as `atakora dev` reads it), `STRIPE_API_BASE` honoured, through the official SDK (an
 * optional peer: BILLING_STRIPE_UNAVAILABLE when it is not installed). The key is never printed.
 *
 * @example
 * ```ts
 * const sender = await cliStripeSender(backend, billing, { local: true });
 * ```
 */
export async function cliStripeSender(
  backend: Backend,
  billing: RuntimeBilling,
  options: { readonly local: boolean },
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<MeterEventSender> {
  const key = cliStripeKey(billing, options, env, cwd);
  if (!key)
    throw new AtakoraError(
      'BILLING_KEY_MISSING',
      `The Stripe key of ${backend.backendId} is not set here: the environment variable ${billing.secret} is empty` +
        `${options.local ? ` and .atakora/secrets.json has no ${billing.secret}` : ''}.`,
      {
        path: ['env', billing.secret],
        resolution:
          `Set ${billing.secret} in this shell (the key Stripe shows under Developers → API keys; a restricted key ` +
          'with write access to meter events and read access to meters is enough), then run the command again.',
      },
    );
  return (await billingModule()).stripeSender({
    key,
    apiBase: env[STRIPE_API_BASE_SETTING]?.trim(),
  });
}
