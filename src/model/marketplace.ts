// Azure Marketplace's names, shared by the config's rules, the planner, the runtime, the CLI, dev and the stand-in:
// Microsoft's fixed identifiers and limits (each cited where Learn states it) and ours (routes, settings).

/**
 * The application id of the Marketplace SaaS API: the resource a publisher's token is asked for, and the `appid`
 * (v1 tokens) or `azp` (v2) of the tokens Microsoft's webhook calls carry. Learn, "Register a SaaS application"
 * (`resource`: "Use 20e940b3-4c77-4b0b-9a53-9e16a1b010a7 because Marketplace SaaS API is always the target resource")
 * and Microsoft's Commercial-Marketplace-SaaS-Accelerator (`SaaSApiConfiguration__Resource`, ValidateJwtToken.cs).
 */
export const MARKETPLACE_API_APP_ID = '20e940b3-4c77-4b0b-9a53-9e16a1b010a7';

/** The api-version of every SaaS fulfillment and metering call: "Use 2018-08-31" (Learn, each API's page). */
export const MARKETPLACE_API_VERSION = '2018-08-31';

/** Where the Marketplace APIs are: `https://marketplaceapi.microsoft.com/api/…` (Learn, SaaS fulfillment APIs v2). */
export const MARKETPLACE_API_BASE = 'https://marketplaceapi.microsoft.com';

/** Where the publisher tenant's Entra endpoints are (`<base>/<tenant>/oauth2/v2.0/token`, its OpenID configuration). */
export const ENTRA_LOGIN_BASE = 'https://login.microsoftonline.com';

/**
 * `ATAKORA_MARKETPLACE_API=<base>`: a stand-in for both services (`startMarketplaceStandIn()`), laid out as they are:
 * `<base>/api/saas/…`, `<base>/api/batchUsageEvent`, `<base>/api/usageEvents`, and the publisher tenant's Entra
 * endpoints `<base>/<tenant>/oauth2/v2.0/token` and `<base>/<tenant>/v2.0/.well-known/openid-configuration`.
 */
export const MARKETPLACE_API_SETTING = 'ATAKORA_MARKETPLACE_API';

/** The landing page, under `api/` (Partner Center's "Landing page URL"). */
export const MARKETPLACE_LANDING_ROUTE = 'marketplace/landing';
/** Microsoft's webhook, under `api/` (Partner Center's "Connection webhook"). */
export const MARKETPLACE_WEBHOOK_ROUTE = 'marketplace/webhook';
/** The function names of the two routes and the metering timer. */
export const MARKETPLACE_FUNCTIONS = {
  landing: 'atakora-marketplace-landing',
  webhook: 'atakora-marketplace-webhook',
  metering: 'atakora-marketplace-metering',
} as const;

/**
 * The landing page's sign-in provider in App Service authentication (`auth_settings_v2.custom_oidc_v2`): the
 * browser signs in at `/.auth/login/marketplace`, which returns to `/.auth/login/marketplace/callback` (Learn,
 * "Configure your App Service or Azure Functions app to sign in using an OpenID Connect provider").
 */
export const LANDING_PROVIDER = 'marketplace';

/**
 * The app setting App Service reads the landing provider's client secret from: `<NAME>_PROVIDER_AUTHENTICATION_SECRET`
 * (azurerm v4.55.0 `custom_oidc_v2.client_secret_setting_name`, computed from the provider's name).
 */
export const LANDING_SECRET_SETTING = 'MARKETPLACE_PROVIDER_AUTHENTICATION_SECRET';

/** The declared secret that setting refers to in the backend's Key Vault (`atakora secret set … MARKETPLACE_LANDING_SECRET`). */
export const LANDING_SECRET = 'MARKETPLACE_LANDING_SECRET';

/**
 * The OpenID configuration of the landing sign-in: any work or school directory and personal Microsoft accounts
 * (`common`; Learn, "Microsoft identity platform and OpenID Connect protocol", Find your app's OpenID configuration
 * document URI).
 */
export const LANDING_OPENID_CONFIGURATION =
  'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration';

/** Usage events one `batchUsageEvent` call takes: "The maximal number of events in a single batch is 25" (Learn). */
export const MARKETPLACE_BATCH_SIZE = 25;

/** "Usage events can only be emitted for the past 24 hours" (Learn, "Marketplace metered billing APIs"). */
export const MARKETPLACE_WINDOW_MS = 24 * 3_600_000;

/**
 * How long Microsoft waits for a ChangePlan or ChangeQuantity to be refused: "PATCH with failure OR respond with 4xx
 * (within 10 seconds)"; after that it is accepted (Learn, "Implementing a webhook on the SaaS service").
 */
export const WEBHOOK_ACK_MS = 10_000;

/** A SaaS subscription's statuses (Learn, "SaaS fulfillment Subscription APIs v2": `saasSubscriptionStatus`). */
export const SAAS_STATUSES = [
  'PendingFulfillmentStart',
  'Subscribed',
  'Suspended',
  'Unsubscribed',
] as const;

/** One of {@link SAAS_STATUSES}. */
export type SaasStatus = (typeof SAAS_STATUSES)[number];

/** The webhook's actions (Learn, "Implementing a webhook on the SaaS service"). */
export const WEBHOOK_ACTIONS = [
  'ChangePlan',
  'ChangeQuantity',
  'Renew',
  'Suspend',
  'Unsubscribe',
  'Reinstate',
] as const;

/**
 * A Partner Center offer, plan or dimension id: lower-case letters, digits, `-` and `_`, at most 50 (Partner Center,
 * "Create a SaaS offer": Offer ID and Plan ID "lowercase alphanumeric characters, dashes, or underscores … limited to
 * 50 characters"). Dimension ids take upper case too.
 */
export const MARKETPLACE_ID = /^[a-z0-9][a-z0-9_-]{0,49}$/;
export const MARKETPLACE_DIMENSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,49}$/;

/** A GUID (tenant, client, subscription and operation ids). */
export const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * The Marketplace API base a runtime or the CLI uses: `ATAKORA_MARKETPLACE_API` (a stand-in) when set, else
 * Microsoft's; and where the publisher tenant's Entra endpoints are (the same stand-in, else login.microsoftonline.com).
 *
 * @example
 * ```ts
 * marketplaceBases({ ATAKORA_MARKETPLACE_API: 'http://127.0.0.1:4100' }); // { api: 'http://127.0.0.1:4100', login: 'http://127.0.0.1:4100' }
 * ```
 */
export function marketplaceBases(env: Readonly<Record<string, string | undefined>>): {
  readonly api: string;
  readonly login: string;
} {
  const standIn = env[MARKETPLACE_API_SETTING]?.trim().replace(/\/+$/, '');
  return standIn
    ? { api: standIn, login: standIn }
    : { api: MARKETPLACE_API_BASE, login: ENTRA_LOGIN_BASE };
}

/**
 * The secret an app setting or environment variable holds, or undefined when it holds none: unset, blank, or a Key
 * Vault reference still as written (the platform did not resolve it) — the rule Stripe's key is read by
 * (model/billing.ts `stripeKeyIn`), for the fulfillment app's client secret.
 *
 * @example
 * ```ts
 * settingSecret(process.env['MARKETPLACE_SECRET']); // the client secret, or undefined
 * settingSecret('@Microsoft.KeyVault(VaultName=kv;SecretName=MARKETPLACE-SECRET)'); // undefined
 * ```
 */
export function settingSecret(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v && !v.startsWith('@Microsoft.KeyVault(') ? v : undefined;
}
