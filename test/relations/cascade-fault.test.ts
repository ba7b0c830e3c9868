/**
 * A cascade that fails half-way (the Cosmos DB server refuses one child's delete): the delete was accepted (every
 * child is the caller's to delete), so the answer is 202, the parent is gone from reads at once, and the app's queue
 * runs the rest again until it is done — children first, then the parent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inProcessQueue } from '../../src/runtime/relations/cascade-queue.js';
import { allItems, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { entries, notes, principal, relationApp, vaults } from './support.js';

const ALICE = principal('tenant-a', 'alice');
let cosmos: LocalCosmos;
const containers = new Map<string, Container>();
let app: ReturnType<typeof relationApp>;
let failing = 0;
const queue = inProcessQueue({ retrySeconds: 0.05 });

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  for (const e of [vaults, entries, notes])
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey, undefined, e));
  app = relationApp(
    { version: 1, backendId: 'x', entities: [vaults, entries, notes] },
    containers,
    { cosmos: { timeoutMs: 5000, retryAfterSeconds: 1 }, cascadeQueue: queue },
  );
  // A fault layer before the server: the next `failing` deletes of entry e-2 answer 500.
  const original = cosmos.server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  cosmos.server.removeAllListeners('request');
  cosmos.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (failing > 0 && req.method === 'DELETE' && req.url?.includes('/colls/entries/docs/e-2')) {
      failing--;
      res.writeHead(500, { 'content-type': 'application/json', 'x-ms-activity-id': 'fault' });
      res.end(JSON.stringify({ code: 'InternalServerError', message: 'injected' }));
      return;
    }
    for (const l of original) l.call(cosmos.server, req, res);
  });
});
afterAll(async () => cosmos?.stop());

it('a failed cascade is accepted (202), gone from reads at once, and finished by the queue', async () => {
  expect((await app.create(vaults, { id: 'v1' }, ALICE)).status).toBe(201);
  for (const id of ['e-1', 'e-2', 'e-3'])
    expect((await app.create(entries, { id, vaultId: 'v1' }, ALICE)).status).toBe(201);
  // The request's own attempt fails, and the queue's first two runs.
  failing = 3;
  const first = await app.item(vaults, 'DELETE', 'v1', ALICE);
  expect(first.status).toBe(202);
  expect(first.body).toMatchObject({ id: 'v1', status: 'deleting' });
  // Gone from reads and from lists at once, while e-2 is still stored.
  expect((await app.item(vaults, 'GET', 'v1', ALICE)).status).toBe(404);
  expect((await app.list(vaults, ALICE)).body.items).toEqual([]);
  await queue.idle();
  expect(failing).toBe(0);
  expect((await allItems(containers.get('EntryApi')!)).filter((i) => i.vaultId === 'v1')).toEqual(
    [],
  );
  expect((await allItems(containers.get('VaultApi')!)).map((i) => i.id)).not.toContain('v1');
});
