import { checkEnvironmentName } from '../kit/pure/names/environment-name.js';
import type { z } from 'zod';
import { closest } from '../kit/pure/closest-key.js';
import type { AuthConfig, BackendConfig, NormalizedConfig } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { configKeysAt, configSchemaFor } from './config-schema.js';
import { checkRetentionDays } from './retention-days.js';
import { DEFAULT_API_SCOPE } from '../kit/pure/entra.js';
import { at } from '../model/at.js';
import { normalizeTenants } from './tenants-config.js';
import { normalizeCustomers } from './customers-config.js';
import { defaultBackupMode } from '../resources/cosmos/backup.js';

/** The API's delegated scope when `auth.scope` names none (declared beside the registrations, kit/pure/entra.ts). */
export { DEFAULT_API_SCOPE };
/** Vite's dev server: the local origin a site is served from unless `auth.devOrigins` says otherwise. */
export const DEFAULT_DEV_ORIGINS: readonly string[] = ['http://localhost:5173'];

/**
 * `signInAudience` and `allowedTenants`: a multi-tenant registration without an allow-list is refused, so
 * opening the API to every directory is always written down (`allowedTenants: 'any'`).
 */
function signIn(
  auth: AuthConfig | undefined,
): Pick<NormalizedConfig['auth'], 'signInAudience' | 'allowedTenants' | 'customers' | 'tenantId'> {
  const customers = normalizeCustomers(auth);
  // Customers' tokens are issued by the external tenant: it is the API's tenant (handles, outputs, home tenant).
  if (customers) return { signInAudience: 'customers', customers, tenantId: customers.tenantId };
  const signInAudience = auth?.signInAudience ?? 'AzureADMyOrg';
  const allowed = auth?.allowedTenants;
  if (signInAudience === 'AzureADMultipleOrgs' && allowed === undefined) {
    throw new AtakoraError(
      'AUTH_SIGN_IN_AUDIENCE_INVALID',
      "auth.signInAudience 'AzureADMultipleOrgs' lets users of every Microsoft Entra directory get tokens " +
        'for the API, but auth.allowedTenants does not say which directories the API serves.',
      {
        path: ['config', 'auth', 'allowedTenants'],
        resolution:
          "List the customer directories' tenant ids, e.g. allowedTenants: " +
          "['00000000-0000-0000-0000-000000000000'], or write allowedTenants: 'any' to admit every directory.",
      },
    );
  }
  return {
    signInAudience,
    ...(allowed === undefined
      ? {}
      : {
          allowedTenants:
            allowed === 'any' || allowed === 'registry'
              ? allowed
              : [...new Set(allowed.map((t) => t.toLowerCase()))].sort(),
        }),
  };
}

/**
 * Check a backend config against {@link backendConfigSchema} and fill in the defaults. Unknown keys and
 * wrong types are AtakoraErrors with the path (`CONFIG_UNKNOWN_KEY`, `CONFIG_INVALID`).
 *
 * @example
 * ```ts
 * normalizeConfig({ environment: 'prod' }).location; // 'eastus'
 * ```
 */
export function normalizeConfig(input: unknown): NormalizedConfig {
  if (input === undefined) input = {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AtakoraError(
      'CONFIG_NOT_OBJECT',
      `The backend config must be an object (got ` +
        `${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}).`,
      { path: ['config'] },
    );
  }
  // The one rule the CLI's --environment follows, with its message, before the schema's generic one.
  const environment = (input as { environment?: unknown }).environment;
  if (environment !== undefined) checkEnvironmentName(environment, 'environment');
  const monitoring = (input as { monitoring?: unknown }).monitoring;
  if (monitoring && typeof monitoring === 'object')
    checkRetentionDays((monitoring as { retentionDays?: unknown }).retentionDays);
  const parsed = configSchemaFor(input).safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  const c = parsed.data as BackendConfig;
  const m = c.monitoring;
  const mon = typeof m === 'object' ? m : { enabled: m === true };
  const net =
    typeof c.networking === 'string' || c.networking === undefined
      ? { mode: c.networking ?? 'public' }
      : c.networking;
  return {
    backendId: c.backendId ?? 'backend',
    environment: c.environment ?? 'dev',
    location: c.location ?? 'eastus',
    monitoring: {
      enabled: mon.enabled ?? typeof m === 'object',
      retentionDays: mon.retentionDays ?? 30,
      samplingPercentage:
        mon.samplingPercentage ?? defaultSamplingPercentage(c.environment ?? 'dev'),
      alerting: {
        enabled: mon.alerting?.enabled ?? true,
        errorThreshold: mon.alerting?.errorThreshold ?? 5,
        latencyThreshold: mon.alerting?.latencyThreshold ?? 1000,
        emails: [...(mon.alerting?.emails ?? [])].sort(),
      },
      ...(mon.workspaceName ? { workspaceName: mon.workspaceName } : {}),
    },
    networking: {
      mode: net.mode,
      privateEndpoints: net.privateEndpoints ?? net.mode === 'isolated',
      serviceTags: [...(net.serviceTags ?? [])],
      addressSpace: net.addressSpace ?? '10.0.0.0/16',
      deployerAddresses: [...(net.deployerAddresses ?? [])].sort(),
      privateDnsZoneIds: Object.fromEntries(
        Object.entries(net.privateDnsZoneIds ?? {}).sort(([a], [b]) =>
          a < b ? -1 : a > b ? 1 : 0,
        ),
      ),
      ...(net.vnetName ? { vnetName: net.vnetName } : {}),
      ...(net.subnetName ? { subnetName: net.subnetName } : {}),
      ...(net.vnetResourceGroupName ? { vnetResourceGroupName: net.vnetResourceGroupName } : {}),
      ...(net.privateEndpointSubnetName
        ? { privateEndpointSubnetName: net.privateEndpointSubnetName }
        : {}),
    },
    tags: { ...(c.tags ?? {}) },
    ...(c.naming ? { naming: c.naming } : {}),
    limits: { ...(c.limits ?? {}) },
    providers: [...(c.providers ?? [])],
    enforceHttps: c.enforceHttps ?? true,
    useManagedIdentity: c.useManagedIdentity ?? true,
    ...(c.autoScale ? { autoScale: { ...c.autoScale } } : {}),
    ...(c.cosmosConfig ? { cosmosConfig: { ...c.cosmosConfig } } : {}),
    auth:
      c.auth === 'none'
        ? {
            enabled: false,
            audiences: [],
            appRegistration: false,
            scope: DEFAULT_API_SCOPE,
            devOrigins: [...DEFAULT_DEV_ORIGINS],
            signInAudience: 'AzureADMyOrg',
          }
        : {
            enabled: true,
            ...(c.auth?.clientId ? { clientId: c.auth.clientId } : {}),
            ...(c.auth?.tenantId ? { tenantId: c.auth.tenantId } : {}),
            audiences: [...(c.auth?.audiences ?? [])],
            appRegistration: c.auth?.appRegistration ?? true,
            scope: c.auth?.scope ?? DEFAULT_API_SCOPE,
            devOrigins: [...new Set(c.auth?.devOrigins ?? DEFAULT_DEV_ORIGINS)].sort(),
            ...signIn(c.auth),
          },
    tenancy: {
      claim: c.tenancy?.claim ?? 'tid',
      trustGatewayHeader: c.tenancy?.trustGatewayHeader ?? false,
    },
    corsOrigins: [...new Set(c.corsOrigins ?? [])].sort(),
    preventDestroy: c.preventDestroy ?? true,
    // One Web PubSub per backend: a paid, SLA-backed tier where the environment is production, the free one
    // (20 connections, 20,000 messages a day) elsewhere (docs/realtime.md, "Tiers and costs").
    realtime: {
      sku: c.realtime?.sku ?? (c.environment === 'prod' ? 'Standard_S1' : 'Free_F1'),
      units: c.realtime?.units ?? 1,
      skuGiven: c.realtime?.sku !== undefined,
    },
    backup: {
      mode: c.backup?.mode ?? defaultBackupMode(c.environment ?? 'dev'),
      modeGiven: c.backup?.mode !== undefined,
    },
    ...optionalTenants(normalizeTenants(c.auth, c.tenants)),
    ...normalizeMcp(c.mcp),
  };
}

/** `mcp` after defaults: writes off, the authorization server's lifetimes and bounds (docs/mcp.md). */
function normalizeMcp(mcp: BackendConfig['mcp']): Pick<NormalizedConfig, 'mcp'> {
  if (mcp !== true && (typeof mcp !== 'object' || mcp === null)) return {};
  const given = typeof mcp === 'object' ? mcp : {};
  const a = given.authorization;
  const on = a === true || (typeof a === 'object' && a !== null);
  const o = typeof a === 'object' ? a : {};
  return {
    mcp: {
      writes: given.writes === true,
      ...(on
        ? {
            authorization: {
              registration: o.registration === true,
              accessTokenMinutes: o.accessTokenMinutes ?? 10,
              refreshTokenDays: o.refreshTokenDays ?? 30,
              grantsPerPerson: o.grantsPerPerson ?? 20,
            },
          }
        : {}),
    },
  };
}

/**
 * A union's issue named by the branch that got furthest (`mcp: { authorization: { accessTokenMinutes: 1.5 } }` is
 * the object branch's `accessTokenMinutes`, not "Invalid input" at `mcp`): Zod reports a union none of whose
 * branches took the value as one issue at the union, its branches' issues inside (paths relative to it).
 */
function deepest(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union') return issue;
  const inner = issue.errors
    .flat()
    .reduce<z.core.$ZodIssue | undefined>(
      (best, i) => (i.path.length > (best?.path.length ?? 0) ? i : best),
      undefined,
    );
  return inner ? deepest({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

const optionalTenants = (t: NormalizedConfig['tenants']) => (t ? { tenants: t } : {});

function fromZod(error: z.ZodError): AtakoraError {
  const first = deepest(at(error.issues, 0));
  const path = ['config', ...first.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (first.code === 'unrecognized_keys') {
    const keys = (first as { keys: string[] }).keys;
    const known = configKeysAt(first.path);
    const guess = keys.length === 1 ? closest(at(keys, 0), known) : undefined;
    return new AtakoraError(
      'CONFIG_UNKNOWN_KEY',
      `Unknown config key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')} at ${path.join('.')}${guess ? ` (did you mean "${guess}"?)` : ''}.`,
      {
        path: [...path, ...keys.slice(0, 1)],
        details: { issues: error.issues, known },
        resolution: `${guess ? `Rename it to "${guess}"` : 'Remove it or check its spelling'}; the accepted keys here are: ${known.join(', ')}.`,
      },
    );
  }
  return new AtakoraError(
    'CONFIG_INVALID',
    `Invalid config at ${path.join('.')}: ${first.message}.`,
    { path, details: { issues: error.issues } },
  );
}

/**
 * The share of traces kept when `monitoring.samplingPercentage` is not set: every trace outside `prod` (little
 * traffic, and every request is worth seeing), a quarter in `prod`, where ingestion is billed per GB and a trace of a
 * quarter of the requests still shows every route, tenant and failure pattern (docs/observability.md, "Sampling and
 * its cost").
 */
export function defaultSamplingPercentage(environment: string): number {
  return environment === 'prod' ? 25 : 100;
}
