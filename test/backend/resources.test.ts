import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';

const backend = () =>
  defineBackend(
    {
      userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
      jobs: FunctionsApp.define('Jobs', {
        runtime: 'python',
        functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
      }),
    },
    { environment: 'prod' },
  );

describe('backend.resources (the seeds\' "validate before deploy")', () => {
  it('maps every planned resource key to its planned resource, in plan order', () => {
    const b = backend();
    const plan = b.plan();
    expect([...b.resources.keys()]).toEqual(plan.resources.map((r) => r.key));
    expect(b.resources.size).toBe(plan.resources.length);
    expect(b.resources.size).toBeGreaterThanOrEqual(4); // cosmos, two function apps (node and python), storage
    for (const r of plan.resources) expect(b.resources.get(r.key)).toBe(r);
    expect(b.resources.get('cosmos:shared')?.name).toBe(b.getResource('cosmos')?.name);
    expect(b.resources.has('nope:shared')).toBe(false);
    expect(new Map(b.resources)).toEqual(new Map(plan.resources.map((r) => [r.key, r])));
  });

  it("runs the seeds' snippet as written", () => {
    const b = backend();
    const resourceCount = Array.from(b.resources.keys()).length;
    expect(resourceCount).toBe(b.plan().resources.length);
    const seen: string[] = [];
    b.resources.forEach((r, key, map) => {
      seen.push(key);
      expect(map.get(key)).toBe(r);
    });
    expect(seen).toEqual([...b.resources.keys()]);
  });

  it('is read-only: no mutators, frozen, and the same map on every read', () => {
    const b = backend();
    const m = b.resources as unknown as Record<string, unknown>;
    expect(m['set']).toBeUndefined();
    expect(m['delete']).toBeUndefined();
    expect(m['clear']).toBeUndefined();
    expect(Object.isFrozen(b.resources)).toBe(true);
    expect(Object.isFrozen(b.resources.get('cosmos:shared'))).toBe(true);
    expect(b.resources).toBe(b.resources);
  });
});
