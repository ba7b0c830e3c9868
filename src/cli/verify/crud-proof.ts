import type { AccessCell, MatrixPrincipal } from '../../access/matrix/types.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { bodyOf, creationOrder, probeId } from './bodies.js';
import { type Asker, expectOn, type ProbeItem, succeeded } from './expect.js';
import type { Proof } from './proof-context.js';

/** Where each item of `e` is read: its id, and its partition value when the key is another field. */
export const keyOf = (e: RuntimeEntity) => e.partitionKey.replace(/^\//, '');
export const shared = (e: RuntimeEntity) => e.tenancy === 'shared' && keyOf(e) !== 'tenantId';
export const named = (e: RuntimeEntity) => !['id', 'tenantId'].includes(keyOf(e));
export const itemPath = (e: RuntimeEntity, i: ProbeItem, suffix = '') =>
  `api/${e.route}/${encodeURIComponent(i.id)}${suffix}${i.pk !== undefined ? `${suffix.includes('?') ? '&' : '?'}pk=${encodeURIComponent(i.pk)}` : ''}`;
export const said = (x: 'ok' | number) => (x === 'ok' ? 'success' : String(x));
export const holds = (x: 'ok' | number, status: number) =>
  x === 'ok' ? succeeded(status) : status === x;

type Relation = NonNullable<RuntimeEntity['relations']>[number];

/** One proof run over the CrudApis: the items each principal created, and each kind of request's check. */
export class CrudProof {
  readonly items: ProbeItem[] = [];

  constructor(
    private readonly proof: Proof,
    private readonly base: (entity: RuntimeEntity) => string,
    private readonly crud: readonly RuntimeEntity[],
    private readonly principals: readonly MatrixPrincipal[],
  ) {}

  cell(e: RuntimeEntity, op: string, p: Asker) {
    return this.proof.cell(e.componentId, op, p.key) ?? 405;
  }

  of(e: RuntimeEntity) {
    return this.items.filter((i) => i.entity === e.componentId);
  }

  read(e: RuntimeEntity, p: Asker, i: ProbeItem) {
    return expectOn(this.cell(e, 'read', p), false, p, i, this.cell(e, 'read', p), shared(e));
  }

  /** Whether `p` sees `k` of `target` through a relation's cell (an expansion or a children page). */
  seesThrough(target: RuntimeEntity, viaCell: AccessCell, p: Asker, k: ProbeItem) {
    return expectOn(viaCell, false, p, k, this.cell(target, 'read', p), shared(target)) === 'ok';
  }

  private mine(entity: string, p: Asker) {
    return this.items.find((i) => i.entity === entity && i.oid === p.oid && i.tid === p.tid);
  }

  /** The references `p` may name: its own items of each related CrudApi it can read (a write naming another's is 422). */
  refsFor(e: RuntimeEntity, p: Asker): Record<string, string> {
    const refs: Record<string, string> = {};
    for (const r of e.relations ?? []) {
      const target = this.crud.find((t) => t.componentId === r.target);
      const t = target && this.mine(r.target, p);
      if (r.kind === 'belongsTo' && target && t && this.read(target, p, t) === 'ok')
        refs[r.field] = t.id;
    }
    for (const parent of this.crud)
      for (const r of parent.relations ?? [])
        if (r.kind === 'hasMany' && r.target === e.componentId && r.field in e.schema) {
          const q = this.mine(parent.componentId, p);
          if (q) refs[r.field] = q.id;
        }
    return refs;
  }

  /** Each principal creates one item of each CrudApi, parents first. */
  async createAll(created: (item: ProbeItem) => void): Promise<void> {
    for (const e of creationOrder(this.crud))
      for (const p of this.principals) {
        const id = probeId(e, `${p.oid ?? 'anonymous'}-${e.route}`);
        const body = bodyOf(e, id, this.refsFor(e, p), p.key);
        const r = await this.proof.call(this.base(e), 'POST', `api/${e.route}`, p, body);
        const c = this.cell(e, 'create', p);
        const want = typeof c === 'number' ? c : 'ok';
        this.proof.check(
          { component: e.componentId, operation: 'create' },
          p,
          `POST api/${e.route}`,
          holds(want, r.status),
          said(want),
          r,
        );
        if (r.status !== 201 || p.tid === undefined || p.oid === undefined) continue;
        const item: ProbeItem = {
          entity: e.componentId,
          id,
          owner: p.key,
          tid: p.tid,
          oid: p.oid,
          ...(named(e) ? { pk: String(body[keyOf(e)]) } : {}),
          // Answers leave the vector out unless selected (docs/search.md): the item keeps the one the proof sent.
          body: withSentVector(e, r.body as Record<string, unknown>, body),
        };
        this.items.push(item);
        created(item);
      }
  }

  /** GET of every item of `e` by `p`. */
  async reads(e: RuntimeEntity, p: MatrixPrincipal): Promise<void> {
    for (const i of this.of(e)) {
      const want = this.read(e, p, i);
      const r = await this.proof.call(this.base(e), 'GET', itemPath(e, i), p);
      this.proof.check(
        { component: e.componentId, operation: 'read' },
        p,
        `GET ${itemPath(e, i)}`,
        holds(want, r.status),
        said(want),
        r,
      );
    }
  }

  /** The list and the counted list of `e` as `p`: exactly the items its cell says. */
  async lists(e: RuntimeEntity, p: MatrixPrincipal): Promise<void> {
    for (const operation of ['list', 'count'] as const) {
      if (!this.proof.proves(e.componentId, operation)) continue;
      const c = this.cell(e, operation, p);
      const path = `api/${e.route}?$first=100${operation === 'count' ? '&$count=true' : ''}`;
      const r = await this.proof.call(this.base(e), 'GET', path, p);
      const row = { component: e.componentId, operation };
      if (typeof c === 'number') {
        this.proof.check(row, p, `GET ${path}`, r.status === c, String(c), r);
        continue;
      }
      const page = (r.body ?? {}) as { items?: { id?: unknown }[]; count?: unknown };
      const seen = new Set((page.items ?? []).map((x) => String(x.id)));
      const want = this.of(e)
        .filter((i) => expectOn(c, false, p, i, this.cell(e, 'read', p), shared(e)) === 'ok')
        .map((i) => i.id);
      const got = this.of(e)
        .filter((i) => seen.has(i.id))
        .map((i) => i.id);
      const countHeld = operation === 'list' || page.count === (page.items ?? []).length;
      this.proof.check(
        row,
        p,
        `GET ${path}`,
        r.status === 200 && want.join() === got.join() && countHeld,
        `200 listing [${want.join(', ')}]${operation === 'count' ? ' with count' : ''}`,
        `${r.status} listing [${got.join(', ')}]${operation === 'count' ? ` count ${String(page.count)}` : ''}`,
      );
    }
  }

  /**
   * Relation `r` of every item of `e` as `p`: `$expand` on each item `p` may read — exactly the related items its
   * cell says — then (hasMany) the children page under each item: its parent's answer, or exactly its children.
   */
  async relation(
    e: RuntimeEntity,
    p: MatrixPrincipal,
    r: Relation,
    target: RuntimeEntity,
  ): Promise<void> {
    const expandCell = this.cell(e, `expand:${r.name}`, p);
    const expands = this.proof.proves(e.componentId, `expand:${r.name}`);
    for (const i of expands ? this.of(e) : []) {
      if (this.read(e, p, i) !== 'ok') continue;
      const path = itemPath(e, i, `?$expand=${r.name}`);
      const reply = await this.proof.call(this.base(e), 'GET', path, p);
      const embedded = (reply.body as Record<string, unknown> | undefined)?.[r.name];
      const { want, got } = this.expanded(r, target, i, p, expandCell, embedded);
      const row = { component: e.componentId, operation: `expand:${r.name}` };
      this.checkIds(row, p, path, reply.status, want, got, 'embedding');
    }
    if (r.kind !== 'hasMany' || !this.proof.proves(e.componentId, `children:${r.name}`)) return;
    const childrenCell = this.cell(e, `children:${r.name}`, p);
    for (const i of this.of(e)) {
      const path = itemPath(e, i, `/${r.name}`);
      const reply = await this.proof.call(this.base(e), 'GET', path, p);
      const parent = this.read(e, p, i);
      const row = { component: e.componentId, operation: `children:${r.name}` };
      if (parent !== 'ok' || typeof childrenCell === 'number') {
        const want = parent !== 'ok' ? parent : childrenCell;
        this.proof.check(row, p, `GET ${path}`, reply.status === want, String(want), reply);
        continue;
      }
      const want = this.childIds(r, target, i, p, childrenCell);
      this.checkIds(
        row,
        p,
        path,
        reply.status,
        want,
        this.listedIds(target, reply.body),
        'listing',
      );
    }
  }

  /** A page or an embedding held when it answered 200 with exactly the ids the cell says, in probe order. */
  private checkIds(
    row: { component: string; operation: string },
    p: MatrixPrincipal,
    path: string,
    status: number,
    want: readonly string[],
    got: readonly string[],
    what: 'listing' | 'embedding',
  ): void {
    this.proof.check(
      row,
      p,
      `GET ${path}`,
      status === 200 && want.join() === got.join(),
      `200 ${what} [${want.join(', ')}]`,
      `${String(status)} ${what} [${got.join(', ')}]`,
    );
  }

  /** The ids of `i`'s children by `r` that `p` sees through `cell`, in probe order. */
  private childIds(r: Relation, target: RuntimeEntity, i: ProbeItem, p: Asker, cell: AccessCell) {
    return this.of(target)
      .filter((k) => k.body[r.field] === i.id && this.seesThrough(target, cell, p, k))
      .map((k) => k.id);
  }

  /** The ids of `target`'s probe items a page (`{ items }`, or nothing) lists, in probe order. */
  private listedIds(target: RuntimeEntity, page: unknown) {
    const listed = new Set(
      ((page as { items?: { id?: unknown }[] } | null | undefined)?.items ?? []).map((x) =>
        String(x.id),
      ),
    );
    return this.of(target)
      .filter((k) => listed.has(k.id))
      .map((k) => k.id);
  }

  /** What `$expand` of `r` on `i` must embed for `p` through `expandCell`, and what `embedded` holds, in probe order. */
  private expanded(
    r: Relation,
    target: RuntimeEntity,
    i: ProbeItem,
    p: Asker,
    expandCell: AccessCell,
    embedded: unknown,
  ) {
    if (r.kind === 'hasMany') {
      const via = expandCell === 405 ? 403 : expandCell;
      return { want: this.childIds(r, target, i, p, via), got: this.listedIds(target, embedded) };
    }
    const ref = this.of(target).find((k) => k.id === i.body[r.field]);
    const want = ref && this.seesThrough(target, expandCell, p, ref) ? [ref.id] : [];
    const got =
      embedded && typeof embedded === 'object' ? [String((embedded as { id?: unknown }).id)] : [];
    return { want, got };
  }
}

/** `answered` with the vector field `sent` carried, when `e` searches by vectors the caller sends. */
function withSentVector(
  e: RuntimeEntity,
  answered: Record<string, unknown>,
  sent: Record<string, unknown>,
): Record<string, unknown> {
  const field = e.search?.vector?.field;
  return field !== undefined && sent[field] !== undefined
    ? { ...answered, [field]: sent[field] }
    : answered;
}
