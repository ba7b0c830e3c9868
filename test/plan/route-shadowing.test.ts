import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { AnyDefinition } from '../../src/model/component.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { matchTemplate } from '../../src/kit/pure/route-template.js';
import { httpRoutesInHostOrder } from '../../src/plan/checks/route-shadowing.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const httpApp = (id: string, functions: Record<string, { route?: string; methods?: Method[] }>) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    version: '22',
    functions: Object.fromEntries(
      Object.entries(functions).map(([name, f]) => [
        name,
        { trigger: 'http' as const, handler: './src/fn.ts', ...f },
      ]),
    ),
  });
const notes = (id = 'NoteApi', route?: string) =>
  CrudApi.define(id, {
    entityName: id.replace(/Api$/, ''),
    schema: { id: 'string' },
    ...(route ? { route } : {}),
  });
const issues = (plan: ResourcePlan, code: string) => plan.issues.filter((i) => i.code === code);

describe('ROUTE_HEALTH_EXEMPT: no user route may answer the auth-exempt /api/health', () => {
  it.each([
    ['health', 'POST'],
    ['{page}', 'GET'],
    ['{*rest}', 'DELETE'],
    ['Health/{x?}', 'PUT'],
    ['{name:alpha}', 'GET'],
  ] as const)('route %s (%s) is an error naming the function', (route, method) => {
    const plan = defineBackend({
      notes: notes(),
      probe: httpApp('Probe', { p: { route, methods: [method] } }),
    }).plan();
    const [issue, ...more] = issues(plan, 'ROUTE_HEALTH_EXEMPT');
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['Probe'],
      path: ['components', 'probe', 'config', 'functions', 'p', 'route'],
    });
    expect(issue!.message).toContain('/api/health');
    expect(issue!.message).toContain('anonymous');
    expect(issue!.resolution).toMatch(/route/);
  });

  it('also without a CrudApi (App Service exempts the path on every app); routes that cannot match are fine', () => {
    expect(
      issues(
        defineBackend({
          probe: httpApp('Probe', { p: { route: 'health', methods: ['POST'] } }),
        }).plan(),
        'ROUTE_HEALTH_EXEMPT',
      ),
    ).toHaveLength(1);
    for (const route of ['healthz', 'health/deep', '{id:int}', 'status', '{c:length(3)}']) {
      expect(
        issues(
          defineBackend({ probe: httpApp('Probe', { p: { route, methods: ['GET'] } }) }).plan(),
          'ROUTE_HEALTH_EXEMPT',
        ),
      ).toEqual([]);
    }
  });

  it("with auth: 'none' nothing is exempt, so nothing is reported", () => {
    const plan = defineBackend(
      { probe: httpApp('Probe', { p: { route: '{page}', methods: ['GET'] } }) },
      { auth: 'none' },
    ).plan();
    expect(issues(plan, 'ROUTE_HEALTH_EXEMPT')).toEqual([]);
  });
});

describe('ROUTE_SHADOWED: routes as the host orders them (function-name order, first match wins)', () => {
  it('a user route tried before a CRUD route that can match its paths is an error naming both and the fix', () => {
    const plan = defineBackend({
      notes: notes(),
      aaa: httpApp('Aaa', { page: { route: '{page}', methods: ['GET'] } }),
    }).plan();
    const [issue] = issues(plan, 'ROUTE_SHADOWED');
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['Aaa', 'NoteApi'],
      path: ['components', 'aaa', 'config', 'functions', 'page', 'route'],
    });
    expect(issue!.message).toContain('Aaa (function Aaa-page)');
    expect(issue!.message).toContain('CrudApi NoteApi (NoteApi-collection)');
    expect(issue!.message).toContain('GET /api/notes goes to Aaa-page');
    expect(issue!.resolution).toContain('Give Aaa-page a route that cannot match /api/notes');
  });

  it('optional segments and catch-alls tried first shadow the CRUD routes too; the same routes tried after do not', () => {
    for (const route of ['notes/{id?}', '{*rest}', '{x}/{id:int}', '{a}/{b}', '{c:length(5)}']) {
      expect(
        issues(
          defineBackend({
            notes: notes(),
            a: httpApp('Aa', { r: { route, methods: ['GET'] } }),
          }).plan(),
          'ROUTE_SHADOWED',
        ).length,
      ).toBeGreaterThan(0);
      expect(
        issues(
          defineBackend({
            notes: notes(),
            z: httpApp('Zz', { r: { route, methods: ['GET'] } }),
          }).plan(),
          'ROUTE_SHADOWED',
        ),
      ).toEqual([]);
    }
    // No common method, or a constraint that refuses every CRUD path: no shadow.
    expect(
      issues(
        defineBackend({
          notes: notes(),
          a: httpApp('Aa', { r: { route: '{page:int}', methods: ['GET'] } }),
        }).plan(),
        'ROUTE_SHADOWED',
      ),
    ).toEqual([]);
  });

  it('a user route behind a CRUD route that matches all its paths can never answer: an error', () => {
    const plan = defineBackend({
      notes: notes(),
      z: httpApp('Zed', { me: { route: 'notes/me', methods: ['GET'] } }),
    }).plan();
    const [issue] = issues(plan, 'ROUTE_SHADOWED');
    expect(issue!.message).toContain('Zed-me can never answer');
    expect(issue!.path).toEqual(['components', 'z', 'config', 'functions', 'me', 'route']);
  });

  it("a nested CrudApi behind another CrudApi's item route is unreachable (error); tried first it is reachable (no error)", () => {
    // NoteApi-item < NoteArchiveApi-collection: notes/{id} answers /api/notes/archive.
    const dead = defineBackend({
      notes: notes(),
      archive: notes('NoteArchiveApi', 'notes/archive'),
    }).plan();
    const [issue, ...more] = issues(dead, 'ROUTE_SHADOWED');
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      components: ['NoteApi', 'NoteArchiveApi'],
      path: ['components', 'archive', 'config', 'route'],
    });
    expect(issue!.message).toContain('NoteArchiveApi-collection can never answer');
    expect(issue!.resolution).toContain("route: 'notes-archive'");
    // ArchiveApi-collection < NoteApi-item: the nested route is tried first and answers.
    expect(
      issues(
        defineBackend({ notes: notes(), archive: notes('ArchiveApi', 'notes/archive') }).plan(),
        'ROUTE_SHADOWED',
      ),
    ).toEqual([]);
  });
});

// Random backends: CrudApis on nested routes and user functions with every kind of template, ids in any order.
const ROUTES = [
  '{page}',
  'notes/{id?}',
  '{*rest}',
  'notes/me',
  'hello',
  'notes/{id:int}',
  'x/{y}',
  'health/{*r}',
  'notes/{id}/tags',
  '{a:alpha}/{b}',
  'notes/{c:length(3)}',
];
const component = (id: string) =>
  fc.oneof(
    fc
      .constantFrom(undefined, 'notes/archive', 'items')
      .map((route): AnyDefinition => notes(`${id}Api`, route)),
    fc
      .tuple(
        fc.constantFrom(...ROUTES),
        fc.subarray(['GET', 'POST', 'DELETE'] as Method[], { minLength: 1 }),
      )
      .map(([route, methods]): AnyDefinition => httpApp(id, { f: { route, methods } })),
  );
const backends = fc
  .uniqueArray(fc.constantFrom('Aa', 'Note', 'Mm', 'Zz', 'Health', 'Items'), {
    minLength: 1,
    maxLength: 4,
  })
  .chain((ids) =>
    fc.tuple(...ids.map((id) => component(id).map((d) => [id.toLowerCase(), d] as const))),
  );
const IDS = ['1', 'me', 'abc', 'archive', 'tags', '12345'];

describe('property: a plan without route errors serves every CRUD path with a CRUD handler and no user code on health', () => {
  it('in host order, the first route matching each CRUD path (and method) is a CrudApi, and no user route matches /api/health', () => {
    fc.assert(
      fc.property(backends, (list) => {
        const plan = defineBackend(Object.fromEntries(list)).plan();
        fc.pre(!plan.issues.some((i) => i.severity === 'error' && i.code.startsWith('ROUTE_')));
        for (const app of plan.resources.filter((r) => r.type === 'functions')) {
          const routes = httpRoutesInHostOrder(app.config);
          for (const r of routes)
            if (r.kind === 'function')
              expect(matchTemplate(r.template, ['health'])).toBeUndefined();
          const crud =
            (app.config as { crudEntities?: { componentId: string; route: string }[] })
              .crudEntities ?? [];
          for (const e of crud) {
            // The collection path is answered by its own CrudApi; item paths by some CrudApi, never by user code.
            const first = (path: string[], method: string) =>
              routes.find((r) => r.methods.includes(method) && matchTemplate(r.template, path));
            for (const m of ['GET', 'POST', 'DELETE']) {
              expect(first(e.route.split('/'), m)).toMatchObject({
                kind: 'crud',
                componentId: e.componentId,
              });
              for (const id of IDS)
                expect(first([...e.route.split('/'), id], m)?.kind).toBe('crud');
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
