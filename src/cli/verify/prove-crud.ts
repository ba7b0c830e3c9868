import type { MatrixPrincipal } from '../../access/matrix/types.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { bodyOf, creationOrder, patchable } from './bodies.js';
import { type Asker, expectOn, type ProbeItem } from './expect.js';
import type { Proof } from './proof-context.js';
import { CrudProof, keyOf, shared, itemPath } from './crud-proof.js';
import { proveSearch } from './prove-search.js';

/**
 * Prove every CrudApi cell against the stack at `base`: each principal creates its items (fresh data, valid bodies
 * from the schema), then every principal reads, lists, counts, expands, pages the children of, changes and deletes
 * every other principal's items; each answer is checked against its cell, and a refused write must leave the item
 * as it was (read again by its owner). Returns the items created (what realtime events are checked against).
 *
 * @example
 * ```ts
 * const items = await proveCrud(proof, () => app.url, manifest.crudEntities, matrix.principals);
 * ```
 */
export async function proveCrud(
  proof: Proof,
  base: (entity: RuntimeEntity) => string,
  crud: readonly RuntimeEntity[],
  principals: readonly MatrixPrincipal[],
  created: (item: ProbeItem) => void = () => undefined,
  /** Run on the items between the reads and the writes (the MCP server's cells: prove-mcp.ts). */
  beforeWrites: (items: readonly ProbeItem[]) => Promise<void> = () => Promise.resolve(),
): Promise<ProbeItem[]> {
  const run = new CrudProof(proof, base, crud, principals);
  await run.createAll(created);
  for (const e of crud)
    for (const p of principals) {
      if (proof.proves(e.componentId, 'read')) await run.reads(e, p);
      await run.lists(e, p);
      await proveSearch(proof, run, base, e, p);
      for (const r of e.relations ?? []) {
        const target = crud.find((t) => t.componentId === r.target);
        if (!target) continue;
        await run.relation(e, p, r, target);
      }
    }
  await beforeWrites(run.items);
  const ownerOf = (i: ProbeItem) => principals.find((p) => p.key === i.owner)!;
  await proveWrites(proof, base, crud, principals, run.items, ownerOf, (e, p) => run.refsFor(e, p));
  return run.items;
}

/** PATCH, PUT and DELETE of every item by every principal; a refused one must change nothing. */
async function proveWrites(
  proof: Proof,
  base: (entity: RuntimeEntity) => string,
  crud: readonly RuntimeEntity[],
  principals: readonly MatrixPrincipal[],
  items: ProbeItem[],
  ownerOf: (i: ProbeItem) => MatrixPrincipal,
  refsFor: (e: RuntimeEntity, p: Asker) => Record<string, string>,
): Promise<void> {
  const cell = (e: RuntimeEntity, op: string, p: Asker) =>
    proof.cell(e.componentId, op, p.key) ?? 405;
  const unchanged = async (
    e: RuntimeEntity,
    i: ProbeItem,
    field: string | undefined,
    value: unknown,
  ): Promise<{ still: 'same' | 'changed' | 'gone' | 'unreadable'; seen?: unknown }> => {
    const owner = ownerOf(i);
    const r = await proof.call(base(e), 'GET', itemPath(e, i), owner);
    if (r.status !== 200) return { still: r.status === 404 ? 'gone' : 'unreadable' };
    const seen = field === undefined ? undefined : (r.body as Record<string, unknown>)[field];
    return { still: field === undefined || seen === value ? 'same' : 'changed', seen };
  };
  // A refused write's read-back waits until the item's next allowed write (or the end): one read by its owner
  // after a run of refused writes proves what a read after each did — each column writes a value of its own
  // (`update-<column>`), so a write that took is named by the value read; one a later refused write of the same
  // run overwrote goes unnamed, but the proof fails all the same (a request in eight of a proof was a read-back).
  const pending = new Map<
    string,
    { e: RuntimeEntity; i: ProbeItem; field?: string; refused: Refused[] }
  >();
  const settle = async (slot: string) => {
    const run = pending.get(slot);
    if (!run) return;
    pending.delete(slot);
    const { field } = run;
    const read = await unchanged(
      run.e,
      run.i,
      field,
      field ? current.get(slot)![field] : undefined,
    );
    const named = run.refused.some((w) => w.value === read.seen);
    for (const w of run.refused) {
      const still =
        read.still === 'changed' && named && w.value !== read.seen ? 'same' : read.still;
      proof.check(
        w.row,
        w.p,
        w.request,
        w.status === w.want && (still === 'same' || still === 'unreadable'),
        `${w.want}, item unchanged`,
        `${w.status}, item ${still}`,
      );
    }
  };
  const current = new Map(items.map((i) => [`${i.entity}|${i.id}|${i.tid}`, i.body]));
  for (const e of crud) {
    const field = patchable(e);
    const of = items.filter((i) => i.entity === e.componentId);
    for (const p of principals)
      for (const i of of) {
        const slot = `${i.entity}|${i.id}|${i.tid}`;
        for (const operation of ['update', 'replace'] as const) {
          if (!proof.proves(e.componentId, operation)) continue;
          const c = cell(e, operation, p);
          const want = expectOn(c, true, p, i, cell(e, 'read', p), shared(e));
          const value = `${operation}-${p.key}`;
          if (want === 'ok') await settle(slot);
          const { id: _id, ...rest } = current.get(slot)!;
          const body =
            operation === 'update'
              ? field
                ? { [field]: value }
                : {}
              : {
                  ...bodyOf(e, i.id, {}, p.key),
                  ...pick(rest, e, refsFor(e, p)),
                  ...(field ? { [field]: value } : {}),
                };
          const method = operation === 'update' ? 'PATCH' : 'PUT';
          const r = await proof.call(base(e), method, itemPath(e, i), p, body);
          const row = { component: e.componentId, operation };
          if (want === 'ok') {
            proof.check(row, p, `${method} ${itemPath(e, i)}`, r.status === 200, '200', r);
            if (r.status === 200) current.set(slot, r.body as Record<string, unknown>);
            continue;
          }
          const run = pending.get(slot) ?? { e, i, ...(field ? { field } : {}), refused: [] };
          pending.set(slot, run);
          const request = `${method} ${itemPath(e, i)}`;
          run.refused.push({ row, p, request, want, status: r.status, value });
        }
      }
  }
  for (const slot of [...pending.keys()]) await settle(slot);
  // Children before parents: a parent's delete meets no child of the proof's own.
  for (const e of creationOrder(crud).reverse()) {
    if (!proof.proves(e.componentId, 'delete')) continue;
    for (const i of items.filter((x) => x.entity === e.componentId)) {
      const wants = principals.map(
        (p) =>
          [p, expectOn(cell(e, 'delete', p), true, p, i, cell(e, 'read', p), shared(e))] as const,
      );
      // Every refused delete of the item, then one read (kept: none took).
      const refused: Refused[] = [];
      for (const [p, want] of wants) {
        if (want === 'ok') continue;
        const r = await proof.call(base(e), 'DELETE', itemPath(e, i), p);
        const row = { component: e.componentId, operation: 'delete' };
        refused.push({ row, p, request: `DELETE ${itemPath(e, i)}`, want, status: r.status });
      }
      if (refused.length > 0) {
        const { still } = await unchanged(e, i, undefined, undefined);
        for (const w of refused)
          proof.check(
            w.row,
            w.p,
            w.request,
            w.status === w.want && still !== 'gone',
            `${w.want}, item kept`,
            `${w.status}, item ${still}`,
          );
      }
      const deleter = wants.find(([, w]) => w === 'ok')?.[0];
      if (!deleter) continue;
      const r = await proof.call(base(e), 'DELETE', itemPath(e, i), deleter);
      const after = await proof.call(base(e), 'GET', itemPath(e, i), deleter);
      const blocked = r.status === 409 || (r.status === 403 && hasChildren(crud, e));
      if (blocked) {
        proof.report.unproven.push(
          `${e.componentId} delete of ${i.id} as ${deleter.key}: ${r.status} (the item still has children)`,
        );
        continue;
      }
      proof.check(
        { component: e.componentId, operation: 'delete' },
        deleter,
        `DELETE ${itemPath(e, i)}`,
        r.status === 204 && after.status === 404,
        '204, then 404',
        `${r.status}, then ${after.status}`,
      );
    }
  }
}

/** A refused write whose read-back is pending: what it sent, what it must have answered and what it answered. */
interface Refused {
  readonly row: { component: string; operation: string };
  readonly p: MatrixPrincipal;
  readonly request: string;
  readonly want: number;
  readonly status: number;
  /** The value it wrote to the patchable field (update, replace). */
  readonly value?: string;
}

/**
 * What a replace sends besides a fresh body: the item's partition key, and as references the replacer's own items
 * (a write naming what the caller cannot read is 422 before any access answer, DESIGN §2 Relations).
 */
function pick(
  item: Readonly<Record<string, unknown>>,
  e: RuntimeEntity,
  refs: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (keyOf(e) !== 'tenantId' && item[keyOf(e)] !== undefined) out[keyOf(e)] = item[keyOf(e)];
  for (const r of e.relations ?? [])
    if (r.kind !== 'hasMany' && refs[r.field] !== undefined) out[r.field] = refs[r.field];
  return out;
}

function hasChildren(crud: readonly RuntimeEntity[], e: RuntimeEntity): boolean {
  return (e.relations ?? []).some(
    (r) => r.kind === 'hasMany' && crud.some((c) => c.componentId === r.target),
  );
}
