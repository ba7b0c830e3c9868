/**
 * The reference model of the data plane: who may create, read, list, change and delete what, as small pure
 * functions over plain data — no Cosmos DB, no HTTP, no runtime code. Each operation takes the model's state and
 * a request and gives the answer the real runtime must give (status, problem type, body) and the next state.
 * The model-based test (test/model) runs random operations against both and compares; `atakora verify` derives a
 * backend's access matrix from the same functions (access/matrix) and proves it against the runtime.
 *
 * It encodes the contract (DESIGN §2 "Relations hold under every rule", §6 access rules and tenancy) directly:
 * - admission: a directory outside `allowedTenants` is 403 `tenant-not-allowed` before anything else;
 * - rules: `authenticated` or a held role (on shared data of a multi-tenant backend, home directory only unless
 *   `tenants: 'any'`) → every item of the tenant; `owner` → the caller's own; none → 403 `access-denied`;
 * - tenancy: an isolated entity's items belong to one tenant, invisible (404) to the others; ids are unique per
 *   partition of a container (a create of a taken (key, id) is 409 whoever took it);
 * - owners: another user's item under an owner-only rule is 404, or 403 for a change when the caller may read
 *   every item; the owner field is stamped and never set; shared data of a multi-tenant backend hides it from all
 *   but the owner;
 * - relations: a reference names an item the caller can read (else 422, also for ids that cannot be ids);
 *   `$expand` embeds the related item exactly as the caller's own GET of it, or `null`; a parent's delete is the
 *   caller's own delete of each child, recursively, all or nothing (403 when a cascaded child is not the caller's
 *   to delete, else 409 `has-children` for a `restrict`), and removes nothing else.
 *
 * - the tenant registry (tenant-registry.ts): with `allowedTenants: 'registry'`, an unregistered or suspended
 *   directory is 403 before anything else, the home directory never; a tenant's data moves whole (tenant-lifecycle.ts).
 *
 * Extending it (versions, events): add the state the feature keeps to {@link ModelState}, the answer it changes
 * to the operation functions below, and a command to test/model/commands.ts — the model first, then the runtime.
 */
import type { CrudOperation } from '../../model/runtime-manifest.js';
import {
  type AccessBackend as ModelBackend,
  type AccessEntity as ModelEntity,
  type AccessRelation as ModelRelation,
  isolated,
  type Principal,
} from './backend.js';
import type { Expected, Item, ModelState } from './model-state.js';
import { registryRefusal } from './tenant-registry.js';

export type { Expected, Item, ModelState } from './model-state.js';

export const EMPTY: ModelState = { items: new Map() };

/** Any of several bodies is right (an `$expand` of an id two readable items share: a `/region` target). */
export class OneOf {
  constructor(readonly options: readonly unknown[]) {}
}

/** An operation's answer and the state after it. */
export interface Outcome {
  readonly expected: Expected;
  readonly state: ModelState;
}

/** Identity of an item in its container: entity, partition key value, id. */
export function itemKey(entity: number, key: string, id: string): string {
  return JSON.stringify([entity, key, id]);
}

const problem = (status: number, type: string, extensions?: Record<string, unknown>): Expected => ({
  status,
  problem: type,
  ...(extensions ? { extensions } : {}),
});

/** Whether a string can be an item id (what the runtime's id check admits; the generated values are few). */
export function validId(v: string): boolean {
  return (
    v !== '' && v.length <= 255 && !/[/\\?#]/.test(v) && v.trim() === v && v !== '.' && v !== '..'
  );
}

/** Whether the caller's directory passes admission (DESIGN §2 sign-in audience: the `allowedTenants` list). */
export function admitted(b: Pick<ModelBackend, 'multi' | 'admitted'>, p: Principal): boolean {
  if (!b.multi || b.admitted === 'any') return true;
  return (b.admitted ?? []).some((t) => t.toLowerCase() === p.tid.toLowerCase());
}

/** The rules' verdict for one operation: every item of the tenant, the caller's own, or none. */
export type Decision = 'all' | 'own' | 'denied';
type Op = CrudOperation;

/** The access rules' verdict (DESIGN §2 "Access rules per CrudApi"; §2 "shared entities … home directory"). */
export function decide(b: ModelBackend, e: ModelEntity, op: Op, p: Principal): Decision {
  // A rule naming a feature counts only on a plan that has it (DESIGN §2 "Plans that package the product").
  const rules = (e.access ?? [{ allow: 'authenticated' as const }]).filter(
    (r) =>
      (r.operations === undefined || r.operations.includes(op)) &&
      (r.feature === undefined || b.features === undefined || b.features.has(r.feature)),
  );
  const home = !isolated(e) && b.multi ? p.tid === b.home : undefined;
  const all = rules.some(
    (r) =>
      r.allow === 'authenticated' ||
      (r.allow === 'role' && p.roles.includes(r.role) && (home !== false || r.tenants === 'any')),
  );
  if (all) return 'all';
  return rules.some((r) => r.allow === 'owner') ? 'own' : 'denied';
}

function belongs(e: ModelEntity, item: Item, p: Principal): boolean {
  return !isolated(e) || item.tenantId === p.tid;
}

/**
 * A stored item in the current shape: version 1's `ssn` dropped by the migration (a versioned entity), the
 * defaulted field filled when absent. What a PATCH merges into, and what every read starts from.
 */
export function current(e: ModelEntity, item: Item): Item {
  const out: Record<string, string> = { ...item };
  for (const f of e.dropped ?? []) Reflect.deleteProperty(out, f);
  for (const [f, v] of Object.entries(e.defaults ?? {})) if (!Object.hasOwn(out, f)) out[f] = v;
  return out;
}

/**
 * The item as the caller's GET gives it: in the current shape ({@link current}), the owner field hidden on shared
 * data of a multi-tenant backend.
 */
export function shown(b: ModelBackend, e: ModelEntity, item: Item, p: Principal): Item {
  const now = current(e, item);
  if (isolated(e) || !b.multi || item.ownerId === p.oid) return now;
  const { ownerId: _hidden, ...rest } = now;
  return rest;
}

function itemsOf(s: ModelState, entity: number): Item[] {
  return [...s.items.values()].filter((v) => v.entity === entity).map((v) => v.item);
}

/** The items of `entity` with this id the caller may read (several only for a `/region` key). */
function readable(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  id: string,
): Item[] {
  const e = entityAt(b, entity);
  const d = decide(b, e, 'read', p);
  if (d === 'denied') return [];
  return itemsOf(s, entity).filter(
    (i) => i.id === id && belongs(e, i, p) && (d === 'all' || i.ownerId === p.oid),
  );
}

/**
 * One relation's expansion: for a `belongsTo` the related item as its GET gives it, or null; for a `hasMany` the
 * children its route would list to the caller (every one: the generated data never has more than the default
 * `$first` under one parent), or null when the caller may not list them.
 */
function expansion(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  r: ModelRelation,
  item: Item,
): unknown {
  if (r.kind === 'hasMany') {
    const listed = list(b, s, p, r.target, [], false, { field: r.field, value: item.id ?? '' });
    if (listed.status !== 200) return null;
    const { items } = listed.body as { items: unknown[] };
    return { items, continuationToken: null };
  }
  const v = item[r.field];
  if (typeof v !== 'string') return null;
  const target = entityAt(b, r.target);
  const found = readable(b, s, p, r.target, v).map((i) => shown(b, target, i, p));
  if (found.length === 0) return null;
  return found.length === 1 ? found[0] : new OneOf(found);
}

function expanded(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  e: ModelEntity,
  item: Item,
  expand: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...shown(b, e, item, p) };
  for (const name of expand) {
    const r = e.relations.find((x) => x.name === name);
    if (!r) continue;
    out[name] = expansion(b, s, p, r, item);
  }
  return out;
}

/** The checks every request passes first: directory, then the rule for the operation. */
function gate(
  b: ModelBackend,
  s: ModelState,
  e: ModelEntity,
  op: Op,
  p: Principal,
): Expected | Decision {
  // With a tenant registry, the registry's verdict replaces the allow-list's (tenant-registry.ts).
  const refused = b.registry ? registryRefusal(b, s, p) : undefined;
  if (refused) return refused;
  if (!b.registry && !admitted(b, p)) return problem(403, 'tenant-not-allowed');
  const d = decide(b, e, op, p);
  return d === 'denied' ? problem(403, 'access-denied') : d;
}

/** The entity at one of the backend's own indexes (a relation's target, a request's entity). */
export function entityAt(b: ModelBackend, index: number): ModelEntity {
  const e = b.entities[index];
  if (!e) throw new RangeError(`The backend has no entity ${String(index)}.`);
  return e;
}

/** A partition key the request names (not `/id`, not `/tenantId`): `/region`, `/customerId`… */
function named(e: ModelEntity): boolean {
  return e.key !== 'id' && e.key !== 'tenantId';
}

/** The partition key value a request addresses (`undefined`: the request names none → 400). */
function keyOf(e: ModelEntity, p: Principal, id: string, region: string | undefined) {
  if (e.key === 'id') return id;
  if (e.key === 'tenantId') return isolated(e) ? p.tid : undefined;
  return region;
}

/** What an operation on one item reaches: its entity, partition key and stored item — or the answer instead. */
type Addressed =
  | { readonly e: ModelEntity; readonly key: string; readonly item: Item }
  | { readonly refused: Expected };

/**
 * The stored item a write or read addresses, after the gate and the partition key (and `before`, a write's own
 * refusals that come ahead of the lookup), or the 400/403/404 instead (item-store.ts readStored).
 */
function addressed(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  at: { readonly entity: number; readonly id: string; readonly region: string | undefined },
  op: Op,
  before: (e: ModelEntity) => Expected | undefined = () => undefined,
): Addressed {
  const e = entityAt(b, at.entity);
  const d = gate(b, s, e, op, p);
  if (typeof d !== 'string') return { refused: d };
  const key = keyOf(e, p, at.id, at.region);
  if (key === undefined) return { refused: problem(400, 'partition-key-required') };
  const early = before(e);
  if (early) return { refused: early };
  const found = s.items.get(itemKey(at.entity, key, at.id));
  if (!found || !belongs(e, found.item, p)) return { refused: problem(404, 'not-found') };
  if (d === 'own' && found.item.ownerId !== p.oid)
    return {
      refused:
        decide(b, e, 'read', p) === 'all'
          ? problem(403, 'access-denied')
          : problem(404, 'not-found'),
    };
  return { e, key, item: found.item };
}

/** 422 for the first `belongsTo` field (in relation-name order) that names nothing the caller can read. */
function referenceProblem(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  e: ModelEntity,
  body: Readonly<Record<string, unknown>>,
): Expected | undefined {
  for (const r of e.relations) {
    if (r.kind !== 'belongsTo') continue;
    const v = body[r.field];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' || !validId(v) || readable(b, s, p, r.target, v).length === 0)
      return problem(422, 'reference-not-found', { field: r.field, relation: r.name });
  }
  return undefined;
}

/** A POST body: the generated fields, and an attack on a reserved field. */
export interface CreateRequest {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly attack?: 'tenantId' | 'ownerId';
}

export function create(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  req: CreateRequest,
): Outcome {
  const e = entityAt(b, entity);
  const same = (expected: Expected): Outcome => ({ expected, state: s });
  const g = gate(b, s, e, 'create', p);
  if (typeof g !== 'string') return same(g);
  if (req.attack === 'tenantId') return same(problem(403, 'tenant-mismatch'));
  if (req.attack === 'ownerId') return same(problem(403, 'owner-mismatch'));
  if (named(e) && !req.fields[e.key]) return same(problem(400, 'validation'));
  const refused = referenceProblem(b, s, p, e, req.fields);
  if (refused) return same(refused);
  const key = named(e) ? (req.fields[e.key] ?? '') : e.key === 'tenantId' ? p.tid : req.id;
  const k = itemKey(entity, key, req.id);
  if (s.items.has(k)) return same(problem(409, 'conflict'));
  const item: Item = {
    ...req.fields,
    id: req.id,
    ...(isolated(e) ? { tenantId: p.tid } : {}),
    ownerId: p.oid,
    ...e.defaults,
  };
  const items = new Map(s.items);
  items.set(k, { entity, item });
  const state = { ...s, items, ...stamped(s, e, k, p.tid) };
  return { expected: { status: 201, body: item }, state };
}

/** A shared item's creator stamp (`tenant`) recorded for key `k`; nothing for an isolated entity's. */
function stamped(
  s: ModelState,
  e: ModelEntity,
  k: string,
  tenant: string,
): Pick<ModelState, 'creators'> {
  if (isolated(e)) return {};
  return { creators: new Map(s.creators).set(k, tenant) };
}

/** An item the code's previous version stored (straight into the container: no checks, no `status`). */
export interface LegacyRequest {
  readonly id: string;
  readonly region: string;
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * Old data: the item version 1 stored for `p` (its tenant, its owner; `ssn` on a versioned entity), unless the
 * (key, id) is taken. The stored item, to write as it is, or undefined when nothing is written.
 */
export function legacy(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  req: LegacyRequest,
): { readonly stored: Item | undefined; readonly state: ModelState } {
  const e = entityAt(b, entity);
  const key = named(e) ? req.region : e.key === 'tenantId' ? p.tid : req.id;
  const k = itemKey(entity, key, req.id);
  if (s.items.has(k)) return { stored: undefined, state: s };
  const item: Item = {
    ...req.fields,
    id: req.id,
    ...(named(e) ? { [e.key]: req.region } : {}),
    ...(isolated(e) ? { tenantId: p.tid } : {}),
    ownerId: p.oid,
    ...Object.fromEntries((e.dropped ?? []).map((f) => [f, '078-05-1120'])),
  };
  const items = new Map(s.items);
  items.set(k, { entity, item });
  // Stored before the creator stamp existed: nobody's until its owner writes it.
  const creators = new Map(s.creators);
  creators.delete(k);
  return { stored: item, state: { ...s, items, creators } };
}

export function read(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  id: string,
  region: string | undefined,
  expand: readonly string[],
): Expected {
  const r = addressed(b, s, p, { entity, id, region }, 'read');
  if ('refused' in r) return r.refused;
  return { status: 200, body: expanded(b, s, p, r.e, r.item, expand) };
}

/** A list: every match (pages joined), `count` when asked. */
export function list(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  expand: readonly string[],
  count: boolean,
  within?: { readonly field: string; readonly value: string },
): Expected {
  const e = entityAt(b, entity);
  const g = gate(b, s, e, 'list', p);
  if (typeof g !== 'string') return g;
  const items = itemsOf(s, entity).filter(
    (i) =>
      belongs(e, i, p) &&
      (g === 'all' || i.ownerId === p.oid) &&
      (within === undefined || i[within.field] === within.value),
  );
  return {
    status: 200,
    body: {
      items: items.map((i) => expanded(b, s, p, e, i, expand)),
      ...(count ? { count: items.length } : {}),
    },
  };
}

/** `GET api/<parents>/{id}/<relation>`: the parent must be readable (else 404), then the children's list. */
export function children(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  relation: ModelRelation,
  id: string,
): Expected {
  const e = entityAt(b, entity);
  const g = gate(b, s, e, 'read', p);
  if (typeof g !== 'string') return g;
  if (readable(b, s, p, entity, id).length === 0) return problem(404, 'not-found');
  return list(b, s, p, relation.target, [], false, { field: relation.field, value: id });
}

/** A PATCH body: fields set (a `null` removes one), and an attack on a reserved field. */
export interface PatchRequest {
  readonly set: Readonly<Record<string, string | null>>;
  readonly attack?: 'tenantId' | 'ownerId';
}

export function patch(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  id: string,
  region: string | undefined,
  req: PatchRequest,
): Outcome {
  const same = (expected: Expected): Outcome => ({ expected, state: s });
  const r = addressed(b, s, p, { entity, id, region }, 'update', (e) =>
    req.attack === 'tenantId'
      ? problem(403, 'tenant-mismatch')
      : referenceProblem(b, s, p, e, req.set),
  );
  if ('refused' in r) return same(r.refused);
  if (req.attack === 'ownerId') return same(problem(403, 'owner-mismatch'));
  // A PATCH merges into the item as read (migrated, defaults filled) and stores that, current.
  const merged: Record<string, string> = { ...current(r.e, r.item) };
  for (const [f, v] of Object.entries(req.set)) {
    if (v === null) Reflect.deleteProperty(merged, f);
    else merged[f] = v;
  }
  const items = new Map(s.items);
  const k = itemKey(entity, r.key, id);
  items.set(k, { entity, item: merged });
  // An unstamped shared item is adopted by its owner's write (the owner's tenant stamped), by nobody else's.
  const adopt = !s.creators?.has(k) && r.item.ownerId === p.oid;
  const state = { ...s, items, ...(adopt ? stamped(s, r.e, k, p.tid) : {}) };
  return { expected: { status: 200, body: shown(b, r.e, merged, p) }, state };
}

/** What a parent's delete reaches: the items it removes, and why it may not (403 first, then 409). */
interface Reach {
  readonly doomed: Set<string>;
  forbidden: boolean;
  readonly restricted: Set<string>;
}

function reach(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  item: Item,
  out: Reach,
): void {
  const e = entityAt(b, entity);
  for (const r of e.relations) {
    if (r.kind !== 'hasMany') continue;
    const c = entityAt(b, r.target);
    const kids = [...s.items.entries()].filter(
      ([, v]) =>
        v.entity === r.target &&
        v.item[r.field] === item.id &&
        (!isolated(c) || v.item.tenantId === p.tid),
    );
    if (r.onDelete !== 'cascade') {
      if (kids.length > 0) out.restricted.add(r.name);
      continue;
    }
    const d = decide(b, c, 'delete', p);
    for (const [k, v] of kids) {
      if (d === 'denied' || (d === 'own' && v.item.ownerId !== p.oid)) {
        out.forbidden = true;
        continue;
      }
      if (out.doomed.has(k)) continue;
      out.doomed.add(k);
      reach(b, s, p, r.target, v.item, out);
    }
  }
}

export function remove(
  b: ModelBackend,
  s: ModelState,
  p: Principal,
  entity: number,
  id: string,
  region: string | undefined,
): Outcome {
  const same = (expected: Expected): Outcome => ({ expected, state: s });
  const target = addressed(b, s, p, { entity, id, region }, 'delete');
  if ('refused' in target) return same(target.refused);
  const r: Reach = {
    doomed: new Set([itemKey(entity, target.key, id)]),
    forbidden: false,
    restricted: new Set(),
  };
  reach(b, s, p, entity, target.item, r);
  if (r.forbidden) return same(problem(403, 'access-denied'));
  if (r.restricted.size > 0)
    return same(problem(409, 'has-children', { relation: new OneOf([...r.restricted]) }));
  const items = new Map(s.items);
  for (const k of r.doomed) items.delete(k);
  return { expected: { status: 204 }, state: { ...s, items } };
}
