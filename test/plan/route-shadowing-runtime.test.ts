import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { OPENAPI_ROUTE, RUNTIME_ROUTES } from '../../src/contract/routes.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { httpRoutesInHostOrder, routesThatMayMeet } from '../../src/plan/checks/host-routes.js';

type Method = 'GET' | 'POST';
const httpApp = (id: string, route: string, methods: Method[] = ['GET']) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    version: '22',
    functions: { p: { trigger: 'http' as const, handler: './src/fn.ts', route, methods } },
  });
const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
const shadowedOpenApi = (plan: ResourcePlan) =>
  plan.issues.filter(
    (i) => i.code === 'ROUTE_SHADOWED' && i.message.includes(`/api/${OPENAPI_ROUTE}`),
  );

// The runtime serves GET /api/openapi.json beside health (src/runtime/register-routes.ts, from the contract's
// RUNTIME_ROUTES): a user route tried before it that can match that path takes the document's requests.
describe("ROUTE_SHADOWED over the runtime's own routes, openapi.json included", () => {
  it("a user function tried before the runtime's openapi function and matching /api/openapi.json is an error naming it", () => {
    // "Aaa-p" sorts before "openapi" in the host's order.
    const plan = defineBackend({ notes: notes(), page: httpApp('Aaa', '{file}') }).plan();
    const [issue, ...more] = shadowedOpenApi(plan);
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['Aaa'],
      path: ['components', 'page', 'config', 'functions', 'p', 'route'],
    });
    expect(issue!.message).toContain('the CRUD runtime (openapi)');
  });

  it('is reported with sign-in on too (unlike health, openapi.json is not an exempt path), and not on methods it does not share', () => {
    expect(
      shadowedOpenApi(
        defineBackend({ notes: notes(), page: httpApp('Aaa', '{file}') }, { auth: 'none' }).plan(),
      ),
    ).toHaveLength(1);
    expect(
      shadowedOpenApi(
        defineBackend({ notes: notes(), page: httpApp('Aaa', '{file}', ['POST']) }).plan(),
      ),
    ).toEqual([]);
  });

  it('no CRUD runtime, no runtime routes; a route that cannot match is fine', () => {
    expect(shadowedOpenApi(defineBackend({ page: httpApp('Aaa', '{file}') }).plan())).toEqual([]);
    expect(
      shadowedOpenApi(
        defineBackend({ notes: notes(), page: httpApp('Aaa', 'pages/{file}') }).plan(),
      ),
    ).toEqual([]);
  });

  it("the planner lists exactly the runtime's routes the contract declares, all of them and the pruned ones alike", () => {
    const app = defineBackend({ notes: notes(), page: httpApp('Aaa', '{file}') })
      .plan()
      .resources.find((r) => r.type === 'functions')!;
    const runtime = (routes: ReturnType<typeof httpRoutesInHostOrder>) =>
      routes.filter((r) => r.kind === 'runtime').map((r) => [r.name, r.route]);
    const declared = RUNTIME_ROUTES.map((r) => [r.name, r.route]).sort();
    expect(runtime(httpRoutesInHostOrder(app.config)).sort()).toEqual(declared);
    expect(runtime(routesThatMayMeet(app.config)).sort()).toEqual(declared);
  });
});
