import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { compare, priority } from '../../src/kit/pure/resources/merge-strategies.js';
import type { TypedRequirement } from '../../src/kit/pure/resources/resource-type.js';
import type { JsonValue, PlanIssue } from '../../src/model/plan.js';
import type {
  ContainerRequirement,
  CosmosRequirementConfig,
} from '../../src/resources/cosmos/requirement.js';
import {
  mergeDatabases,
  type MergedContainer,
  type MergedDatabase,
} from '../../src/resources/cosmos/databases.js';

type Req = TypedRequirement<CosmosRequirementConfig>;

/**
 * The databases part of the cosmos merge as it was before it was made linear (a find per container, a closure
 * and a priority() per scalar): the reference the rewrite must match byte for byte, issues included.
 */
function reference(
  reqs: readonly Req[],
  serverless: boolean,
  config: ReturnType<typeof normalizeConfig>,
  issues: PlanIssue[],
): MergedDatabase[] {
  const prio = (r: Req) => r.requirement.priority ?? 10;
  const dbs = new Map<string, MergedDatabase>();
  const containerSources = new Map<string, { r: Req; c: ContainerRequirement }[]>();
  for (const r of reqs) {
    for (const [di, d] of (r.requirement.config.databases ?? []).entries()) {
      const db = dbs.get(d.name) ?? { name: d.name, containers: [] };
      if (!serverless) {
        if (d.throughput !== undefined) db.throughput = Math.max(db.throughput ?? 0, d.throughput);
        if (d.autoscaleMaxThroughput !== undefined)
          db.autoscaleMaxThroughput = Math.max(
            db.autoscaleMaxThroughput ?? 0,
            d.autoscaleMaxThroughput,
          );
      }
      dbs.set(d.name, db);
      for (const [ci, c] of (d.containers ?? []).entries()) {
        const k = `${d.name}/${c.name}`;
        const list = containerSources.get(k) ?? [];
        list.push({ r, c });
        containerSources.set(k, list);
        const existing = db.containers.find((x) => x.name === c.name);
        const access = r.requirement.config.access ?? 'readwrite';
        if (!existing) {
          db.containers.push({
            name: c.name,
            partitionKey: c.partitionKey,
            uniqueKeys: [...(c.uniqueKeys ?? [])].sort(compare),
            access: { [r.componentId]: access },
          });
          continue;
        }
        if (existing.partitionKey !== c.partitionKey) {
          const other = list.find((s) => s.c.partitionKey === existing.partitionKey)!;
          issues.push({
            severity: 'error',
            code: 'PARTITION_KEY_CONFLICT',
            components: [other.r.componentId, r.componentId].sort(compare),
            path: [
              'components',
              r.componentKey,
              'requirements',
              r.index,
              'databases',
              di,
              'containers',
              ci,
              'partitionKey',
            ],
            message: `Container "${d.name}/${c.name}" is used by ${other.r.componentId} with partition key ${existing.partitionKey} and by ${r.componentId} with partition key ${c.partitionKey}; a container has exactly one partition key.`,
          });
          continue;
        }
        existing.uniqueKeys = [...new Set([...existing.uniqueKeys, ...(c.uniqueKeys ?? [])])].sort(
          compare,
        );
        existing.access[r.componentId] =
          existing.access[r.componentId] === 'readwrite' ? 'readwrite' : access;
      }
    }
  }
  for (const db of dbs.values()) {
    for (const cont of db.containers) {
      const src = containerSources.get(`${db.name}/${cont.name}`) ?? [];
      const scalar = <T extends string | number>(
        pick: (c: ContainerRequirement) => T | undefined,
        what: string,
      ) => {
        const m = priority(
          src
            .filter((s) => pick(s.c) !== undefined)
            .map((s) => ({ componentId: s.r.componentId, priority: prio(s.r), value: pick(s.c)! })),
          `${what} of container ${db.name}/${cont.name}`,
        );
        issues.push(...m.issues);
        return m.value;
      };
      const ttl = scalar((c) => c.ttl, 'ttl');
      if (ttl !== undefined) cont.ttl = ttl;
      const policy = scalar(
        (c) => (c.indexingPolicy ? JSON.stringify(c.indexingPolicy) : undefined),
        'indexing policy',
      );
      if (policy !== undefined)
        cont.indexingPolicy = JSON.parse(policy) as { [k: string]: JsonValue };
      if (!serverless) {
        const tp = Math.max(0, ...src.map((s) => s.c.throughput ?? 0));
        if (tp > 0) cont.throughput = tp;
        const auto = Math.max(0, ...src.map((s) => s.c.autoscaleMaxThroughput ?? 0));
        if (auto > 0) cont.autoscaleMaxThroughput = auto;
        if (
          tp === 0 &&
          auto === 0 &&
          db.throughput === undefined &&
          db.autoscaleMaxThroughput === undefined &&
          config.autoScale?.enabled
        ) {
          cont.autoscaleMaxThroughput = Math.max(
            1000,
            Math.ceil((config.autoScale.maxThroughput ?? 4000) / 1000) * 1000,
          );
        }
      }
    }
    db.containers.sort((a: MergedContainer, b: MergedContainer) => compare(a.name, b.name));
  }
  return [...dbs.values()].sort((a, b) => compare(a.name, b.name));
}

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
// Up to 14 container names in one database: past the scan limit, where containers are looked up in a Map.
const containerNames = fc.constantFrom(...Array.from({ length: 14 }, (_, i) => `c${i}`));
const container = fc.record({
  name: containerNames,
  partitionKey: fc.constantFrom('/id', '/tenantId'),
  uniqueKeys: opt(fc.constantFrom(['/a'], ['/b', '/a'], ['/a', '/a'])),
  ttl: opt(fc.constantFrom(-1, 60, 3600)),
  throughput: opt(fc.constantFrom(400, 800)),
  autoscaleMaxThroughput: opt(fc.constantFrom(1000, 5000)),
  indexingPolicy: opt(fc.constantFrom({ indexingMode: 'consistent' }, { indexingMode: 'none' })),
});
const requirement = fc.record({
  componentId: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'),
  priority: opt(fc.constantFrom(5, 10, 20)),
  access: opt(fc.constantFrom('read', 'readwrite') as fc.Arbitrary<'read' | 'readwrite'>),
  databases: fc.array(
    fc.record({
      name: fc.constantFrom('shared-db', 'other-db'),
      throughput: opt(fc.constantFrom(400, 1000)),
      autoscaleMaxThroughput: opt(fc.constantFrom(1000, 4000)),
      containers: opt(fc.array(container, { maxLength: 12 })),
    }),
    { maxLength: 2 },
  ),
});
const requirements = fc.array(requirement, { minLength: 1, maxLength: 8 }).map((list) => {
  const reqs = list.map(
    ({ componentId, priority: p, access, databases }, index): Req =>
      JSON.parse(
        JSON.stringify({
          componentId,
          componentKey: componentId.toLowerCase(),
          componentType: 'Data',
          index,
          requirement: {
            resourceType: 'cosmos',
            requirementKey: `r${index}`,
            priority: p,
            config: { access, databases },
          },
        }),
      ) as Req,
  );
  return reqs.sort((a, b) => compare(a.componentId, b.componentId) || a.index - b.index);
});

describe('cosmos databases merge', () => {
  it('gives what the merge gave before it was made linear, issues included, byte for byte', () => {
    fc.assert(
      fc.property(
        requirements,
        fc.boolean(),
        fc.constantFrom(undefined, 2500),
        (reqs, serverless, autoMax) => {
          const config = normalizeConfig({
            environment: 'test',
            ...(autoMax ? { autoScale: { enabled: true, maxThroughput: autoMax } } : {}),
          });
          const issues: PlanIssue[] = [];
          const expectedIssues: PlanIssue[] = [];
          const merged = mergeDatabases(reqs, serverless, config, issues);
          const expected = reference(reqs, serverless, config, expectedIssues);
          expect(JSON.stringify(merged)).toBe(JSON.stringify(expected));
          expect(JSON.stringify(issues)).toBe(JSON.stringify(expectedIssues));
        },
      ),
      { numRuns: 500 },
    );
  });
});
