import { at } from '../../model/at.js';
import type { PlanIssue } from '../../model/plan.js';
import type { RuntimeRelation } from '../../model/relations.js';
import type { PlanComponent } from '../plan-input.js';

/** What the relation checks read of one component's definition (its config, as data). */
interface Node {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly shared: boolean;
  /** The partition key path (`/id` when the config names none). */
  readonly partitionKey: string;
  readonly schema: Readonly<Record<string, unknown>>;
  readonly relations: readonly RuntimeRelation[];
}

function nodeOf(c: PlanComponent): Node {
  const config = (c.definition.config ?? {}) as Record<string, unknown>;
  const shared = config.tenancy === 'shared' && config.partitionKey !== '/tenantId';
  const schema = (config.schema ?? {}) as Record<string, unknown>;
  const relations: RuntimeRelation[] = [];
  const given = config.relations;
  if (c.definition.componentType === 'CrudApi' && given && typeof given === 'object') {
    // Checked by CrudApi.define (components/crud/relations.ts): each is one kind, a target id and a field.
    for (const [name, raw] of Object.entries(given as Record<string, Record<string, unknown>>)) {
      const kind = (['belongsTo', 'hasMany', 'file'] as const).find((k) => raw[k] !== undefined);
      if (kind === undefined) continue;
      relations.push({
        name,
        kind,
        target: String(raw[kind]),
        field: String(raw.field),
        ...(raw.onDelete === 'cascade' ? { onDelete: 'cascade' as const } : {}),
      });
    }
  }
  return {
    id: c.definition.componentId,
    key: c.key,
    type: c.definition.componentType,
    shared,
    partitionKey: typeof config.partitionKey === 'string' ? config.partitionKey : '/id',
    schema,
    relations,
  };
}

function typeOf(field: unknown): unknown {
  return typeof field === 'string' ? field : (field as { type?: unknown } | undefined)?.type;
}

/**
 * The CrudApis that declare relations, in the planner's component order: one read of `config.relations` per
 * component, and nothing else for a backend (or a component) that uses none.
 */
function withRelations(components: readonly PlanComponent[]): PlanComponent[] {
  const out: PlanComponent[] = [];
  for (let i = 0; i < components.length; i++) {
    const c = at(components, i);
    if (c.definition.componentType !== 'CrudApi') continue;
    const given = (c.definition.config as { relations?: unknown } | undefined)?.relations;
    if (given !== null && typeof given === 'object') out.push(c);
  }
  return out;
}

/**
 * The relation phase: every relation's target is a component of this backend of the right kind (a CrudApi for
 * `belongsTo`/`hasMany`, a FileStore for `file`), a `hasMany` names a string field of its target, no shared entity
 * points at per-tenant data or cascades into it (its items would name, or delete, what other tenants cannot see),
 * and no chain of `cascade` deletes comes back to where it started. Only the components that declare relations,
 * and the targets they name, are read: a backend without relations pays one property read per component
 * (docs/performance.md, "Feature work only where it is used").
 *
 * @example
 * ```ts
 * relationIssues(components); // [{ severity: 'error', code: 'RELATION_TARGET_INVALID', … }]
 * ```
 *
 * `sources` (for tests) are the components read as possibly declaring relations; every component gives the
 * phase as it was before it skipped any, and the same issues (test/plan/feature-work.test.ts).
 */
export function relationIssues(
  components: readonly PlanComponent[],
  sources: readonly PlanComponent[] = withRelations(components),
): PlanIssue[] {
  if (sources.length === 0) return [];
  // Once per backend, and only for a backend with relations: targets by id, read as nodes when first named.
  const byId = new Map<string, PlanComponent>();
  for (const c of components) byId.set(c.definition.componentId, c);
  const read = new Map<string, Node>();
  const nodeById = (id: string): Node | undefined => {
    const known = read.get(id);
    if (known) return known;
    const c = byId.get(id);
    if (!c) return undefined;
    const made = nodeOf(c);
    read.set(id, made);
    return made;
  };
  // Every source is one of the components, so each has its node.
  const nodes = sources.flatMap((c) => nodeById(c.definition.componentId) ?? []);
  const issues: PlanIssue[] = [];
  for (const n of nodes) {
    for (const r of n.relations) {
      const path = ['components', n.key, 'config', 'relations', r.name];
      const target = nodeById(r.target);
      const wanted = r.kind === 'file' ? 'FileStore' : 'CrudApi';
      if (target?.type !== wanted) {
        issues.push({
          severity: 'error',
          code: 'RELATION_TARGET_INVALID',
          path: [...path, r.kind],
          components: [n.id],
          message:
            `CrudApi ${n.id}: relation "${r.name}" names ${r.kind} "${r.target}", which is ` +
            `${target ? `a ${target.type}, not a ${wanted}` : 'no component of this backend'}.`,
          resolution: `Name a ${wanted} of this backend by its component id, or add it to the backend.`,
        });
        continue;
      }
      if (r.kind === 'hasMany' && typeOf(target.schema[r.field]) !== 'string') {
        issues.push({
          severity: 'error',
          code: 'RELATION_TARGET_INVALID',
          path: [...path, 'field'],
          components: [n.id, target.id],
          message:
            `CrudApi ${n.id}: relation "${r.name}" lists ${target.id} items by "${r.field}", which is not a ` +
            `string field of ${target.id}'s schema.`,
          resolution:
            `Add "${r.field}: 'string'" to ${target.id}'s schema (and a belongsTo relation on it), or name ` +
            'the field that holds the parent id.',
        });
        continue;
      }
      if (r.kind === 'hasMany' && n.partitionKey !== '/id' && n.partitionKey !== '/tenantId')
        issues.push(parentIdentityIssue(n, r, path));
      const tenancy = tenancyIssue(n, target, r, path);
      if (tenancy) issues.push(tenancy);
    }
  }
  return [...issues, ...cascadeCycles(nodes)];
}

/**
 * A `hasMany` parent's id must name one item per tenant: its children hold only the id, so under a key like
 * `/region` two parents of one tenant can share an id (one per partition), and deleting either would act on the
 * other's children (DESIGN §2 "Relations hold under every rule").
 */
function parentIdentityIssue(n: Node, r: RuntimeRelation, path: string[]): PlanIssue {
  return {
    severity: 'error',
    code: 'RELATION_PARENT_IDENTITY',
    path,
    components: [n.id],
    message:
      `CrudApi ${n.id} is keyed by ${n.partitionKey}, so one tenant may hold two ${n.id} items with the same id ` +
      `(one per ${n.partitionKey.slice(1)} value), and its relation "${r.name}" could not tell whose ${r.target} ` +
      "items those are: counting, listing or deleting one parent's children would reach the other's.",
    resolution:
      `Key ${n.id} by '/id' (one item per id) or '/tenantId' (one per id and tenant): partitionKey: '/id'. To ` +
      `keep ${n.partitionKey}, drop the hasMany and let ${r.target} point at it with a belongsTo only.`,
  };
}

/**
 * Related entities of different tenancy: a shared entity pointing at per-tenant data (other tenants would see an
 * id they can never read), a cascade across the line either way — shared into per-tenant (one tenant's delete
 * reaching the others' children) or per-tenant into shared (a user of any directory deleting curated shared data by
 * creating and deleting a parent of a known id) — or a per-tenant parent whose delete is restricted by shared
 * children (a user of another directory blocking it for good by creating one).
 */
function tenancyIssue(
  n: Node,
  target: Node,
  r: RuntimeRelation,
  path: string[],
): PlanIssue | undefined {
  const pointsAtTenantData = r.kind !== 'hasMany' && n.shared && !target.shared;
  const cascades = r.kind === 'hasMany' && r.onDelete === 'cascade';
  const message = pointsAtTenantData
    ? `CrudApi ${n.id} is shared by every tenant but its relation "${r.name}" points at ${target.id}, ` +
      'whose items belong to one tenant each: other tenants would see an id they can never read.'
    : cascades && n.shared && !target.shared
      ? `CrudApi ${n.id} is shared by every tenant but its relation "${r.name}" cascades deletes into ` +
        `${target.id}, whose items belong to one tenant each: one tenant's delete would reach the others'.`
      : cascades && !n.shared && target.shared
        ? `CrudApi ${n.id} holds each tenant's own items but its relation "${r.name}" cascades deletes into ` +
          `${target.id}, which is shared by every tenant: any user could create a ${n.id} item with the id a ` +
          `shared ${target.id} item names and delete it, reaching data other tenants read.`
        : r.kind === 'hasMany' && !n.shared && target.shared
          ? `CrudApi ${n.id} holds each tenant's own items but its relation "${r.name}" restricts their delete ` +
            `by children in ${target.id}, which is shared by every tenant: a user of another directory could ` +
            `create a shared ${target.id} item naming a ${n.id} id and block that item's delete for good ` +
            '(its owner can neither see nor remove the child).'
          : undefined;
  if (message === undefined) return undefined;
  return {
    severity: 'error',
    code: 'RELATION_TENANCY_MISMATCH',
    path,
    components: [n.id, target.id],
    message,
    ...(r.kind === 'hasMany' && !n.shared && target.shared
      ? {
          resolution:
            `Make ${target.id} per-tenant (its items then belong to the tenant that wrote them, as the ` +
            `parent's do), or drop the hasMany "${r.name}" and keep a belongsTo on ${target.id} only if ` +
            `${n.id} is shared too (docs/relations.md, "Tenancy").`,
        }
      : {}),
  };
}

/** One issue per cascade cycle (found from its smallest id, so each is reported once, the same way each time). */
function cascadeCycles(nodes: readonly Node[]): PlanIssue[] {
  const edges = new Map<string, string[]>();
  for (const n of nodes)
    edges.set(
      n.id,
      n.relations
        .filter((r) => r.kind === 'hasMany' && r.onDelete === 'cascade')
        .map((r) => r.target),
    );
  const issues: PlanIssue[] = [];
  const reported = new Set<string>();
  for (const start of [...edges.keys()].sort()) {
    const cycle = findCycle(start, edges);
    if (!cycle) continue;
    const key = [...cycle].sort().join('>');
    if (reported.has(key)) continue;
    reported.add(key);
    const n = nodes.find((x) => x.id === start);
    issues.push({
      severity: 'error',
      code: 'RELATION_CASCADE_CYCLE',
      path: ['components', n?.key ?? start, 'config', 'relations'],
      components: [...new Set(cycle)].sort(),
      message:
        `Cascading deletes go round in a cycle (${[...cycle, cycle[0]].join(' → ')}): deleting one item ` +
        'could delete its own ancestors, and no order of deletes finishes the chain.',
    });
  }
  return issues;
}

/** A path of cascade edges from `start` back to it, or undefined. Depth-first, bounded by the node count. */
function findCycle(
  start: string,
  edges: ReadonlyMap<string, readonly string[]>,
): string[] | undefined {
  const seen = new Set<string>();
  const walk = (at: string, path: string[]): string[] | undefined => {
    for (const next of edges.get(at) ?? []) {
      if (next === start) return path;
      if (seen.has(next)) continue;
      seen.add(next);
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(start, [start]);
}
