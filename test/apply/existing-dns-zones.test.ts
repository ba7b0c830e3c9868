import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { NetworkingConfig } from '../../src/model/config.js';
import { planOverview } from '../../src/plan/overview.js';
import { renderPlanText } from '../../src/plan/render/text.js';
import { deployabilityProblems, type TfJson } from '../support/deployability.js';
import { existingZoneProblems } from '../support/existing-zone-rules.js';
import { expectHonest, synth, thrown } from '../support/synth.js';

// networking.privateDnsZoneIds: a spoke VNet already linked to a hub's privatelink.* zones.
const HUB =
  '/subscriptions/00000000-0000-4000-8000-0000000000aa/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones';
const COSMOS = 'privatelink.documents.azure.com';
const BLOB = 'privatelink.blob.core.windows.net';
const ids = { [COSMOS]: `${HUB}/${COSMOS}`, [BLOB]: `${HUB}/${BLOB}` };
const spoke = (extra: Partial<NetworkingConfig> = {}): NetworkingConfig => ({
  mode: 'isolated',
  vnetName: 'vnet-spoke',
  vnetResourceGroupName: 'rg-spoke',
  deployerAddresses: ['203.0.113.7'],
  ...extra,
});
const backend = (networking: NetworkingConfig | 'public') =>
  defineBackend(
    {
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string', title: 'string' },
      }),
    },
    { environment: 'prod', networking },
  );

describe('existing private DNS zones by id', () => {
  it('reused zones: no zone, no link; the endpoints register in the given ids; the deployability rules hold', () => {
    const b = backend(spoke({ privateDnsZoneIds: ids }));
    const json = synth(b);
    expect(existingZoneProblems(json as TfJson, ids)).toEqual([]);
    expect(deployabilityProblems(json as TfJson)).toEqual([]);
    expectHonest(b.plan(), json);
    const zones = Object.values(json.resource['azurerm_private_dns_zone'] ?? {}).map(
      (z) => z['name'],
    );
    expect(zones).not.toContain(COSMOS);
    expect(zones).not.toContain(BLOB);
    expect(zones).toContain('privatelink.queue.core.windows.net'); // zones not given are still the stack's own
    const groups = Object.values(json.resource['azurerm_private_endpoint'] ?? {}).map(
      (e) =>
        (e['private_dns_zone_group'] as { private_dns_zone_ids: string[] }).private_dns_zone_ids[0],
    );
    expect(groups).toContain(ids[COSMOS]);
    expect(groups).toContain(ids[BLOB]);
  });

  it("today's output for the same stack (the stack's own zones) is reported: duplicate zones, links, records", () => {
    const json = synth(backend(spoke()));
    const problems = existingZoneProblems(json as TfJson, ids);
    expect(problems.filter((p) => p.includes('exists already'))).toHaveLength(2);
    expect(problems.filter((p) => p.startsWith('a VNet link to the duplicate'))).toHaveLength(2);
    expect(problems.some((p) => p.includes(`registers in the duplicate ${COSMOS}`))).toBe(true);
    expect(problems).toContain(
      `no private endpoint registers in the existing ${COSMOS} (Learn: private DNS zone virtual network link; azurerm private_endpoint_resource.go@v4.55.0)`,
    );
  });

  it('the plan shows the zones as reused, costs nothing for them, and says what reusing needs', () => {
    const own = backend(spoke()).plan();
    const reused = backend(spoke({ privateDnsZoneIds: ids })).plan();
    const net = (p: typeof own) => p.resources.find((r) => r.type === 'network')!;
    expect(net(reused).config['existingDnsZones']).toEqual(ids);
    expect(net(own).estimatedMonthlyUsd - net(reused).estimatedMonthlyUsd).toBeCloseTo(2 * 0.5);
    expect(
      net(reused).deploys.filter((d) => d.terraformType === 'azurerm_private_dns_zone'),
    ).toHaveLength(
      net(own).deploys.filter((d) => d.terraformType === 'azurerm_private_dns_zone').length - 2,
    );
    const o = planOverview(reused).beforeYouDeploy;
    expect(o.reusedDnsZones).toEqual([BLOB, COSMOS]);
    expect(o.reusedDnsZonesNeed).toContain('Private DNS Zone Contributor');
    expect(renderPlanText(reused)).toContain(
      `private DNS zones reused: ${BLOB}, ${COSMOS} (existing, not created or linked by the stack`,
    );
    expect(planOverview(own).beforeYouDeploy.reusedDnsZonesNeed).toBeNull();
  });

  it('bad ids and unused zones are plan errors with code, path and fix; apply refuses them', () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ [COSMOS]: 'privatelink.documents.azure.com' }, 'PRIVATE_DNS_ZONE_ID_INVALID', COSMOS],
      [{ [COSMOS]: `${HUB}/${BLOB}` }, 'PRIVATE_DNS_ZONE_ID_INVALID', COSMOS],
      [
        { [COSMOS]: ids[COSMOS]!.replace('resourceGroups', 'resourcegroups') },
        'PRIVATE_DNS_ZONE_ID_INVALID',
        COSMOS,
      ],
      [
        { 'privatelink.vaultcore.azure.net': `${HUB}/privatelink.vaultcore.azure.net` },
        'PRIVATE_DNS_ZONE_UNUSED',
        'privatelink.vaultcore.azure.net',
      ],
    ];
    for (const [given, code, zone] of cases) {
      const b = backend(spoke({ privateDnsZoneIds: given }));
      const issue = b.plan().issues.find((i) => i.code === code);
      expect(issue).toMatchObject({
        severity: 'error',
        path: ['config', 'networking', 'privateDnsZoneIds', zone],
      });
      expect(issue?.resolution).toBeTruthy();
      expect(thrown(() => synth(b)).message).toContain(code);
    }
    // Not isolated: no endpoint uses any zone.
    expect(
      backend({ mode: 'public', privateDnsZoneIds: ids })
        .plan()
        .issues.filter((i) => i.code === 'PRIVATE_DNS_ZONE_UNUSED'),
    ).toHaveLength(2);
  });

  it('a VNet the stack creates is linked to no reused zone: a warning; a zone made in the same program passes by reference', () => {
    const created = backend({
      mode: 'isolated',
      deployerAddresses: ['203.0.113.7'],
      privateDnsZoneIds: ids,
    }).plan();
    expect(created.issues.find((i) => i.code === 'PRIVATE_DNS_ZONE_LINK_MISSING')).toMatchObject({
      severity: 'warning',
      path: ['config', 'networking', 'privateDnsZoneIds'],
    });
    const byReference = backend(
      spoke({ privateDnsZoneIds: { [COSMOS]: '${azurerm_private_dns_zone.hub_cosmos.id}' } }),
    ).plan();
    expect(byReference.issues.filter((i) => i.code.startsWith('PRIVATE_DNS_ZONE'))).toEqual([]);
  });

  it('property: any subset of the zones given by id is neither created nor linked, costs 0.50 USD a month less each, and nothing else changes', () => {
    const own = backend(spoke()).plan();
    const net = (p: typeof own) => p.resources.find((r) => r.type === 'network')!;
    const used = net(own).config['dnsZones'] as string[];
    const created = (p: typeof own, type: string) =>
      net(p)
        .deploys.filter((d) => d.terraformType === type)
        .map((d) => d.name);
    fc.assert(
      fc.property(fc.subarray(used), (given) => {
        const reused = backend(
          spoke({ privateDnsZoneIds: Object.fromEntries(given.map((z) => [z, `${HUB}/${z}`])) }),
        ).plan();
        expect(reused.issues.filter((i) => i.code.startsWith('PRIVATE_DNS_ZONE'))).toEqual([]);
        expect(Object.keys(net(reused).config['existingDnsZones'] as object).sort()).toEqual(
          [...given].sort(),
        );
        for (const type of [
          'azurerm_private_dns_zone',
          'azurerm_private_dns_zone_virtual_network_link',
        ])
          expect(created(reused, type)).toHaveLength(used.length - given.length);
        expect(net(own).estimatedMonthlyUsd - net(reused).estimatedMonthlyUsd).toBeCloseTo(
          given.length * 0.5,
        );
        // Everything else the network deploys (VNet parts, endpoints) is the same.
        const rest = (p: typeof own) =>
          net(p)
            .deploys.filter((d) => !d.terraformType.startsWith('azurerm_private_dns_zone'))
            .map((d) => d.name);
        expect(rest(reused)).toEqual(rest(own));
      }),
      { numRuns: 30 },
    );
  });
});
