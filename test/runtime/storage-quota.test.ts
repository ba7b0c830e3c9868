/**
 * The storage quota and whose bytes an item is, against the real runtime on the local Cosmos DB server (the plans
 * model's app: notes per tenant and shared notes, test/model/plans-app.ts): parallel writers on one instance never
 * pass the quota together; a write is refused by what it adds, so a shrinking one goes on over the quota; a shared
 * item's bytes are its creator's whoever changes or deletes it; an item without a recorded creator is nobody's
 * (never credited, so no tenant goes below zero) until its owner's write adopts it.
 */
import { describe, expect, it } from 'vitest';
import { CREATOR_TENANT_FIELD } from '../../src/runtime/values/system-fields.js';
import { plansFile, plansRuntime, problemCode } from '../model/plans-app.js';
import { BYTES_PER_MB, type ModelPlan } from '../model/plans-reference.js';

const files = plansFile();
let now = Date.UTC(2026, 5, 1, 9, 0, 0);
// Runs numbered apart from the plans model's (which shares nothing with this file but the naming).
let run = 9000;

const bytes = (n: number): ModelPlan => ({ storageMb: n / BYTES_PER_MB });
const runtime = (plans: readonly ModelPlan[]) =>
  plansRuntime(files(), ++run, plans, undefined, () => now);

describe('storage quota', () => {
  it('20 parallel 120 KB creates on a 1 MB plan: served only while they fit together, at most the quota stored', async () => {
    const api = await runtime([{ storageMb: 1 }, {}, {}]);
    const size = 120_000;
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => api.create('own', 0, 0, api.nextId('own'), size)),
    );
    const served = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, problemCode(r)])).toEqual(
      refused.map(() => [403, 'storage-quota-exceeded']),
    );
    const stored = await api.meter.storedBytes(api.tenants[0]!);
    const each = stored / served.length;
    expect(each).toBeGreaterThan(size);
    // At most the quota, and not one more would have fit: 8 of them.
    expect(stored).toBeLessThanOrEqual(BYTES_PER_MB);
    expect(stored + each).toBeGreaterThan(BYTES_PER_MB);
    expect(served).toHaveLength(8);
    await api.meter.flush();
    const { resources } = await files()
      .usage.items.query({
        query: "SELECT VALUE SUM(c.itemBytes) FROM c WHERE c.tenant = @t AND c.kind = 'stored'",
        parameters: [{ name: '@t', value: api.tenants[0]! }],
      })
      .fetchAll();
    expect(resources[0]).toBe(stored);
  });

  it('a write that would cross the quota is refused; a shrinking one goes on, over the quota too', async () => {
    const api = await runtime([bytes(1000), bytes(300), {}]);
    const id = api.nextId('own');
    expect((await api.create('own', 0, 0, id, 400)).status).toBe(201);
    const after = await api.meter.storedBytes(api.tenants[0]!);
    const cross = await api.replace('own', 0, 0, id, 400 + (1000 - after) + 1);
    expect([cross.status, problemCode(cross)]).toEqual([403, 'storage-quota-exceeded']);
    expect(await api.meter.storedBytes(api.tenants[0]!)).toBe(after);
    // The operator moves the tenant to a plan its items no longer fit (300 bytes): it is over its quota.
    await files().registry.items.upsert({
      id: api.tenants[0],
      plan: `r${String(run).padStart(4, '0')}-p1`,
      status: 'active',
      createdOn: '2026-01-01T00:00:00.000Z',
      updatedOn: '2026-01-01T00:00:00.000Z',
    });
    now += 31_000;
    const more = await api.create('own', 0, 0, api.nextId('own'), 0);
    expect([more.status, problemCode(more)]).toEqual([403, 'storage-quota-exceeded']);
    const grow = await api.update('own', 0, 0, id, 401);
    expect([grow.status, problemCode(grow)]).toEqual([403, 'storage-quota-exceeded']);
    // Shrinking writes, reads and deletes go on.
    expect((await api.update('own', 0, 0, id, 100)).status).toBe(200);
    expect(await api.meter.storedBytes(api.tenants[0]!)).toBe(after - 300);
    expect((await api.list('own', 0, 0)).status).toBe(200);
    expect((await api.remove('own', 0, 0, id)).status).toBe(204);
    expect(await api.meter.storedBytes(api.tenants[0]!)).toBe(0);
  });
});

describe("a shared item's bytes are its creator's", () => {
  it("another tenant's changes charge the creator, on the creator's quota; its delete credits the creator", async () => {
    const api = await runtime([bytes(600), {}, {}]);
    const [a, b] = [api.tenants[0]!, api.tenants[1]!];
    const id = api.nextId('shared');
    expect((await api.create('shared', 0, 0, id, 100)).status).toBe(201);
    const made = await api.meter.storedBytes(a);
    // B grows A's item: A pays, within A's quota; B's own plan (unbounded) does not matter.
    expect((await api.update('shared', 1, 0, id, 300)).status).toBe(200);
    expect(await api.meter.storedBytes(a)).toBe(made + 200);
    expect(await api.meter.storedBytes(b)).toBe(0);
    const over = await api.update('shared', 1, 0, id, 300 + (600 - made - 200) + 1);
    expect([over.status, problemCode(over)]).toEqual([403, 'storage-quota-exceeded']);
    expect(await api.meter.storedBytes(a)).toBe(made + 200);
    // B deletes it: A is credited, B never goes below zero.
    expect((await api.remove('shared', 1, 0, id)).status).toBe(204);
    expect(await api.meter.storedBytes(a)).toBe(0);
    expect(await api.meter.storedBytes(b)).toBe(0);
  });

  it("an item without a recorded creator is nobody's: never credited; its owner's first write adopts it", async () => {
    const api = await runtime([{}, {}, {}]);
    const [a, b] = [api.tenants[0]!, api.tenants[1]!];
    // Stored before the creator was recorded (or seeded as the backend's own data): no _atakoraTid.
    const legacy = async (id: string) =>
      files().shared.items.create({ id, title: 'x'.repeat(200), ownerId: 'u0' });
    const gone = api.nextId('shared');
    await legacy(gone);
    expect((await api.remove('shared', 1, 0, gone)).status).toBe(204);
    expect(await api.meter.storedBytes(b)).toBe(0);
    // Another directory's user (not its owner) changes one: still nobody's, nobody charged.
    const kept = api.nextId('shared');
    await legacy(kept);
    expect((await api.update('shared', 1, 1, kept, 50)).status).toBe(200);
    expect(await api.meter.storedBytes(b)).toBe(0);
    const { resource: after } = await files().shared.item(kept, kept).read();
    expect(after[CREATOR_TENANT_FIELD]).toBeUndefined();
    // Its owner's write (user u0 of tenant a) adopts it: stamped, charged its whole size from then on.
    expect((await api.update('shared', 0, 0, kept, 80)).status).toBe(200);
    const { resource: adopted } = await files().shared.item(kept, kept).read();
    expect(adopted[CREATOR_TENANT_FIELD]).toBe(a);
    const charged = await api.meter.storedBytes(a);
    expect(charged).toBeGreaterThan(80);
    expect((await api.remove('shared', 1, 0, kept)).status).toBe(204);
    expect(await api.meter.storedBytes(a)).toBe(0);
  });
});
