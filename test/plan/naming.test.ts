import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { NAME_RULES } from '../../src/resources/facts.js';
import { check } from '../../src/kit/pure/names/naming.js';
import { AtakoraError } from '../../src/model/errors.js';
import { propertyRuns } from './support/budget.js';

const api = () => CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } });
const namesOf = (config: Record<string, unknown>) =>
  defineBackend({ api: api() }, config).plan().resources;

describe('names fit Azure rules', () => {
  it.each([
    ['1 character', 'a'],
    ['90 characters', 'x'.repeat(90)],
    ['upper case', 'MyBackEnd'],
    ['unicode', 'データ-backend-ü'],
    ['digits first', '9lives'],
    ['punctuation', 'my_app.v2'],
  ])('backend id: %s', (_label, backendId) => {
    const plan = defineBackend({ api: api() }, { backendId, environment: 'production' }).plan();
    expect(plan.issues.filter((i) => i.code.startsWith('NAME'))).toEqual([]);
    for (const r of plan.resources)
      expect(check(r.name, NAME_RULES[r.type]!), `${r.type} ${r.name}`).toBeUndefined();
  });

  it('global names carry a token from the deployment target (uniqueSeed), backend id, environment and location', () => {
    const seeded = (uniqueSeed: string, location = 'eastus') =>
      namesOf({ backendId: 'shop', environment: 'prod', location, naming: { uniqueSeed } });
    const a = seeded('sub-1/rg-shop');
    const b = seeded('sub-1/rg-shop', 'westeurope');
    const c = seeded('sub-1/rg-shop');
    const d = seeded('sub-2/rg-shop');
    // The same target always gets the same names; another location or subscription gets others.
    expect(a.map((r) => r.name)).toEqual(c.map((r) => r.name));
    for (const [i, r] of a.entries()) {
      expect(r.name).not.toBe(b[i]!.name);
      expect(r.name).not.toBe(d[i]!.name);
    }
  });

  it('without a seed the plan shows the placeholder token and states how apply derives it', () => {
    const plan = defineBackend({ api: api() }, { backendId: 'shop', environment: 'prod' }).plan();
    for (const r of plan.resources) expect(r.name, r.type).toMatch(/tgtxxx$/);
    expect(plan.naming.atApply).toBe(true);
    expect(plan.naming.derivedFrom).toMatch(/subscription id .*resource group/);
    const seeded = defineBackend(
      { api: api() },
      { backendId: 'shop', environment: 'prod', naming: { uniqueSeed: 's/rg' } },
    ).plan();
    expect(seeded.naming).toMatchObject({ atApply: false });
    expect(seeded.naming.token).toMatch(/^[a-z0-9]{6}$/);
    for (const r of seeded.resources)
      expect(r.name.endsWith(seeded.naming.token), r.name).toBe(true);
  });

  it('a user formatResourceName is honoured, and an invalid result is an error, not a silent truncation', () => {
    const ok = namesOf({
      environment: 'prod',
      naming: {
        formatResourceName: (t: string, _id: string, s?: string) =>
          `${t}-myapp-prod-${s ?? 'shared'}`,
      },
    });
    expect(ok.find((r) => r.type === 'cosmos')!.name).toBe('cosmos-myapp-prod-shared');
    const bad = defineBackend(
      { api: api() },
      {
        naming: {
          formatResourceName: (t: string) => `${t}-this-name-is-way-too-long-for-a-storage-account`,
        },
      },
    ).plan();
    const issue = bad.issues.find(
      (i) => i.code === 'NAME_INVALID' && i.message.includes('for storage'),
    );
    expect(issue?.severity).toBe('error');
    expect(issue?.message).toContain('3-24');
    const throwing = defineBackend(
      { api: api() },
      {
        naming: {
          formatResourceName: () => {
            throw new Error('boom');
          },
        },
      },
    ).plan();
    expect(throwing.issues.find((i) => i.code === 'NAME_INVALID')?.message).toContain('boom');
  });

  it('property: every default name is valid for its type, for any backend id and environment', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 90 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (backendId, environment) => {
          let plan;
          try {
            plan = defineBackend({ api: api() }, { backendId, environment }).plan();
          } catch (e) {
            expect(e).toBeInstanceOf(AtakoraError);
            return;
          }
          for (const r of plan.resources) {
            const invalid = check(r.name, NAME_RULES[r.type]!);
            if (invalid) expect(plan.issues.some((i) => i.code === 'NAME_INVALID')).toBe(true);
          }
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('invalid input only ever raises AtakoraError', () => {
  const onlyAtakora = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof AtakoraError))
        throw new Error(`raw ${(e as Error)?.name}: ${(e as Error)?.message}`);
    }
  };
  it('random backend configs', () => {
    fc.assert(
      fc.property(fc.anything(), (config) =>
        onlyAtakora(() => defineBackend({ api: api() }, config as never).plan()),
      ),
      { numRuns: propertyRuns(400) },
    );
  });
  it('random config records with known keys', () => {
    const keys = [
      'backendId',
      'environment',
      'location',
      'monitoring',
      'networking',
      'tags',
      'limits',
      'enforceHttps',
      'cosmosConfig',
      'autoScale',
    ];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.anything()), (config) =>
        onlyAtakora(() => defineBackend({ api: api() }, config as never).plan()),
      ),
      { numRuns: propertyRuns(400) },
    );
  });
  it('random CrudApi configs', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), (config, id) =>
        onlyAtakora(() => defineBackend({ api: CrudApi.define(id, config as never) }).plan()),
      ),
      { numRuns: propertyRuns(400) },
    );
  });
  it('random CrudApi records', () => {
    const cfg = fc.record(
      {
        entityName: fc.oneof(fc.string(), fc.anything()),
        schema: fc.oneof(
          fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.anything())),
          fc.anything(),
        ),
        partitionKey: fc.oneof(fc.string(), fc.anything()),
        throughput: fc.anything(),
        ttl: fc.anything(),
        operations: fc.anything(),
        databaseName: fc.anything(),
        uniqueKeys: fc.anything(),
        cache: fc.anything(),
        consistency: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(cfg, (config) =>
        onlyAtakora(() => defineBackend({ api: CrudApi.define('Api', config as never) }).plan()),
      ),
      { numRuns: propertyRuns(400) },
    );
  });
});
