import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { thrown } from '../support/errors.js';

const handler = './examples/order-processing/process-order.ts';
const collisions = (components: Record<string, unknown>) =>
  defineBackend(components as never, { environment: 'test' })
    .plan()
    .issues.filter((i) => i.code === 'FUNCTION_NAME_COLLISION');

describe('function names in one Function App', () => {
  it("a hosted function named like another component's is an error, not a second registration under one name", () => {
    const found = collisions({
      a: FunctionsApp.define('Api', {
        runtime: 'node',
        functions: { 'x-y': { trigger: 'http', handler } },
      }),
      b: FunctionsApp.define('Api-x', {
        runtime: 'node',
        functions: { y: { trigger: 'http', handler, route: 'third' } },
      }),
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', components: ['Api', 'Api-x'] });
    // Requirements come sorted by component id: Api's is met first.
    expect(found[0]!.message).toBe(
      "Api-x's function Api-x-y and Api's function Api-x-y would have one name in one Function App.",
    );
  });

  it("so is one named like the CRUD runtime's function of a CrudApi, or one differing only in case", () => {
    const crud = collisions({
      c: CrudApi.define('Cat-Api', { entityName: 'Cat', schema: { id: 'string' } }),
      d: FunctionsApp.define('Cat', {
        runtime: 'node',
        functions: { 'api-collection': { trigger: 'http', handler, route: 'fourth' } },
      }),
    });
    expect(crud.map((i) => i.message)).toEqual([
      "Cat's function Cat-api-collection and the CRUD runtime's function Cat-Api-collection of Cat-Api would have one name in one Function App.",
    ]);
    const cased = collisions({
      a: FunctionsApp.define('Api', {
        runtime: 'node',
        functions: {
          xY: { trigger: 'http', handler },
          xy: { trigger: 'http', handler, route: 'other' },
        },
      }),
    });
    expect(cased.map((i) => i.components)).toEqual([['Api']]);
  });

  it('functions that only look alike, in apps of their own or with CrudApis, are fine', () => {
    expect(
      collisions({
        c: CrudApi.define('CatApi', { entityName: 'Cat', schema: { id: 'string' } }),
        d: FunctionsApp.define('Cat', {
          runtime: 'node',
          functions: { 'api-collections': { trigger: 'http', handler, route: 'fourth' } },
        }),
        e: FunctionsApp.define('Api', {
          runtime: 'node',
          functions: {
            'x-y': { trigger: 'http', handler },
            xy2: { trigger: 'http', handler, route: 'other' },
          },
        }),
      }),
    ).toEqual([]);
  });

  it('two functions of one FunctionsApp whose settings would be one are refused at define', () => {
    const e = thrown(() =>
      FunctionsApp.define('Orders', {
        runtime: 'node',
        functions: {
          'process-order': { trigger: 'queue', queueName: 'orders', handler },
          processOrder: { trigger: 'queue', queueName: 'refunds', handler },
        },
      }),
    );
    expect(e.code).toBe('FUNCTIONS_NAME_INVALID');
    expect(e.message).toMatch(
      /"process-order" and "processOrder" differ only in case or punctuation.*QUEUE_PROCESS_ORDER/,
    );
    expect((e as { path?: unknown }).path).toEqual([
      'components',
      'Orders',
      'config',
      'functions',
      'processOrder',
    ]);
  });
});
