/**
 * The batch rewrite behind `atakora migrate`, against the local Cosmos DB server: a dry run counts per version
 * and writes nothing; a run interrupted halfway and run again finishes (and a third run rewrites nothing); a
 * concurrent writer's values survive (If-Match); a throwing migration is reported and skipped; and, as a
 * fast-check property, a chain applied lazily (a read) and by the rewrite gives the same items.
 */
import type { Container } from '@azure/cosmos';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteOlderItems } from '../../src/cli/migrate/rewrite-items.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import type { ItemMigration } from '../../src/runtime/data/context.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { changeEventOf } from '../../src/runtime/events/change-feed.js';
import { SCHEMA_VERSION_FIELD, stripSystemFields } from '../../src/runtime/values/system-fields.js';
import { noteEntity } from '../runtime/support/entities.js';
import { apiFor } from '../runtime/support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from '../runtime/support/local-cosmos.js';

let cosmos: LocalCosmos;
let n = 0;
const A = { 'x-tenant-id': 'tenant-a' };
const entity: RuntimeEntity = {
  ...noteEntity,
  unknownFields: 'keep',
  schemaVersion: 3,
  schema: {
    name: { type: 'string', required: true },
    status: { type: 'string', required: true },
    count: { type: 'integer', required: false, default: 0 },
  },
};
const toV2: ItemMigration = ({ done, ...item }) => ({ ...item, status: done ? 'closed' : 'open' });
const toV3: ItemMigration = ({ title, ...item }) => ({ ...item, name: title });
const migrations = { 2: toV2, 3: toV3 };

beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => cosmos?.stop());

async function seeded(count: number): Promise<Container> {
  const c = await cosmos.container(`rewrite-${String(n++)}`, '/tenantId');
  for (let i = 0; i < count; i++)
    await c.items.create(
      i % 3 === 0
        ? {
            id: `i${i}`,
            tenantId: 'tenant-a',
            title: `t${i}`,
            status: 'open',
            [SCHEMA_VERSION_FIELD]: 2,
          }
        : { id: `i${i}`, tenantId: 'tenant-a', title: `t${i}`, done: i % 2 === 0 },
    );
  return c;
}
const shown = (items: Record<string, unknown>[]) =>
  items
    .map((item) => stripSystemFields(item))
    .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));

describe('rewriteOlderItems', () => {
  it('a dry run counts items per version and writes nothing', async () => {
    const c = await seeded(9);
    const before = await allItems(c);
    const dry = await rewriteOlderItems({ container: c, entity, migrations, dryRun: true });
    expect(dry.versions).toEqual({ 1: 6, 2: 3 });
    // What it would rewrite: every older item, each run through the chain in memory.
    expect(dry.rewritten).toBe(9);
    expect(dry.failed).toEqual([]);
    expect(await allItems(c)).toEqual(before);
  });

  it('interrupted halfway, run again, finishes; a third run rewrites nothing', async () => {
    const c = await seeded(20);
    const first = await rewriteOlderItems({
      container: c,
      entity,
      migrations,
      batchSize: 4,
      stopAfter: 7,
    });
    expect(first).toMatchObject({ rewritten: 7, stopped: true });
    const second = await rewriteOlderItems({ container: c, entity, migrations, batchSize: 4 });
    expect(second).toMatchObject({ rewritten: 13, stopped: false, failed: [] });
    const third = await rewriteOlderItems({ container: c, entity, migrations });
    expect(third.rewritten).toBe(0);
    const stored = await allItems(c);
    expect(stored.every((i) => i[SCHEMA_VERSION_FIELD] === 3)).toBe(true);
    expect(stored.every((i) => !('title' in i) && !('done' in i))).toBe(true);
  });

  it('a concurrent writer wins: its values survive, every item ends current', async () => {
    const c = await seeded(30);
    const api = apiFor(entity, createCrudHandlers(entity, c, { migrations }));
    let stop = false;
    const lastWritten = new Map<string, number>();
    const writer = (async () => {
      for (let round = 0; !stop && round < 200; round++) {
        const id = `i${round % 30}`;
        const r = await api.patch(id, { count: 1000 + round }, { headers: A });
        expect(r.status).toBe(200);
        lastWritten.set(id, 1000 + round);
      }
    })();
    const summary = await rewriteOlderItems({ container: c, entity, migrations, batchSize: 2 });
    stop = true;
    await writer;
    const stored = await allItems(c);
    expect(stored.every((i) => i[SCHEMA_VERSION_FIELD] === 3)).toBe(true);
    // Every PATCH the writer made is still there: no stale copy of the rewrite overwrote one.
    expect(lastWritten.size).toBeGreaterThan(0);
    for (const [id, count] of lastWritten)
      expect(stored.find((i) => i['id'] === id)?.['count']).toBe(count);
    expect(summary.rewritten + summary.overtaken).toBeLessThanOrEqual(30);
  });

  it('a throwing migration is reported with the item and step, the item left alone', async () => {
    const c = await seeded(6);
    const boom: ItemMigration = (item) => {
      if (item['id'] === 'i1') throw new Error('bad item');
      return toV2(item, { tenant: undefined });
    };
    const summary = await rewriteOlderItems({
      container: c,
      entity,
      migrations: { 2: boom, 3: toV3 },
    });
    expect(summary.failed).toEqual([
      {
        id: 'i1',
        step: 2,
        detail: 'migration 2 (version 1 → 3) failed: the migration threw (Error: bad item)',
      },
    ]);
    expect((await c.item('i1', 'tenant-a').read()).resource).not.toHaveProperty(
      SCHEMA_VERSION_FIELD,
    );
  });

  it('pages of skipped (earlier failed) items do not hide the older items behind them', async () => {
    const c = await cosmos.container(`rewrite-${String(n++)}`, '/tenantId');
    for (let i = 0; i < 10; i++)
      await c.items.create({ id: `s${i}`, tenantId: 'tenant-a', title: `t${i}`, done: false });
    const skip = new Set(['s0', 's1', 's2', 's3', 's4', 's5']);
    const run = await rewriteOlderItems({ container: c, entity, migrations, batchSize: 3, skip });
    expect(run.rewritten).toBe(4);
    const items = await allItems(c);
    expect(
      items
        .filter((i) => i[SCHEMA_VERSION_FIELD] === 3)
        .map((i) => i['id'])
        .sort(),
    ).toEqual(['s6', 's7', 's8', 's9']);
  });

  it('property: the chain applied lazily and by the rewrite gives the same items', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ title: fc.string({ maxLength: 8 }), done: fc.boolean(), v2: fc.boolean() }),
          { minLength: 1, maxLength: 8 },
        ),
        async (rows) => {
          const c = await cosmos.container(`rewrite-${String(n++)}`, '/tenantId');
          for (const [i, r] of rows.entries())
            await c.items.create(
              r.v2
                ? {
                    id: `p${i}`,
                    tenantId: 'tenant-a',
                    title: r.title,
                    status: r.done ? 'x' : 'y',
                    [SCHEMA_VERSION_FIELD]: 2,
                  }
                : { id: `p${i}`, tenantId: 'tenant-a', title: r.title, done: r.done },
            );
          const api = apiFor(entity, createCrudHandlers(entity, c, { migrations }));
          const lazy = (await api.list({ headers: A, query: { limit: '100' } })).body
            .items as Record<string, unknown>[];
          await rewriteOlderItems({ container: c, entity, migrations });
          expect(shown(await allItems(c))).toEqual(shown(lazy));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a wrong result is never stored: listed with its step and field; items ahead of the code are left alone', async () => {
    const c = await cosmos.container(`rewrite-${String(n++)}`, '/tenantId');
    for (let i = 0; i < 6; i++)
      await c.items.create({ id: `w${i}`, tenantId: 'tenant-a', title: `t${i}`, done: false });
    await c.items.create({
      id: 'ahead',
      tenantId: 'tenant-a',
      name: 'new',
      total: 42,
      [SCHEMA_VERSION_FIELD]: 4,
    });
    const aheadBefore = (await c.item('ahead', 'tenant-a').read()).resource as Record<
      string,
      unknown
    >;
    // Step 2 gives w1 and w4 a status of the wrong type.
    const wrong: ItemMigration = (item) =>
      ['w1', 'w4'].includes(String(item['id']))
        ? { ...toV2(item, { tenant: undefined }), status: 189 }
        : toV2(item, { tenant: undefined });
    const dry = await rewriteOlderItems({
      container: c,
      entity,
      migrations: { 2: wrong, 3: toV3 },
      dryRun: true,
      batchSize: 4,
    });
    expect(dry.versions).toEqual({ 1: 6, 4: 1 });
    expect(dry.rewritten).toBe(4);
    expect(dry.failed.map((f) => [f.id, f.step, f.fields])).toEqual([
      ['w1', 2, ['status']],
      ['w4', 2, ['status']],
    ]);
    expect(dry.cost.requests).toBe(2);
    expect(dry.averageKb).toBeGreaterThan(0);
    const run = await rewriteOlderItems({
      container: c,
      entity,
      migrations: { 2: wrong, 3: toV3 },
    });
    expect(run.rewritten).toBe(4);
    expect(run.failed.map((f) => f.id)).toEqual(['w1', 'w4']);
    expect(run.failed[0]!.detail).toBe(
      'migration 2 (version 1 → 3) failed on status: the result is not a valid Note: status must be a string',
    );
    const items = await allItems(c);
    for (const id of ['w1', 'w4'])
      expect(items.find((i) => i['id'] === id)).not.toHaveProperty(SCHEMA_VERSION_FIELD);
    expect(items.find((i) => i['id'] === 'ahead')).toEqual(aheadBefore);
  });

  it('each rewrite is stamped migrate: the change feed hands onChange operation "migrate"', async () => {
    const c = await seeded(3);
    await rewriteOlderItems({ container: c, entity, migrations });
    for (const doc of await allItems(c)) {
      const change = changeEventOf(doc);
      expect(change?.operation).toBe('migrate');
      expect(change?.item).not.toHaveProperty(SCHEMA_VERSION_FIELD);
    }
  });
});
