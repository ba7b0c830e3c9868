/**
 * `atakora dev` serves the HTTP functions and CRUD routes of the package apply would deploy,
 * against the local Cosmos DB protocol server, and invokes queue/timer functions through the admin route.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { matchRoute } from '../../src/cli/dev/host/routes.js';
import { firesAt } from '../../src/cli/dev/host/schedule.js';
import { capturedIo } from '../support/captured-io.js';
import { EVENTUALLY } from '../support/patience.js';

let dev: DevSession;
const logs: string[] = [];
beforeAll(async () => {
  dev = await startDev('examples/order-processing.ts', { log: (l) => logs.push(l) });
});
afterAll(async () => {
  await dev?.stop();
});

const url = (path: string) => `${dev.apps[0]!.url}${path}`;

describe('atakora dev', () => {
  it('indexes the same registrations as in Azure: CRUD routes, health, http, queue and timer functions', () => {
    expect(dev.apps).toHaveLength(1);
    const seen = Object.fromEntries(dev.apps[0]!.functions.map((f) => [f.name, f.type]));
    expect(seen).toEqual({
      'OrderApi-collection': 'httpTrigger',
      'OrderApi-item': 'httpTrigger',
      health: 'httpTrigger',
      openapi: 'httpTrigger',
      'OrderWorker-nightly-report': 'timerTrigger',
      'OrderWorker-order-status': 'httpTrigger',
      'OrderWorker-process-order': 'queueTrigger',
    });
    expect(dev.cosmosEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the CRUD routes against the local Cosmos DB server, and the user HTTP function', async () => {
    const created = await fetch(url('/api/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'o-7', userId: 'u-1', total: 9.5, status: 'new' }),
    });
    expect(created.status).toBe(201);
    const read = await fetch(url('/api/orders/o-7?userId=u-1'), {
      headers: { 'x-partition-key': 'u-1' },
    });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: 'o-7', total: 9.5 });
    const invalid = await fetch(url('/api/orders'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'o-8', userId: 'u-1', total: 'lots' }),
    });
    expect(invalid.status).toBe(400);
    const status = await fetch(url('/api/order-status/o-7'));
    // A local developer is signed in, as App Service authentication would sign in a caller…
    expect([status.status, await status.json()]).toEqual([
      200,
      {
        id: 'o-7',
        status: 'queued',
        requestedBy: 'Local Developer',
        tracking: 'https://track.example.com/orders/o-7',
      },
    ]);
    // …unless the request names another caller (x-atakora-dev-user); a caller-sent principal is dropped, as in Azure.
    const asAda = await fetch(url('/api/order-status/o-7'), {
      headers: { 'x-atakora-dev-user': 'Ada@contoso' },
    });
    expect(await asAda.json()).toMatchObject({ requestedBy: 'Ada' });
    const mallory = Buffer.from(
      JSON.stringify({ claims: [{ typ: 'name', val: 'Mallory' }] }),
    ).toString('base64');
    const forged = await fetch(url('/api/order-status/o-7'), {
      headers: { 'x-ms-client-principal': mallory },
    });
    expect(await forged.json()).toMatchObject({ requestedBy: 'Local Developer' });
    expect((await fetch(url('/api/order-status/o-7'), { method: 'DELETE' })).status).toBe(404); // GET only
    expect((await fetch(url('/api/health'))).status).toBe(200);
  });

  it('invokes queue and timer functions through POST /admin/functions/<name>', async () => {
    // With this run's admin key (cli/dev/loopback/guard.ts): a page cannot invoke functions.
    const key = { 'x-functions-key': dev.adminKey };
    const queued = await fetch(url('/admin/functions/OrderWorker-process-order'), {
      method: 'POST',
      headers: key,
      body: JSON.stringify({ input: { orderId: 'o-7', total: 9.5 } }),
    });
    expect(queued.status).toBe(202);
    const timer = await fetch(url('/admin/functions/OrderWorker-nightly-report'), {
      method: 'POST',
      headers: key,
      body: '{}',
    });
    expect(timer.status).toBe(202);
    // 202 is an accepted run, not a finished one: wait for both handlers' log lines (not a fixed 200 ms).
    await vi.waitFor(
      () => {
        const ops = logs
          .filter((l) => l.startsWith('{'))
          .map((l) => (JSON.parse(l) as { operation?: string }).operation);
        expect(ops).toEqual(expect.arrayContaining(['process-order', 'nightly-report']));
      },
      { ...EVENTUALLY, interval: 10 },
    );
    expect(
      (await fetch(url('/admin/functions/nope'), { method: 'POST', headers: key, body: '{}' }))
        .status,
    ).toBe(404);
  });
});

describe('route templates', () => {
  it('match literal segments case-insensitively, parameters, optional and catch-all ones', () => {
    expect(matchRoute('orders/{id}', 'Orders/42')).toEqual({ id: '42' });
    expect(matchRoute('orders/{id}', 'orders')).toBeUndefined();
    expect(matchRoute('orders/{id?}', 'orders')).toEqual({});
    expect(matchRoute('orders/{id:int}', 'orders/7')).toEqual({ id: '7' });
    expect(matchRoute('files/{*path}', 'files/a/b%20c')).toEqual({ path: 'a/b c' });
    expect(matchRoute('orders', 'orders/1')).toBeUndefined();
  });
});

describe('atakora dev on the command line', () => {
  it('is in the command table: --help explains it, a missing entry is a usage error (exit 2)', async () => {
    const { main } = await import('../../src/cli/main.js');
    const c = capturedIo();
    expect(await main(['dev', '--help'], c.io)).toBe(0);
    expect(c.out).toMatch(/atakora dev <entry> \[--port 7071\] \[--user/);
    expect(await main(['dev'], c.io)).toBe(2);
    expect(c.err).toMatch(/dev takes exactly one <entry>/);
    expect(await main(['dev', 'x.ts', '--port', 'many'], c.io)).toBe(2);
  });
});

describe('timers in atakora dev', () => {
  it('NCRONTAB schedules match in UTC: lists, ranges, steps and names', () => {
    const at = (iso: string) => new Date(iso);
    expect(firesAt('0 0 2 * * *', at('2026-03-04T02:00:00Z'))).toBe(true);
    expect(firesAt('0 0 2 * * *', at('2026-03-04T02:00:01Z'))).toBe(false);
    expect(firesAt('*/15 * * * * *', at('2026-03-04T10:20:45Z'))).toBe(true);
    expect(firesAt('*/15 * * * * *', at('2026-03-04T10:20:44Z'))).toBe(false);
    expect(firesAt('0 30 9 * * MON-FRI', at('2026-03-04T09:30:00Z'))).toBe(true); // a Wednesday
    expect(firesAt('0 30 9 * * MON-FRI', at('2026-03-07T09:30:00Z'))).toBe(false); // a Saturday
    expect(firesAt('0 0 0 1 JAN,JUL *', at('2026-07-01T00:00:00Z'))).toBe(true);
    expect(firesAt('0 0 0 1 JAN,JUL *', at('2026-06-01T00:00:00Z'))).toBe(false);
    expect(firesAt('5-10/5 * * * * *', at('2026-01-01T00:00:10Z'))).toBe(true);
    expect(firesAt('5-10/5 * * * * *', at('2026-01-01T00:00:07Z'))).toBe(false);
  });

  it('fire on their schedule in the dev worker, as the Functions host fires them', async () => {
    const lines: string[] = [];
    const session = await startDev('test/packaging/fixtures/every-second.ts', {
      log: (l) => lines.push(l),
    });
    try {
      expect(session.apps[0]!.functions.map((f) => [f.name, f.type])).toEqual([
        ['Ticker-tick', 'timerTrigger'],
      ]);
      expect(session.cosmosEndpoint).toBeUndefined(); // no CrudApi, no local Cosmos DB
      // Every second: the first tick comes within about one; wait for it rather than a fixed 2.6 s.
      const ticks = () => lines.filter((l) => l.includes('"operation":"tick"'));
      await vi.waitFor(
        () => {
          expect(ticks().length).toBeGreaterThanOrEqual(1);
        },
        { ...EVENTUALLY, interval: 20 },
      );
      expect(JSON.parse(ticks()[0]!)).toEqual({ operation: 'tick', pastDue: false });
    } finally {
      await session.stop();
    }
  });
});
