import fc from 'fast-check';
import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { AtakoraError, PlanError } from '../../src/model/errors.js';
import type { AnyDefinition } from '../../src/model/component.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { itemRouteShape, routeShape, stripRoutePrefix } from '../../src/kit/pure/http-route.js';

const data = (id: string, extra: Record<string, unknown> = {}) =>
  CrudApi.define(id, {
    entityName: 'Data',
    schema: { id: 'string', value: 'string' },
    partitionKey: '/id',
    ...extra,
  });
const users = (id = 'UserApi', extra: Record<string, unknown> = {}) =>
  CrudApi.define(id, { entityName: 'User', schema: { id: 'string' }, ...extra });
const httpApp = (
  id: string,
  functions: Record<
    string,
    { route?: string; methods?: ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[] }
  >,
  version = '22',
) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    version,
    functions: Object.fromEntries(
      Object.entries(functions).map(([name, f]) => [
        name,
        { trigger: 'http' as const, handler: './src/fn.ts', ...f },
      ]),
    ),
  });
const conflicts = (plan: ResourcePlan) => plan.issues.filter((i) => i.code === 'ROUTE_CONFLICT');
/** The manifest apply would write for each Function App running the CRUD runtime, as the runtime parses it. */
const manifests = (plan: ResourcePlan): RuntimeManifest[] =>
  plan.resources
    .filter((r) => r.type === 'functions' && (r.config as { crudRuntime?: boolean }).crudRuntime)
    .map((r) =>
      parseManifest(
        JSON.stringify({
          version: 1,
          backendId: plan.backendId,
          entities: (r.config as { crudEntities: unknown[] }).crudEntities,
        }),
      ),
    );

describe('route conflicts are plan errors (ROUTE_CONFLICT)', () => {
  it("the seeds' least-privilege pair (two CrudApis over one entity) is an error naming both and the route fix; apply refuses it", () => {
    const backend = defineBackend({
      readOnlyApi: data('ReadOnlyApi', { operations: ['read', 'list'] }),
      adminApi: data('AdminApi'),
    });
    const [issue, ...more] = conflicts(backend.plan());
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['AdminApi', 'ReadOnlyApi'],
      path: ['components', 'readOnlyApi', 'config', 'route'],
    });
    expect(issue!.message).toContain('CrudApi AdminApi and CrudApi ReadOnlyApi both serve');
    expect(issue!.message).toContain('/api/datas');
    expect(issue!.message).toContain('every CRUD route would answer 404 and health 503');
    expect(issue!.resolution).toContain("route: 'read-only/datas'");
    expect(backend.validate().valid).toBe(false);
    // The runtime would refuse this manifest at start (every CRUD route 404): the plan says so first.
    expect(() => manifests(backend.plan())).toThrow(/duplicate route "datas"/);
    const stack = new ResourceGroupStack(Testing.app(), 'S', {
      resourceGroupName: 'rg',
      location: 'eastus',
    });
    expect(() => backend.apply(stack)).toThrow(PlanError);
  });

  it('a route on one of them resolves it: two routes, a clean plan, a manifest the runtime accepts', () => {
    const backend = defineBackend({
      readOnlyApi: data('ReadOnlyApi', { operations: ['read', 'list'] }),
      adminApi: data('AdminApi', { route: 'admin/data' }),
    });
    expect(backend.validate()).toEqual({ valid: true });
    expect(backend.components.adminApi.routes).toEqual(['api/admin/data', 'api/admin/data/{id}']);
    expect(backend.components.adminApi.apiEndpoint).toMatch(
      /\.azurewebsites\.net\/api\/admin\/data$/,
    );
    expect(backend.components.readOnlyApi.routes).toEqual(['api/datas', 'api/datas/{id}']);
    expect(
      manifests(backend.plan())[0]!
        .entities.map((e) => e.route)
        .sort(),
    ).toEqual(['admin/data', 'datas']);
  });

  it('routes compare case-insensitively, as the host matches them', () => {
    const backend = defineBackend({
      a: users('UserApi'),
      b: CrudApi.define('PeopleApi', {
        entityName: 'Person',
        schema: { id: 'string' },
        route: 'Users',
      }),
    });
    expect(conflicts(backend.plan()).map((i) => i.components)).toEqual([['PeopleApi', 'UserApi']]);
  });

  it('a FunctionsApp route equal to a CRUD route (any parameter name) is an error naming the function; a longer route is not', () => {
    const clash = defineBackend({
      users: users(),
      profile: httpApp('Profile', { get: { route: 'users/{userId}', methods: ['GET'] } }),
    });
    const [issue] = conflicts(clash.plan());
    expect(issue).toMatchObject({
      components: ['Profile', 'UserApi'],
      path: ['components', 'profile', 'config', 'functions', 'get', 'route'],
    });
    expect(issue!.message).toContain('Profile (function Profile-get)');
    expect(issue!.resolution).toContain('Change the route of Profile-get');
    const fine = defineBackend({
      users: users(),
      profile: httpApp('Profile', { get: { route: 'users/{id}/orders', methods: ['GET'] } }),
    });
    expect(conflicts(fine.plan())).toEqual([]);
  });

  it('two function routes conflict only with a common method', () => {
    const same = defineBackend({
      a: httpApp('A', { hello: { route: 'hello', methods: ['GET'] } }),
      b: httpApp('B', { hi: { route: 'Hello', methods: ['GET', 'POST'] } }),
    });
    expect(conflicts(same.plan()).map((i) => i.components)).toEqual([['A', 'B']]);
    const disjoint = defineBackend({
      a: httpApp('A', { read: { route: 'hello', methods: ['GET'] } }),
      b: httpApp('B', { write: { route: 'hello', methods: ['POST'] } }),
    });
    expect(conflicts(disjoint.plan())).toEqual([]);
  });

  it("a function on the runtime's health route conflicts only where the CRUD runtime runs", () => {
    const withCrud = defineBackend({
      users: users(),
      probe: httpApp('Probe', { health: { methods: ['GET'] } }),
    });
    expect(conflicts(withCrud.plan())).toHaveLength(1);
    expect(conflicts(withCrud.plan())[0]!.message).toMatch(
      /^Probe \(function Probe-health\) and the CRUD runtime both serve GET \/api\/health .*one of the two would never answer/,
    );
    expect(
      conflicts(
        defineBackend({ probe: httpApp('Probe', { health: { methods: ['GET'] } }) }).plan(),
      ),
    ).toEqual([]);
  });

  it('a function on the realtime negotiate route conflicts only where a realtime CrudApi runs', () => {
    const probe = () =>
      httpApp('Probe', { nego: { route: 'realtime/negotiate', methods: ['POST'] } });
    const live = defineBackend({ users: users('UserApi', { realtime: true }), probe: probe() });
    expect(conflicts(live.plan())).toHaveLength(1);
    expect(conflicts(live.plan())[0]!.message).toMatch(
      /^Probe \(function Probe-nego\) and the CRUD runtime both serve POST \/api\/realtime\/negotiate/,
    );
    expect(conflicts(defineBackend({ users: users(), probe: probe() }).plan())).toEqual([]);
  });

  it('the same route on two Function Apps (node 20 and node 22) is two hosts, no conflict', () => {
    const backend = defineBackend({
      users: users(),
      legacy: httpApp('Legacy', { get: { route: 'users', methods: ['GET'] } }, '20'),
    });
    expect(backend.plan().resources.filter((r) => r.type === 'functions')).toHaveLength(2);
    expect(conflicts(backend.plan())).toEqual([]);
  });
});

describe('routes under api/ are never doubled', () => {
  it("a FunctionsApp route written 'api/hello' is served at /api/hello", () => {
    const backend = defineBackend({
      hello: httpApp('Hello', { hello: { route: 'api/hello' }, upper: { route: 'API/upper' } }),
    });
    expect(backend.components.hello.httpRoutes).toEqual(['api/hello', 'api/upper']);
    const hosted = (
      backend.plan().resources.find((r) => r.type === 'functions')!.config as {
        hostedFunctions: { route: string }[];
      }
    ).hostedFunctions;
    expect(hosted.map((f) => f.route)).toEqual(['hello', 'upper']);
  });

  it("a CrudApi route written 'api/admin/users' is served at /api/admin/users", () => {
    const backend = defineBackend({ users: users('UserApi', { route: 'api/admin/users' }) });
    expect(backend.components.users.routes).toEqual(['api/admin/users', 'api/admin/users/{id}']);
  });

  it.each([['/users'], ['users/{id}'], ['health'], ['api'], ['a//b'], [42]])(
    'CrudApi route %j is a CONFIG_INVALID at define, with the fix',
    (route) => {
      let error: unknown;
      try {
        users('UserApi', { route });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AtakoraError);
      expect(error).toMatchObject({
        code: 'CONFIG_INVALID',
        path: ['components', 'UserApi', 'config', 'route'],
      });
      expect((error as AtakoraError).resolution).toContain("route: 'admin/users'");
    },
  );

  it("a function route that is only 'api/' is refused", () => {
    expect(() => httpApp('X', { x: { route: 'api/' } })).toThrow(
      expect.objectContaining({ code: 'FUNCTIONS_TRIGGER_INVALID' }) as Error,
    );
  });

  it('routeShape: literal case and parameter names do not matter, optional and catch-all do', () => {
    expect(routeShape('Users/{userId}')).toBe(routeShape('users/{id:int}'));
    expect(routeShape('users/{id?}')).not.toBe(routeShape('users/{id}'));
    expect(routeShape('files/{*path}')).toBe('files/{*}');
    expect(stripRoutePrefix('apis/x')).toBe('apis/x');
  });
});

// Random backends of CrudApis (entities, optional routes in any case) and HTTP FunctionsApps on one or two apps.
const crud = (id: string) =>
  fc
    .record({
      entity: fc.constantFrom('User', 'Data', 'Order'),
      route: fc.option(fc.constantFrom('users', 'USERS', 'api/datas', 'admin/data', 'orders'), {
        nil: undefined,
      }),
    })
    .map(
      (c): AnyDefinition =>
        CrudApi.define(id, {
          entityName: c.entity,
          schema: { id: 'string' },
          ...(c.route ? { route: c.route } : {}),
        }),
    );
const fn = (id: string) =>
  fc
    .record({
      route: fc.constantFrom('users', 'users/{key}', 'hello', 'Hello', 'health', 'api/orders/{id}'),
      methods: fc.subarray(['GET', 'POST', 'DELETE'] as const, { minLength: 1 }),
      version: fc.constantFrom('20', '22'),
    })
    .map(
      (f): AnyDefinition =>
        httpApp(id, { f: { route: f.route, methods: [...f.methods] } }, f.version),
    );
const backends = fc
  .uniqueArray(fc.stringMatching(/^[A-Z][a-z]{1,6}$/), { minLength: 1, maxLength: 6 })
  .chain((ids) =>
    fc.tuple(...ids.map((id) => fc.oneof(crud(id), fn(id)).map((d) => [id, d] as const))),
  );

describe('property: a plan without errors never deploys a route the host or the runtime would refuse', () => {
  it('no ROUTE_CONFLICT ⇔ every app serves each (route shape, method) once; then the runtime accepts every manifest', () => {
    fc.assert(
      fc.property(backends, (list) => {
        const plan = defineBackend(Object.fromEntries(list.map(([id, d]) => [id, d]))).plan();
        let duplicate = false;
        for (const app of plan.resources.filter((r) => r.type === 'functions')) {
          const c = app.config as {
            crudRuntime: boolean;
            crudEntities: { route: string }[];
            hostedFunctions?: { route?: string; methods?: string[] }[];
          };
          const seen = new Set<string>(c.crudRuntime ? ['health GET'] : []);
          const add = (route: string, methods: readonly string[]) =>
            methods.forEach((m) => {
              const key = `${routeShape(route)} ${m}`;
              if (seen.has(key)) duplicate = true;
              seen.add(key);
            });
          for (const e of c.crudEntities)
            for (const r of [e.route, `${e.route}/{id}`])
              add(r, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
          for (const f of c.hostedFunctions ?? []) add(f.route!, f.methods!);
        }
        expect(conflicts(plan).length > 0).toBe(duplicate);
        if (!duplicate) expect(() => manifests(plan)).not.toThrow();
        // Every conflict names two components (or one and the runtime) and says how to fix it.
        for (const i of conflicts(plan)) {
          expect(i.components!.length).toBeGreaterThanOrEqual(1);
          expect(i.resolution).toMatch(/route/);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('many components on one route', () => {
  it('are one issue each after the first (k − 1, not every pair), each naming the first, which the host answers with', () => {
    const ids = ['Aa', 'Bb', 'Cc', 'Dd', 'Ee', 'Ff'];
    const plan = defineBackend(
      Object.fromEntries(
        ids.map((id) => [id, httpApp(id, { ping: { route: 'ping', methods: ['GET'] } })]),
      ),
    ).plan();
    const found = conflicts(plan);
    expect(found).toHaveLength(ids.length - 1);
    for (const [n, issue] of found.entries()) expect(issue.components).toEqual(['Aa', ids[n + 1]]);
  });

  it('a later route is reported against the first that shares a method with it', () => {
    const plan = defineBackend({
      Aa: httpApp('Aa', { r: { route: 'x', methods: ['GET'] } }),
      Bb: httpApp('Bb', { r: { route: 'x', methods: ['POST'] } }),
      Cc: httpApp('Cc', { r: { route: 'x', methods: ['POST', 'DELETE'] } }),
      Dd: httpApp('Dd', { r: { route: 'x', methods: ['DELETE', 'GET'] } }),
    }).plan();
    expect(conflicts(plan).map((i) => i.components)).toEqual([
      ['Aa', 'Dd'],
      ['Bb', 'Cc'],
    ]);
  });
});

// The planner's shortcuts must agree with the full computation.
describe('route shape shortcuts', () => {
  const segment = fc.oneof(
    fc.constantFrom('api', 'API', 'Api', 'users', '{id}', '{id:int}', '{*rest}', '{x?}', 'v1', ''),
    fc.stringMatching(/^[A-Za-z{}*?:=0-9-]{0,6}$/),
  );
  const route = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
  it('stripRoutePrefix equals its regular expression', () => {
    fc.assert(
      fc.property(route, (r) => {
        expect(stripRoutePrefix(r)).toBe(r.replace(/^api(?:\/|$)/i, ''));
      }),
      { numRuns: 500 },
    );
  });
  it("an item route's shape is its collection's and a parameter, when nothing was stripped", () => {
    fc.assert(
      fc.property(route, (r) => {
        fc.pre(routeShape(r) !== '' && stripRoutePrefix(r) === r);
        expect(routeShape(`${r}/{id}`)).toBe(`${routeShape(r)}/{}`);
      }),
      { numRuns: 500 },
    );
  });
  it('itemRouteShape equals the full computation for any route', () => {
    fc.assert(
      fc.property(route, (r) => {
        expect(itemRouteShape(r, routeShape(r))).toBe(routeShape(`${r}/{id}`));
      }),
      { numRuns: 500 },
    );
  });
});
