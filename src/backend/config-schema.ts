import { ENVIRONMENT_NAME } from '../kit/pure/names/environment-name.js';
import { z } from 'zod';
import { REALTIME_UNITS, type NamingConvention } from '../model/config.js';
import { RETENTION_DAYS } from './retention-days.js';
import { tenantsSchema } from './tenants-config.js';
import { externalTenantSchema, socialClientId } from './customers-config.js';

const consistency = z.enum([
  'Strong',
  'BoundedStaleness',
  'Session',
  'ConsistentPrefix',
  'Eventual',
]);
const positiveInt = z.number().int().positive();

const monitoring = z.strictObject({
  enabled: z.boolean().optional(),
  // Application Insights' list (retention-days.ts); normalizeConfig refuses another value with the nearest ones first.
  retentionDays: z.literal([...RETENTION_DAYS]).optional(),
  samplingPercentage: z.number().min(0).max(100).optional(),
  alerting: z
    .strictObject({
      enabled: z.boolean().optional(),
      errorThreshold: z.number().int().min(1).optional(),
      latencyThreshold: z.number().int().min(1).optional(),
      emails: z.array(z.email()).max(100).optional(),
    })
    .optional(),
  // azurerm v4.55.0 internal/services/loganalytics/validate/log_analytics_workspace_name.go: 4-63 letters, digits
  // and '-', not starting or ending with '-'.
  workspaceName: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/,
      "4-63 letters, digits and '-', not starting or ending with '-'",
    )
    .optional(),
});

const networking = z.strictObject({
  mode: z.enum(['public', 'isolated']),
  vnetName: z.string().min(2).max(64).optional(),
  vnetResourceGroupName: z
    .string()
    .regex(/^[-\w.()]{1,90}$/, 'a resource group name (1-90 letters, digits, -, _, ., ( or ))')
    .optional(),
  subnetName: z.string().min(1).max(80).optional(),
  privateEndpointSubnetName: z.string().min(1).max(80).optional(),
  privateEndpoints: z.boolean().optional(),
  serviceTags: z.array(z.string()).optional(),
  addressSpace: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'a CIDR block such as 10.0.0.0/16')
    .optional(),
  // Storage firewall IP rules take public IPv4 addresses and ranges up to /30 (Learn, "Configure Azure Storage
  // firewalls and virtual networks", IP network rules).
  deployerAddresses: z
    .array(
      z
        .string()
        .regex(
          /^\d{1,3}(\.\d{1,3}){3}(\/(\d|[12]\d|30))?$/,
          'a public IPv4 address or CIDR range up to /30 (e.g. 203.0.113.7 or 203.0.113.0/24)',
        ),
    )
    .max(200)
    .optional(),
  // Zone name → existing zone's resource id; the ids themselves are checked by the plan (PRIVATE_DNS_ZONE_ID_INVALID).
  privateDnsZoneIds: z.record(z.string(), z.string()).optional(),
});

/** The config's keys and their schemas, in order; `tenants` read through a getter (below). */
const configShape = {
  backendId: z.string().min(1).max(90).optional(),
  environment: z
    .string()
    .regex(
      ENVIRONMENT_NAME,
      '1-24 lower case letters, digits and "-", starting with a letter or digit',
    )
    .optional(),
  location: z
    .string()
    .regex(/^[a-z0-9]+$/, 'an Azure region name such as eastus')
    .optional(),
  monitoring: z.union([z.boolean(), monitoring]).optional(),
  networking: z.union([z.enum(['public', 'isolated']), networking]).optional(),
  // go-azure-helpers resourcemanager/tags/validate.go (vendored by azurerm v4.55.0), `tags.Validate`: at most 50
  // tags, keys up to 512 characters, values up to 256.
  tags: z
    .record(z.string().min(1).max(512), z.string().max(256))
    .refine((t) => Object.keys(t).length <= 50, {
      message: 'at most 50 tags (Azure Resource Manager)',
    })
    .optional(),
  naming: z
    .custom<NamingConvention>(
      (v) => {
        const n = v as NamingConvention | null | undefined;
        if (!n || typeof n !== 'object') return false;
        const format =
          n.formatResourceName === undefined || typeof n.formatResourceName === 'function';
        const seed =
          n.uniqueSeed === undefined ||
          (typeof n.uniqueSeed === 'string' && n.uniqueSeed.length > 0);
        return format && seed && (n.formatResourceName !== undefined || n.uniqueSeed !== undefined);
      },
      {
        message:
          'naming needs a formatResourceName(type, backendId, suffix) function and/or a non-empty uniqueSeed string',
      },
    )
    .optional(),
  limits: z
    .strictObject({
      maxCosmosAccounts: positiveInt.optional(),
      maxFunctionApps: positiveInt.optional(),
      maxStorageAccounts: positiveInt.optional(),
      maxFunctionsPerApp: positiveInt.optional(),
      maxContainersPerStorage: positiveInt.optional(),
      maxContainersPerCosmosAccount: positiveInt.optional(),
      maxThroughputPerDatabase: positiveInt.optional(),
    })
    .optional(),
  providers: z
    .array(z.custom<object>((v) => !!v && typeof v === 'object', { message: 'a provider object' }))
    .optional(),
  enforceHttps: z.boolean().optional(),
  useManagedIdentity: z.boolean().optional(),
  autoScale: z
    .strictObject({
      enabled: z.boolean().optional(),
      minThroughput: positiveInt.optional(),
      maxThroughput: positiveInt.optional(),
      targetUtilization: z.number().min(1).max(100).optional(),
    })
    .optional(),
  cosmosConfig: z
    .strictObject({
      enableMultiRegion: z.boolean().optional(),
      failoverPolicies: z
        .array(
          z.strictObject({ locationName: z.string().min(1), priority: z.number().int().min(0) }),
        )
        .optional(),
      consistencyLevel: consistency.optional(),
      enableAutomaticFailover: z.boolean().optional(),
      useExisting: z.boolean().optional(),
      leaseContainers: z.enum(['create', 'existing']).optional(),
      accountName: z.string().min(3).max(44).optional(),
      resourceGroupName: z.string().min(1).optional(),
      readLocation: z.string().optional(),
    })
    .optional(),
  auth: z
    .union([
      z.literal('none'),
      z.strictObject({
        // A GUID, or another backend's API registration in the same stack (its handle's `auth.clientId`: the
        // Terraform expression `${azuread_application.<name>.client_id}`, or after apply the cdktf token of it), so
        // several backends behind one Front Door validate tokens for one registration (docs/sign-in.md).
        clientId: z
          .union([
            z.guid(),
            z
              .string()
              .regex(
                /^\$\{(azuread_application\.[A-Za-z_][\w-]*\.client_id|TfToken\[TOKEN\.\d+\])\}$/,
                "a GUID, or another backend's auth.clientId",
              ),
          ])
          .optional(),
        tenantId: z.guid().optional(),
        audiences: z.array(z.string().min(1)).max(50).optional(),
        appRegistration: z.boolean().optional(),
        // An OAuth2 permission scope value: no spaces (Microsoft Graph permissionScope.value).
        scope: z
          .string()
          .regex(
            /^[A-Za-z0-9_.-]{1,120}$/,
            'a scope name such as user_impersonation (letters, digits, _, . or -)',
          )
          .optional(),
        // Entra accepts http:// redirect URIs for localhost only (Learn: "Redirect URI (reply URL) restrictions").
        devOrigins: z
          .array(
            z
              .string()
              .regex(
                /^(https:\/\/[^/\s]+|http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?)$/,
                'an origin such as http://localhost:5173 (http only for localhost)',
              ),
          )
          .max(20)
          .optional(),
        // Who may sign in: Microsoft Graph application.signInAudience values for work accounts, or 'customers'
        // (a Microsoft Entra External ID tenant: docs/sign-in.md#customers).
        signInAudience: z.enum(['AzureADMyOrg', 'AzureADMultipleOrgs', 'customers']).optional(),
        externalTenant: externalTenantSchema.optional(),
        emailSignIn: z.enum(['one-time-code', 'password']).optional(),
        identityProviders: z
          .array(
            z.union([
              z.enum(['google', 'facebook']),
              z.strictObject({
                type: z.enum(['google', 'facebook']),
                clientId: socialClientId,
              }),
            ]),
          )
          .max(2)
          .optional(),
        // The tid claim is the directory's GUID, so the allow-list holds GUIDs.
        // 'registry': the admitted directories live in the backend's tenants container (docs/tenants.md).
        allowedTenants: z
          .union([z.literal('any'), z.literal('registry'), z.array(z.guid()).min(1).max(500)])
          .optional(),
      }),
    ])
    .optional(),
  tenancy: z
    .strictObject({
      claim: z.string().min(1).max(200).optional(),
      trustGatewayHeader: z.boolean().optional(),
    })
    .optional(),
  // An origin is scheme://host[:port] (no path); '*' is accepted and warned about by the planner.
  corsOrigins: z
    .array(
      z.union([
        z.literal('*'),
        z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin such as https://app.contoso.com'),
      ]),
    )
    .optional(),
  preventDestroy: z.boolean().optional(),
  // azurerm v4.55.0 web_pubsub_resource.go: sku in Premium_P1, Premium_P2, Standard_S1, Free_F1 (P2 is for more
  // than 100 units, which `units` does not offer); capacity in 1-10, 20, 30 … 100 (and 200 … 1000, P2 only).
  realtime: z
    .strictObject({
      sku: z.enum(['Free_F1', 'Standard_S1', 'Premium_P1']).optional(),
      units: z
        .number()
        .refine((n) => REALTIME_UNITS.includes(n), {
          message: `units must be one of ${REALTIME_UNITS.join(', ')}`,
        })
        .optional(),
    })
    .optional(),
  // azurerm v4.55.0 cosmosdb_account_resource.go: backup.type Continuous (tier Continuous7Days | Continuous30Days)
  // or Periodic.
  backup: z
    .strictObject({ mode: z.enum(['continuous7Days', 'continuous30Days', 'periodic']).optional() })
    .optional(),
  // A getter, read when a schema is made of the shape: `backendConfigSchema`'s, on first use of its shape or a
  // parse; a config without `tenants` is parsed by `configSchemaFor`'s schema without the key, so the tenants
  // schema (billing, Marketplace, e-mail) is built only for a backend that declares them (docs/performance.md,
  // "Round seven").
  get tenants() {
    return tenantsSchema().optional();
  },
  mcp: z
    .union([
      z.boolean(),
      z.strictObject({
        writes: z.boolean().optional(),
        // DESIGN.md §2 "Agents that sign in to an organization": access tokens live at most 60 minutes.
        authorization: z
          .union([
            z.boolean(),
            z.strictObject({
              registration: z.boolean().optional(),
              accessTokenMinutes: z.number().int().min(1).max(60).optional(),
              refreshTokenDays: z.number().int().min(1).max(365).optional(),
              grantsPerPerson: z.number().int().min(1).max(1000).optional(),
            }),
          ])
          .optional(),
      }),
    ])
    .optional(),
};

/**
 * The backend configuration as a Zod schema: the one source of truth for validation, also usable on
 * configuration loaded from JSON (config-driven feature flags). `backendConfigJsonSchema()` gives JSON Schema.
 *
 * @example
 * ```ts
 * const text = '{ "environment": "prod", "location": "westeurope" }'; // e.g. readFileSync('backend.json', 'utf8')
 * const config = backendConfigSchema.parse(JSON.parse(text));
 * ```
 */
export const backendConfigSchema = z.strictObject(configShape);

/** The same schema without the `tenants` key: for a config that has none, it parses to the same result. */
const withoutTenants = (() => {
  const keys: Record<string, PropertyDescriptor> = Object.getOwnPropertyDescriptors(configShape);
  delete keys['tenants'];
  return z.strictObject(Object.defineProperties({}, keys) as Omit<typeof configShape, 'tenants'>);
})();

/**
 * The schema a config is parsed with: {@link backendConfigSchema}, or for a config without a `tenants` key the same
 * schema without it — the same result, issues and all (a `tenants` key present, even `undefined`, takes the full one),
 * and the tenants schema is not built.
 *
 * @example
 * ```ts
 * configSchemaFor({ environment: 'prod' }).safeParse({ environment: 'prod' }).success; // true
 * ```
 */
export function configSchemaFor(input: object): z.ZodType {
  return 'tenants' in input ? backendConfigSchema : withoutTenants;
}

/** The keys a backend config may hold (used to tell config from components in the object form). */
// The shape's own keys, not `backendConfigSchema.shape`'s: reading that builds the tenants schema.
export const CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(configShape));

/**
 * The keys the config accepts at `path` (an unknown-key issue's path: `[]` for the top level,
 * `['monitoring', 'alerting']` below), read from the schema so the list in messages cannot go stale.
 *
 * @example
 * ```ts
 * configKeysAt(['tenancy']); // ['claim', 'trustGatewayHeader']
 * ```
 */
export function configKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = backendConfigSchema;
  for (const segment of [...path, undefined]) {
    // Look through optional and union wrappers for the object schema (`monitoring: boolean | {...}`).
    const objects: z.ZodObject[] = [];
    const open = (s: z.ZodType | undefined): void => {
      if (s instanceof z.ZodOptional) open(s.unwrap() as z.ZodType);
      else if (s instanceof z.ZodUnion) for (const o of s.options as z.ZodType[]) open(o);
      else if (s instanceof z.ZodArray) open(s.element as z.ZodType);
      else if (s instanceof z.ZodObject) objects.push(s);
    };
    open(schema);
    if (segment === undefined) return objects.flatMap((o) => Object.keys(o.shape));
    if (typeof segment === 'number') continue;
    schema = objects
      .map((o) => o.shape[String(segment)] as z.ZodType | undefined)
      .find((s) => s !== undefined);
  }
  return [];
}

/**
 * JSON Schema of the backend configuration, generated from {@link backendConfigSchema} so it cannot drift
 * from validation (functions such as `naming` are left open). For editors and non-TypeScript tooling that
 * write backend config files.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('backend-config.schema.json', JSON.stringify(backendConfigJsonSchema(), null, 2));
 * ```
 */
export function backendConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(backendConfigSchema, { unrepresentable: 'any' });
}
