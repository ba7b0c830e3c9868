import { z } from 'zod';

const json: z.ZodType = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(json),
    z.record(z.string(), json),
  ]),
);
const path = z.array(z.union([z.string(), z.number()]));

/**
 * The version-1 ResourcePlan as a Zod schema: validate a saved plan (`atakora plan --json`) before
 * trusting it, e.g. in `atakora diff` or a CI step. `resourcePlanJsonSchema()` gives JSON Schema.
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(backend.plan()); // e.g. a plan kept as JSON by an earlier run
 * const plan = resourcePlanSchema.parse(JSON.parse(saved));
 * ```
 */
export const resourcePlanSchema = z.strictObject({
  version: z.literal(1),
  backendId: z.string(),
  environment: z.string(),
  location: z.string(),
  components: z.array(
    z.strictObject({
      key: z.string(),
      id: z.string(),
      type: z.string(),
      resources: z.record(z.string(), z.string()),
      outputs: z.record(z.string(), json),
    }),
  ),
  resources: z.array(
    z.strictObject({
      key: z.string().regex(/^[a-z0-9]+:[a-z0-9-]+$/),
      type: z.string(),
      name: z.string().min(1),
      compatibility: z.string(),
      config: z.record(z.string(), json),
      consumers: z.array(z.string()),
      deploys: z.array(
        z.strictObject({
          terraformType: z.string().regex(/^(azurerm|azuread|time)_[a-z0-9_]+$/),
          name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/),
        }),
      ),
      estimatedMonthlyUsd: z.number().nonnegative(),
    }),
  ),
  issues: z.array(
    z.strictObject({
      severity: z.enum(['error', 'warning']),
      code: z.string(),
      message: z.string(),
      path: path.optional(),
      components: z.array(z.string()).optional(),
      resolution: z.string().optional(),
      details: z.record(z.string(), json).optional(),
    }),
  ),
  limitViolations: z.array(
    z.strictObject({
      limit: z.string(),
      allowed: z.number(),
      requested: z.number(),
      resourceType: z.string(),
      message: z.string(),
      solutions: z.array(z.string()),
    }),
  ),
  naming: z.strictObject({
    token: z.string().regex(/^[a-z0-9]{6}$/),
    atApply: z.boolean(),
    derivedFrom: z.string(),
  }),
  summary: z.strictObject({
    resources: z.number().int().nonnegative(),
    unsharedResources: z.number().int().nonnegative(),
    reduction: z.number(),
    estimatedMonthlyUsd: z.strictObject({ shared: z.number(), unshared: z.number() }),
  }),
  tenantPlans: z
    .strictObject({
      prices: z.strictObject({
        priceDate: z.string(),
        ruPricing: z.string(),
        usdPerMillionRu: z.number(),
        usdPerGbMonth: z.number(),
        usdPerMillionRequests: z.number(),
        usdPerMillionMessages: z.number().nullable(),
      }),
      plans: z.array(
        z.strictObject({
          plan: z.string(),
          isDefault: z.boolean(),
          worstCaseMonthlyUsd: z.number().nullable(),
          boundedMonthlyUsd: z.number(),
          unbounded: z.array(z.string()),
          lines: z.array(
            z.strictObject({
              dimension: z.string(),
              monthlyQuantity: z.number().nullable(),
              unit: z.string(),
              monthlyUsd: z.number().nullable(),
              basis: z.string(),
            }),
          ),
          needs: z.strictObject({
            averageRuPerSecond: z.number().nullable(),
            tenantsAtPlannedThroughput: z.number().nullable(),
            realtimeConnections: z.number().nullable(),
            webPubSubUnits: z.number().nullable(),
            tenantsAtPlannedUnits: z.number().nullable(),
          }),
          priceMonthlyUsd: z.number().nullable(),
          stripePrice: z.string().nullable(),
          unbilled: z.array(z.string()),
        }),
      ),
      notes: z.array(z.string()),
      packages: z
        .array(
          z.strictObject({
            plan: z.string(),
            isDefault: z.boolean(),
            price: z.strictObject({
              monthlyUsd: z.number().nullable(),
              stripePrice: z.string().nullable(),
              perSeat: z.boolean(),
              trialDays: z.number().nullable(),
              marketplacePlan: z.string().nullable(),
            }),
            seats: z.number().nullable(),
            items: z.array(z.strictObject({ crudApi: z.string(), limit: z.number().nullable() })),
            features: z.strictObject({
              all: z.boolean(),
              names: z.array(z.string()),
              application: z.array(z.string()),
            }),
            costToServe: z.strictObject({
              monthlyUsd: z.number().nullable(),
              boundedMonthlyUsd: z.number(),
              unbounded: z.array(z.string()),
            }),
            margin: z
              .strictObject({
                monthlyUsd: z.number().nullable(),
                atSeatLimitUsd: z.number().nullable(),
                basis: z.string(),
              })
              .nullable(),
          }),
        )
        .optional(),
      packageAssumptions: z.array(z.string()).optional(),
    })
    .optional(),
  marketplace: z
    .strictObject({
      offer: z.string(),
      landingPageUrl: z.string(),
      webhookUrl: z.string(),
      tenantId: z.string(),
      applicationId: z.string(),
      landingSignIn: z
        .strictObject({
          registration: z.string(),
          signInAudience: z.literal('AzureADandPersonalMicrosoftAccount'),
          redirectUri: z.string(),
        })
        .nullable(),
      plans: z.record(z.string(), z.string()),
      dimensions: z.record(z.string(), z.string()),
      secrets: z.array(z.string()),
      storeServiceFeePercent: z.number(),
      notes: z.array(z.string()),
    })
    .optional(),
  mcp: z
    .strictObject({
      writes: z.boolean(),
      authorization: z
        .strictObject({
          registration: z.boolean(),
          accessTokenMinutes: z.number(),
          refreshTokenDays: z.number(),
          grantsPerPerson: z.number(),
        })
        .optional(),
    })
    .optional(),
});

/**
 * JSON Schema (draft 2020-12) of a saved plan, generated from {@link resourcePlanSchema}, for tools outside
 * TypeScript (editors, other languages' validators) that check `atakora plan --json` output.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('resource-plan.schema.json', JSON.stringify(resourcePlanJsonSchema(), null, 2));
 * ```
 */
export function resourcePlanJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(resourcePlanSchema);
}
