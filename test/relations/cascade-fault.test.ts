/**
 * A cascade that fails half-way (the Cosmos DB server refuses one child's delete): the parent stays, the answer
 * says to retry, and the same DELETE again finishes the job — children first, then the parent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allItems, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';
import { entries, notes, principal, relationApp, vaults } from './support.js';

const ALICE = principal('tenant-a', 'alice');
let cosmos: LocalCosmos;
const containers = new Map<string, Container>();
let app: ReturnType<typeof relationApp>;
let failing = false;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  for (const e of [vaults, entries, notes])
    containers.set(e.componentId, await cosmos.container(e.route, e.partitionKey));
  app = relationApp(
    { version: 1, backendId: 'x', entities: [vaults, entries, notes] },
    containers,
    {
      cosmos: { timeoutMs: 5000, retryAfterSeconds: 1 },
    },
  );
  // A fault layer before the server: while `failing`, the delete of entry e-2 answers 500.
  const original = cosmos.server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  cosmos.server.removeAllListeners('request');
  cosmos.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (failing && req.method === 'DELETE' && req.url?.includes('/colls/entries/docs/e-2')) {
      res.writeHead(500, { 'content-type': 'application/json', 'x-ms-activity-id': 'fault' });
      res.end(JSON.stringify({ code: 'InternalServerError', message: 'injected' }));
      return;
    }
    for (const l of original) l.call(cosmos.server, req, res);
  });
});
afterAll(async () => cosmos?.stop());

it('a failed cascade leaves the parent; repeating the DELETE finishes it', async () => {
  expect((await app.create(vaults, { id: 'v1' }, ALICE)).status).toBe(201);
  for (const id of ['e-1', 'e-2', 'e-3'])
    expect((await app.create(entries, { id, vaultId: 'v1' }, ALICE)).status).toBe(201);
  failing = true;
  const first = await app.item(vaults, 'DELETE', 'v1', ALICE);
  expect(first.status).toBeGreaterThanOrEqual(500);
  expect(first.headers.get('content-type')).toContain('application/problem+json');
  // The parent is still there (so its remaining children are still reachable from it).
  expect((await app.item(vaults, 'GET', 'v1', ALICE)).status).toBe(200);
  const left = (await allItems(containers.get('EntryApi')!)).map((i) => i.id);
  expect(left).toContain('e-2');
  failing = false;
  expect((await app.item(vaults, 'DELETE', 'v1', ALICE)).status).toBe(204);
  expect((await allItems(containers.get('EntryApi')!)).filter((i) => i.vaultId === 'v1')).toEqual(
    [],
  );
  expect((await app.item(vaults, 'GET', 'v1', ALICE)).status).toBe(404);
});
