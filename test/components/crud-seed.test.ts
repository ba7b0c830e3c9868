/** CrudApi `seed`: its shape checked at define (a .json path, or environment → .json path), and which file an environment gets. */
import { describe, expect, it } from 'vitest';
import { CrudApi } from '../../src/components/crud/index.js';
import { seedFileFor } from '../../src/components/crud/seed-option.js';
import { AtakoraError } from '../../src/model/errors.js';

const define = (seed: unknown) =>
  CrudApi.define('OrderApi', {
    entityName: 'Order',
    schema: { id: 'string' },
    seed: seed as string,
  });
const refused = (seed: unknown): AtakoraError => {
  try {
    define(seed);
  } catch (e) {
    return e as AtakoraError;
  }
  throw new Error(`seed ${JSON.stringify(seed)} was accepted`);
};

describe('CrudApi seed', () => {
  it('accepts a .json path and an object of environment → .json path', () => {
    expect(() => define('./seed/orders.json')).not.toThrow();
    expect(() => define({ dev: './seed/dev.json', 'pr-7': './seed/pr.json' })).not.toThrow();
  });

  it.each([
    [42, ['components', 'OrderApi', 'config', 'seed']],
    ['./seed/orders.csv', ['components', 'OrderApi', 'config', 'seed']],
    [[{ id: 'o1' }], ['components', 'OrderApi', 'config', 'seed']],
    [{}, ['components', 'OrderApi', 'config', 'seed']],
    [{ Prod: './p.json' }, ['components', 'OrderApi', 'config', 'seed', 'Prod']],
    [{ dev: 7 }, ['components', 'OrderApi', 'config', 'seed', 'dev']],
  ])('refuses %j with CRUD_SEED_INVALID at its path', (seed, path) => {
    const e = refused(seed);
    expect(e).toBeInstanceOf(AtakoraError);
    expect(e.code).toBe('CRUD_SEED_INVALID');
    expect(e.path).toEqual(path);
    expect(e.resolution).toContain("seed: './seed/orders.json'");
  });

  it('one file serves every environment; a map serves only the environments it names', () => {
    expect(seedFileFor('./s.json', 'prod')).toBe('./s.json');
    expect(seedFileFor({ dev: './d.json' }, 'dev')).toBe('./d.json');
    expect(seedFileFor({ dev: './d.json' }, 'prod')).toBeUndefined();
    expect(seedFileFor({ dev: './d.json' }, 'constructor')).toBeUndefined();
    expect(seedFileFor(undefined, 'dev')).toBeUndefined();
  });
});
