import { z } from 'zod';
import type { AuthConfig, NormalizedConfig, TenantsConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { APP_ROLE_VALUE } from '../model/runtime-manifest.js';
import { normalizeMembership } from './membership-config.js';
import { billingSchema, normalizeBilling } from './billing-config.js';
import { emailSchema } from './email-config.js';
import { checkScimApp } from './scim-app-config.js';
import { checkPlanFeatures } from './plan-features-config.js';

/**
 * The `tenants` key of the backend config (the registry's plans): checked by the config schema, the cross-field
 * rules (the default plan among the plans, the registry on a multi-tenant sign-in) by {@link normalizeTenants}.
 * Built on first use, by a config that declares `tenants` (config-schema.ts): with its billing, Marketplace and
 * e-mail schemas, ~35 ms of CPU a cold start that a backend without tenants no longer pays (docs/performance.md,
 * "Round seven").
 */
export function tenantsSchema(): TenantsSchema {
  return (built ??= buildTenantsSchema());
}

const buildTenantsSchema = () => {
  // A bound is a whole, positive number (a request rate, RU a day, megabytes, connections): 0 or a fraction would
  // refuse every request or mean nothing the runtime can count.
  const bound = z.number().int().positive().max(1_000_000_000_000);
  // Except a plan's live connections: 0 is a plan whose tenants hold no socket (negotiate answers 429 at once) and
  // whose realtime messages cost nothing — a bound that prices the plan without selling realtime (docs/packaging.md).
  const connections = z.number().int().nonnegative().max(1_000_000_000_000);

  const plan = z.strictObject({
    requestsPerMinute: bound.optional(),
    requestUnitsPerDay: bound.optional(),
    storageMb: bound.optional(),
    realtimeConnections: connections.optional(),
    // Days an audit entry is kept: Cosmos DB's per-item ttl is at most 2^31 - 1 seconds (about 24,855 days).
    auditRetentionDays: z.number().int().positive().max(24_855).optional(),
    // A fee in USD, cents at most (what an invoice shows).
    monthlyFeeUsd: z
      .number()
      .nonnegative()
      .max(1_000_000_000)
      .refine((n) => Math.round(n * 100) / 100 === n, 'a fee in USD with at most two decimals')
      .optional(),
    // The price id's shape is normalizeBilling's (BILLING_CONFIG_INVALID naming the plan and the fix).
    stripe: z
      .strictObject({
        price: z.string(),
        perSeat: z.literal(true).optional(),
        // Stripe's API reference, "Create a Checkout Session", subscription_data.trial_period_days: "Has to be at
        // least 1"; "Create a subscription", trial_end: "at most two years from billing_cycle_anchor" (730 days).
        trialDays: z.number().int().min(1).max(730).optional(),
      })
      .optional(),
    // Seats: members an organization on the plan may have (docs/packaging.md); at least the Owner who created it.
    members: bound.optional(),
    // Items per CrudApi: the names and counts are the planner's (PLAN_ITEMS_INVALID naming the CrudApi and the fix).
    items: z
      .record(
        z.string(),
        z.custom<number>((v) => typeof v === 'number'),
      )
      .optional(),
    // Names and duplicates are checkPlanFeatures' (PLAN_FEATURES_INVALID naming the plan, the name and the fix).
    features: z.array(z.string()).optional(),
  });
  return z.strictObject({
    plans: z.record(
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a plan name (letters, digits, - or _)'),
      plan,
    ),
    defaultPlan: z.string().min(1),
    signUp: z.enum(['invite', 'open']).optional(),
    by: z.enum(['directory', 'membership']).optional(),
    roles: z
      .array(z.string().regex(APP_ROLE_VALUE, 'a role name (letters, digits, _ . : -)'))
      .optional(),
    createTenants: z.enum(['any-user', 'operator']).optional(),
    // Checked by normalizeMembership (TENANTS_MEMBERSHIP_INVALID naming the key), not here: a schema error would not
    // say what the number bounds.
    maxOrganizationsPerUser: z.number().optional(),
    deleteAfterDays: z.number().optional(),
    acceptUrl: z.string().optional(),
    site: z.string().optional(),
    perUser: z
      .strictObject({
        requestsPerMinute: bound.optional(),
        realtimeConnections: bound.optional(),
      })
      .optional(),
    billing: billingSchema().optional(),
    email: emailSchema().optional(),
    scimApp: z.boolean().optional(),
    // Checked by normalizeApiKeys (TENANTS_API_KEYS_INVALID naming the key): the schema only fixes the shape.
    apiKeys: z
      .strictObject({
        perOrganization: z.number().optional(),
        roles: z.array(z.string()).optional(),
        maxDays: z.number().optional(),
      })
      .optional(),
  });
};
type TenantsSchema = ReturnType<typeof buildTenantsSchema>;
let built: TenantsSchema | undefined;

/**
 * The registry's settings after the rules `tenantsSchema` cannot state alone: `defaultPlan` is one of the plans
 * (TENANTS_DEFAULT_PLAN_UNKNOWN), at least one plan (TENANTS_NO_PLANS), `allowedTenants: 'registry'` only with a
 * multi-tenant sign-in and with `tenants` (TENANTS_REGISTRY_INVALID), and `tenants` only with the registry.
 *
 * @example
 * ```ts
 * normalizeTenants(
 *   { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' },
 *   { plans: { free: {} }, defaultPlan: 'free' },
 * ); // { plans: { free: {} }, defaultPlan: 'free', signUp: 'invite' }
 * ```
 */
export function normalizeTenants(
  auth: 'none' | AuthConfig | undefined,
  tenants: TenantsConfig | undefined,
): NormalizedConfig['tenants'] {
  if (tenants?.by === 'membership') {
    const normalized = normalizeMembership(auth, tenants, () => plansOf(tenants));
    return tenants.scimApp === true
      ? { ...normalized, scimApp: checkScimApp(tenants) }
      : normalized;
  }
  if (tenants?.scimApp === true) checkScimApp(tenants);
  if (tenants?.apiKeys !== undefined)
    throw new AtakoraError(
      'TENANTS_API_KEYS_INVALID',
      'tenants.apiKeys gives organizations API keys, which only tenants by membership have, but tenants.by is not ' +
        "'membership'.",
      {
        path: ['config', 'tenants', 'apiKeys'],
        resolution:
          "Add by: 'membership' to tenants (organizations users join), or remove apiKeys.",
      },
    );
  // Customers need organizations: any other tenants is the plan's AUTH_CUSTOMERS_NEED_MEMBERSHIP error, which
  // says what to write (a registry of directories cannot mean anything: every customer has one tid).
  if (auth !== 'none' && auth?.signInAudience === 'customers') return undefined;
  if (tenants?.email !== undefined)
    throw new AtakoraError(
      'TENANTS_EMAIL_INVALID',
      "tenants.email sends invitations, which only tenants by membership have, but tenants.by is not 'membership'.",
      {
        path: ['config', 'tenants', 'email'],
        resolution:
          "Add by: 'membership' to tenants (organizations whose Owners invite people by e-mail), or remove email.",
      },
    );
  const membershipKey = (
    [
      'roles',
      'createTenants',
      'maxOrganizationsPerUser',
      'deleteAfterDays',
      'acceptUrl',
      'site',
    ] as const
  ).find((k) => tenants?.[k] !== undefined);
  if (membershipKey !== undefined)
    throw new AtakoraError(
      'TENANTS_MEMBERSHIP_INVALID',
      `tenants.${membershipKey} belongs to tenants by membership, but ` +
        "tenants.by is not 'membership': a directory's roles are app roles in its tokens.",
      {
        path: ['config', 'tenants', membershipKey],
        resolution:
          "Add by: 'membership' to tenants (organizations users join), or remove the key.",
      },
    );
  if (tenants?.billing?.marketplace !== undefined)
    throw new AtakoraError(
      'BILLING_CONFIG_INVALID',
      'tenants.billing.marketplace sells the offer to organizations, which only tenants by membership have, but ' +
        "tenants.by is not 'membership': a Marketplace buyer becomes the Owner of an organization.",
      {
        path: ['config', 'tenants', 'billing', 'marketplace'],
        resolution:
          "Add by: 'membership' to tenants (organizations users join), or remove marketplace.",
      },
    );
  const registry = auth !== 'none' && auth?.allowedTenants === 'registry';
  if (registry && auth?.signInAudience !== 'AzureADMultipleOrgs')
    throw new AtakoraError(
      'TENANTS_REGISTRY_INVALID',
      "auth.allowedTenants 'registry' admits directories from the tenant registry, but auth.signInAudience is " +
        "not 'AzureADMultipleOrgs': only the home directory could ever sign in.",
      {
        path: ['config', 'auth', 'signInAudience'],
        resolution:
          "Write auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' } (a SaaS backend), " +
          'or drop allowedTenants for a single-directory one.',
      },
    );
  if (registry && tenants === undefined)
    throw new AtakoraError(
      'TENANTS_REGISTRY_INVALID',
      "auth.allowedTenants 'registry' needs tenants: { plans, defaultPlan }: the plan each registered directory " +
        'is on.',
      {
        path: ['config', 'tenants'],
        resolution:
          "Add tenants: { plans: { free: {} }, defaultPlan: 'free' } (bounds are optional).",
      },
    );
  if (tenants === undefined) return undefined;
  if (!registry)
    throw new AtakoraError(
      'TENANTS_REGISTRY_INVALID',
      "tenants configures the tenant registry, which only auth.allowedTenants: 'registry' uses.",
      {
        path: ['config', 'auth', 'allowedTenants'],
        resolution:
          "Write auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'registry' }, or remove tenants.",
      },
    );
  const { perUser, billing, ...plans } = plansOf(tenants);
  return {
    ...plans,
    signUp: tenants.signUp ?? 'invite',
    ...(perUser ? { perUser } : {}),
    ...(billing ? { billing } : {}),
  };
}

/**
 * The plans, default plan and per-user bounds of `tenants`, checked: at least one plan (TENANTS_NO_PLANS), the
 * default among them (TENANTS_DEFAULT_PLAN_UNKNOWN); plans sorted by name.
 */
function plansOf(
  tenants: TenantsConfig,
): Pick<NonNullable<NormalizedConfig['tenants']>, 'plans' | 'defaultPlan' | 'perUser' | 'billing'> {
  const names = Object.keys(tenants.plans).sort();
  if (names.length === 0)
    throw new AtakoraError(
      'TENANTS_NO_PLANS',
      'tenants.plans names no plan: a tenant must be on one.',
      {
        path: ['config', 'tenants', 'plans'],
        resolution:
          'Declare at least one plan, e.g. plans: { free: {} } (an empty plan has no bounds).',
      },
    );
  if (!Object.hasOwn(tenants.plans, tenants.defaultPlan))
    throw new AtakoraError(
      'TENANTS_DEFAULT_PLAN_UNKNOWN',
      `tenants.defaultPlan ${JSON.stringify(tenants.defaultPlan)} is not one of tenants.plans (${names.join(', ')}).`,
      {
        path: ['config', 'tenants', 'defaultPlan'],
        resolution: `Name one of the declared plans: ${names.join(', ')}.`,
      },
    );
  const priced = names.find((n) => tenants.plans[n]?.stripe !== undefined);
  if (priced !== undefined && !tenants.billing)
    throw new AtakoraError(
      'BILLING_CONFIG_INVALID',
      `tenants.plans.${priced}.stripe names a Stripe price, but tenants.billing is not configured: nothing could ` +
        'open a checkout or hear the subscription change.',
      {
        path: ['config', 'tenants', 'plans', priced, 'stripe'],
        resolution:
          "Add tenants.billing: { stripe: { secret: 'STRIPE_KEY', webhookSecret: 'STRIPE_WEBHOOK_SECRET', " +
          'meters: {} } }, or remove the price.',
      },
    );
  checkPlanFeatures(tenants.plans);
  return {
    plans: Object.fromEntries(names.map((n) => [n, { ...tenants.plans[n] }])),
    defaultPlan: tenants.defaultPlan,
    ...(tenants.perUser ? { perUser: { ...tenants.perUser } } : {}),
    ...(tenants.billing ? { billing: normalizeBilling(tenants.billing, tenants.plans) } : {}),
  };
}
