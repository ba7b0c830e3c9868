import { z } from 'zod';
import type { BillingConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { isSecretName } from '../kit/pure/names/secret-names.js';
import { METER_KEYS, STRIPE_EVENT_NAME } from '../model/runtime-manifest.js';
import { looksLikeStripeKey } from '../model/billing.js';

/**
 * The `tenants.billing` key as the config schema takes it: its shape only (strings where strings go); what the
 * strings must be is {@link normalizeBilling}'s, so a mistake gets BILLING_CONFIG_INVALID naming the key and the fix.
 */
export const billingSchema = z.strictObject({
  stripe: z.strictObject({
    secret: z.string(),
    meters: z.strictObject({
      requests: z.string().optional(),
      requestUnits: z.string().optional(),
      storedGbHours: z.string().optional(),
      realtimeMessages: z.string().optional(),
    }),
  }),
});

const invalid = (message: string, path: readonly (string | number)[], resolution: string) =>
  new AtakoraError('BILLING_CONFIG_INVALID', message, {
    path: ['config', 'tenants', 'billing', ...path],
    resolution,
  });

/**
 * `tenants.billing` after its rules (DESIGN §2, "Usage to invoices"): the secret a declarable secret name (the key
 * never travels in config: a value shaped like a Stripe key is refused, naming `atakora secret set`), at least one
 * meter, each meter's event name one Stripe takes (1 to 100 printable characters, no space) and no two meters on one
 * event name (their values would add up in one meter). Every refusal is BILLING_CONFIG_INVALID.
 *
 * @example
 * ```ts
 * normalizeBilling({ stripe: { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } } });
 * // { stripe: { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } } }
 * ```
 */
export function normalizeBilling(billing: BillingConfig): BillingConfig {
  const { secret, meters } = billing.stripe;
  if (looksLikeStripeKey(secret))
    throw invalid(
      'tenants.billing.stripe.secret holds a Stripe key: the key must never be written into the config (it would ' +
        'be in your repository and in the plan).',
      ['stripe', 'secret'],
      "Name the secret instead — secret: 'STRIPE_KEY' — and set its value with atakora secret set <entry> " +
        'STRIPE_KEY (Key Vault) or the STRIPE_KEY environment variable under atakora dev. Then roll the key.',
    );
  if (!isSecretName(secret))
    throw invalid(
      `tenants.billing.stripe.secret ${JSON.stringify(secret)} is not a secret name (upper-case letters, digits and ` +
        '_, starting with a letter).',
      ['stripe', 'secret'],
      "Name the secret that holds the Stripe key, e.g. secret: 'STRIPE_KEY'.",
    );
  const declared = METER_KEYS.filter((k) => meters[k] !== undefined);
  if (declared.length === 0)
    throw invalid(
      'tenants.billing.stripe.meters names no meter: nothing would be sent to Stripe.',
      ['stripe', 'meters'],
      `Map at least one of ${METER_KEYS.join(', ')} to the event name of a meter you created in Stripe, e.g. ` +
        "meters: { requests: 'api_requests' }.",
    );
  const out: Record<string, string> = {};
  for (const key of declared) {
    const name = meters[key] ?? '';
    if (!STRIPE_EVENT_NAME.test(name))
      throw invalid(
        `tenants.billing.stripe.meters.${key} ${JSON.stringify(name)} is not an event name Stripe takes (1 to 100 ` +
          'printable characters, no space).',
        ['stripe', 'meters', key],
        "Write the event_name of the meter as you created it in Stripe, e.g. 'api_requests'.",
      );
    const twin = declared.find((k) => k !== key && meters[k] === name);
    if (twin !== undefined)
      throw invalid(
        `tenants.billing.stripe.meters.${key} and .${twin} both send to ${JSON.stringify(name)}: Stripe would add ` +
          'their values up in one meter.',
        ['stripe', 'meters', key],
        'Create one meter in Stripe per kind of usage and name each event once.',
      );
    out[key] = name;
  }
  return { stripe: { secret, meters: out } };
}
