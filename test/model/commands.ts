/**
 * The commands of the model-based test: each runs one request against the reference model and against the real
 * runtime, and fails when the answers differ (status, problem type and named members, body). A command reads
 * as the request it sends (`bob DELETE e0s/a?pk=us`), so a shrunk counterexample is a script to replay.
 */
import type fc from 'fast-check';
import type { Reply } from '../runtime/support/http.js';
import type { RequestSpec, Target } from './arbitraries.js';
import {
  IDS,
  type ModelBackend,
  ORGANIZATIONS,
  PRINCIPALS,
  parentField,
  SEARCHED,
} from './backend.js';
import { memberAdmission, organizationsOf } from '../../src/access/model/membership.js';
import { joinByDirectory } from '../../src/access/model/directory.js';
import { keyAdmission, keyDoorTakesKeys } from '../../src/access/model/api-keys.js';
import {
  children,
  create,
  type Expected,
  legacy,
  list,
  type ModelState,
  OneOf,
  patch,
  read,
  remove,
} from './reference-model.js';
import type { RealApp } from './real-app.js';
import { signedUp } from '../../src/access/model/tenant-registry.js';
import { expectedEvents, type ModelEvent } from './delivery.js';
import { allActive, deliver, refused, type SocketModel } from './suspended-delivery.js';
import { type Door, type DoorCall, UNLISTED, viaData, viaMcp } from './doors.js';
import { headerOf } from './real-app.js';
import type { ModelEntity, Principal } from './backend.js';
import { MCP_FUNCTION } from '../../src/contract/mcp/protocol.js';
import { runSearchSpec } from './search-commands.js';

/** The model's side of a run: the backend and its state (replaced by each command). */
export interface ModelSide {
  readonly backend: ModelBackend;
  state: ModelState;
  /** The requests of this run so far, as sent: a failure prints them, a script to replay. */
  readonly script: string[];
  /** A realtime backend's events each principal must have received so far (delivery.ts), by principal name. */
  readonly events: Map<string, ModelEvent[]>;
  /** With a tenant registry: each socket's state and the events that may arrive (suspended-delivery.ts). */
  readonly delivery?: SocketModel;
  /**
   * The vectors the run's creates stored (search.model.test.ts), by the model's item key: the model's items are
   * strings only, so an item's `embedding` is kept here — set or cleared by each create of its key, cleared by an
   * old-data write, and counted only while the model holds the item.
   */
  readonly vectors?: Map<string, readonly number[]>;
  /** Each API key the run created (key-commands.ts), by the model's index: the secret its requests present. */
  keySecrets?: string[];
  /** The run's clock (owner-commands.ts `runsOn`): what a key's expiry is judged at; absent, the wall clock. */
  clock?: { readonly now: number };
}

/** The time the run's model judges a key's life by: its clock (Owners' runs), else the wall clock the runtime reads. */
export function nowOf(model: Pick<ModelSide, 'clock'>): number {
  return model.clock?.now ?? Date.now();
}

/** The keys whose item `after` holds and `before` did not hold the same (a create's, an old-data write's). */
function writtenKeys(before: ModelState, after: ModelState): string[] {
  return [...after.items.entries()].filter(([k, v]) => before.items.get(k) !== v).map(([k]) => k);
}

/** A body matches when equal, a {@link OneOf} matching any option. */
export function matches(expected: unknown, actual: unknown): boolean {
  if (expected instanceof OneOf) return expected.options.some((o) => matches(o, actual));
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((x, i) => matches(x, actual[i]))
    );
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(e);
    return (
      keys.length === Object.keys(a).length &&
      keys.every((k) => Object.hasOwn(a, k) && matches(e[k], a[k]))
    );
  }
  return expected === actual;
}

/** A list's items in one order on both sides: by id, then key fields. */
export function sortItems<T>(items: readonly T[]): T[] {
  const key = (i: T) => {
    const r = i as Record<string, unknown>;
    return JSON.stringify([r.id, r.region ?? '', r.tenantId ?? '']);
  };
  return [...items].sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof OneOf ? { oneOf: x.options } : x));
}

/** Why the real answer is not the expected one, or undefined. */
export function difference(expected: Expected, actual: Reply): string | undefined {
  const got = `got ${actual.status} ${actual.text.slice(0, 600)}`;
  if (actual.status !== expected.status)
    return `expected ${expected.status}${expected.problem ? ` ${expected.problem}` : ''}, ${got}`;
  if (expected.problem !== undefined) {
    const type = (actual.body as { type?: unknown } | undefined)?.type;
    if (type !== `urn:atakora:problem:${expected.problem}`)
      return `expected problem ${expected.problem}, ${got}`;
    for (const [k, v] of Object.entries(expected.extensions ?? {}))
      if (!matches(v, (actual.body as Record<string, unknown>)[k]))
        return `expected ${k}: ${show(v)}, ${got}`;
  }
  if (expected.body !== undefined && !matches(expected.body, actual.body))
    return `expected body ${show(expected.body)}, ${got}`;
  return undefined;
}

/** All pages of a list (the first page's `count`), as one `{ items, count? }`. */
async function allPages(
  first: Reply,
  next: (token: string) => Promise<Reply>,
  asSent?: unknown[],
): Promise<Reply> {
  if (first.status !== 200) return first;
  const items: unknown[] = [...(first.body.items as unknown[])];
  let page = first;
  for (let n = 0; page.body.continuationToken && n < 100; n++) {
    page = await next(page.body.continuationToken as string);
    if (page.status !== 200) return page;
    items.push(...(page.body.items as unknown[]));
  }
  // The items in the order the pages gave them (a sorted list's order is part of its answer).
  asSent?.push(...items);
  const body = {
    items: sortItems(items),
    ...('count' in first.body ? { count: first.body.count } : {}),
  };
  return { ...first, body, text: JSON.stringify(body) };
}

/** How often each kind of request got each status (printed with ATAKORA_MODEL_STATS=1: is the budget well spent?). */
export const STATS = new Map<string, number>();

/** One generated request, bound to the backend of its run when it first runs. */
export class RequestCommand implements fc.AsyncCommand<ModelSide, RealApp> {
  private described: string | undefined;

  constructor(readonly spec: RequestSpec) {}

  check(): boolean {
    return true;
  }

  async run(model: ModelSide, real: RealApp): Promise<void> {
    const b = model.backend;
    const keys = model.state.apiKeys ?? [];
    // An organization's API key (key-commands.ts): presented instead of a sign-in, through any door — the REST route
    // and dataOf as a member of its role, the MCP door refusing it (src/access/model/api-keys.ts keyDoorTakesKeys).
    const key =
      b.membership && this.spec.key !== undefined && keys.length > 0 && this.spec.kind !== 'legacy'
        ? this.spec.key % keys.length
        : undefined;
    const s: RequestSpec = this.spec;
    const caller: Principal =
      key === undefined
        ? PRINCIPALS[s.p]!
        : { name: `key#${String(key)}`, tid: '', oid: keys[key]!.id, roles: [] };
    // Tenants by membership: the request names an organization (or none), and the CRUD model answers as the caller
    // in it — the organization its tenant, the membership's roles its roles — or the admission refuses it.
    // `org` -1: the first organization the caller belongs to now (most requests are a member's own work); a key
    // names one only when told to (its own is implied).
    const org = !b.membership
      ? undefined
      : key !== undefined
        ? s.org === undefined || s.org < 0
          ? undefined
          : ORGANIZATIONS[s.org]
        : s.org === -1
          ? organizationsOf(model.state, caller.oid)[0]
          : s.org === undefined
            ? undefined
            : ORGANIZATIONS[s.org];
    // A linked directory's user joins the organization on this request, before it is admitted.
    if (b.membership && key === undefined) model.state = joinByDirectory(model.state, caller, org);
    const admission =
      key !== undefined
        ? keyAdmission(
            model.state,
            key,
            org,
            nowOf(model),
            !keyDoorTakesKeys('door' in s ? s.door : undefined),
          )
        : b.membership
          ? memberAdmission(model.state, caller, org)
          : undefined;
    const p = admission?.ok ? { ...admission.as, name: caller.name } : caller;
    const headers: Record<string, string> = {
      ...(org === undefined ? {} : { 'x-atakora-tenant': org }),
      ...(key === undefined ? {} : { authorization: `Bearer ${model.keySecrets?.[key] ?? ''}` }),
    };
    // The request as the caller's own token sends it (its directory and app roles), naming the organization.
    const callAs = (
      name: string,
      method: string,
      path: string,
      opts: { body?: unknown; query?: Record<string, string>; params?: Record<string, string> },
    ) => real.call(name, method, path, caller, { ...opts, headers });
    const ei = s.e % b.entities.length;
    const e = b.entities[ei]!;
    const pk = (region: string | undefined): Record<string, string> =>
      e.key === 'region' && region !== undefined ? { pk: region } : {};
    const fn = (suffix: string) => `${e.componentId}-${suffix}`;
    // A picked target is an item the model holds (whoever's), else an id of the pool.
    const resolve = (t: Target, entity: number): { id: string; region?: string } => {
      if (typeof t === 'string') return { id: t };
      // An even pick takes one of the caller's own items when there are some, an odd one anybody's.
      const all = [...model.state.items.values()].filter((v) => v.entity === entity);
      const own = all.filter((v) => v.item.ownerId === p.oid);
      const existing = t.pick % 2 === 0 && own.length > 0 ? own : all;
      const found = existing[Math.floor(t.pick / 2) % Math.max(1, existing.length)]?.item;
      return found
        ? { id: found.id!, ...(found.region ? { region: found.region } : {}) }
        : { id: IDS[t.pick % IDS.length]! };
    };
    // The item addressed, and the region the request names (none when the spec names none).
    const address = (t: Target, region: string | undefined) => {
      const r = resolve(t, ei);
      return { id: r.id, region: region === undefined ? undefined : (r.region ?? region) };
    };
    let expected: Expected;
    let actual: Reply;
    // With a tenant registry under `signUp: 'open'`, any request of an unregistered directory registers it first.
    const unsigned = model.state;
    if (s.kind !== 'legacy' && !b.membership) model.state = signedUp(b, model.state, p);
    const before = model.state;
    switch (s.kind) {
      case 'create': {
        const fields: Record<string, string> = {};
        if (s.name !== undefined) fields.name = s.name;
        if (e.key === 'region' && s.region !== undefined) fields.region = s.region;
        e.fields
          .filter((f) => f !== 'name')
          .forEach((f) => {
            const parent = Number(f.slice(1, -2));
            const v = s.refs[parent];
            if (v !== undefined) fields[f] = resolve(v, parent).id;
          });
        const { id } = resolve(s.id, ei);
        const body: Record<string, unknown> = { id, ...fields };
        if (s.attack === 'tenantId') body.tenantId = 'not-your-tenant';
        if (s.attack === 'ownerId') body.ownerId = 'someone-else';
        if (s.vector) body[SEARCHED.vector] = s.vector;
        this.described = `${p.name} POST ${e.route} ${JSON.stringify(body)}`;
        const outcome = create(b, model.state, p, ei, {
          id,
          fields,
          ...(s.attack ? { attack: s.attack } : {}),
        });
        expected = outcome.expected;
        // The item created holds the vector sent (or none): what a search ranks and a `select` shows.
        for (const k of writtenKeys(model.state, outcome.state))
          if (s.vector) model.vectors?.set(k, s.vector);
          else model.vectors?.delete(k);
        model.state = outcome.state;
        actual = await through(s.door, real, { caller, headers }, e, { op: 'create', body }, () =>
          callAs(fn('collection'), 'POST', e.route, { body }),
        );
        break;
      }
      case 'read': {
        const { id, region } = address(s.id, s.region);
        const expand = e.relations.filter((_r, i) => s.expand[i]).map((r) => r.name);
        const query = { ...pk(region), ...(expand.length ? { $expand: expand.join(',') } : {}) };
        this.described = `${p.name} GET ${e.route}/${id} ${JSON.stringify(query)}`;
        expected = read(b, model.state, p, ei, id, e.key === 'region' ? region : undefined, expand);
        actual = await through(
          s.door,
          real,
          { caller, headers },
          e,
          { op: 'get', id, ...pkOf(query), expand },
          () => callAs(fn('item'), 'GET', `${e.route}/${id}`, { query, params: { id } }),
        );
        break;
      }
      case 'list': {
        const expand = e.relations.filter((_r, i) => s.expand[i]).map((r) => r.name);
        const query: Record<string, string> = {
          $first: '100',
          ...(expand.length ? { $expand: expand.join(',') } : {}),
          ...(s.count ? { $count: 'true' } : {}),
        };
        this.described = `${p.name} GET ${e.route} ${JSON.stringify(query)}`;
        expected = sorted(list(b, model.state, p, ei, expand, s.count));
        const page = (extra: Record<string, string>) =>
          callAs(fn('collection'), 'GET', e.route, { query: { ...query, ...extra } });
        actual = await through(
          s.door,
          real,
          { caller, headers },
          e,
          { op: 'list', expand, count: s.count },
          async () => allPages(await page({}), (token) => page({ $after: token })),
        );
        break;
      }
      case 'children': {
        const many = e.relations.filter((r) => r.kind === 'hasMany');
        const r = many[s.relation % Math.max(1, many.length)];
        if (!r) {
          model.state = unsigned;
          this.described = `${p.name} (no children route on ${e.route})`;
          return;
        }
        const { id } = resolve(s.id, ei);
        const orderby: Record<string, string> =
          s.orderby === undefined ? {} : { $orderby: `id ${s.orderby}` };
        this.described = `${p.name} GET ${e.route}/${id}/${r.name}${s.orderby ? `?$orderby=id ${s.orderby}` : ''}`;
        expected = sorted(children(b, model.state, p, ei, r, id));
        // Three children a page: a sorted listing crosses pages, whose tokens must keep its order.
        const page = (extra: Record<string, string>) =>
          callAs(fn(r.name), 'GET', `${e.route}/${id}/${r.name}`, {
            query: { $first: s.orderby ? '3' : '100', ...orderby, ...extra },
            params: { id },
          });
        const asSent: unknown[] = [];
        actual = await allPages(await page({}), (token) => page({ $after: token }), asSent);
        if (s.orderby && actual.status === 200) {
          // The model's order: by id (ids may repeat under a /region key; the sequence of ids is still one).
          const ids = asSent.map((i) => (i as { id: string }).id);
          const want = [...ids].sort();
          if (s.orderby === 'desc') want.reverse();
          if (JSON.stringify(ids) !== JSON.stringify(want))
            throw new Error(
              `${this.described}: items not in the order asked: ${JSON.stringify(ids)}\nthe run's requests:\n  ${[...model.script, this.described].join('\n  ')}`,
            );
        }
        break;
      }
      case 'patch': {
        const { id, region } = address(s.id, s.region);
        const field = e.fields[s.field % e.fields.length]!;
        const value =
          s.value === null
            ? null
            : field === 'name'
              ? 'z'
              : resolve(s.value, Number(field.slice(1, -2))).id;
        const body: Record<string, string | null> = { [field]: value };
        if (s.attack === 'tenantId') body.tenantId = 'not-your-tenant';
        if (s.attack === 'ownerId') body.ownerId = 'someone-else';
        const query = pk(region);
        this.described = `${p.name} PATCH ${e.route}/${id} ${JSON.stringify(query)} ${JSON.stringify(body)}`;
        const outcome = patch(b, model.state, p, ei, id, e.key === 'region' ? region : undefined, {
          set: { [field]: value },
          ...(s.attack ? { attack: s.attack } : {}),
        });
        expected = outcome.expected;
        model.state = outcome.state;
        actual = await through(
          s.door,
          real,
          { caller, headers },
          e,
          { op: 'update', id, ...pkOf(query), body },
          () => callAs(fn('item'), 'PATCH', `${e.route}/${id}`, { body, query, params: { id } }),
        );
        break;
      }
      case 'legacy': {
        // Old data, written as the previous version of the code did: no answer to compare, only what later reads,
        // lists, expansions, PATCHes and cascades make of it.
        const fields: Record<string, string> = { name: 'old' };
        e.fields
          .filter((f) => f !== 'name')
          .forEach((f) => {
            const parent = Number(f.slice(1, -2));
            const v = s.refs[parent];
            if (v !== undefined) fields[f] = resolve(v, parent).id;
          });
        const { id } = resolve(s.id, ei);
        const outcome = legacy(b, model.state, p, ei, { id, region: s.region ?? 'eu', fields });
        // Written whole as the old code stored it: no vector.
        for (const k of writtenKeys(model.state, outcome.state)) model.vectors?.delete(k);
        model.state = outcome.state;
        this.described = `${p.name} (stored by version 1) ${e.route} ${JSON.stringify(outcome.stored ?? 'taken')}`;
        model.script.push(this.described);
        if (outcome.stored) await real.insertStored(ei, outcome.stored);
        return;
      }
      case 'search':
      case 'aggregate': {
        const r = await runSearchSpec(s, {
          b,
          state: model.state,
          vectors: model.vectors ?? new Map(),
          p,
          ei,
          e,
          callAs,
          through: (door, call, rest) => through(door, real, { caller, headers }, e, call, rest),
        });
        ({ expected, actual, described: this.described } = r);
        if (r.failure)
          throw new Error(
            `${this.described}: ${r.failure}\nthe run's requests:\n  ${[...model.script, this.described].join('\n  ')}`,
          );
        break;
      }
      case 'delete': {
        const { id, region } = address(s.id, s.region);
        const query = pk(region);
        this.described = `${p.name} DELETE ${e.route}/${id} ${JSON.stringify(query)}`;
        const outcome = remove(b, model.state, p, ei, id, e.key === 'region' ? region : undefined);
        expected = outcome.expected;
        model.state = outcome.state;
        actual = await through(
          s.door,
          real,
          { caller, headers },
          e,
          { op: 'delete', id, ...pkOf(query) },
          () => callAs(fn('item'), 'DELETE', `${e.route}/${id}`, { query, params: { id } }),
        );
        break;
      }
    }
    // Refused before the route: nothing the CRUD model computed holds.
    if (admission && !admission.ok) {
      expected = admission.expected;
      model.state = before;
      this.described = `${this.described ?? ''} [${org ?? 'no organization'}]`;
    } else if (org !== undefined) this.described = `${this.described ?? ''} [${org}]`;
    const type = (actual.body as { type?: string } | undefined)?.type?.replace(
      'urn:atakora:problem:',
      '',
    );
    const via = 'door' in s && s.door && s.door !== 'rest' ? ` via ${s.door}` : '';
    // The door in the run's script: a shrunk case names how the request went (`key#0 GET e0s {…} via mcp`).
    if (via) this.described = `${this.described ?? ''}${via}`;
    const by = key === undefined ? '' : ' by key';
    const tally = `${s.kind}${via}${by} ${actual.status}${type ? ` ${type}` : ''}`;
    STATS.set(tally, (STATS.get(tally) ?? 0) + 1);
    model.script.push(this.described ?? '');
    const diff =
      actual.status === UNLISTED
        ? expected.status === 401 || expected.status === 403
          ? undefined
          : `a tool ${p.name} may not call (a protocol error), where the route answers ${String(expected.status)}`
        : difference(
            'door' in s && s.door === 'data'
              ? withoutExtensions(normalized(expected))
              : normalized(expected),
            withNestedSorted(actual),
          );
    if (diff)
      throw new Error(
        `${this.described}: ${diff}\nthe run's requests:\n  ${model.script.join('\n  ')}`,
      );
    // A suspended directory's request refused: its sockets were closed before the answer went out.
    if (expected.problem === 'tenant-suspended' && model.delivery) refused(model.delivery, p.tid);
    // An acknowledged write is published to whoever may read what it wrote (or what it deleted).
    if (b.realtime && model.state !== before)
      deliver(model.delivery, model.events, expectedEvents(b, before, model.state), () =>
        expectedEvents(b, allActive(before), allActive(model.state)),
      );
  }

  toString(): string {
    return this.described ?? JSON.stringify(this.spec);
  }
}

/** A `hasMany` expansion's `items` in one order (the runtime's is Cosmos DB's; the model's is insertion). */
function nestedSorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nestedSorted);
  if (!v || typeof v !== 'object' || v instanceof OneOf) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const many = x && typeof x === 'object' && 'continuationToken' in x && 'items' in x;
    out[k] = many
      ? { ...(x as object), items: sortItems((x as { items: unknown[] }).items).map(nestedSorted) }
      : nestedSorted(x);
  }
  return out;
}

function normalized(e: Expected): Expected {
  return e.body === undefined ? e : { ...e, body: nestedSorted(e.body) };
}

function withNestedSorted(r: Reply): Reply {
  return r.status === 200 ? { ...r, body: nestedSorted(r.body) as Reply['body'] } : r;
}

function sorted(e: Expected): Expected {
  const body = e.body as { items?: unknown[] } | undefined;
  return body?.items ? { ...e, body: { ...body, items: sortItems(body.items) } } : e;
}

export { parentField };

/** The partition key of a REST query, as the doors take it. */
function pkOf(query: Record<string, string>): { pk?: string } {
  return query.pk === undefined ? {} : { pk: query.pk };
}

/** The request through its door: the REST route, an MCP tool call or dataOf (doors.ts); a list's items sorted. */
async function through(
  door: Door | undefined,
  real: RealApp,
  who: { readonly caller: Principal; readonly headers: Record<string, string> },
  e: ModelEntity,
  call: DoorCall,
  rest: () => Promise<Reply>,
): Promise<Reply> {
  if (door === undefined || door === 'rest') return rest();
  const { caller, headers } = who;
  const r =
    door === 'mcp'
      ? await viaMcp(
          (m) => real.call(MCP_FUNCTION, 'POST', 'mcp', caller, { body: m, headers }),
          e.entityName,
          call,
        )
      : // The same token as the REST request's: with memberships, its verified e-mail too; a key's request carries
        // the key and no principal, as the REST request does (real-app.ts `call`).
        await viaData(
          real,
          {
            ...(headers['authorization'] === undefined
              ? headerOf(caller, real.members !== undefined)
              : {}),
            ...headers,
          },
          e.componentId,
          call,
        );
  if (call.op !== 'list' || r.status !== 200) return r;
  const body = { ...(r.body as object), items: sortItems((r.body as { items: unknown[] }).items) };
  return { ...r, body, text: JSON.stringify(body) };
}

/** What a ProblemError carries is compared (status, type, body): a problem's other members are REST's and MCP's. */
function withoutExtensions(e: Expected): Expected {
  const { extensions: _extensions, ...rest } = e;
  return rest;
}
