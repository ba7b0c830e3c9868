import { Testing } from '../support/engine.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { AtakoraError } from '../../src/model/errors.js';
import type { SynthesizedStack } from '../../src/testing/synth-backend.js';

type Synth = SynthesizedStack & { resource: NonNullable<SynthesizedStack['resource']> };
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import {
  StaticSite,
  StaticSiteWithCdn,
  type StaticSiteWithCdnConfig,
} from '../../src/components/web/index.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';

/** The seeds' Example 2 global website. */
const globalWebsite = () =>
  StaticSiteWithCdn.define('GlobalWebsite', {
    indexDocument: 'index.html',
    enableSpaMode: true,
    customDomain: 'app.example.com',
    dnsZoneName: 'example.com',
    enableCompression: true,
    cacheMaxAge: 3600,
    cors: { allowedOrigins: ['*'] },
  });

describe('StaticSite', () => {
  it("the seeds' AdminPortal gets a Static Web App of its own, named from its id", () => {
    const backend = defineBackend(
      {
        userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
        adminPortal: StaticSite.define('AdminPortal', {
          sourceDirectory: './admin',
          buildCommand: 'npm run build',
        }),
      },
      { environment: 'prod', location: 'eastus' },
    );
    const plan = backend.plan();
    const site = plan.resources.find((r) => r.type === 'staticsite')!;
    expect(site.key).toBe('staticsite:adminportal');
    expect(site.name).toMatch(/^stapp-backend-prod-adminportal$/);
    expect(site.consumers).toEqual(['AdminPortal']);
    expect(site.config['location']).toBe('eastus2'); // Static Web Apps is not offered in eastus
    const h = backend.components.adminPortal;
    expect(h.siteName).toBe(site.name);
    expect(h.sourceDirectory).toBe('./admin');
    expect(h.buildCommand).toBe('npm run build');
    expect(h.defaultHostname).toBe(
      '${azurerm_static_web_app.backend_staticsite_adminportal.default_host_name}',
    );
    expect(h.url).toBe(`https://${h.defaultHostname}`);
  });

  it('two sites never share; adding one renames nothing', () => {
    const a = StaticSite.define('AdminPortal');
    const before = defineBackend({ a }).plan();
    const after = defineBackend({ docs: StaticSite.define('Docs', { sku: 'Standard' }), a }).plan();
    expect(after.resources.filter((r) => r.type === 'staticsite').map((r) => r.key)).toEqual([
      'staticsite:adminportal',
      'staticsite:docs',
    ]);
    expect(after.resources.find((r) => r.key === 'staticsite:adminportal')!.name).toBe(
      before.resources[0]!.name,
    );
    expect(after.resources.find((r) => r.key === 'staticsite:docs')!.estimatedMonthlyUsd).toBe(9);
  });

  it('ids that slug alike are an error, not a silent share', () => {
    // Refused by defineBackend (ids that differ only in punctuation share settings and names), before any plan.
    expect(() =>
      defineBackend({ a: StaticSite.define('Admin-Portal'), b: StaticSite.define('Admin_Portal') }),
    ).toThrow(expect.objectContaining({ code: 'DUPLICATE_COMPONENT_ID' }));
  });

  it('SPA mode and documents become the staticwebapp.config.json', () => {
    const backend = defineBackend({
      s: StaticSite.define('Spa', {
        enableSpaMode: true,
        errorDocument: '404.html',
        indexDocument: 'main.html',
      }),
    });
    const cfg = backend.components.s.staticWebAppConfig as Record<string, unknown>;
    expect(cfg['navigationFallback']).toMatchObject({ rewrite: '/main.html' });
    expect(cfg['responseOverrides']).toEqual({ '404': { rewrite: '/404.html', statusCode: 404 } });
  });

  it('synthesizes the Static Web App and its custom domain; the plan is honest', () => {
    const backend = defineBackend(
      {
        s: StaticSite.define('AdminPortal', { customDomain: 'admin.example.com', sku: 'Standard' }),
      },
      { tags: { team: 'web' } },
    );
    const json = synth(backend);
    const swa = json.resource['azurerm_static_web_app']!['backend_staticsite_adminportal']!;
    expect(swa).toMatchObject({
      sku_tier: 'Standard',
      sku_size: 'Standard',
      location: 'eastus2',
      tags: { team: 'web' },
    });
    expect(
      json.resource['azurerm_static_web_app_custom_domain']![
        'backend_staticsite_adminportal_domain'
      ],
    ).toMatchObject({
      domain_name: 'admin.example.com',
      validation_type: 'dns-txt-token',
    });
    expect(backend.components.s.url).toBe('https://admin.example.com');
    expectHonest(backend.plan(), json);
  });

  it('the stand-alone form', () => {
    const app = Testing.app();
    const stack = new ResourceGroupStack(app, 'S', {
      resourceGroupName: 'rg',
      location: 'westeurope',
    });
    const site = new StaticSite(stack, 'Docs', { enableSpaMode: true });
    expect(site.siteName).toMatch(/^stapp-docs-dev-docs$/);
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(Object.values(json.resource['azurerm_static_web_app']!)[0]).toMatchObject({
      location: 'westeurope',
    });
    expectHonest(site.backend.plan(), json);
  });

  it.each([
    ['sku', { sku: 'Premium' }, 'STATIC_SITE_INVALID'],
    ['indexDocument', { indexDocument: '../etc/passwd' }, 'STATIC_SITE_INVALID'],
    ['customDomain', { customDomain: 'not a domain' }, 'STATIC_SITE_INVALID'],
    ['enableSpaMode', { enableSpaMode: 'yes' }, 'STATIC_SITE_INVALID'],
    ['sourceDirectory', { sourceDirectory: '' }, 'STATIC_SITE_INVALID'],
  ])('bad %s → %s', (_f, config, code) => {
    expect(codeOf(() => StaticSite.define('Bad', config as never))).toBe(code);
  });
});

describe('StaticSiteWithCdn', () => {
  it("plans the seeds' Example 2 frontend: a site, a shared Front Door profile, cdnEndpoint from the custom domain", () => {
    const frontend = defineBackend(
      { website: globalWebsite() },
      {
        environment: 'production',
        location: 'eastus',
        tags: { tier: 'frontend', multiRegion: 'true' },
      },
    );
    const plan = frontend.plan();
    expect(plan.resources.map((r) => r.key)).toEqual(['cdn:shared', 'staticsite:globalwebsite']);
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const cdn = plan.resources[0]!;
    expect(cdn.name).toMatch(/^afd-backend-production-[a-z0-9]{6}$/);
    const h = frontend.components.website;
    expect(h.cdnEndpoint).toBe('https://app.example.com');
    expect(h.url).toBe('https://app.example.com');
    expect(h.cdnEndpointName).toMatch(/^globalwebsite-production-[a-z0-9]{6}$/);
    expect(h.cdnProfileName).toBe(cdn.name);
    // The custom domain is Front Door's, not the Static Web App's.
    expect(plan.resources[1]!.deploys.map((d) => d.terraformType)).toEqual([
      'azurerm_static_web_app',
    ]);
    expect(cdn.deploys.map((d) => d.terraformType)).toEqual(
      expect.arrayContaining([
        'azurerm_cdn_frontdoor_profile',
        'azurerm_cdn_frontdoor_endpoint',
        'azurerm_cdn_frontdoor_route',
        'azurerm_cdn_frontdoor_custom_domain',
        'azurerm_dns_cname_record',
        'azurerm_dns_txt_record',
      ]),
    );
  });

  it('without a custom domain, cdnEndpoint is the endpoint host name expression', () => {
    const b = defineBackend({ w: StaticSiteWithCdn.define('Web') });
    expect(b.components.w.cdnEndpoint).toBe(
      'https://${azurerm_cdn_frontdoor_endpoint.backend_cdn_shared_Web.host_name}',
    );
  });

  it('CDN sites share one Front Door profile with an endpoint each', () => {
    const plan = defineBackend({
      a: StaticSiteWithCdn.define('SiteA'),
      b: StaticSiteWithCdn.define('SiteB'),
      c: StaticSite.define('Plain'),
    }).plan();
    const cdn = plan.resources.filter((r) => r.type === 'cdn');
    expect(cdn).toHaveLength(1);
    expect(cdn[0]!.consumers).toEqual(['SiteA', 'SiteB']);
    expect(plan.resources.filter((r) => r.type === 'staticsite')).toHaveLength(3);
    expect(
      cdn[0]!.deploys.filter((d) => d.terraformType === 'azurerm_cdn_frontdoor_endpoint'),
    ).toHaveLength(2);
  });

  it('synthesizes Front Door in front of the site, with rules and DNS records; the plan is honest', () => {
    const frontend = defineBackend(
      {
        website: globalWebsite(),
        api: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
      },
      { environment: 'production' },
    );
    const json = synth(frontend);
    const n = 'backend_cdn_shared_GlobalWebsite';
    expect(json.resource['azurerm_cdn_frontdoor_profile']!['backend_cdn_shared']).toMatchObject({
      sku_name: 'Standard_AzureFrontDoor',
    });
    expect(json.resource['azurerm_cdn_frontdoor_origin']![`${n}_origin`]).toMatchObject({
      host_name: '${azurerm_static_web_app.backend_staticsite_globalwebsite.default_host_name}',
      certificate_name_check_enabled: true,
    });
    expect(json.resource['azurerm_cdn_frontdoor_route']![`${n}_route`]).toMatchObject({
      https_redirect_enabled: true,
      forwarding_protocol: 'HttpsOnly',
      cache: { compression_enabled: true },
    });
    const rules = json.resource['azurerm_cdn_frontdoor_rule']!;
    expect(JSON.stringify(rules[`${n}_rule_cache`])).toContain('public, max-age=3600');
    expect(JSON.stringify(rules[`${n}_rule_cors_0`])).toContain('Access-Control-Allow-Origin');
    expect(json.resource['azurerm_cdn_frontdoor_custom_domain']![`${n}_domain`]).toMatchObject({
      host_name: 'app.example.com',
      tls: { certificate_type: 'ManagedCertificate' },
    });
    // TLS 1.2 is the provider's default; naming it draws azurerm 4.55's deprecation warning.
    expect(JSON.stringify(json.resource['azurerm_cdn_frontdoor_custom_domain'])).not.toContain(
      'minimum_tls_version',
    );
    // No resource group for the zone: the stack creates it (a lookup in its own new group would fail the first
    // plan), and the records name it by reference, so they wait for it.
    expect(json.data?.['azurerm_dns_zone']).toBeUndefined();
    expect(json.resource['azurerm_dns_zone']![`${n}_zone`]).toMatchObject({
      name: 'example.com',
      resource_group_name: 'rg',
    });
    expect(json.resource['azurerm_dns_cname_record']![`${n}_cname`]).toMatchObject({
      name: 'app',
      zone_name: `\${azurerm_dns_zone.${n}_zone.name}`,
    });
    expect(json.resource['azurerm_dns_txt_record']![`${n}_dnsauth`]).toMatchObject({
      name: '_dnsauth.app',
      zone_name: `\${azurerm_dns_zone.${n}_zone.name}`,
    });
    expectHonest(frontend.plan(), json);
  });

  it('the stand-alone form', () => {
    const app = Testing.app();
    const stack = new ResourceGroupStack(app, 'S', { resourceGroupName: 'rg', location: 'eastus' });
    const site = new StaticSiteWithCdn(stack, 'Web', {
      cors: { allowedOrigins: ['https://a.example.com', 'https://b.example.com'] },
    });
    const json = JSON.parse(Testing.synth(stack)) as Synth;
    expect(Object.keys(json.resource['azurerm_cdn_frontdoor_rule']!)).toHaveLength(2);
    // Planned as the Terraform expression; once applied, the token of the endpoint's host_name.
    expect(site.backend.plan().components[0]!.outputs['cdnEndpoint']).toMatch(
      /^https:\/\/\$\{azurerm_cdn_frontdoor_endpoint\./,
    );
    expect(site.cdnEndpoint).toMatch(/^https:\/\/\$\{TfToken\[TOKEN\.\d+\]\}$/);
    expectHonest(site.backend.plan(), json);
  });

  const bad = (config: unknown) => () =>
    StaticSiteWithCdn.define('Bad', config as StaticSiteWithCdnConfig);
  it.each([
    ['dnsZoneName without customDomain', { dnsZoneName: 'example.com' }, 'STATIC_SITE_INVALID'],
    [
      'customDomain outside the zone',
      { customDomain: 'app.other.com', dnsZoneName: 'example.com' },
      'STATIC_SITE_INVALID',
    ],
    [
      'zone apex',
      { customDomain: 'example.com', dnsZoneName: 'example.com' },
      'STATIC_SITE_INVALID',
    ],
    ['negative cacheMaxAge', { cacheMaxAge: -1 }, 'CDN_INVALID'],
    ['fractional cacheMaxAge', { cacheMaxAge: 1.5 }, 'CDN_INVALID'],
    ['bad cors origin', { cors: { allowedOrigins: ['example.com/path'] } }, 'CDN_INVALID'],
    ['cors not a list', { cors: { allowedOrigins: '*' } }, 'CDN_INVALID'],
    ['bad sku', { sku: 'Gold' }, 'STATIC_SITE_INVALID'],
  ])('%s → %s', (_w, config, code) => {
    expect(codeOf(bad(config))).toBe(code);
  });
});
