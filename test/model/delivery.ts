/**
 * Realtime delivery in the model (test/model/README.md, "Extending it"): which events each principal's connection
 * must receive after a write. An event goes to exactly those who may read the item — as their own GET gives it —
 * at the moment the write leaves it: the new item for a create or an update, the old one for a delete (cascaded
 * children included, each its own delete). Derived from the model's `read`, so delivery and GET cannot disagree.
 */
import { type ModelBackend, PRINCIPALS, type Principal } from './backend.js';
import { type Item, type ModelState, read } from './reference-model.js';

/** One event as the model expects it (the runtime's `at` aside): what a test compares. */
export interface ModelEvent {
  readonly entity: string;
  readonly operation: 'create' | 'update' | 'delete';
  readonly id: string;
  readonly item?: unknown;
}

/** The item `p` reads at `item`'s own address in state `s` (as its GET gives it), or undefined. */
function readAs(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  item: Item,
): Record<string, unknown> | undefined {
  const r = read(b, s, p, entity, item.id!, item.region, []);
  if (r.status !== 200) return undefined;
  const body = r.body as Record<string, unknown>;
  // The same item, not another tenant's or partition's of the same id (a `/tenantId` key reads the caller's own).
  if (body.tenantId !== item.tenantId || body.region !== item.region) return undefined;
  return body;
}

/**
 * The events one acknowledged write sends each principal, from the states before and after it: an added item is
 * a create, a changed one an update, a removed one a delete. Keyed by principal name.
 */
export function expectedEvents(
  b: ModelBackend,
  before: ModelState,
  after: ModelState,
): Map<string, ModelEvent[]> {
  const out = new Map<string, ModelEvent[]>(PRINCIPALS.map((p) => [p.name, []]));
  const push = (p: Principal, e: ModelEvent) => out.get(p.name)!.push(e);
  for (const [k, v] of after.items) {
    const old = before.items.get(k);
    if (old?.item === v.item) continue;
    const entity = b.entities[v.entity]!;
    for (const p of PRINCIPALS) {
      const item = readAs(b, after, p, v.entity, v.item);
      if (item)
        push(p, {
          entity: entity.componentId,
          operation: old ? 'update' : 'create',
          id: v.item.id!,
          item,
        });
    }
  }
  for (const [k, v] of before.items) {
    if (after.items.has(k)) continue;
    const entity = b.entities[v.entity]!;
    for (const p of PRINCIPALS)
      if (readAs(b, before, p, v.entity, v.item))
        push(p, { entity: entity.componentId, operation: 'delete', id: v.item.id! });
  }
  return out;
}

/** JSON with object keys sorted: the model's items and the runtime's need not list fields in one order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** Events in one order for comparing what arrived with what the model expects (arrival order is not compared). */
export function sortEvents(events: readonly ModelEvent[]): string[] {
  return events
    .map((e) => canonical([e.entity, e.id, e.operation, e.item === undefined ? null : e.item]))
    .sort();
}
