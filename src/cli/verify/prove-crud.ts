import type { MatrixPrincipal } from '../../access/matrix/types.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { bodyOf, creationOrder, patchable } from './bodies.js';
import { type Asker, expectOn, type ProbeItem, succeeded } from './expect.js';
import type { Proof } from './proof-context.js';

const keyOf = (e: RuntimeEntity) => e.partitionKey.replace(/^\//, '');
const shared = (e: RuntimeEntity) => e.tenancy === 'shared' && keyOf(e) !== 'tenantId';
const named = (e: RuntimeEntity) => !['id', 'tenantId'].includes(keyOf(e));
const itemPath = (e: RuntimeEntity, i: ProbeItem, suffix = '') =>
  `api/${e.route}/${encodeURIComponent(i.id)}${suffix}${i.pk !== undefined ? `${suffix.includes('?') ? '&' : '?'}pk=${encodeURIComponent(i.pk)}` : ''}`;
const said = (x: 'ok' | number) => (x === 'ok' ? 'success' : String(x));
const holds = (x: 'ok' | number, status: number) => (x === 'ok' ? succeeded(status) : status === x);

/**
 * Prove every CrudApi cell against the stack at `base`: each principal creates its items (fresh data, valid bodies
 * from the schema), then every principal reads, lists, counts, expands, pages the children of, changes and deletes
 * every other principal's items; each answer is checked against its cell, and a refused write must leave the item
 * as it was (read again by its owner). Returns the items created (what realtime events are checked against).
 */
export async function proveCrud(
  proof: Proof,
  base: (entity: RuntimeEntity) => string,
  crud: readonly RuntimeEntity[],
  principals: readonly MatrixPrincipal[],
  created: (item: ProbeItem) => void = () => undefined,
): Promise<ProbeItem[]> {
  const items: ProbeItem[] = [];
  const cell = (e: RuntimeEntity, op: string, p: Asker) =>
    proof.cell(e.componentId, op, p.key) ?? 405;
  const mine = (entity: string, p: Asker) =>
    items.find((i) => i.entity === entity && i.oid === p.oid && i.tid === p.tid);
  /** The references `p` may name: its own items of each related CrudApi it can read (a write naming another's is 422). */
  const refsFor = (e: RuntimeEntity, p: Asker): Record<string, string> => {
    const refs: Record<string, string> = {};
    for (const r of e.relations ?? []) {
      const target = crud.find((t) => t.componentId === r.target);
      const t = target && mine(r.target, p);
      if (r.kind === 'belongsTo' && target && t) {
        const can = expectOn(
          cell(target, 'read', p),
          false,
          p,
          t,
          cell(target, 'read', p),
          shared(target),
        );
        if (can === 'ok') refs[r.field] = t.id;
      }
    }
    for (const parent of crud)
      for (const r of parent.relations ?? [])
        if (r.kind === 'hasMany' && r.target === e.componentId && r.field in e.schema) {
          const q = mine(parent.componentId, p);
          if (q) refs[r.field] = q.id;
        }
    return refs;
  };
  const order = creationOrder(crud);
  for (const e of order)
    for (const p of principals) {
      const id = `${p.oid ?? 'anonymous'}-${e.route}`;
      const refs = refsFor(e, p);
      const body = bodyOf(e, id, refs, p.key);
      const r = await proof.call(base(e), 'POST', `api/${e.route}`, p, body);
      const want =
        typeof cell(e, 'create', p) === 'number' ? (cell(e, 'create', p) as number) : 'ok';
      proof.check(
        { component: e.componentId, operation: 'create' },
        p,
        `POST api/${e.route}`,
        holds(want, r.status),
        said(want),
        r,
      );
      if (r.status === 201 && p.tid !== undefined && p.oid !== undefined) {
        const item: ProbeItem = {
          entity: e.componentId,
          id,
          owner: p.key,
          tid: p.tid,
          oid: p.oid,
          ...(named(e) ? { pk: String(body[keyOf(e)]) } : {}),
          body: r.body as Record<string, unknown>,
        };
        items.push(item);
        created(item);
      }
    }
  const of = (e: RuntimeEntity) => items.filter((i) => i.entity === e.componentId);
  const ownerOf = (i: ProbeItem) => principals.find((p) => p.key === i.owner)!;
  for (const e of crud) {
    const read = (p: Asker, i: ProbeItem) =>
      expectOn(cell(e, 'read', p), false, p, i, cell(e, 'read', p), shared(e));
    for (const p of principals) {
      for (const i of of(e)) {
        const want = read(p, i);
        const r = await proof.call(base(e), 'GET', itemPath(e, i), p);
        proof.check(
          { component: e.componentId, operation: 'read' },
          p,
          `GET ${itemPath(e, i)}`,
          holds(want, r.status),
          said(want),
          r,
        );
      }
      for (const operation of ['list', 'count'] as const) {
        const c = cell(e, operation, p);
        const path = `api/${e.route}?$first=100${operation === 'count' ? '&$count=true' : ''}`;
        const r = await proof.call(base(e), 'GET', path, p);
        const row = { component: e.componentId, operation };
        if (typeof c === 'number') {
          proof.check(row, p, `GET ${path}`, r.status === c, String(c), r);
          continue;
        }
        const page = (r.body ?? {}) as { items?: { id?: unknown }[]; count?: unknown };
        const seen = new Set((page.items ?? []).map((x) => String(x.id)));
        const want = of(e)
          .filter((i) => expectOn(c, false, p, i, cell(e, 'read', p), shared(e)) === 'ok')
          .map((i) => i.id);
        const got = of(e)
          .filter((i) => seen.has(i.id))
          .map((i) => i.id);
        const countHeld = operation === 'list' || page.count === (page.items ?? []).length;
        proof.check(
          row,
          p,
          `GET ${path}`,
          r.status === 200 && want.join() === got.join() && countHeld,
          `200 listing [${want.join(', ')}]${operation === 'count' ? ' with count' : ''}`,
          `${r.status} listing [${got.join(', ')}]${operation === 'count' ? ` count ${String(page.count)}` : ''}`,
        );
      }
      for (const r of e.relations ?? []) {
        const target = crud.find((t) => t.componentId === r.target);
        if (!target) continue;
        const expandCell = cell(e, `expand:${r.name}`, p);
        for (const i of of(e)) {
          if (read(p, i) !== 'ok') continue;
          const path = itemPath(e, i, `?$expand=${r.name}`);
          const reply = await proof.call(base(e), 'GET', path, p);
          const embedded = (reply.body as Record<string, unknown> | undefined)?.[r.name];
          let want: string[];
          let got: string[];
          if (r.kind === 'hasMany') {
            want = of(target)
              .filter(
                (k) =>
                  k.body[r.field] === i.id &&
                  expectOn(
                    expandCell === 405 ? 403 : expandCell,
                    false,
                    p,
                    k,
                    cell(target, 'read', p),
                    shared(target),
                  ) === 'ok',
              )
              .map((k) => k.id);
            const listed = new Set(
              ((embedded as { items?: { id?: unknown }[] } | null)?.items ?? []).map((x) =>
                String(x.id),
              ),
            );
            got = of(target)
              .filter((k) => listed.has(k.id))
              .map((k) => k.id);
          } else {
            const ref = of(target).find((k) => k.id === i.body[r.field]);
            want =
              ref &&
              expectOn(expandCell, false, p, ref, cell(target, 'read', p), shared(target)) === 'ok'
                ? [ref.id]
                : [];
            got =
              embedded && typeof embedded === 'object'
                ? [String((embedded as { id?: unknown }).id)]
                : [];
          }
          proof.check(
            { component: e.componentId, operation: `expand:${r.name}` },
            p,
            `GET ${path}`,
            reply.status === 200 && want.join() === got.join(),
            `200 embedding [${want.join(', ')}]`,
            `${reply.status} embedding [${got.join(', ')}]`,
          );
        }
        if (r.kind !== 'hasMany') continue;
        const childrenCell = cell(e, `children:${r.name}`, p);
        for (const i of of(e)) {
          const path = itemPath(e, i, `/${r.name}`);
          const reply = await proof.call(base(e), 'GET', path, p);
          const parent = read(p, i);
          const row = { component: e.componentId, operation: `children:${r.name}` };
          if (parent !== 'ok' || typeof childrenCell === 'number') {
            const want = parent !== 'ok' ? parent : childrenCell;
            proof.check(row, p, `GET ${path}`, reply.status === want, String(want), reply);
            continue;
          }
          const want = of(target)
            .filter(
              (k) =>
                k.body[r.field] === i.id &&
                expectOn(childrenCell, false, p, k, cell(target, 'read', p), shared(target)) ===
                  'ok',
            )
            .map((k) => k.id);
          const listed = new Set(
            (((reply.body ?? {}) as { items?: { id?: unknown }[] }).items ?? []).map((x) =>
              String(x.id),
            ),
          );
          const got = of(target)
            .filter((k) => listed.has(k.id))
            .map((k) => k.id);
          proof.check(
            row,
            p,
            `GET ${path}`,
            reply.status === 200 && want.join() === got.join(),
            `200 listing [${want.join(', ')}]`,
            `${reply.status} listing [${got.join(', ')}]`,
          );
        }
      }
    }
  }
  await proveWrites(proof, base, crud, principals, items, ownerOf, refsFor);
  return items;
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
  ) => {
    const owner = ownerOf(i);
    const r = await proof.call(base(e), 'GET', itemPath(e, i), owner);
    if (r.status !== 200) return r.status === 404 ? 'gone' : 'unreadable';
    return field === undefined || (r.body as Record<string, unknown>)[field] === value
      ? 'same'
      : 'changed';
  };
  const current = new Map(items.map((i) => [`${i.entity}|${i.id}|${i.tid}`, i.body]));
  for (const e of crud) {
    const field = patchable(e);
    const of = items.filter((i) => i.entity === e.componentId);
    for (const p of principals)
      for (const i of of) {
        const slot = `${i.entity}|${i.id}|${i.tid}`;
        const before = current.get(slot)!;
        for (const operation of ['update', 'replace'] as const) {
          const c = cell(e, operation, p);
          const want = expectOn(c, true, p, i, cell(e, 'read', p), shared(e));
          const value = `${operation}-${p.key}`;
          const { id: _id, ...rest } = before;
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
          const still = await unchanged(e, i, field, field ? current.get(slot)![field] : undefined);
          proof.check(
            row,
            p,
            `${method} ${itemPath(e, i)}`,
            r.status === want && (still === 'same' || still === 'unreadable'),
            `${want}, item unchanged`,
            `${r.status}, item ${still}`,
          );
        }
      }
  }
  // Children before parents: a parent's delete meets no child of the proof's own.
  for (const e of creationOrder(crud).reverse()) {
    for (const i of items.filter((x) => x.entity === e.componentId)) {
      const wants = principals.map(
        (p) =>
          [p, expectOn(cell(e, 'delete', p), true, p, i, cell(e, 'read', p), shared(e))] as const,
      );
      for (const [p, want] of wants) {
        if (want === 'ok') continue;
        const r = await proof.call(base(e), 'DELETE', itemPath(e, i), p);
        const still = await unchanged(e, i, undefined, undefined);
        proof.check(
          { component: e.componentId, operation: 'delete' },
          p,
          `DELETE ${itemPath(e, i)}`,
          r.status === want && still !== 'gone',
          `${want}, item kept`,
          `${r.status}, item ${still}`,
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
