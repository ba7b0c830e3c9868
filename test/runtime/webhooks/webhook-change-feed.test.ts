/**
 * Entity webhooks from the change feed (DESIGN §2, "Integrations": "the organization's entity events … delivered
 * from the change feed through a queue — at least once, in order per item"), against the local Cosmos DB server: a
 * write that never passed through the CRUD runtime (the `@azure/cosmos` client straight into the container, as a
 * migration, an import or another tool writes) reaches the organization's endpoint through the Cosmos DB trigger the
 * runtime registers per tenant-scoped entity — verified by the maintained `standardwebhooks` library — while a write
 * through the runtime, recorded at once and seen again by the feed, is delivered once (one webhook-id per item
 * version). Batches are read as `atakora dev`'s emulated trigger reads them (cli/dev/host/change-feed-triggers.ts).
 */
import type { Container } from '@azure/cosmos';
import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FeedPosition,
  startChangeFeedTriggers,
} from '../../../src/cli/dev/host/change-feed-triggers.js';
import { noteEntity } from '../support/entities.js';
import { type LocalCosmos, startLocalCosmos } from '../support/local-cosmos.js';
import { secrets, startWebhooksApp, type WebhooksApp } from '../support/webhooks-app.js';

let cosmos: LocalCosmos;
let app: WebhooksApp;
let notes: Container;
let hidden: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  app = await startWebhooksApp(cosmos, {
    webhooks: { feed: { connectionOf: () => 'WEBHOOK_FEED' } },
  });
  ({ notes, hidden } = app);
});
afterAll(async () => {
  await app?.stop();
  await cosmos?.stop();
});
beforeEach(async () => {
  await app.reset({ ada: 'Owner', bob: 'Member' });
  // What earlier tests wrote counts as read.
  positions.clear();
  await changedIn(notes);
  await changedIn(hidden);
});

/** The trigger the runtime registered for an entity's container (Azure's Cosmos DB trigger, dev's emulated one). */
const feedOf = (componentId: string) => {
  const f = app.feeds.get(`atakora-webhooks-${componentId}`);
  if (!f)
    throw new Error(`no change feed trigger for ${componentId}: ${[...app.feeds.keys()].join()}`);
  return f;
};

/** Where each container's feed was read up to: the documents changed since, as dev's emulated trigger reads them. */
const positions = new Map<string, FeedPosition>();
async function changedIn(container: Container): Promise<Record<string, unknown>[]> {
  const position = positions.get(container.id) ?? new FeedPosition(0);
  positions.set(container.id, position);
  const resources = await since(container, position.ts);
  const at = (d: Record<string, unknown>, f: string) => Number(d[f] ?? 0);
  return position.next(
    resources.sort((a, b) => at(a, '_ts') - at(b, '_ts') || at(a, '_lsn') - at(b, '_lsn')),
  );
}
/** The documents whose `_ts` is `ts` or later (the emulated trigger's read: cli/azure/local-change-feed.ts). */
async function since(container: Container, ts: number): Promise<Record<string, unknown>[]> {
  const { resources } = await container.items
    .query<Record<string, unknown>>({
      query: 'SELECT * FROM c WHERE c._ts >= @ts',
      parameters: [{ name: '@ts', value: ts }],
    })
    .fetchAll();
  return resources;
}
/** One batch of the container's change feed through the registered trigger. */
async function feed(
  componentId = noteEntity.componentId,
  container = notes,
  documents?: unknown[],
) {
  const batch = documents ?? (await changedIn(container));
  await (feedOf(componentId).handler as (d: unknown[], c: InvocationContext) => Promise<unknown>)(
    batch,
    new InvocationContext(),
  );
}

describe('entity webhooks from the change feed', () => {
  it('registers one trigger per tenant-scoped entity, on its container, leases beside it under their own prefix', () => {
    const options = feedOf(noteEntity.componentId);
    expect(options).toMatchObject({
      connection: 'WEBHOOK_FEED',
      databaseName: notes.database.id,
      containerName: notes.id,
      leaseContainerName: `${notes.id}-leases`,
      leaseContainerPrefix: 'atakora-webhooks.',
      createLeaseContainerIfNotExists: false,
    });
    expect(app.feeds.has(`atakora-webhooks-${secrets.componentId}`)).toBe(true);
  });

  it('delivers a write made with @azure/cosmos straight into the container, signed, to its organization only', async () => {
    const acme = await app.newHook(['note.*'], 'acme');
    const globex = await app.newHook(['*'], 'globex', 'gus');
    await notes.items.create({ id: 'imported-1', tenantId: 'acme', title: 'from the import' });
    await notes.items.create({ id: 'imported-2', tenantId: 'globex', title: 'theirs' });
    // A plan without webhooks, and an item no organization owns: nobody hears of them.
    await notes.items.create({ id: 'imported-3', tenantId: 'initech', title: 'free plan' });
    await notes.items.create({ id: 'imported-4', title: 'no tenant' });
    await feed();
    await app.drain();
    expect(app.receiver.received.map((r) => r.path).sort()).toEqual(['/acme', '/globex']);
    const i = app.receiver.received.findIndex((r) => r.path === '/acme');
    const payload = app.verified(acme.secret, i);
    // The runtime did not write it: no operation was recorded, and the feed's latest version carries none.
    expect(payload).toMatchObject({
      type: 'note.updated',
      tenant: 'acme',
      data: { id: 'imported-1', tenantId: 'acme', title: 'from the import' },
    });
    expect(Object.keys(payload.data).filter((k) => k.startsWith('_'))).toEqual([]);
    expect(() => app.verified(globex.secret, i)).toThrow();
    expect(app.verified(globex.secret, 1 - i)).toMatchObject({
      tenant: 'globex',
      data: { id: 'imported-2' },
    });
  });

  it('a write through the runtime is delivered once, though the feed carries it too (one webhook-id per version)', async () => {
    const { id: hook, secret } = await app.newHook(['*']);
    const written = await app.as('bob', 'acme', 'NoteApi-collection', 'POST', 'notes', {
      body: { title: 'once' },
    });
    expect(written.status).toBe(201);
    // The feed delivers the batch twice (a host restart before its checkpoint): still one delivery.
    const batch = await changedIn(notes);
    expect(batch).toHaveLength(1);
    await feed(noteEntity.componentId, notes, batch);
    await feed(noteEntity.componentId, notes, batch);
    await app.drain();
    expect(app.receiver.received).toHaveLength(1);
    expect(app.verified(secret, 0)).toMatchObject({
      type: 'note.created',
      data: { title: 'once' },
    });
    expect(await app.deliveries(hook)).toHaveLength(1);
  });

  it('keeps the order per item, and never sends a version older than one already recorded', async () => {
    const { secret } = await app.newHook(['*']);
    await notes.items.create({ id: 'n1', tenantId: 'acme', title: 'v1' });
    await feed();
    // A version another writer made, then the runtime's change of the same item before the feed's next read:
    // the stale batch (v2) must not overtake v3, which the runtime recorded at once.
    await notes.item('n1', 'acme').replace({ id: 'n1', tenantId: 'acme', title: 'v2' });
    const stale = await changedIn(notes);
    const patched = await app.as('bob', 'acme', 'NoteApi-item', 'PATCH', 'notes/n1', {
      params: { id: 'n1' },
      body: { title: 'v3' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    await feed(noteEntity.componentId, notes, stale);
    await feed();
    await notes.item('n1', 'acme').replace({ id: 'n1', tenantId: 'acme', title: 'v4' });
    await feed();
    await app.drain();
    const titles = app.receiver.received.map((_, i) => app.verified(secret, i).data['title']);
    expect(titles).toEqual(['v1', 'v3', 'v4']);
  });

  it('keeps out what an Owner does not read, whoever wrote it', async () => {
    await app.newHook(['*']);
    await hidden.items.create({ id: 's1', tenantId: 'acme', title: 'psst' });
    await feed(secrets.componentId, hidden);
    await app.drain();
    expect(app.receiver.received).toHaveLength(0);
  });

  it("runs under `atakora dev`'s emulated trigger: a direct write is delivered without a request", async () => {
    const { secret } = await app.newHook(['note.updated']);
    const f = feedOf(noteEntity.componentId);
    const triggers = startChangeFeedTriggers(
      [
        {
          name: 'atakora-webhooks-NoteApi',
          connection: 'WEBHOOK_FEED',
          database: notes.database.id,
          container: notes.id,
          invoke: (documents) =>
            (f.handler as (d: unknown, c: InvocationContext) => Promise<unknown>)(
              documents,
              new InvocationContext(),
            ),
        },
      ],
      { WEBHOOK_FEED__accountEndpoint: cosmos.endpoint },
      () => undefined,
      () =>
        Promise.resolve({
          since: (ts: number) => since(notes, ts),
          dispose: () => undefined,
        }),
    );
    try {
      await triggers.ready;
      await notes.items.create({ id: 'dev-1', tenantId: 'acme', title: 'seeded' });
      await vi.waitFor(
        async () => {
          await app.drain();
          expect(app.receiver.received).toHaveLength(1);
        },
        { timeout: 20_000, interval: 100 },
      );
      expect(app.verified(secret, 0)).toMatchObject({
        type: 'note.updated',
        data: { id: 'dev-1' },
      });
    } finally {
      await triggers.stop();
    }
  });
});
