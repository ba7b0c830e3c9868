/**
 * `dataOf(request)` in the handlers of a built package under `atakora dev` (test/packaging/fixtures/mcp-backend.ts,
 * ticket-stats.ts and file-ticket.ts): the calls run in the worker's process through the CrudApi's own routes as the
 * request's caller — lists confined as the caller's, another user's write refused as the REST route refuses it (the
 * client's ProblemError), creates stamped with the caller, the realtime event of a create as a REST create sends it,
 * a CrudApi the function did not declare refused, and an anonymous caller never reaching the handler.
 */
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { devJson, devSession } from '../support/dev-session.js';
import { CONTOSO, HOME } from './fixtures/mcp-backend.js';
import { EVENTUALLY } from '../support/patience.js';

const ALICE = `alice@${HOME}`;
const BOB = `bob@${HOME}`;
const CARLOS = `carlos@${CONTOSO}`;
const dev = devSession('test/packaging/fixtures/mcp-backend.ts', {
  user: { oid: 'alice', tid: HOME, name: 'alice' },
});
const call = (caller: string, path: string, init?: RequestInit) =>
  devJson(dev(), caller, path, init);
const file = (caller: string, body: Record<string, unknown>) =>
  call(caller, 'reports/file', { method: 'POST', body: JSON.stringify(body) });

describe('dataOf(request) in a handler, as the caller', () => {
  it('creates stamped with the caller, in its tenant; lists and counts as the caller', async () => {
    const made = await file(ALICE, { op: 'create', title: 'from a handler' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      title: 'from a handler',
      ownerId: 'alice',
      tenantId: HOME,
      status: 'open',
    });
    expect((await call(ALICE, `tickets/${String(made.body['id'])}`)).body).toEqual(made.body);
    expect((await file(CARLOS, { op: 'create', title: 'contoso' })).body).toMatchObject({
      ownerId: 'carlos',
      tenantId: CONTOSO,
    });
    // The handler's counts and list are the caller's tenant's, as the REST list is.
    const mine = await call(ALICE, 'reports/tickets');
    const restOpen = await call(ALICE, "tickets?$filter=status eq 'open'&$count=true&$first=1");
    expect(mine.body['open']).toBe(restOpen.body['count']);
    expect(mine.body['top']).toEqual([made.body['id']]);
    const theirs = await call(CARLOS, 'reports/tickets');
    expect(theirs.body).toMatchObject({ open: 1, closed: 0 });
    expect(theirs.body['top']).not.toContain(made.body['id']);
  });

  it("refuses another user's write as the REST route refuses it; the owner's passes", async () => {
    const made = await file(ALICE, { op: 'create', title: 'alice owns it' });
    const id = String(made.body['id']);
    const viaHandler = await file(BOB, { op: 'update', id, title: 'bob was here' });
    const viaRest = await call(BOB, `tickets/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'bob was here' }),
    });
    expect(viaRest.status).toBe(403);
    // The handler caught the client's ProblemError: the route's status and code.
    expect(viaHandler.status).toBe(418);
    expect(viaHandler.body).toMatchObject({
      status: 403,
      code: String(viaRest.body['type']).split(':').pop(),
    });
    expect((await file(BOB, { op: 'delete', id })).body).toMatchObject({ status: 403 });
    // Another tenant's id is not found, as its GET is.
    expect((await file(CARLOS, { op: 'delete', id })).body).toMatchObject({
      status: 404,
      code: 'not-found',
    });
    // A bad value is the route's 400 with its field errors.
    const bad = await file(ALICE, { op: 'create', title: 'x'.repeat(81) });
    expect(bad.body).toMatchObject({ status: 400, code: 'validation' });
    expect((bad.body['errors'] as { field: string }[]).map((e) => e.field)).toEqual(['title']);
    const owner = await file(ALICE, { op: 'update', id, title: 'renamed' });
    expect(owner.body).toMatchObject({ id, title: 'renamed', ownerId: 'alice' });
    expect((await file(ALICE, { op: 'delete', id })).status).toBe(204);
    expect((await call(ALICE, `tickets/${id}`)).status).toBe(404);
  });

  it('sends the realtime event of a create as a REST create does, to the readers of the item only', async () => {
    const negotiate = async (caller: string) =>
      String((await call(caller, 'realtime/negotiate', { method: 'POST' })).body['url']);
    const listen = (url: string) => {
      const events: Record<string, unknown>[] = [];
      const socket = new WebSocket(url, 'json.webpubsub.azure.v1');
      socket.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as Record<string, unknown>;
        if (m['type'] === 'message') events.push(m['data'] as Record<string, unknown>);
      });
      const open = new Promise((resolve) => socket.once('open', resolve));
      return { socket, events, open };
    };
    const bob = listen(await negotiate(BOB));
    const carlos = listen(await negotiate(CARLOS));
    await Promise.all([bob.open, carlos.open]);
    try {
      const made = await file(ALICE, { op: 'create', title: 'live' });
      await expect.poll(() => bob.events.length, EVENTUALLY).toBe(1);
      expect(bob.events[0]).toMatchObject({
        entity: 'TicketApi',
        operation: 'create',
        id: made.body['id'],
        item: (await call(BOB, `tickets/${String(made.body['id'])}`)).body,
      });
      // A later write of Contoso's own overtakes any stray event: Carlos hears his tenant's only.
      const own = await file(CARLOS, { op: 'create', title: 'ours' });
      await expect.poll(() => carlos.events.length, EVENTUALLY).toBe(1);
      expect(carlos.events.map((e) => e['id'])).toEqual([own.body['id']]);
    } finally {
      bob.socket.close();
      carlos.socket.close();
    }
  });

  it('refuses a CrudApi the function does not declare, and dataOf in a function that declares none', async () => {
    expect((await file(ALICE, { op: 'audit' })).body).toEqual({ code: 'DATA_UNDECLARED' });
    const none = await call(ALICE, 'reports/no-data');
    expect(none.status).toBe(500);
    expect(none.body).toMatchObject({ code: 'DATA_UNDECLARED' });
  });

  it('never runs the handler for an anonymous caller', async () => {
    const r = await call('anonymous', 'reports/tickets');
    expect(r.status).toBe(401);
    expect(r.body['type']).toBe('urn:atakora:problem:unauthenticated');
  });
});
