/**
 * The `atakora dev` banner lists, for every route, the methods that route answers — no more: the runtime registers
 * its routes (CRUD, children, files, negotiate) for every method so that the others get 405 with `Allow`, and the
 * banner used to print all five for the routes beyond CRUD. Checked against the running dev server: a listed method
 * is served (neither 405 nor the host's "no function serves"), an unlisted one is refused with one of those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devBanner } from '../../src/cli/dev/session/banner.js';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { ROUTE_METHODS } from '../../src/contract/routes.js';

let dev: DevSession;
beforeAll(async () => {
  dev = await startDev('test/contract/fixtures/tools/backend.ts', {
    log: () => undefined,
    quietWorkers: true,
  });
});
afterAll(async () => dev?.stop());

/** A route's template with each parameter given a value (an optional one left out). */
const concrete = (route: string) => route.replace(/\/\{[^}]*\?\}/g, '').replace(/\{[^}]*\}/g, 'x1');

describe('the dev banner lists the methods a route answers', () => {
  it('for every HTTP route: listed methods are served, the others refused', async () => {
    const app = dev.apps[0]!;
    const http = app.functions.filter((f) => f.type === 'httpTrigger');
    const byName = Object.fromEntries(http.map((f) => [f.name, f.methods]));
    // The routes beyond CRUD, as their own contracts serve them.
    expect(byName).toMatchObject({
      'BoardApi-cards': ['GET'],
      'Attachments-files': ['GET', 'POST'],
      'Attachments-file': ['GET', 'DELETE'],
      'Attachments-complete': ['POST'],
      'realtime-negotiate': ['POST'],
      'BoardApi-collection': ['GET', 'POST'],
    });
    const mismatches: string[] = [];
    for (const f of http) {
      if (f.name === 'realtime-events') continue;
      const url = `${app.url}/api/${concrete(f.route ?? f.name)}`;
      for (const method of ROUTE_METHODS) {
        const r = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json' },
          ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
        });
        const text = await r.text();
        const refused = r.status === 405 || text.includes('No function serves');
        if (refused === f.methods?.includes(method))
          mismatches.push(
            `${f.name} ${method} → ${String(r.status)} (listed: ${String(f.methods)})`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    // And the banner prints them so.
    const lines = devBanner(dev.apps);
    expect(lines.find((l) => l.includes('realtime-negotiate'))).toMatch(/ POST http/);
    expect(lines.find((l) => l.includes('Attachments-complete'))).toMatch(/ POST http/);
  });
});
