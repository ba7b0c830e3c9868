import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { defineComponent } from '../../src/components/custom/define.js';
import { maximum, priority, union } from '../../src/kit/pure/resources/merge-strategies.js';
import type { CosmosRequirementConfig } from '../../src/resources/cosmos/requirement.js';
import type { FunctionsRequirementConfig } from '../../src/resources/functions/requirement.js';
import type { StorageRequirementConfig } from '../../src/resources/storage/requirement.js';

// Each test names the rule it pins: break the strategy (or the planner's use of it) and the test fails.

const cosmosUser = (id: string, cosmos: CosmosRequirementConfig, priority?: number) =>
  defineComponent({
    type: 'Data',
    id,
    config: {},
    requirements: () => [
      {
        resourceType: 'cosmos',
        requirementKey: 'data',
        ...(priority !== undefined ? { priority } : {}),
        config: { ...cosmos },
      },
    ],
  });
const container = (ttl?: number, partitionKey = '/id') => ({
  name: 'items',
  partitionKey,
  ...(ttl !== undefined ? { ttl } : {}),
});
const plan = (components: Record<string, ReturnType<typeof cosmosUser>>) =>
  defineBackend(components, { environment: 'test' }).plan();
const cosmosOf = (p: ReturnType<typeof plan>) =>
  p.resources.find((r) => r.key === 'cosmos:shared')!;
const itemsOf = (p: ReturnType<typeof plan>) =>
  (
    cosmosOf(p).config['databases'] as {
      name: string;
      containers: { name: string; ttl?: number }[];
    }[]
  ).find((d) => d.name === 'db')!.containers[0]!;

describe('merge strategies (kit/pure/resources/merge-strategies.ts)', () => {
  const c = <T>(componentId: string, priority: number, value: T) => ({
    componentId,
    priority,
    value,
  });

  it('union: every distinct value once, sorted, whoever asked', () => {
    expect(union([c('A', 10, ['x', 'b']), c('B', 10, ['b', 'a'])]).value).toEqual(['a', 'b', 'x']);
    expect(union([c('A', 10, [] as string[])]).value).toEqual([]);
  });

  it('maximum: the highest by the given order, not the first or the last', () => {
    const order = ['Y1', 'EP1', 'EP3'];
    const byOrder = (a: string, b: string) => order.indexOf(a) - order.indexOf(b);
    expect(maximum([c('A', 10, 'EP1'), c('B', 10, 'EP3'), c('C', 10, 'Y1')], byOrder).value).toBe(
      'EP3',
    );
    expect(maximum([c('A', 10, 3), c('B', 10, 7), c('C', 10, 5)], (a, b) => a - b).value).toBe(7);
  });

  it('priority: the higher priority wins whatever the input order, with a warning naming both', () => {
    for (const items of [
      [c('A', 20, 'Strong'), c('B', 10, 'Session')],
      [c('B', 10, 'Session'), c('A', 20, 'Strong')],
    ]) {
      const m = priority(items, 'consistency');
      expect(m.value).toBe('Strong');
      expect(m.issues).toHaveLength(1);
      expect(m.issues[0]).toMatchObject({
        severity: 'warning',
        code: 'MERGE_CONFLICT',
        components: ['A', 'B'],
      });
      expect(m.issues[0]!.message).toMatch(
        /A \(Strong, priority 20\) and B \(Session, priority 10\)/,
      );
    }
  });

  it('priority: equal priority with different values is an error; equal values are silent', () => {
    const tie = priority([c('A', 10, 'Strong'), c('B', 10, 'Session')], 'consistency');
    expect(tie.issues).toHaveLength(1);
    expect(tie.issues[0]).toMatchObject({ severity: 'error', code: 'MERGE_CONFLICT' });
    expect(priority([c('A', 10, 'Strong'), c('B', 20, 'Strong')], 'consistency').issues).toEqual(
      [],
    );
  });
});

describe('merge rules in the plan', () => {
  it('union: databases, containers and capabilities of every consumer end up in the shared account', () => {
    const p = plan({
      a: cosmosUser('A', {
        capabilities: ['EnableTable'],
        databases: [{ name: 'one', containers: [container()] }],
      }),
      b: cosmosUser('B', {
        capabilities: ['EnableGremlin'],
        databases: [{ name: 'two', containers: [container()] }],
      }),
    });
    const cosmos = cosmosOf(p);
    expect((cosmos.config['databases'] as { name: string }[]).map((d) => d.name)).toEqual([
      'one',
      'two',
    ]);
    expect(cosmos.config['capabilities']).toEqual([
      'EnableGremlin',
      'EnableServerless',
      'EnableTable',
    ]);
    expect(cosmos.consumers).toEqual(['A', 'B']);
  });

  it('union: storage containers and queues', () => {
    const st = (id: string, s: StorageRequirementConfig) =>
      defineComponent({
        type: 'Blob',
        id,
        config: {},
        requirements: () => [{ resourceType: 'storage', requirementKey: 'b', config: { ...s } }],
      });
    const p = defineBackend({
      a: st('A', { containers: ['x'], queues: ['q1'] }),
      b: st('B', { containers: ['y', 'x'] }),
    }).plan();
    const storage = p.resources.find((r) => r.key === 'storage:shared')!;
    expect(storage.config['containers']).toEqual(['x', 'y']);
    expect(storage.config['queues']).toEqual(['q1']);
  });

  it('maximum: the database throughput and the Function App plan are the largest asked for', () => {
    const p = plan({
      a: cosmosUser('A', {
        enableServerless: false,
        databases: [{ name: 'db', throughput: 400, containers: [container()] }],
      }),
      b: cosmosUser('B', {
        enableServerless: false,
        databases: [{ name: 'db', throughput: 1000, containers: [container()] }],
      }),
    });
    const provisioned = p.resources.find((r) => r.type === 'cosmos')!;
    expect((provisioned.config['databases'] as { throughput?: number }[])[0]!.throughput).toBe(
      1000,
    );

    const fn = (id: string, f: Partial<FunctionsRequirementConfig>) =>
      defineComponent({
        type: 'Fn',
        id,
        config: {},
        requirements: () => [
          { resourceType: 'functions', requirementKey: 'f', config: { runtime: 'node', ...f } },
        ],
      });
    const apps = defineBackend({
      a: fn('A', { sku: 'EP3', functionCount: 2 }),
      b: fn('B', { sku: 'EP1', functionCount: 3 }),
      c: fn('C', { sku: 'Y1' }),
    }).plan();
    const app = apps.resources.find((r) => r.key === 'functions:shared')!;
    expect(app.config['sku']).toBe('EP3');
    expect(app.config['functionCount']).toBe(5);
  });

  it("priority order: the higher-priority component sets a shared container's ttl, whichever it is", () => {
    const high = plan({
      a: cosmosUser('A', { databases: [{ name: 'db', containers: [container(60)] }] }, 20),
      b: cosmosUser('B', { databases: [{ name: 'db', containers: [container(99)] }] }, 10),
    });
    expect(itemsOf(high).ttl).toBe(60);
    const low = plan({
      a: cosmosUser('A', { databases: [{ name: 'db', containers: [container(60)] }] }, 10),
      b: cosmosUser('B', { databases: [{ name: 'db', containers: [container(99)] }] }, 20),
    });
    expect(itemsOf(low).ttl).toBe(99);
    for (const [p, winnerFirst] of [
      [high, ['A', 'B']],
      [low, ['B', 'A']],
    ] as const) {
      const warning = p.issues.find((i) => i.code === 'MERGE_CONFLICT')!;
      expect(warning.severity).toBe('warning');
      expect(warning.components).toEqual(winnerFirst);
      expect(warning.message).toMatch(/ttl of container db\/items/);
      expect(p.issues.filter((i) => i.severity === 'error')).toEqual([]);
    }
  });

  it('equal priority with different values is a MERGE_CONFLICT error, and apply would refuse the plan', () => {
    const p = plan({
      a: cosmosUser('A', { databases: [{ name: 'db', containers: [container(60)] }] }),
      b: cosmosUser('B', { databases: [{ name: 'db', containers: [container(99)] }] }),
    });
    const errors = p.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => i.code)).toEqual(['MERGE_CONFLICT']);
    expect(errors[0]!.message).toMatch(
      /A \(60, priority 10\) and B \(99, priority 10\) have equal priority/,
    );
    expect(
      defineBackend({
        a: cosmosUser('A', { databases: [{ name: 'db', containers: [container(60)] }] }),
        b: cosmosUser('B', { databases: [{ name: 'db', containers: [container(99)] }] }),
      }).validate().valid,
    ).toBe(false);
  });

  it('same container with another partition key is PARTITION_KEY_CONFLICT naming both components and keys', () => {
    const p = plan({
      a: cosmosUser('A', {
        databases: [{ name: 'db', containers: [container(undefined, '/id')] }],
      }),
      b: cosmosUser('B', {
        databases: [{ name: 'db', containers: [container(undefined, '/tenantId')] }],
      }),
    });
    const conflict = p.issues.find((i) => i.code === 'PARTITION_KEY_CONFLICT')!;
    expect(conflict.severity).toBe('error');
    expect(conflict.components).toEqual(['A', 'B']);
    expect(conflict.message).toMatch(/partition key \/id.*partition key \/tenantId/);
    expect(conflict.path).toEqual([
      'components',
      'b',
      'requirements',
      0,
      'databases',
      0,
      'containers',
      0,
      'partitionKey',
    ]);
    // The first component's container stands; the conflicting one is not merged in.
    expect((itemsOf(p) as { partitionKey?: string }).partitionKey).toBe('/id');
  });
});
