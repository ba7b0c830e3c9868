import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { StaticSiteWithCdn } from '../../src/components/web/index.js';
import { codeOf, expectHonest, synth } from '../support/synth.js';

const site = (waf?: boolean) =>
  StaticSiteWithCdn.define('Web', {
    indexDocument: 'index.html',
    customDomain: 'www.example.com',
    dnsZoneName: 'example.com',
    ...(waf === undefined ? {} : { waf }),
  });

describe('Front Door WAF for StaticSiteWithCdn', () => {
  it('waf: true → Premium profile, a prevention-mode policy with managed rules, attached to the endpoint and custom domain', () => {
    const backend = defineBackend({ web: site(true) });
    const json = synth(backend);
    const profile = Object.values(json.resource['azurerm_cdn_frontdoor_profile']!)[0]!;
    expect(profile['sku_name']).toBe('Premium_AzureFrontDoor');
    const policies = Object.entries(json.resource['azurerm_cdn_frontdoor_firewall_policy'] ?? {});
    expect(policies).toHaveLength(1);
    const [policyName, policy] = policies[0]!;
    expect(policy).toMatchObject({
      sku_name: 'Premium_AzureFrontDoor',
      mode: 'Prevention',
      enabled: true,
    });
    expect((policy['managed_rule'] as { type: string }[]).map((r) => r.type)).toEqual([
      'Microsoft_DefaultRuleSet',
      'Microsoft_BotManagerRuleSet',
    ]);
    const security = Object.values(json.resource['azurerm_cdn_frontdoor_security_policy'] ?? {});
    expect(security).toHaveLength(1);
    const firewall = (
      security[0]!['security_policies'] as {
        firewall: {
          cdn_frontdoor_firewall_policy_id: string;
          association: {
            domain: { cdn_frontdoor_domain_id: string }[];
            patterns_to_match: string[];
          };
        };
      }
    ).firewall;
    expect(firewall.cdn_frontdoor_firewall_policy_id).toBe(
      `\${azurerm_cdn_frontdoor_firewall_policy.${policyName}.id}`,
    );
    expect(firewall.association.patterns_to_match).toEqual(['/*']);
    const domains = firewall.association.domain.map((d) => d.cdn_frontdoor_domain_id);
    expect(domains.some((d) => d.startsWith('${azurerm_cdn_frontdoor_endpoint.'))).toBe(true);
    expect(domains.some((d) => d.startsWith('${azurerm_cdn_frontdoor_custom_domain.'))).toBe(true);
    expectHonest(backend.plan(), json);
    expect(backend.plan().resources.find((r) => r.type === 'cdn')?.estimatedMonthlyUsd).toBe(330);
  });

  it("says plainly that the site's own host bypasses the WAF, and outputs the Front Door id to lock the site with", () => {
    const backend = defineBackend({ web: site(true) });
    const warning = backend.plan().issues.find((i) => i.code === 'WAF_BYPASSED_BY_SITE_HOST');
    expect(warning).toMatchObject({
      severity: 'warning',
      components: ['Web'],
      path: ['components', 'web', 'config', 'waf'],
    });
    expect(warning!.message).toContain('azurestaticapps.net');
    const json = synth(backend) as { output?: Record<string, { value: string }> };
    expect(
      Object.entries(json.output ?? {}).some(
        ([k, o]) =>
          k.includes('_front_door_id') &&
          /^\$\{azurerm_cdn_frontdoor_profile\.[^.]+\.resource_guid\}$/.test(o.value),
      ),
    ).toBe(true);
    expect(
      defineBackend({ web: site() })
        .plan()
        .issues.map((i) => i.code),
    ).not.toContain('WAF_BYPASSED_BY_SITE_HOST');
  });

  it('default: Standard, no WAF resources', () => {
    const json = synth(defineBackend({ web: site() }));
    expect(Object.values(json.resource['azurerm_cdn_frontdoor_profile']!)[0]!['sku_name']).toBe(
      'Standard_AzureFrontDoor',
    );
    expect(json.resource['azurerm_cdn_frontdoor_firewall_policy']).toBeUndefined();
  });

  it('a non-boolean waf is CDN_INVALID', () => {
    expect(codeOf(() => StaticSiteWithCdn.define('Web', { waf: 'yes' as never }))).toBe(
      'CDN_INVALID',
    );
  });
});
