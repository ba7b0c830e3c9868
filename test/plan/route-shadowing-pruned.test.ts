import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlannedResource } from '../../src/model/plan.js';
import {
  httpRoutesInHostOrder,
  routeShadowing,
  shadowingAmong,
} from '../../src/plan/checks/route-shadowing.js';

// routeShadowing looks only at the routes whose literal first segment two owners share (and at functions under
// `health`); the reference looks at every route of the app. Random apps: CRUD entities and functions on routes
// that share first segments or not, in every case, with the `api/` prefix, parameters first, empty routes.
const IDS = ['Aa', 'Note', 'note', 'Mm', 'Zz', 'Health', ''];
const CRUD_ROUTES = [
  'notes',
  'Notes',
  'notes/archive',
  'notes/search',
  'api/notes',
  'api',
  'API/Items',
  'items',
  'health',
  'x/y',
  '{p}/q',
  'notes/{x}',
  'apis/notes',
  '',
];
const FUNCTION_ROUTES = [
  undefined,
  '{page}',
  'notes/{id?}',
  '{*rest}',
  'notes/me',
  'notes/search',
  'health',
  'Health/{x?}',
  'api/health',
  'notes',
  'items/{id:int}',
  '/notes',
  'notes//x',
  'x/{y}',
  '{a:alpha}/{b}',
  'api',
  'v{n}/notes',
  'hello',
];
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

// Some declare search: their `<route>/search` (POST) is a route of theirs too.
const entity = fc.record({
  componentId: fc.constantFrom(...IDS),
  route: fc.constantFrom(...CRUD_ROUTES),
  search: fc.option(fc.constant({ text: ['title'] }), { nil: undefined }),
});
const hosted = fc
  .record({
    componentId: fc.constantFrom(...IDS.filter(Boolean)),
    fn: fc.constantFrom('f', 'g', 'page'),
    trigger: fc.constantFrom('http', 'http', 'timer'),
    route: fc.constantFrom(...FUNCTION_ROUTES),
    methods: fc.option(fc.subarray<Method>(['GET', 'POST', 'PUT', 'DELETE']), { nil: undefined }),
  })
  .map(({ componentId, fn, trigger, route, methods }) => ({
    name: `${componentId}-${fn}`,
    componentId,
    trigger,
    ...(route === undefined ? {} : { route }),
    ...(methods === undefined ? {} : { methods }),
  }));
const app = fc
  .record({
    crudRuntime: fc.boolean(),
    crudEntities: fc.array(entity, { maxLength: 6 }),
    hostedFunctions: fc.option(fc.array(hosted, { maxLength: 5 }), { nil: undefined }),
  })
  .map(
    (config): PlannedResource =>
      ({
        key: 'functions:shared',
        type: 'functions',
        name: 'func-backend-dev-x',
        consumers: [],
        deploys: [],
        estimatedMonthlyUsd: 0,
        config: config as unknown as PlannedResource['config'],
      }) as unknown as PlannedResource,
  );

const keyOf = new Map(IDS.map((id) => [id, id.toLowerCase()]));

describe('routeShadowing looks only at routes that can meet, and reports exactly what all routes give', () => {
  it("property: the same issues, in the same order, as checking every pair of the app's routes", () => {
    fc.assert(
      fc.property(app, fc.boolean(), (a, auth) => {
        expect(routeShadowing([a], keyOf, auth)).toEqual(
          shadowingAmong(a, httpRoutesInHostOrder(a.config), keyOf, auth),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it('the cases that make issues are among the random ones (the property is not vacuous)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(app, fc.boolean(), (a, auth) => {
        for (const i of routeShadowing([a], keyOf, auth)) seen.add(i.code);
      }),
      { numRuns: 500, seed: 7 },
    );
    expect([...seen].sort()).toEqual(['ROUTE_HEALTH_EXEMPT', 'ROUTE_SHADOWED']);
  });

  it('CrudApis on routes of their own: nothing to report, as from all routes', () => {
    const many: PlannedResource = {
      key: 'functions:shared',
      type: 'functions',
      name: 'func',
      consumers: [],
      deploys: [],
      estimatedMonthlyUsd: 0,
      config: {
        crudRuntime: true,
        crudEntities: Array.from({ length: 300 }, (_, i) => ({
          componentId: `Api${i}`,
          route: `entity${i}s`,
        })),
      },
    } as unknown as PlannedResource;
    expect(routeShadowing([many], keyOf, true)).toEqual([]);
    expect(shadowingAmong(many, httpRoutesInHostOrder(many.config), keyOf, true)).toEqual([]);
  });
});
