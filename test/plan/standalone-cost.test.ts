import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi, type CrudApiConfig } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { compare } from '../../src/kit/pure/resources/merge-strategies.js';
import type { TypedRequirement } from '../../src/kit/pure/resources/resource-type.js';
import type { ComponentDefinition } from '../../src/model/component.js';
import type { BackendConfig } from '../../src/model/config.js';
import type {
  CosmosRequirementConfig,
  DatabaseRequirement,
} from '../../src/resources/cosmos/requirement.js';
import { cosmosType } from '../../src/resources/cosmos/type.js';
import { StaticSiteWithCdn } from '../../src/components/web/index.js';
import { cdnType, type CdnRequirementConfig } from '../../src/resources/cdn/type.js';

// The summary's unshared cost prices each consumer's own copy of a shared resource. Without a type's
// standaloneMonthlyUsd the planner merges the consumer's requirements alone and prices that (10,000 Cosmos
// merges for 10,000 CrudApis); with it, the shortcut must give exactly that number.

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const crudConfig: fc.Arbitrary<CrudApiConfig> = fc
  .record({
    entity: fc.constantFrom('User', 'Order', 'Audit'),
    db: opt(fc.constantFrom('shared-db', 'other-db')),
    container: opt(fc.constantFrom('items', 'things')),
    pk: fc.constantFrom('/id', '/tenantId'),
    throughput: opt(fc.constantFrom(400, 1000, 4000, 6500)),
    serverless: opt(fc.boolean()),
    ttl: opt(fc.constantFrom(60, 3600)),
    uniqueKeys: opt(fc.constantFrom(['/email'], ['/email', '/tenantId'])),
    consistency: opt(fc.constantFrom('Session', 'Strong') as fc.Arbitrary<'Session' | 'Strong'>),
    priority: opt(fc.constantFrom(5, 10, 20)),
  })
  .map((c) => ({
    entityName: c.entity,
    schema: { id: 'string', tenantId: 'string', email: 'string' },
    partitionKey: c.pk,
    ...(c.db ? { databaseName: c.db } : {}),
    ...(c.container ? { containerName: c.container } : {}),
    ...(c.throughput ? { throughput: c.throughput } : {}),
    // A serverless account takes no throughput (CrudApi.define refuses it).
    ...(c.serverless !== undefined && !(c.serverless && c.throughput)
      ? { enableServerless: c.serverless }
      : {}),
    ...(c.ttl ? { ttl: c.ttl } : {}),
    ...(c.uniqueKeys ? { uniqueKeys: c.uniqueKeys } : {}),
    ...(c.consistency ? { consistency: c.consistency } : {}),
    ...(c.priority ? { priority: c.priority } : {}),
  }));

/** Any cosmos requirement: several databases, shared or dedicated throughput, a container named twice. */
const database: fc.Arbitrary<DatabaseRequirement> = fc
  .record({
    name: fc.constantFrom('shared-db', 'other-db', 'x-db'),
    throughput: opt(fc.constantFrom(400, 1000)),
    autoscaleMaxThroughput: opt(fc.constantFrom(1000, 4000)),
    containers: opt(
      fc.array(
        fc.record({
          name: fc.constantFrom('items', 'things', 'more'),
          partitionKey: fc.constantFrom('/id', '/tenantId'),
          throughput: opt(fc.constantFrom(400, 800)),
          autoscaleMaxThroughput: opt(fc.constantFrom(1000, 5000)),
          ttl: opt(fc.constantFrom(-1, 60)),
        }),
        { maxLength: 3 },
      ),
    ),
  })
  .map((d) => JSON.parse(JSON.stringify(d)) as DatabaseRequirement);
const cosmosConfig: fc.Arbitrary<CosmosRequirementConfig> = fc
  .record({
    databases: fc.array(database, { maxLength: 3 }),
    enableServerless: opt(fc.boolean()),
    access: opt(fc.constantFrom('read', 'readwrite') as fc.Arbitrary<'read' | 'readwrite'>),
  })
  .map((c) => JSON.parse(JSON.stringify(c)) as CosmosRequirementConfig);

/** A definition as the planner reads it. */
type Definition = Pick<ComponentDefinition, 'componentType' | 'requirements'>;

const component = (id: string): fc.Arbitrary<Definition> =>
  fc.oneof(
    crudConfig.map((c) => CrudApi.define(id, c)),
    fc.array(cosmosConfig, { minLength: 1, maxLength: 2 }).map((list) =>
      defineComponent({
        type: 'Data',
        id,
        config: {},
        requirements: () =>
          list.map((config, i) => ({
            resourceType: 'cosmos',
            requirementKey: `data${i}`,
            config: { ...config },
          })),
      }),
    ),
  );
const components = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][a-z0-9]{1,6}$/), { minLength: 1, maxLength: 12 })
  .chain((ids) => fc.tuple(...ids.map((id) => component(id).map((d) => [id, d] as const))));

const backendConfig: fc.Arbitrary<BackendConfig> = fc
  .record({
    autoScale: opt(
      fc.record(
        { enabled: fc.boolean(), maxThroughput: opt(fc.constantFrom(1000, 4000, 6500)) },
        { requiredKeys: ['enabled'] },
      ),
    ),
    cosmosConfig: opt(
      fc.oneof(
        fc.record(
          { useExisting: fc.constant(true), accountName: opt(fc.constant('cosmos-app-primary')) },
          { requiredKeys: ['useExisting'] },
        ),
        fc.constant({ failoverPolicies: [{ locationName: 'westus2', priority: 1 }] }),
        fc.constant({ consistencyLevel: 'Strong' as const }),
      ),
    ),
  })
  .map(
    (c) =>
      JSON.parse(
        JSON.stringify({ environment: 'prod', location: 'eastus', ...c }),
      ) as BackendConfig,
  );

type CosmosRequirement = TypedRequirement<CosmosRequirementConfig>;

/** The cosmos requirements of the components, grouped as the planner groups them (by compatibility key and default-ness). */
function cosmosGroups(
  list: readonly (readonly [string, Definition])[],
  config: ReturnType<typeof normalizeConfig>,
): CosmosRequirement[][] {
  const groups = new Map<string, CosmosRequirement[]>();
  for (const [id, d] of list) {
    d.requirements({ componentId: id, config }).forEach((requirement, index) => {
      if (requirement.resourceType !== 'cosmos') return;
      const r = {
        componentId: id,
        componentKey: `k${id}`,
        componentType: d.componentType,
        requirement,
        index,
      } as CosmosRequirement;
      const { key, isDefault } = cosmosType.compatibility(r, config);
      const k = isDefault ? 'shared' : key;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    });
  }
  return [...groups.values()].map((reqs) =>
    reqs.sort((a, b) => compare(a.componentId, b.componentId) || a.index - b.index),
  );
}

describe('cosmos standaloneMonthlyUsd', () => {
  it("equals the price of the consumer's requirements merged alone", () => {
    let priced = 0;
    let existing = 0;
    fc.assert(
      fc.property(components, backendConfig, (list, input) => {
        const config = normalizeConfig(input);
        for (const reqs of cosmosGroups(list, config)) {
          const shared = cosmosType.merge(reqs, config).config;
          for (const id of new Set(reqs.map((r) => r.componentId))) {
            const own = reqs.filter((r) => r.componentId === id);
            const alone = cosmosType.monthlyUsd(cosmosType.merge(own, config).config);
            expect(
              cosmosType.standaloneMonthlyUsd(own, shared, config),
              `${id} in ${JSON.stringify(shared.databases)}`,
            ).toBe(alone);
            if (alone > 0) priced++;
            if (shared.existing) existing++;
          }
        }
      }),
      { numRuns: 300 },
    );
    // The property is about prices, not zeros: most consumers must have cost something.
    expect(priced).toBeGreaterThan(300);
    expect(existing).toBeGreaterThan(10);
  });

  it('is 0 for an existing account and the merged price otherwise', () => {
    // Serverless by default: the default account, the one an existing account replaces. 1.5: one serverless container.
    const api = CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
    for (const [cosmos, usd] of [
      [{ useExisting: true, accountName: 'cosmos-app-primary' }, 0],
      [undefined, 1.5],
    ] as const) {
      const config = normalizeConfig({
        environment: 'prod',
        location: 'eastus',
        ...(cosmos ? { cosmosConfig: cosmos } : {}),
      });
      const [reqs] = cosmosGroups([['UserApi', api]], config);
      const shared = cosmosType.merge(reqs!, config).config;
      expect(cosmosType.standaloneMonthlyUsd(reqs!, shared, config)).toBe(usd);
    }
  });
});

describe('cdn standaloneMonthlyUsd', () => {
  it("equals the price of the consumer's requirements merged alone", () => {
    const sites = fc.uniqueArray(
      fc.tuple(
        fc.stringMatching(/^[A-Z][a-z0-9]{1,6}$/),
        fc.boolean(),
        fc.option(fc.constantFrom(60, 3600), { nil: undefined }),
      ),
      {
        minLength: 1,
        maxLength: 8,
        selector: ([id]) => id,
      },
    );
    let premium = 0;
    fc.assert(
      fc.property(sites, (list) => {
        const config = normalizeConfig({ environment: 'prod', location: 'eastus' });
        const reqs = list
          .flatMap(
            ([id, waf, cacheMaxAge]) =>
              StaticSiteWithCdn.define(id, { waf, ...(cacheMaxAge ? { cacheMaxAge } : {}) })
                .requirements({ componentId: id, config })
                .map((requirement, index) => ({
                  componentId: id,
                  componentKey: `k${id}`,
                  componentType: 'StaticSiteWithCdn',
                  requirement,
                  index,
                }))
                .filter(
                  (r) => r.requirement.resourceType === 'cdn',
                ) as TypedRequirement<CdnRequirementConfig>[],
          )
          .sort((a, b) => compare(a.componentId, b.componentId) || a.index - b.index);
        for (const [id] of list) {
          const own = reqs.filter((r) => r.componentId === id);
          const alone = cdnType.monthlyUsd(cdnType.merge(own, config).config);
          expect(cdnType.standaloneMonthlyUsd(own), id).toBe(alone);
          if (alone === 330) premium++;
        }
      }),
      { numRuns: 100 },
    );
    expect(premium).toBeGreaterThan(0);
  });
});
