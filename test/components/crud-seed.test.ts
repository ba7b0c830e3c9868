/**
 * CrudApi `seed`: its shape checked at define (a .json path, or environment → .json path), each file read once
 * there (it exists and holds a JSON array of objects), and which file an environment gets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CrudApi } from '../../src/components/crud/index.js';
import { checkSeedOption, seedFileFor } from '../../src/components/crud/seed-option.js';
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
    expect(() => define('./test/cli/fixtures/seed/tasks.json')).not.toThrow();
    expect(() =>
      define({
        dev: './test/cli/fixtures/seed/tasks.json',
        'pr-7': './test/cli/fixtures/seed/products.json',
      }),
    ).not.toThrow();
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

describe('CrudApi seed files, read once at define', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-seed-define-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each([
    ['missing.json', undefined, /cannot be read \(ENOENT/, []],
    ['broken.json', '[{ "id": ', /is not JSON/, []],
    ['object.json', '{ "id": "o1" }', /must hold a JSON array/, []],
    ['mixed.json', '[{ "id": "o1" }, 42]', /item 1 is not an object/, [1]],
  ])('%s: CRUD_SEED_INVALID naming the file', (name, content, message, index) => {
    if (content !== undefined) writeFileSync(join(dir, name), content);
    let error: AtakoraError | undefined;
    try {
      checkSeedOption('OrderApi', `./${name}`, dir);
    } catch (e) {
      error = e as AtakoraError;
    }
    expect(error?.code).toBe('CRUD_SEED_INVALID');
    expect(error?.message).toContain(`seed ./${name}`);
    expect(error?.message).toMatch(message);
    expect(error?.path).toEqual(['components', 'OrderApi', 'config', 'seed', ...index]);
  });
});
