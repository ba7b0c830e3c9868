import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CallerRequest } from '../pipeline/context.js';
import type { RuntimeRelation } from '../../model/relations.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { problemResponse, refused } from '../http/response.js';
import type { Resolved } from '../http/scope.js';
import { RelatedFailure, type RelationPeers } from './peers.js';
import { type CascadeDeps, deleteWithChildren } from './cascade-delete.js';
import { checkId } from '../http/schema-validator.js';
import type { PartitionValue } from '../values/partition.js';
import type { MigrationBudget } from '../values/migration-budget.js';

/**
 * One CrudApi's relations at run time, for one request at a time: the reference check of writes, `$expand`, and
 * what deleting a parent does to its children.
 *
 * @example
 * ```ts
 * const refused = await ctx.relations?.checkReferences(request, item); // a 422 reference-not-found, or undefined
 * ```
 */
export interface EntityRelations {
  /** 422 `reference-not-found` when a `belongsTo`/`file` field names nothing the caller can read. */
  checkReferences(
    call: CallerRequest,
    item: Readonly<Record<string, unknown>>,
  ): Promise<HttpResponseInit | undefined>;
  /**
   * The items with each relation embedded under its name (`null` when gone or not readable): one lookup per
   * relation and page; `drop` names fields read only for the expansion (left out of `$select`). The embedded items'
   * migrations share `budget`, the request's (a list page's one budget): one that does not settle within it is
   * the answer's 500 `migration-failed`, as on the list.
   */
  expand(
    call: CallerRequest,
    items: readonly Record<string, unknown>[],
    relations: readonly ExpandTerm[],
    drop?: readonly string[],
    budget?: MigrationBudget,
  ): Promise<Resolved<Record<string, unknown>[]>>;
  /**
   * The delete of a parent (an entity with `hasMany` relations; undefined for others, which delete as usual): the
   * caller's own delete of every child, all or nothing (cascade-delete.ts). The answer, or the ETag the parent's
   * own delete is then conditional on.
   */
  deleteTree(
    call: CallerRequest,
    root: { readonly id: string; readonly pk: PartitionValue; readonly etag: string | undefined },
  ): Promise<
    { readonly response: HttpResponseInit } | { readonly etag: string | undefined } | undefined
  >;
  /**
   * After an item was created: when a parent it names was deleted (or began to be) since the reference check, the
   * item removes itself and the answer is the 422 its check would give now; undefined when it stands.
   */
  afterCreate(
    call: CallerRequest,
    item: Readonly<Record<string, unknown>>,
    remove: () => Promise<void>,
  ): Promise<HttpResponseInit | undefined>;
}

/** What the delete of a parent uses besides the peers: the queue, the budgets, the job's caller. */
export type CascadeOptions = Omit<CascadeDeps, 'peers'>;

/** Longest `$expand` text read (the relation names of one entity fit far below it). */
const MAX_EXPAND_LENGTH = 1000;

function expandProblem(message: string): Resolved<never> {
  return refused('invalid-expand', `$expand: ${message}`, { parameter: '$expand' });
}

/** Items of one `hasMany` expansion per parent when `$first` is not given inside it, and the most it may ask. */
export const HAS_MANY_FIRST = { default: 10, max: 100 } as const;

/** One relation `$expand` names; a `hasMany`'s with the children per parent (`orders($first=5)`). */
export type ExpandTerm = RuntimeRelation & { readonly first?: number };

/** `name` or `name($first=n)`: the relation's name and the text inside the parentheses (undefined without). */
const TERM = /^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$/s;

/**
 * `$expand=customer,photo,orders($first=5)`: distinct relations of the entity, comma-separated (commas inside
 * parentheses belong to the term); absent or empty → none. A `hasMany` embeds `{ items, continuationToken }` per
 * parent, at most `$first` (1…100, default 10) children each; the token continues at its children route. Anything
 * else — an unknown name, an option other than `$first` inside parentheses, options on a `belongsTo`, a repeat —
 * is a 400.
 *
 * @example
 * ```ts
 * readExpand(orderEntity, request); // ?$expand=customer → { ok: true, value: [customerRelation] }
 * ```
 */
export function readExpand(
  entity: RuntimeEntity,
  request: HttpRequest,
): Resolved<readonly ExpandTerm[]> {
  const raw = request.query.get('$expand');
  if (raw === null || raw.trim() === '') return { ok: true, value: [] };
  if (raw.length > MAX_EXPAND_LENGTH)
    return expandProblem(`longer than ${MAX_EXPAND_LENGTH} characters.`);
  const known = (entity.relations ?? []).map((r) => r.name).join(', ');
  const out: ExpandTerm[] = [];
  for (const part of splitTerms(raw)) {
    const text = part.trim();
    const m = TERM.exec(text);
    const name = m?.[1] ?? text;
    const relation = m ? (entity.relations ?? []).find((r) => r.name === name) : undefined;
    if (!relation)
      return expandProblem(
        `"${name.slice(0, 64)}" is no relation of ${entity.entityName} (${known ? `expandable: ${known}` : 'it has none to expand'}).`,
      );
    if (out.some((r) => r.name === name)) return expandProblem(`"${name}" is named twice.`);
    const options = m?.[2];
    if (relation.kind !== 'hasMany') {
      if (options !== undefined)
        return expandProblem(`"${name}" embeds one item: it takes no options in parentheses.`);
      out.push(relation);
      continue;
    }
    const first = /^\s*\$first\s*=\s*([0-9]{1,4})\s*$/.exec(options ?? '');
    if (
      options !== undefined &&
      (!first || Number(first[1]) < 1 || Number(first[1]) > HAS_MANY_FIRST.max)
    )
      return expandProblem(
        `"${name}" takes only $first=1…${HAS_MANY_FIRST.max} in parentheses: ${name}($first=5).`,
      );
    out.push({ ...relation, first: first ? Number(first[1]) : HAS_MANY_FIRST.default });
  }
  return { ok: true, value: out };
}

/** The terms of `$expand`, split at the commas outside parentheses. */
function splitTerms(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  out.push(raw.slice(start));
  return out;
}

/**
 * The relations of one entity over the backend's peers (looked up per call: the peers are built after all the
 * handlers). With no peer for a target, nothing is found: references are refused, expansions are null.
 *
 * @example
 * ```ts
 * const relations = entityRelations(entity, () => peers);
 * ```
 */
export function entityRelations(
  entity: RuntimeEntity,
  peersOf: () => RelationPeers,
  cascade?: () => CascadeOptions,
): EntityRelations {
  return new Relations(entity, peersOf, cascade);
}

/** One entity's relations over one state: its relation list and how to reach the other components. */
class Relations implements EntityRelations {
  private readonly all: readonly RuntimeRelation[];
  private readonly references: readonly RuntimeRelation[];

  constructor(
    private readonly entity: RuntimeEntity,
    private readonly peersOf: () => RelationPeers,
    private readonly cascade: (() => CascadeOptions) | undefined,
  ) {
    this.all = entity.relations ?? [];
    this.references = this.all.filter((r) => r.kind !== 'hasMany');
  }

  private notFound(r: RuntimeRelation): HttpResponseInit {
    // One answer for a missing id, another tenant's, an unreadable one, an uncompleted upload and one that can be
    // no id at all ('' or '  ', a slash, over 255 characters).
    return problemResponse(
      'reference-not-found',
      `${r.field} names no ${r.kind === 'file' ? 'completed file' : 'item'} of ${r.target} you can read ` +
        `(relation "${r.name}").`,
      { field: r.field, relation: r.name },
    );
  }

  /** The references whose parent's delete reaches this entity (a hasMany on the target over the same field). */
  private guarded(): RuntimeRelation[] {
    return this.references.filter(
      (r) =>
        r.kind === 'belongsTo' &&
        (this.peersOf().crud(r.target)?.entity.relations ?? []).some(
          (h) =>
            h.kind === 'hasMany' && h.target === this.entity.componentId && h.field === r.field,
        ),
    );
  }

  /**
   * The related items of these ids this caller can read, by id (`present`: each as its own GET gives it; else
   * enough to know it is there). A file's is its metadata as the store's GET gives it, either way.
   */
  private async related(
    call: CallerRequest,
    r: RuntimeRelation,
    ids: readonly string[],
    present: boolean,
    budget?: MigrationBudget,
  ): Promise<ReadonlyMap<string, Record<string, unknown>>> {
    const peers = this.peersOf();
    if (r.kind === 'belongsTo')
      return (
        (await peers
          .crud(r.target)
          ?.lookup(call, ids, { present, ...(budget ? { budget } : {}) })) ?? new Map()
      );
    const read = peers.file(r.target);
    const found = new Map<string, Record<string, unknown>>();
    if (!read) return found;
    // Blob Storage reads one blob's properties per call (no multi-get): the distinct ids of a page, in parallel.
    const answers = await Promise.all(ids.map(async (id) => [id, await read(call, id)] as const));
    for (const [id, response] of answers) {
      const status = response.status ?? 200;
      if (status === 200 && typeof response.body === 'string')
        found.set(id, JSON.parse(response.body) as Record<string, unknown>);
      else if (status >= 500) throw new RelatedFailure(response);
    }
    return found;
  }

  async checkReferences(
    call: CallerRequest,
    item: Readonly<Record<string, unknown>>,
  ): Promise<HttpResponseInit | undefined> {
    for (const r of this.references) {
      const value = item[r.field];
      if (value === undefined || value === null) continue;
      // An id that cannot be an id names nothing: no read is made (an empty one used to reach Cosmos DB).
      if (typeof value !== 'string' || checkId(value) !== undefined) return this.notFound(r);
      let found: ReadonlyMap<string, unknown>;
      try {
        found = await this.related(call, r, [value], false);
      } catch (e) {
        if (e instanceof RelatedFailure) return e.response;
        throw e;
      }
      if (!found.has(value)) return this.notFound(r);
    }
    return undefined;
  }

  async afterCreate(
    call: CallerRequest,
    item: Readonly<Record<string, unknown>>,
    remove: () => Promise<void>,
  ): Promise<HttpResponseInit | undefined> {
    for (const r of this.guarded()) {
      const value = item[r.field];
      if (typeof value !== 'string') continue;
      // The parent's delete marks it before it reads its children: a parent found unmarked now was not being
      // deleted when this item was written, so its delete's walk sees this item (cascade-delete.ts).
      const found = await this.peersOf().crud(r.target)?.lookup(call, [value]);
      if (found?.has(value)) continue;
      await remove();
      return this.notFound(r);
    }
    return undefined;
  }

  async expand(
    call: CallerRequest,
    items: readonly Record<string, unknown>[],
    relations: readonly ExpandTerm[],
    drop: readonly string[] = [],
    budget?: MigrationBudget,
  ): Promise<Resolved<Record<string, unknown>[]>> {
    const out = items.map((i) => ({ ...i }));
    for (const r of relations) {
      if (r.kind === 'hasMany') {
        // Each parent's first children, all parents of the page in one query (crud/peer.ts childPages).
        const ids = [
          ...new Set(out.map((i) => i.id).filter((v): v is string => typeof v === 'string')),
        ];
        let pages: ReadonlyMap<string, unknown> | undefined;
        try {
          pages = await this.peersOf()
            .crud(r.target)
            ?.childPages(call, r.field, ids, r.first ?? HAS_MANY_FIRST.default, budget);
        } catch (e) {
          if (e instanceof RelatedFailure) return { ok: false, response: e.response };
          throw e;
        }
        for (const item of out)
          item[r.name] =
            pages === undefined
              ? null
              : (pages.get(String(item.id)) ?? { items: [], continuationToken: null });
        continue;
      }
      const ids = [
        ...new Set(out.map((i) => i[r.field]).filter((v): v is string => typeof v === 'string')),
      ];
      let found: ReadonlyMap<string, Record<string, unknown>> = new Map();
      try {
        if (ids.length) found = await this.related(call, r, ids, true, budget);
      } catch (e) {
        if (e instanceof RelatedFailure) return { ok: false, response: e.response };
        throw e;
      }
      for (const item of out) {
        const id = item[r.field];
        item[r.name] = typeof id === 'string' ? (found.get(id) ?? null) : null;
      }
    }
    for (const item of out) for (const f of drop) Reflect.deleteProperty(item, f);
    return { ok: true, value: out };
  }

  async deleteTree(
    call: CallerRequest,
    root: { readonly id: string; readonly pk: PartitionValue; readonly etag: string | undefined },
  ): ReturnType<EntityRelations['deleteTree']> {
    if (!this.all.some((r) => r.kind === 'hasMany')) return undefined;
    const peers = this.peersOf();
    const self = peers.crud(this.entity.componentId);
    const deps = this.cascade?.();
    if (!self || !deps) return undefined;
    return deleteWithChildren(call, self, root, { ...deps, peers });
  }
}
