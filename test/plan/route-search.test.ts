// A CrudApi that declares `search` serves POST /api/<route>/search (contract/search.ts, registered as
// `<Id>-collection-search`, POST only). The planner's route checks (route-conflicts.ts, route-shadowing.ts) must know
// it: another route on that path, or one tried before it that can match it, takes the searches — silently.
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { httpRoutesInHostOrder } from '../../src/plan/checks/host-routes.js';
import { matchTemplate } from '../../src/kit/pure/route-template.js';

const tickets = (search = true) =>
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema: { id: 'string', title: 'string' },
    ...(search ? { search: { text: ['title'] } } : {}),
  });
const httpApp = (id: string, route: string, methods: ('GET' | 'POST' | 'PUT')[]) =>
  FunctionsApp.define(id, {
    runtime: 'node',
    version: '22',
    functions: { p: { trigger: 'http' as const, handler: './src/fn.ts', route, methods } },
  });
const nested = (id: string) =>
  CrudApi.define(id, { entityName: 'Saved', schema: { id: 'string' }, route: 'tickets/search' });
const routeIssues = (plan: ResourcePlan, code: string) =>
  plan.issues.filter((i) => i.code === code && i.message.includes('/api/tickets/search'));

describe("the route checks know a CrudApi's search route (POST /api/<route>/search)", () => {
  it('a CrudApi on <route>/search beside one declaring search is a ROUTE_CONFLICT naming the search and the fix', () => {
    // "AaaApi-collection" sorts before "TicketApi-collection-search": the host would give it every POST.
    const plan = defineBackend({ tickets: tickets(), saved: nested('AaaApi') }).plan();
    const [issue, ...more] = routeIssues(plan, 'ROUTE_CONFLICT');
    expect(more).toEqual([]);
    expect(issue).toMatchObject({
      severity: 'error',
      components: ['AaaApi', 'TicketApi'],
      path: ['components', 'saved', 'config', 'route'],
    });
    expect(issue!.message).toContain("CrudApi TicketApi's search");
    expect(issue!.message).toContain('POST /api/tickets/search');
    expect(issue!.message).not.toContain('refuses two entities');
    expect(issue!.resolution).toContain("CrudApi.define('AaaApi'");
    expect(defineBackend({ tickets: tickets(), saved: nested('AaaApi') }).validate().valid).toBe(
      false,
    );
  });

  it('a FunctionsApp POST route on <route>/search is a ROUTE_CONFLICT with the search, whichever is tried first', () => {
    for (const id of ['Aaa', 'Zzz']) {
      const plan = defineBackend({
        tickets: tickets(),
        f: httpApp(id, 'tickets/search', ['POST']),
      }).plan();
      const [issue, ...more] = routeIssues(plan, 'ROUTE_CONFLICT');
      expect(more).toEqual([]);
      expect(issue).toMatchObject({
        severity: 'error',
        components: [id, 'TicketApi'].sort(),
        path: ['components', 'f', 'config', 'functions', 'p', 'route'],
      });
      expect(issue!.message).toContain("CrudApi TicketApi's search");
      expect(issue!.resolution).toContain(`Change the route of ${id}-p`);
      // Not also said to go to the item route: the search, tried before it, is what answers that POST.
      expect(plan.issues.filter((i) => i.message.includes('goes to TicketApi-item'))).toEqual([]);
    }
  });

  it('a user route tried before the search that can match it is a ROUTE_SHADOWED naming the search', () => {
    const plan = defineBackend({
      tickets: tickets(),
      f: httpApp('Aaa', 'tickets/{a}', ['POST']),
    }).plan();
    const shadowed = plan.issues.filter(
      (i) => i.code === 'ROUTE_SHADOWED' && i.message.includes('TicketApi-collection-search'),
    );
    expect(shadowed).toHaveLength(1);
    expect(shadowed[0]!.message).toContain('POST /api/tickets/search goes to Aaa-p');
    expect(shadowed[0]!.path).toEqual(['components', 'f', 'config', 'functions', 'p', 'route']);
  });

  it('without search, or on methods the search does not serve, nothing is said of a search route', () => {
    const none = defineBackend({ tickets: tickets(false), saved: nested('AaaApi') }).plan();
    expect(none.issues.filter((i) => i.message.includes('search'))).toEqual([]);
    expect(
      httpRoutesInHostOrder(none.resources.find((r) => r.type === 'functions')!.config).map(
        (r) => r.name,
      ),
    ).not.toContain('TicketApi-collection-search');
    // GET /api/tickets/search is the item "search" (the search answers POST only): a GET function there meets the
    // item route, as before, never the search.
    const get = defineBackend({
      tickets: tickets(),
      f: httpApp('Aaa', 'tickets/search', ['GET']),
    }).plan();
    expect(routeIssues(get, 'ROUTE_CONFLICT')).toEqual([]);
    expect(get.issues.filter((i) => i.message.includes('collection-search'))).toEqual([]);
  });

  it('in host order the search route answers POST <route>/search and the item route every other method of the item "search"', () => {
    const plan = defineBackend({ tickets: tickets() }).plan();
    const routes = httpRoutesInHostOrder(
      plan.resources.find((r) => r.type === 'functions')!.config,
    );
    const first = (method: string) =>
      routes.find(
        (r) => r.methods.includes(method) && matchTemplate(r.template, ['tickets', 'search']),
      )?.name;
    expect(first('POST')).toBe('TicketApi-collection-search');
    for (const m of ['GET', 'PUT', 'PATCH', 'DELETE']) expect(first(m)).toBe('TicketApi-item');
  });
});
