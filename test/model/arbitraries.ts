/**
 * fast-check arbitraries of the model-based test: random backends (keys, tenancy, rules, relations) and random
 * requests of several principals of several directories. Both shrink toward the plainest case (fewer entities,
 * no relations, default rules), so a counterexample reads as a story.
 */
import fc from 'fast-check';
import type { Door } from './doors.js';
import type { SearchSpec } from './search-commands.js';
import {
  CUSTOMER,
  DEFAULTED,
  DROPPED,
  HOME,
  IDS,
  type KeyKind,
  type ModelBackend,
  type ModelEntity,
  type ModelRelation,
  parentField,
  REGIONS,
  RULE_SETS,
} from './backend.js';

/** One pair of entities (parent i < child j): what relates them. */
interface Edge {
  readonly hasMany: boolean;
  readonly cascade: boolean;
  readonly belongsTo: boolean;
}

const PAIRS: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
];

/** Build a backend from its generated parts (exported for the regression cases, which spell one out). */
export function backendOf(parts: {
  readonly multi: boolean;
  /** Default true: every generated backend is realtime, so every run checks delivery too. */
  readonly realtime?: boolean;
  readonly entities: readonly { key: KeyKind; shared: boolean; rules: number }[];
  readonly edges: readonly Edge[];
  /** By entity index: `schemaVersion: 2` (see backend.ts); default none. */
  readonly versioned?: readonly boolean[];
}): ModelBackend {
  const n = parts.entities.length;
  const relations: ModelRelation[][] = parts.entities.map(() => []);
  const fields: string[][] = parts.entities.map(() => ['name']);
  PAIRS.forEach(([i, j], k) => {
    const edge = parts.edges[k];
    if (!edge || j >= n || (!edge.hasMany && !edge.belongsTo)) return;
    const field = parentField(i);
    fields[j]!.push(field);
    if (edge.hasMany)
      relations[i]!.push({
        name: `kids${j}`,
        kind: 'hasMany',
        target: j,
        field,
        ...(edge.cascade ? { onDelete: 'cascade' as const } : {}),
      });
    if (edge.belongsTo)
      relations[j]!.push({ name: `parent${i}`, kind: 'belongsTo', target: i, field });
  });
  const entities: ModelEntity[] = parts.entities.map((e, i) => {
    const access = RULE_SETS[e.rules];
    return {
      componentId: `E${i}Api`,
      entityName: `E${i}`,
      route: `e${i}s`,
      key: e.key,
      shared: e.shared && e.key !== 'tenantId',
      ...(access ? { access } : {}),
      fields: fields[i]!,
      relations: relations[i]!.sort((a, b) => (a.name < b.name ? -1 : 1)),
      versioned: parts.versioned?.[i] ?? false,
      defaults: { [DEFAULTED.field]: DEFAULTED.value },
      ...(parts.versioned?.[i] ? { dropped: [DROPPED] } : {}),
    };
  });
  return {
    entities,
    multi: parts.multi,
    ...(parts.multi ? { home: HOME, admitted: [HOME, CUSTOMER] } : {}),
    realtime: parts.realtime ?? true,
  };
}

/** Random backends: two or three CrudApis, any keys, tenancy, rule sets and relations between them. */
export function backendArbitrary(): fc.Arbitrary<ModelBackend> {
  const entity = fc.record({
    key: fc.constantFrom<KeyKind>('id', 'tenantId', 'region'),
    shared: fc.boolean(),
    rules: fc.nat({ max: RULE_SETS.length - 1 }),
    versioned: fc.boolean(),
  });
  const edge = fc.record({ hasMany: fc.boolean(), cascade: fc.boolean(), belongsTo: fc.boolean() });
  return fc
    .record({
      multi: fc.boolean(),
      entities: fc.array(entity, { minLength: 2, maxLength: 3 }),
      edges: fc.array(edge, { minLength: 3, maxLength: 3 }),
    })
    .map((parts) => backendOf({ ...parts, versioned: parts.entities.map((e) => e.versioned) }));
}

/** Alice and Bob (one directory, no roles) most, the others less: most meetings are between users of one tenant. */
const principal = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1) },
  { weight: 2, arbitrary: fc.constantFrom(2, 3, 4, 5) },
);
/** Taken modulo the backend's entity count (6: uniform for two and for three). */
const entityIndex = fc.nat({ max: 5 });
const id = fc.constantFrom<string>(...IDS);
/**
 * The item a request addresses: mostly one that exists (whoever's, any tenant's: picked from the model's state
 * when the command runs), else an id of the pool.
 */
export type Target = { readonly pick: number } | string;
const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 99 }).map((pick) => ({ pick })) },
  { weight: 1, arbitrary: id },
);
/** What a reference field is set to: an id of the pool, or a value that can be no id. */
export const BAD_REFERENCES = ['', '   ', 'x/y', 'x'.repeat(300), '..', ' a'] as const;

/** A reference: mostly an existing item of the target (picked when the command runs), else a pool id or a bad one. */
export const referenceArbitrary: fc.Arbitrary<Target> = fc.oneof(
  { weight: 8, arbitrary: target },
  { weight: 1, arbitrary: fc.constantFrom<string>(...BAD_REFERENCES) },
);

/** A region: mostly given (undefined → the request names no partition). */
const region = fc.option(fc.constantFrom<string>(...REGIONS), { freq: 8, nil: undefined });
/** Now and then a body names a tenant or an owner, which only the runtime may stamp. */
const attack = fc.oneof(
  { weight: 14, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom<'tenantId' | 'ownerId'>('tenantId', 'ownerId') },
);

/** The parameters of one request, before they meet a backend (indices are taken modulo what it has). */
export type RequestSpec = (
  | {
      kind: 'create';
      p: number;
      e: number;
      /** A picked id is one the entity holds already (in another partition, tenant or owner: a collision). */
      id: Target;
      region: string | undefined;
      name: string | undefined;
      refs: (Target | undefined)[];
      attack: 'tenantId' | 'ownerId' | undefined;
      door?: Door;
      /**
       * The item's vector (the searched `embedding`: search.model.test.ts sets it), sent with the create and kept by
       * the run beside the model's state (`ModelSide.vectors`): no answer carries it unless a `select` names it.
       */
      vector?: readonly number[];
    }
  | {
      kind: 'read';
      p: number;
      e: number;
      id: Target;
      region: string | undefined;
      expand: boolean[];
      door?: Door;
    }
  | { kind: 'list'; p: number; e: number; expand: boolean[]; count: boolean; door?: Door }
  | {
      kind: 'children';
      p: number;
      e: number;
      relation: number;
      id: Target;
      /** `$orderby=id` / `id desc` (every entity declares `sortable: ['id']`): the parent-led composite index's query. */
      orderby?: 'asc' | 'desc' | undefined;
    }
  | {
      kind: 'patch';
      p: number;
      e: number;
      id: Target;
      region: string | undefined;
      field: number;
      value: Target | null;
      attack: 'tenantId' | 'ownerId' | undefined;
      door?: Door;
    }
  | { kind: 'delete'; p: number; e: number; id: Target; region: string | undefined; door?: Door }
  | {
      /** An item as the code's previous version stored it (no `status`; `ssn` on a versioned entity): old data. */
      kind: 'legacy';
      p: number;
      e: number;
      id: Target;
      region: string | undefined;
      refs: (Target | undefined)[];
    }
  /** A search or an aggregate (search-commands.ts). */
  | SearchSpec
) & {
  /**
   * Tenants by membership: the organization the request names (index into ORGANIZATIONS; -1: the caller's first
   * organization at the time; absent: none).
   */
  readonly org?: number | undefined;
  /**
   * Tenants by membership: the request presents the run's API key of this index (modulo the keys created) instead of
   * `p`'s sign-in, through the REST route (key-commands.ts); `org` then names an organization only when ≥ 0.
   */
  readonly key?: number | undefined;
};

const mask = fc.array(fc.boolean(), { minLength: 3, maxLength: 3 });
/** Half the requests through the REST route, the rest through MCP and dataOf: every door must answer alike. */
const door = fc.constantFrom<Door>('rest', 'rest', 'mcp', 'data');

export const requestArbitrary: fc.Arbitrary<RequestSpec> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      door,
      p: principal,
      e: entityIndex,
      id: fc.oneof({ weight: 2, arbitrary: id }, { weight: 1, arbitrary: target }),
      region,
      name: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
      refs: fc.array(fc.option(referenceArbitrary, { freq: 2, nil: undefined }), {
        minLength: 2,
        maxLength: 2,
      }),
      attack,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      door,
      p: principal,
      e: entityIndex,
      id: target,
      region,
      expand: mask,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('list' as const),
      door,
      p: principal,
      e: entityIndex,
      expand: mask,
      count: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('children' as const),
      p: principal,
      e: entityIndex,
      relation: fc.nat({ max: 2 }),
      id: target,
      orderby: fc.constantFrom(undefined, 'asc' as const, 'desc' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('patch' as const),
      door,
      p: principal,
      e: entityIndex,
      id: target,
      region,
      field: fc.nat({ max: 2 }),
      value: fc.option(referenceArbitrary, { freq: 5, nil: null }),
      attack,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('legacy' as const),
      p: principal,
      e: entityIndex,
      id,
      region,
      refs: fc.array(fc.option(target, { freq: 2, nil: undefined }), {
        minLength: 2,
        maxLength: 2,
      }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      door,
      p: principal,
      e: entityIndex,
      id: target,
      region,
    }),
  },
);
