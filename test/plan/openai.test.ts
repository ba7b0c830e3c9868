/**
 * `search.vector.embed` planned as Azure OpenAI: one account (kind OpenAI, key auth off, a custom subdomain for
 * Entra auth), one embedding deployment per distinct deployment name (the model pinned, never auto-upgraded), each
 * embedding CrudApi's identity as Cognitive Services OpenAI User at the account only, the endpoint in the app's
 * settings; priced; honest; and the declaration's mistakes refused at define or in the plan.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { OPENAI_ENDPOINT_SETTING } from '../../src/model/embedding-models.js';
import { NETWORK_PRICES } from '../../src/resources/network/type.js';
import { HOURS_PER_MONTH } from '../../src/kit/pure/resources/prices.js';
import { expectHonest, synth, thrown } from '../support/synth.js';

type Block = Record<string, unknown>;
const schema = { id: 'string', title: 'string', body: 'string', embedding: 'array' } as const;
const api = (id: string, embed: Record<string, unknown> | undefined, dimensions = 1536) =>
  CrudApi.define(id, {
    entityName: id.replace(/Api$/, ''),
    schema,
    search: {
      vector: { path: 'embedding', dimensions, ...(embed ? { embed: embed as never } : {}) },
    },
  });
const backendOf = (components: Record<string, ReturnType<typeof api>>) =>
  defineBackend(components, { naming: { uniqueSeed: 'sub/rg' }, location: 'westeurope' });

describe('embed plans Azure OpenAI with the app identity and no key', () => {
  it('one account, one deployment per name, the role at the account for each embedding CrudApi; honest; priced', () => {
    const backend = backendOf({
      docs: api('DocApi', { from: ['title', 'body'], deployment: 'embed-small' }),
      notes: api('NoteApi', { from: ['title'], deployment: 'embed-small' }),
      big: api(
        'BigApi',
        { from: ['body'], deployment: 'embed-large', model: 'text-embedding-3-large' },
        3072,
      ),
      plain: api('PlainApi', undefined),
    });
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const openai = plan.resources.filter((r) => r.type === 'openai');
    expect(openai).toHaveLength(1);
    expect(openai[0]!.consumers).toEqual(['BigApi', 'DocApi', 'NoteApi']);
    expect(openai[0]!.deploys.map((d) => d.terraformType).sort()).toEqual([
      'azurerm_cognitive_account',
      'azurerm_cognitive_deployment',
      'azurerm_cognitive_deployment',
      'azurerm_role_assignment',
      'azurerm_role_assignment',
      'azurerm_role_assignment',
    ]);
    expect(openai[0]!.estimatedMonthlyUsd).toBeGreaterThan(0);
    const json = synth(backend);
    expectHonest(plan, json);
    const r = json.resource;
    const [account] = Object.values(r['azurerm_cognitive_account'] as Record<string, Block>);
    expect(account).toMatchObject({ kind: 'OpenAI', sku_name: 'S0', local_auth_enabled: false });
    expect(account!['custom_subdomain_name']).toBe(account!['name']);
    const deployments = Object.values(r['azurerm_cognitive_deployment'] as Record<string, Block>);
    expect(deployments.map((d) => [d['name'], (d['model'] as Block)['name']]).sort()).toEqual([
      ['embed-large', 'text-embedding-3-large'],
      ['embed-small', 'text-embedding-3-small'],
    ]);
    for (const d of deployments) expect(d['version_upgrade_option']).toBe('NoAutoUpgrade');
    const roles = Object.values(r['azurerm_role_assignment'] as Record<string, Block>).filter(
      (a) => a['role_definition_name'] === 'Cognitive Services OpenAI User',
    );
    expect(roles).toHaveLength(3);
    for (const role of roles)
      expect(String(role['scope'])).toMatch(/^\$\{azurerm_cognitive_account\.[^.]+\.id\}$/);
    expect(JSON.stringify(json)).not.toMatch(/primary_access_key|secondary_access_key/);
    const apps = Object.values({
      ...(r['azurerm_linux_function_app'] as Record<string, Block> | undefined),
      ...(r['azurerm_function_app_flex_consumption'] as Record<string, Block> | undefined),
    });
    const endpoints = apps.map(
      (a) => (a['app_settings'] as Record<string, string>)[OPENAI_ENDPOINT_SETTING],
    );
    expect(
      endpoints.some((e) => /^\$\{azurerm_cognitive_account\.[^.]+\.endpoint\}$/.test(e ?? '')),
    ).toBe(true);
  });

  it('no embed, no Azure OpenAI', () => {
    const plan = backendOf({ plain: api('PlainApi', undefined) }).plan();
    expect(plan.resources.some((r) => r.type === 'openai')).toBe(false);
  });
});

describe('embed mistakes', () => {
  it.each([
    [
      'an unknown model',
      { from: ['title'], deployment: 'e', model: 'gpt-4o' },
      1536,
      'CRUD_SEARCH_EMBED_MODEL',
      ['vector', 'embed', 'model'],
    ],
    [
      'more dimensions than text-embedding-3-small returns',
      { from: ['title'], deployment: 'e' },
      2048,
      'CRUD_SEARCH_EMBED_MODEL',
      ['vector', 'dimensions'],
    ],
    [
      'ada-002 shortened',
      { from: ['title'], deployment: 'e', model: 'text-embedding-ada-002' },
      1024,
      'CRUD_SEARCH_EMBED_MODEL',
      ['vector', 'dimensions'],
    ],
  ] as const)('%s → %s at its path', (_, embed, dimensions, code, rest) => {
    const e = thrown(() => api('DocApi', embed, dimensions));
    expect(e).toMatchObject({
      code,
      path: ['components', 'DocApi', 'config', 'search', ...rest],
    });
    expect(e.resolution).toBeTruthy();
  });

  it('one deployment name with two models is a plan error naming both CrudApis', () => {
    const plan = backendOf({
      a: api('AApi', { from: ['title'], deployment: 'embed' }),
      b: api('BApi', { from: ['title'], deployment: 'embed', model: 'text-embedding-3-large' }),
    }).plan();
    const issue = plan.issues.find((i) => i.code === 'OPENAI_DEPLOYMENT_CONFLICT');
    expect(issue).toMatchObject({ severity: 'error', components: ['AApi', 'BApi'] });
  });
});

describe('embed under isolated networking', () => {
  const isolated = (networking: 'isolated' | 'public') =>
    defineBackend(
      { docs: api('DocApi', { from: ['title'], deployment: 'embed' }) },
      {
        naming: { uniqueSeed: 'sub/rg' },
        location: 'westeurope',
        networking:
          networking === 'isolated'
            ? { mode: 'isolated', deployerAddresses: ['203.0.113.7'] }
            : 'public',
      },
    );

  it('the account is private: public access off, an account endpoint in the endpoint subnet, its zone linked; honest; priced', () => {
    const backend = isolated('isolated');
    const plan = backend.plan();
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(plan.issues.map((i) => i.code)).not.toContain('OPENAI_PUBLIC_NETWORK');
    const network = plan.resources.find((r) => r.type === 'network')!;
    const pe = (network.config['privateEndpoints'] as Block[]).find(
      (p) => p['targetType'] === 'openai',
    );
    expect(pe).toMatchObject({
      target: 'openai:shared',
      subresource: 'account',
      zone: 'privatelink.openai.azure.com',
    });
    expect(network.config['dnsZones']).toContain('privatelink.openai.azure.com');
    const json = synth(backend);
    expectHonest(plan, json);
    const r = json.resource;
    const [account] = Object.values(r['azurerm_cognitive_account'] as Record<string, Block>);
    expect(account!['public_network_access_enabled']).toBe(false);
    const accountRef = Object.keys(r['azurerm_cognitive_account'] as Block)[0]!;
    const endpoint = Object.values(r['azurerm_private_endpoint'] as Record<string, Block>).find(
      (e) =>
        (e['private_service_connection'] as Block)['private_connection_resource_id'] ===
        `\${azurerm_cognitive_account.${accountRef}.id}`,
    );
    expect(endpoint).toBeDefined();
    expect((endpoint!['private_service_connection'] as Block)['subresource_names']).toEqual([
      'account',
    ]);
    expect(String(endpoint!['subnet_id'])).toMatch(/azurerm_subnet\.[^.]*_pe\.id/);
    // It waits for the deployments: Azure takes one change of the account at a time.
    expect(String(endpoint!['depends_on'])).toMatch(/azurerm_cognitive_deployment\./);
    const zones = Object.entries(r['azurerm_private_dns_zone'] as Record<string, Block>).filter(
      ([, z]) => z['name'] === 'privatelink.openai.azure.com',
    );
    expect(zones).toHaveLength(1);
    const [zoneRef] = zones[0]!;
    expect(
      JSON.stringify((endpoint!['private_dns_zone_group'] as Block)['private_dns_zone_ids']),
    ).toContain(`azurerm_private_dns_zone.${zoneRef}.id`);
    const links = Object.values(
      r['azurerm_private_dns_zone_virtual_network_link'] as Record<string, Block>,
    ).filter((l) => String(l['private_dns_zone_name']).includes(zoneRef));
    expect(links).toHaveLength(1);
    // Priced with the network's other endpoints: one endpoint-hour a month and one zone-month more than the
    // same isolated backend without embed.
    const plainNetwork = defineBackend(
      { docs: api('DocApi', undefined) },
      {
        naming: { uniqueSeed: 'sub/rg' },
        location: 'westeurope',
        networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] },
      },
    )
      .plan()
      .resources.find((x) => x.type === 'network')!;
    expect(network.estimatedMonthlyUsd - plainNetwork.estimatedMonthlyUsd).toBeCloseTo(
      NETWORK_PRICES.privateEndpointPerHour * HOURS_PER_MONTH +
        NETWORK_PRICES.privateDnsZonePerMonth,
      2,
    );
  });

  it('public networking keeps the account public', () => {
    const json = synth(isolated('public'));
    const [account] = Object.values(
      json.resource['azurerm_cognitive_account'] as Record<string, Block>,
    );
    expect(account!['public_network_access_enabled']).toBe(true);
    expect(json.resource['azurerm_private_endpoint']).toBeUndefined();
  });
});
