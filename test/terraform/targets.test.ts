import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_TARGETS,
  EXPECTED_DIAGNOSTICS,
  fixtureBackends,
  type FixtureBackend,
} from './targets.js';
import { allowedValues, PROVIDER_ENUMERATIONS } from './enumerations.js';

// What `npm run check:terraform` runs through the real providers must keep up with the code: a new example file,
// or a new registered resource type, without a stack there fails here (fast: no Terraform, plans only).
const root = resolve(import.meta.dirname, '../..');

// The CLI bundles a .ts entry beside it for the moment of an import (`.<entry>.<pid>-<time>.atakora.mjs`, git-ignored,
// src/cli/entry/compile-entry.ts): a test beside this one running `atakora synth examples/…` leaves one there briefly.
const CLI_BUNDLE = /^\..+\.atakora\.mjs$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (CLI_BUNDLE.test(name)) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory()
      ? filesUnder(path)
      : [relative(root, path).split('\\').join('/')];
  });
}

/** The options that change the synthesized stack, each with how to tell a fixture backend uses it. */
const OPTIONS: Readonly<Record<string, (b: FixtureBackend) => boolean>> = {
  'isolated networking with private endpoints, VNet created': (b) =>
    b.config.networking.mode === 'isolated' &&
    b.config.networking.privateEndpoints &&
    !b.config.networking.vnetName,
  'isolated networking in an existing VNet': (b) =>
    b.config.networking.mode === 'isolated' && b.config.networking.vnetName !== undefined,
  'monitoring with alerts to e-mail receivers': (b) =>
    b.config.monitoring.enabled && b.config.monitoring.alerting.emails.length > 0,
  'a static site without a CDN': (b) => has(b, 'staticsite') && !has(b, 'cdn'),
  'a static site custom domain (TXT token)': (b) =>
    resources(b, 'staticsite').some((r) => r.config['customDomain'] !== undefined),
  'a static site behind Front Door': (b) => has(b, 'cdn'),
  'a Front Door custom domain in a DNS zone, with WAF': (b) =>
    resources(b, 'cdn').some(
      (r) =>
        JSON.stringify(r.config).includes('"dnsZoneName"') &&
        JSON.stringify(r.config).includes('"waf":true'),
    ),
  'multi-tenant sign-in with an allow-list': (b) =>
    b.config.auth.signInAudience === 'AzureADMultipleOrgs' &&
    Array.isArray(b.config.auth.allowedTenants),
  'multi-tenant sign-in for any tenant': (b) =>
    b.config.auth.signInAudience === 'AzureADMultipleOrgs' &&
    b.config.auth.allowedTenants === 'any',
  'sign-in with app roles and a custom scope': (b) =>
    b.config.auth.scope !== 'user_impersonation' &&
    b.plan.resources.some((r) =>
      r.deploys.some((d) => d.terraformType === 'azuread_application'),
    ) &&
    JSON.stringify(b.plan.resources).includes('"allow":"role"'),
  'an existing API registration (auth.clientId)': (b) => b.config.auth.clientId !== undefined,
  'no registration made (appRegistration: false), own audiences': (b) =>
    b.config.auth.enabled && !b.config.auth.appRegistration && b.config.auth.audiences.length > 0,
  "authentication off (auth: 'none')": (b) => !b.config.auth.enabled,
  'Service Bus Basic': (b) => resources(b, 'servicebus').some((r) => r.config['sku'] === 'Basic'),
  'Service Bus Standard': (b) =>
    resources(b, 'servicebus').some((r) => r.config['sku'] === 'Standard'),
  'Service Bus Premium': (b) =>
    resources(b, 'servicebus').some((r) => r.config['sku'] === 'Premium'),
  'Key Vault premium': (b) => resources(b, 'keyvault').some((r) => r.config['sku'] === 'premium'),
  'Flex Consumption hosting': (b) =>
    resources(b, 'functions').some((r) => r.config['sku'] === 'FC1'),
  'Elastic Premium hosting': (b) =>
    resources(b, 'functions').some((r) => String(r.config['sku']).startsWith('EP')),
  'Dedicated hosting': (b) =>
    resources(b, 'functions').some((r) => /^(B|S|P)\d/.test(String(r.config['sku']))),
  'Cosmos DB serverless': (b) =>
    resources(b, 'cosmos').some((r) => r.config['serverless'] === true),
  'Cosmos DB provisioned throughput': (b) =>
    resources(b, 'cosmos').some((r) => r.config['serverless'] === false),
  'Cosmos DB in several regions': (b) => b.config.cosmosConfig?.enableMultiRegion === true,
  'a FileStore (data storage account, CORS for the sites)': (b) =>
    has(b, 'storage') && b.plan.components.some((c) => c.type === 'FileStore'),
  'more FileStores than one lifecycle rule takes (over 10 prefixes a kind)': (b) =>
    resources(b, 'storage').some(
      (r) =>
        ((r.config['retention'] as { stagingPrefixes?: unknown[] } | undefined)?.stagingPrefixes
          ?.length ?? 0) > 10,
    ),
  'a FileStore with isolated networking': (b) =>
    b.config.networking.mode === 'isolated' &&
    b.plan.components.some((c) => c.type === 'FileStore'),
  'a FileStore beside corsOrigins': (b) =>
    b.config.corsOrigins.length > 0 && b.plan.components.some((c) => c.type === 'FileStore'),
  'declared secrets (Key Vault references)': (b) =>
    JSON.stringify(b.plan.resources).includes('@Microsoft.KeyVault('),
  'an anonymous HTTP function (excluded from App Service authentication)': (b) =>
    b.plan.issues.some((i) => i.code === 'FUNCTION_ANONYMOUS'),
  'a preview environment (--environment pr-<n>)': (b) => b.plan.environment.startsWith('pr-'),
  'Cosmos DB ip_range_filter from allowedIpRanges, public backend (with 0.0.0.0)': (b) =>
    b.config.networking.mode === 'public' &&
    resources(b, 'cosmos').some((r) => r.config['ipRanges'] !== undefined),
  'a disjoint allowedIpRanges on a Cosmos DB account of its own': (b) =>
    resources(b, 'cosmos').filter((r) => r.config['ipRanges'] !== undefined).length > 1,
  'an isolated account opened to allowedIpRanges (Cosmos DB and files ip_rules)': (b) =>
    b.config.networking.mode === 'isolated' &&
    resources(b, 'cosmos').some((r) => r.config['ipRanges'] !== undefined) &&
    resources(b, 'storage').some((r) => r.config['ipRules'] !== undefined),
};
const resources = (b: FixtureBackend, type: string) =>
  b.plan.resources.filter((r) => r.type === type);
const has = (b: FixtureBackend, type: string) => resources(b, type).length > 0;

describe('check:terraform covers every example and every resource type', () => {
  it('every file under examples/ is checked (atakora synth or its cdktf program) or skipped with a reason', () => {
    const keys = Object.keys(EXAMPLE_TARGETS);
    const listed = (f: string) =>
      keys.includes(f) || keys.some((k) => k.endsWith('/') && f.startsWith(k));
    expect(filesUnder(join(root, 'examples')).filter((f) => !listed(f))).toEqual([]);
    for (const [file, t] of Object.entries(EXAMPLE_TARGETS)) {
      expect(existsSync(join(root, file)), `${file} is listed but does not exist`).toBe(true);
      if (t.skip !== undefined) {
        expect(t.skip.trim().length, `${file}: a skip needs its reason`).toBeGreaterThan(10);
        expect(t.cli || t.program, `${file}: skipped and checked at once`).toBeFalsy();
      } else {
        expect(t.cli || t.program, `${file}: neither checked nor skipped`).toBeTruthy();
      }
      // The program the check calls is a function the example exports.
      if (t.program)
        expect(readFileSync(join(root, file), 'utf8'), file).toMatch(
          new RegExp(`export (async )?function ${t.program}\\(`),
        );
    }
  });

  // That every registered resource type is planned by a fixture stack is one of the conformance suite's checks
  // (test/resources/conformance.test.ts, through fixtureBackends), with the type's other facts.
  it('the fixture stacks plan without errors', async () => {
    const backends = await fixtureBackends();
    expect(backends.length).toBeGreaterThanOrEqual(10);
    // A fixture with plan errors would stop at synth; the check wants stacks, so none has any.
    expect(
      backends.flatMap((b) =>
        b.plan.issues
          .filter((i) => i.severity === 'error')
          .map((i) => `${b.file} ${b.name}: ${i.code}`),
      ),
    ).toEqual([]);
  });

  it('every option that changes the stack is used by a fixture backend', async () => {
    const backends = await fixtureBackends();
    expect(
      Object.entries(OPTIONS)
        .filter(([, uses]) => !backends.some(uses))
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('every expected diagnostic says why, and the enumeration probes read a provider refusal', () => {
    for (const e of EXPECTED_DIAGNOSTICS) expect(e.reason.trim().length).toBeGreaterThan(10);
    expect(PROVIDER_ENUMERATIONS.map((e) => e.attribute)).toContain(
      'azurerm_cdn_frontdoor_route.cache.content_types_to_compress',
    );
    // The refusal's shape (validation.StringInSlice in the plugin SDK): the allowed values are read from it.
    expect(
      allowedValues(
        'expected cache.0.content_types_to_compress.9 to be one of ["text/css" "text/html"], got application/manifest+json',
      ),
    ).toEqual(['text/css', 'text/html']);
    expect(allowedValues('Missing required argument')).toBeUndefined();
  });
});
