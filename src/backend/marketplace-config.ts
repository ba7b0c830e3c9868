import { z } from 'zod';
import type { MarketplaceConfig, TenantPlan } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { METER_KEYS, type MeterKey } from '../model/runtime-manifest.js';
import { GUID, MARKETPLACE_DIMENSION_ID, MARKETPLACE_ID } from '../model/marketplace.js';
import { isSecretName } from '../kit/pure/names/secret-names.js';

/**
 * `tenants.billing.marketplace` as the config schema takes it: its shape only (strings where strings go, numbers
 * where numbers go); what they must be is {@link normalizeMarketplace}'s, so a mistake gets BILLING_CONFIG_INVALID
 * naming the key and the fix. Built on first use, by a config that declares `tenants` (config-schema.ts): a backend
 * without them never builds it (docs/performance.md, "Round seven").
 */
export function marketplaceSchema(): MarketplaceSchema {
  return (built ??= buildMarketplaceSchema());
}

const buildMarketplaceSchema = () => {
  const meters = z
    .strictObject({
      requests: z.string().optional(),
      requestUnits: z.string().optional(),
      storedGbHours: z.string().optional(),
      realtimeMessages: z.string().optional(),
    })
    .optional();
  return z.strictObject({
    offer: z.string(),
    publisherTenantId: z.string(),
    clientId: z.string(),
    secret: z.string(),
    plans: z.record(z.string(), z.string()),
    dimensions: meters,
    included: z
      .record(
        z.string(),
        z.strictObject({
          requests: z.number().optional(),
          requestUnits: z.number().optional(),
          storedGbHours: z.number().optional(),
          realtimeMessages: z.number().optional(),
        }),
      )
      .optional(),
  });
};
type MarketplaceSchema = ReturnType<typeof buildMarketplaceSchema>;
let built: MarketplaceSchema | undefined;

const invalid = (message: string, path: readonly (string | number)[], resolution: string) =>
  new AtakoraError('BILLING_CONFIG_INVALID', message, {
    path: ['config', 'tenants', 'billing', 'marketplace', ...path],
    resolution,
  });

/**
 * What an Entra client secret's value looks like (a `~` in its fourth place: `abc8Q~…`, Learn "Add credentials",
 * the portal's generated secrets), or anything long that is no secret name: what the config refuses in `secret`.
 */
const looksLikeClientSecret = (v: string): boolean => /^.{3}\d?Q~/.test(v) || v.includes('~');

/**
 * `tenants.billing.marketplace` after its rules (DESIGN §2, "Sold on Azure Marketplace beside Stripe"): the offer
 * and plan ids as Partner Center takes them, the publisher tenant and client id GUIDs, the secret a declarable secret
 * name (never the client secret itself, and not a name Stripe's settings use), each mapped plan a declared one and no
 * Marketplace plan on two of ours, each dimension a Partner Center dimension id (no two meters on one), and each
 * included quantity a whole number of a plan the offer sells and a meter it bills. Every refusal is
 * BILLING_CONFIG_INVALID at `config.tenants.billing.marketplace.<key>`.
 *
 * @example
 * ```ts
 * normalizeMarketplace(
 *   { offer: 'notes', publisherTenantId: '72f9…', clientId: '1111…', secret: 'MARKETPLACE_SECRET', plans: { pro: 'pro' } },
 *   { pro: {} },
 *   ['STRIPE_KEY'],
 * );
 * ```
 */
export function normalizeMarketplace(
  m: MarketplaceConfig,
  plans: Readonly<Record<string, TenantPlan>>,
  takenSecrets: readonly string[],
): MarketplaceConfig {
  idRules(m);
  secretRule(m.secret, takenSecrets);
  const mapped = planRules(m.plans, plans);
  const dimensions = dimensionRules({ ...m.dimensions });
  const included = includedRules(
    Object.fromEntries(Object.entries(m.included ?? {}).map(([k, v]) => [k, { ...v }])),
    mapped,
    dimensions,
  );
  return {
    offer: m.offer,
    publisherTenantId: m.publisherTenantId.toLowerCase(),
    clientId: m.clientId.toLowerCase(),
    secret: m.secret,
    plans: mapped,
    ...(Object.keys(dimensions).length ? { dimensions } : {}),
    ...(Object.keys(included).length ? { included } : {}),
  };
}

function idRules(m: MarketplaceConfig): void {
  if (!MARKETPLACE_ID.test(m.offer))
    throw invalid(
      `tenants.billing.marketplace.offer ${JSON.stringify(m.offer)} is not a Partner Center offer id (lower-case ` +
        'letters, digits, - and _, at most 50).',
      ['offer'],
      "Copy the offer ID from Partner Center (Marketplace offers → the offer → Offer setup), e.g. 'contoso-notes'.",
    );
  for (const key of ['publisherTenantId', 'clientId'] as const)
    if (!GUID.test(m[key]))
      throw invalid(
        `tenants.billing.marketplace.${key} ${JSON.stringify(m[key])} is not a GUID.`,
        [key],
        key === 'publisherTenantId'
          ? "Write the Microsoft Entra tenant ID of Partner Center's Technical configuration (a GUID)."
          : "Write the Microsoft Entra application ID of Partner Center's Technical configuration (a GUID): the " +
              'fulfillment app, registered in the publisher tenant.',
      );
}

function secretRule(secret: string, taken: readonly string[]): void {
  if (!isSecretName(secret))
    throw invalid(
      looksLikeClientSecret(secret)
        ? 'tenants.billing.marketplace.secret holds a client secret: it must never be written into the config (it ' +
            'would be in your repository and in the plan).'
        : `tenants.billing.marketplace.secret ${JSON.stringify(secret)} is not a secret name (upper-case letters, ` +
            'digits and _, starting with a letter).',
      ['secret'],
      "Name the secret instead — secret: 'MARKETPLACE_SECRET' — and set its value with atakora secret set <entry> " +
        'MARKETPLACE_SECRET (Key Vault), or the MARKETPLACE_SECRET environment variable under atakora dev.' +
        (looksLikeClientSecret(secret)
          ? ' Then create a new client secret and delete this one.'
          : ''),
    );
  if (taken.includes(secret))
    throw invalid(
      `tenants.billing.marketplace.secret ${JSON.stringify(secret)} is a name tenants.billing.stripe uses already.`,
      ['secret'],
      "Give the fulfillment app's client secret a name of its own, e.g. secret: 'MARKETPLACE_SECRET'.",
    );
}

/** Our plan → Marketplace plan id, checked; returned sorted by our plan. */
function planRules(
  given: Readonly<Record<string, string>>,
  plans: Readonly<Record<string, TenantPlan>>,
): Record<string, string> {
  const names = Object.keys(given).sort();
  if (names.length === 0)
    throw invalid(
      'tenants.billing.marketplace.plans maps no plan: no purchase could ever put an organization on a plan.',
      ['plans'],
      "Map each plan the offer sells to its Marketplace plan id, e.g. plans: { pro: 'pro-monthly' }.",
    );
  const seen = new Map<string, string>();
  const out: Record<string, string> = {};
  for (const name of names) {
    const id = given[name] ?? '';
    if (!Object.hasOwn(plans, name))
      throw invalid(
        `tenants.billing.marketplace.plans.${name} is not one of tenants.plans (${Object.keys(plans).sort().join(', ')}).`,
        ['plans', name],
        'Map the plans you declared under tenants.plans.',
      );
    if (!MARKETPLACE_ID.test(id))
      throw invalid(
        `tenants.billing.marketplace.plans.${name} ${JSON.stringify(id)} is not a Partner Center plan id (lower-case ` +
          'letters, digits, - and _, at most 50).',
        ['plans', name],
        "Copy the plan ID from Partner Center (the offer → Plan overview), e.g. 'pro-monthly'.",
      );
    const twin = seen.get(id);
    if (twin !== undefined)
      throw invalid(
        `tenants.billing.marketplace.plans.${twin} and .${name} both name the Marketplace plan ${id}: a purchase of ` +
          'it could not say which plan it buys.',
        ['plans', name],
        'Give each plan a Marketplace plan of its own.',
      );
    seen.set(id, name);
    out[name] = id;
  }
  return out;
}

function dimensionRules(
  given: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(given)) {
    const id = given[key];
    if (id === undefined) continue;
    if (!METER_KEYS.includes(key as MeterKey))
      throw invalid(
        `tenants.billing.marketplace.dimensions.${key} is no meter (${METER_KEYS.join(', ')}).`,
        ['dimensions', key],
        `Map one of ${METER_KEYS.join(', ')} to a custom dimension of the offer.`,
      );
    if (!MARKETPLACE_DIMENSION_ID.test(id))
      throw invalid(
        `tenants.billing.marketplace.dimensions.${key} ${JSON.stringify(id)} is not a dimension id (letters, digits, ` +
          '- and _, at most 50).',
        ['dimensions', key],
        "Copy the dimension's ID from the plan's pricing in Partner Center, e.g. 'api_calls'.",
      );
    const twin = Object.keys(out).find((k) => out[k] === id);
    if (twin !== undefined)
      throw invalid(
        `tenants.billing.marketplace.dimensions.${twin} and .${key} both send to ${JSON.stringify(id)}: Marketplace ` +
          'takes one event per subscription, dimension and hour, so one of them would never be billed.',
        ['dimensions', key],
        'Declare one dimension per kind of usage.',
      );
    out[key] = id;
  }
  return Object.fromEntries(METER_KEYS.filter((k) => k in out).map((k) => [k, out[k] ?? '']));
}

function includedRules(
  given: Readonly<Record<string, Readonly<Record<string, number | undefined>>>>,
  mapped: Readonly<Record<string, string>>,
  dimensions: Readonly<Record<string, string>>,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const plan of Object.keys(given).sort()) {
    if (!Object.hasOwn(mapped, plan))
      throw invalid(
        `tenants.billing.marketplace.included.${plan} is not a plan the offer sells (plans: ${Object.keys(mapped).join(', ')}).`,
        ['included', plan],
        'Give included quantities only to plans mapped under tenants.billing.marketplace.plans.',
      );
    const quantities: Record<string, number> = {};
    for (const [meter, n] of Object.entries(given[plan] ?? {})) {
      if (n === undefined) continue;
      if (!Object.hasOwn(dimensions, meter))
        throw invalid(
          `tenants.billing.marketplace.included.${plan}.${meter}: the offer bills no dimension for ${meter}.`,
          ['included', plan, meter],
          `Declare dimensions.${meter}, or drop the included quantity.`,
        );
      if (!Number.isInteger(n) || n < 0 || n > 1e15)
        throw invalid(
          `tenants.billing.marketplace.included.${plan}.${meter} ${String(n)} is not a whole number of units.`,
          ['included', plan, meter],
          "Write the quantity the plan's base fee includes per billing term, as the plan's pricing in Partner Center says.",
        );
      quantities[meter] = n;
    }
    out[plan] = quantities;
  }
  return out;
}
