// The billing export's names, shared by the config's rules, the runtime's timer, the CLI and the docs: which meters
// there are, what Stripe takes as an event name, and the identifier that makes a resent event harmless.

import type { MeterKey } from './runtime-manifest.js';

export { METER_KEYS, type MeterKey, STRIPE_EVENT_NAME } from './runtime-manifest.js';

/**
 * Stripe's longest meter event `identifier` (Stripe API reference, "Create a billing meter event", `identifier`:
 * "Max length: 100"): a tenant whose identifiers would be longer is not exported, and says so.
 */
export const MAX_IDENTIFIER_LENGTH = 100;

/**
 * The `identifier` of one tenant's hour of one meter: `<backendId>:<environment>:<tenant>:<hour>:<meter>`, the hour
 * as the ledger's ids name it (`YYYY-MM-DDTHH`, UTC). Stripe refuses a second event with an identifier it holds
 * (unique "within a rolling period of at least 24 hours", API reference `identifier`), so a resend is never billed
 * twice; the environment keeps staging's, production's and a local export's hours apart on one Stripe account and
 * mode (without it the second would be refused as a duplicate and its hour never billed). An event recorded under
 * the earlier form (`<backendId>:<tenant>:<hour>:<meter>`) keeps it: a record's identifier is fixed when it is first
 * written.
 *
 * @example
 * ```ts
 * meterIdentifier('saas', 'prod', 'contoso', '2026-11-25T10', 'requests');
 * // 'saas:prod:contoso:2026-11-25T10:requests'
 * ```
 */
export function meterIdentifier(
  backendId: string,
  environment: string,
  tenant: string,
  hour: string,
  meter: MeterKey,
): string {
  return `${backendId}:${environment}:${tenant}:${hour}:${meter}`;
}

/**
 * The environment a runtime manifest written before it recorded one (or by hand) counts as: the config's default
 * (`BackendConfig.environment`, 'dev').
 */
export const DEFAULT_ENVIRONMENT = 'dev';

/** How long after its end an hour is exported: the instances' last flushes of it (each second) are in by then. */
export const BILLING_GRACE_MS = 10 * 60_000;

/**
 * How far back Stripe takes an event's timestamp: "within the past 35 calendar days" (Stripe, "Record usage for
 * billing with the API", Event timestamps). The export sends hours that start later than this, less a margin.
 */
export const STRIPE_WINDOW_MS = 35 * 24 * 3_600_000;

/**
 * The timer's NCRONTAB schedule: 10 minutes past every hour, UTC (the Functions host's default time zone,
 * learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions).
 */
export const BILLING_SCHEDULE = '0 10 * * * *';

/** The timer function the runtime registers when the manifest has billing. */
export const BILLING_FUNCTION = 'atakora-billing';

/** `STRIPE_API_BASE`: where the SDK sends instead of Stripe (a loopback stand-in under `atakora dev` and in tests). */
export const STRIPE_API_BASE_SETTING = 'STRIPE_API_BASE';

// A Stripe secret key (`sk_`) or restricted key (`rk_`), live or test mode: the prefixes Stripe's "API keys" page
// documents (https://docs.stripe.com/keys). Written once: the config's rule, the export's log masking.
const KEY_PREFIX = '(?:sk|rk)_(?:live|test)_';
const KEY_START = new RegExp(`^${KEY_PREFIX}`);
const KEY_ANYWHERE = new RegExp(`\\b${KEY_PREFIX}[A-Za-z0-9*]+`, 'g');

/**
 * Whether `value` is a Stripe secret or restricted key (rather than the name of the secret that holds one): what the
 * config refuses in `tenants.billing.stripe.secret`.
 *
 * @example
 * ```ts
 * looksLikeStripeKey('sk_live_51Habc'); // true
 * looksLikeStripeKey('STRIPE_KEY'); // false
 * ```
 */
export function looksLikeStripeKey(value: string): boolean {
  return KEY_START.test(value);
}

/**
 * `text` with everything shaped like a Stripe secret or restricted key replaced by `[key]`: what an error Stripe or
 * the network returns may quote ("Invalid API Key provided: sk_test_…") before it is logged or recorded.
 *
 * @example
 * ```ts
 * maskStripeKeys('Invalid API Key provided: sk_test_51Habc'); // 'Invalid API Key provided: [key]'
 * ```
 */
export function maskStripeKeys(text: string): string {
  return text.replace(KEY_ANYWHERE, '[key]');
}

/**
 * The Stripe key an app setting or an environment variable holds, or undefined when it holds none: unset, blank, or
 * a Key Vault reference still as written (the platform did not resolve it: the app's identity cannot read the secret,
 * or it has no value yet). The one rule by which the runtime's billing timer and the CLI (`atakora usage export`,
 * `--check`) read the key named by `tenants.billing.stripe.secret`; the key's value is never checked further here
 * (Stripe refuses one it does not know, and the run stops saying so).
 *
 * @example
 * ```ts
 * stripeKeyIn(process.env['STRIPE_KEY']); // 'sk_live_…', or undefined
 * stripeKeyIn('@Microsoft.KeyVault(VaultName=kv;SecretName=STRIPE-KEY)'); // undefined
 * ```
 */
export function stripeKeyIn(value: string | undefined): string | undefined {
  const key = value?.trim();
  return key && !key.startsWith('@Microsoft.KeyVault(') ? key : undefined;
}
