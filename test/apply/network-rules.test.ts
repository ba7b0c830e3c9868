/**
 * Network rules per component in the synthesized Terraform: the Cosmos DB account's `ip_range_filter` is the
 * intersection plus `0.0.0.0` (Azure datacenters, the app's path) on a public backend and the ranges only, with the
 * public endpoint opened to them, on an isolated one; a disjoint component's own account carries its own ranges;
 * an isolated files account denies by default and admits the FileStores' ranges (a /32 bare); no ranges, nothing
 * changes. The plan's deploys equal what is synthesized.
 */
import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';

Testing.setupJest();

type Block = Record<string, unknown>;
type Synth = { resource: Record<string, Record<string, Block>> };

type Appliable = { apply(stack: unknown): unknown; plan(): ResourcePlan };

function synth(backend: Appliable): Synth {
  const app = Testing.app();
  const stack = new ResourceGroupStack(app, 'S', { resourceGroupName: 'rg', location: 'eastus' });
  backend.apply(stack);
  const json = JSON.parse(Testing.synth(stack)) as Synth;
  const planned = backend
    .plan()
    .resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`))
    .sort();
  const synthesized = Object.entries(json.resource)
    .filter(([t]) => t !== 'azurerm_resource_group')
    .flatMap(([t, v]) => Object.keys(v).map((n) => `${t}.${n}`))
    .sort();
  expect(synthesized).toEqual(planned);
  return json;
}

const accounts = (json: Synth) =>
  Object.values(json.resource['azurerm_cosmosdb_account'] ?? {})
    .map((a) => ({
      name: a['name'] as string,
      public: a['public_network_access_enabled'],
      filter: a['ip_range_filter'] as string[] | undefined,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

const api = (id: string, allowedIpRanges?: string[]) =>
  CrudApi.define(id, {
    entityName: id.replace(/Api$/, ''),
    schema: { id: 'string' },
    ...(allowedIpRanges ? { allowedIpRanges } : {}),
  });

describe('network rules per component, synthesized', () => {
  it('public: the shared account filters to the intersection plus Azure datacenters; a disjoint one its own', () => {
    const json = synth(
      defineBackend(
        {
          a: api('AApi', ['203.0.113.0/24', '198.51.100.0/24']),
          b: api('BApi', ['203.0.113.0/25']),
          p: api('PartnerApi', ['192.0.2.0/24']),
        },
        { environment: 'dev' },
      ),
    );
    const found = accounts(json);
    expect(found).toHaveLength(2);
    expect(found.map((a) => a.filter?.slice().sort())).toEqual(
      expect.arrayContaining([
        ['0.0.0.0', '203.0.113.0/25'],
        ['0.0.0.0', '192.0.2.0/24'],
      ]),
    );
    expect(found.every((a) => a.public === true)).toBe(true);
  });

  it('isolated: the public endpoint opens to the ranges only; without ranges it stays off', () => {
    const restricted = accounts(
      synth(
        defineBackend(
          { a: api('AApi', ['203.0.113.0/24']) },
          { environment: 'dev', networking: 'isolated' },
        ),
      ),
    );
    expect(restricted).toEqual([
      { name: expect.any(String), public: true, filter: ['203.0.113.0/24'] },
    ]);
    const closed = accounts(
      synth(defineBackend({ a: api('AApi') }, { environment: 'dev', networking: 'isolated' })),
    );
    expect(closed).toEqual([{ name: expect.any(String), public: false, filter: undefined }]);
    const open = accounts(synth(defineBackend({ a: api('AApi') }, { environment: 'dev' })));
    expect(open).toEqual([{ name: expect.any(String), public: true, filter: undefined }]);
  });

  it("isolated files account: deny by default, the FileStores' intersection admitted, a /32 written bare", () => {
    const json = synth(
      defineBackend(
        {
          a: FileStore.define('Avatars', {
            maxSizeMb: 1,
            allowedIpRanges: ['203.0.113.0/24', '198.51.100.7'],
          }),
          d: FileStore.define('Documents', {
            maxSizeMb: 1,
            allowedIpRanges: ['198.51.100.0/24', '203.0.113.0/24'],
          }),
        },
        { environment: 'dev', networking: 'isolated' },
      ),
    );
    const storage = Object.values(json.resource['azurerm_storage_account'] ?? {});
    const files = storage.filter((s) =>
      ((s['network_rules'] as Block | undefined)?.['ip_rules'] as string[] | undefined)?.includes(
        '203.0.113.0/24',
      ),
    );
    expect(files).toHaveLength(1);
    expect(files[0]!['public_network_access_enabled']).toBe(true);
    expect(files[0]!['network_rules']).toEqual({
      default_action: 'Deny',
      bypass: ['AzureServices'],
      ip_rules: ['198.51.100.7', '203.0.113.0/24'],
    });
    // The other accounts keep their own rules: none admits the FileStores' ranges.
    const others = storage.filter((x) => !files.includes(x));
    expect(others.length).toBeGreaterThan(0);
    for (const o of others)
      expect(JSON.stringify(o['network_rules'] ?? {})).not.toContain('203.0.113.0/24');
  });
});
