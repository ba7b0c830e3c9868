import { z } from 'zod';
import type { BillingConfig, TenantPlan } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { isSecretName } from '../kit/pure/names/secret-names.js';
import { METER_KEYS, STRIPE_EVENT_NAME, STRIPE_PRICE_ID } from '../model/runtime-manifest.js';
import { looksLikeStripeKey } from '../model/billing.js';
import { isPageUrl } from './page-url.js';
import { marketplaceSchema, normalizeMarketplace } from './marketplace-config.js';

/**
 * The `tenants.billing` key as the config schema takes it: its shape only (strings where strings go); what the
 * strings must be is {@link normalizeBilling}'s, so a mistake gets BILLING_CONFIG_INVALID naming the key and the fix.
 * Built on first use (config-schema.ts), as the Marketplace's is.
 */
export function billingSchema(): BillingSchema {
  return (built ??= buildBillingSchema());
}

const buildBillingSchema = () =>
  z.strictObject({
    stripe: z
      .strictObject({
        secret: z.string(),
        meters: z.strictObject({
          requests: z.string().optional(),
          requestUnits: z.string().optional(),
          storedGbHours: z.string().optional(),
          realtimeMessages: z.string().optional(),
        }),
        webhookSecret: z.string().optional(),
      })
      .optional(),
    // Its values are normalizeBilling's (BILLING_CONFIG_INVALID naming them).
    onCanceled: z.custom<'default-plan' | 'suspend'>((v) => typeof v === 'string').optional(),
    returnUrl: z.string().optional(),
    marketplace: marketplaceSchema().optional(),
  });
type BillingSchema = ReturnType<typeof buildBillingSchema>;
let built: BillingSchema | undefined;

const invalid = (message: string, path: readonly (string | number)[], resolution: string) =>
  new AtakoraError('BILLING_CONFIG_INVALID', message, {
    path: ['config', 'tenants', 'billing', ...path],
    resolution,
  });

/**
 * `tenants.billing` after its rules (DESIGN §2, "Usage to invoices", "Sold on Azure Marketplace beside Stripe"): at
 * least one channel — `stripe`, `marketplace` (marketplace-config.ts) or both. Stripe's: the secret a declarable secret name (the key
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
export function normalizeBilling(
  billing: BillingConfig,
  plans: Readonly<Record<string, TenantPlan>> = {},
): BillingConfig {
  const { stripe, marketplace } = billing;
  if (!stripe && !marketplace)
    throw invalid(
      'tenants.billing names no channel: neither stripe nor marketplace.',
      [],
      "Add stripe: { secret: 'STRIPE_KEY', meters: { … } } or marketplace: { offer, publisherTenantId, clientId, " +
        "secret: 'MARKETPLACE_SECRET', plans }, or remove tenants.billing.",
    );
  const priced = Object.keys(plans)
    .sort()
    .find((n) => plans[n]?.stripe !== undefined);
  if (!stripe && priced !== undefined)
    throw plansInvalid(
      `tenants.plans.${priced}.stripe names a Stripe price, but tenants.billing.stripe is not configured: nothing ` +
        'could open a checkout or hear the subscription change.',
      ['..', 'plans', priced, 'stripe'],
      "Add tenants.billing.stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', meters: {} }, " +
        'or remove the price.',
    );
  const stripeOut = stripe ? normalizeStripe(billing, stripe, plans) : undefined;
  canceledRule(billing);
  const { returnUrl } = billing;
  if (returnUrl !== undefined && !isPageUrl(returnUrl))
    throw invalid(
      `tenants.billing.returnUrl ${JSON.stringify(returnUrl)} is not the absolute https:// URL of a page: Checkout ` +
        'and the Customer Portal send the customer back there.',
      ['returnUrl'],
      "Write the URL of your app's billing page, e.g. returnUrl: 'https://app.contoso.com/settings/billing' " +
        '(http:// only on localhost), or leave it out to use the site invitation links open.',
    );
  return {
    ...(stripeOut ? { stripe: stripeOut } : {}),
    ...(billing.onCanceled !== undefined ? { onCanceled: billing.onCanceled } : {}),
    ...(returnUrl !== undefined ? { returnUrl } : {}),
    ...(marketplace
      ? {
          marketplace: normalizeMarketplace(
            marketplace,
            plans,
            stripe ? [stripe.secret, ...(stripe.webhookSecret ? [stripe.webhookSecret] : [])] : [],
          ),
        }
      : {}),
  };
}

/** `tenants.billing.stripe` after its rules (see {@link normalizeBilling}). */
function normalizeStripe(
  billing: BillingConfig,
  stripe: NonNullable<BillingConfig['stripe']>,
  plans: Readonly<Record<string, TenantPlan>>,
): NonNullable<BillingConfig['stripe']> {
  const { secret, meters, webhookSecret } = stripe;
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
  if (declared.length === 0 && webhookSecret === undefined)
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
  subscriptionRules(billing, stripe, plans);
  return { secret, meters: out, ...(webhookSecret !== undefined ? { webhookSecret } : {}) };
}

/**
 * Subscriptions' rules (DESIGN §2, "Subscriptions drive plans"): each plan's price a Stripe price id, no price on two
 * plans (a subscription must name one plan), the webhook secret a secret name other than the key's (never its
 * `whsec_` value), a webhook secret with at least one price and a price with a webhook secret (else the plan could
 * never follow the subscription), `onCanceled` one of its two values.
 */
function subscriptionRules(
  billing: BillingConfig,
  stripe: NonNullable<BillingConfig['stripe']>,
  plans: Readonly<Record<string, TenantPlan>>,
): void {
  const { secret, webhookSecret } = stripe;
  const seen = new Map<string, string>();
  for (const name of Object.keys(plans).sort()) {
    const price = plans[name]?.stripe?.price;
    if (price === undefined) continue;
    const at = ['..', 'plans', name, 'stripe', 'price'];
    if (!STRIPE_PRICE_ID.test(price))
      throw plansInvalid(
        `tenants.plans.${name}.stripe.price ${JSON.stringify(price)} is not a Stripe price id (price_ followed by ` +
          'letters and digits).',
        at,
        "Copy the price's id from the Stripe dashboard (Product catalog → the product → its price), e.g. " +
          "stripe: { price: 'price_1Pq2Rs3Tu4' } — the price, not the product (prod_…).",
      );
    const twin = seen.get(price);
    if (twin !== undefined)
      throw plansInvalid(
        `tenants.plans.${twin} and .${name} both name the price ${price}: a subscription to it could not say ` +
          'which plan it buys.',
        at,
        'Give each plan a price of its own (one price per plan in Stripe).',
      );
    seen.set(price, name);
  }
  const hook = ['stripe', 'webhookSecret'];
  if (webhookSecret === undefined) {
    const first = [...seen.values()][0];
    if (first !== undefined)
      throw invalid(
        `tenants.plans.${first}.stripe names a price, but tenants.billing.stripe.webhookSecret is not set: the ` +
          'plan would never follow the subscription bought at checkout.',
        hook,
        "Add webhookSecret: 'STRIPE_WEBHOOK_SECRET' and set it to the endpoint's signing secret (whsec_…) with " +
          'atakora secret set <entry> STRIPE_WEBHOOK_SECRET.',
      );
  } else {
    if (webhookSecret.startsWith('whsec_'))
      throw invalid(
        'tenants.billing.stripe.webhookSecret holds a signing secret: it must never be written into the config.',
        hook,
        "Name the secret instead — webhookSecret: 'STRIPE_WEBHOOK_SECRET' — set its value with atakora secret set " +
          '<entry> STRIPE_WEBHOOK_SECRET, then roll the signing secret in the Stripe dashboard.',
      );
    if (!isSecretName(webhookSecret) || webhookSecret === secret)
      throw invalid(
        `tenants.billing.stripe.webhookSecret ${JSON.stringify(webhookSecret)} is not a secret name of its own ` +
          '(upper-case letters, digits and _, starting with a letter, other than secret).',
        hook,
        "Name the secret that holds the webhook's signing secret, e.g. webhookSecret: 'STRIPE_WEBHOOK_SECRET'.",
      );
    if (seen.size === 0)
      throw invalid(
        'tenants.billing.stripe.webhookSecret is set, but no plan names a Stripe price: no subscription could ' +
          'ever map to a plan.',
        hook,
        "Give each plan sold through Stripe its price: plans: { pro: { stripe: { price: 'price_…' } } }.",
      );
  }
}

/** `onCanceled` one of its two values (Stripe's ended subscriptions and Marketplace's unsubscriptions read it). */
function canceledRule(billing: BillingConfig): void {
  const canceled = billing.onCanceled as string | undefined;
  if (canceled !== undefined && canceled !== 'default-plan' && canceled !== 'suspend')
    throw invalid(
      `tenants.billing.onCanceled ${JSON.stringify(canceled)} is not 'default-plan' or 'suspend'.`,
      ['onCanceled'],
      "Write onCanceled: 'default-plan' (the default: the organization moves to tenants.defaultPlan) or 'suspend'.",
    );
}

// A plan's price is under tenants.plans, not tenants.billing: `..` climbs out of billing's path.
const plansInvalid = (message: string, path: readonly string[], resolution: string) =>
  new AtakoraError('BILLING_CONFIG_INVALID', message, {
    path: ['config', 'tenants', ...path.slice(1)],
    resolution,
  });
