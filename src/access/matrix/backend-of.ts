import type { ResourcePlan } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import type { RuntimeEntity, RuntimeFileStore } from '../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../resources/types.js';
import type { AccessBackend, AccessEntity, AccessRelation } from '../model/backend.js';
import type { MatrixSignIn } from './sign-in.js';

/** What a plan serves, as the matrix reads it: CrudApis and FileStores (model entities) and HTTP handlers. */
export interface ServedAccess {
  readonly backend: AccessBackend;
  /** The plan's CrudApis, by entity index (the FileStores follow them in {@link AccessBackend.entities}). */
  readonly crud: readonly RuntimeEntity[];
  readonly files: readonly RuntimeFileStore[];
  readonly handlers: readonly HostedFunction[];
}

const byId = <T extends { readonly componentId: string }>(a: T, b: T) =>
  a.componentId < b.componentId ? -1 : a.componentId > b.componentId ? 1 : 0;

/**
 * The reference model's backend for a plan: every CrudApi and FileStore of every Function App (a FileStore is an
 * entity of its own: the same rules and tenancy, its routes' operations mapped onto create/read/list/delete).
 *
 * @example
 * ```ts
 * const { backend } = servedAccessOf(backend.plan(), signIn);
 * ```
 */
export function servedAccessOf(plan: ResourcePlan, signIn: MatrixSignIn): ServedAccess {
  const crud: RuntimeEntity[] = [];
  const files: RuntimeFileStore[] = [];
  const handlers: HostedFunction[] = [];
  for (const r of plan.resources) {
    if (r.type !== 'functions') continue;
    const c = mergedConfigOf('functions', r);
    // A saved plan read back may lack what the planner always writes: nothing served is nothing to derive.
    crud.push(...((c.crudEntities as RuntimeEntity[] | undefined) ?? []));
    files.push(...(c.fileStores ?? []));
    handlers.push(...(c.hostedFunctions ?? []).filter((f) => f.trigger === 'http'));
  }
  crud.sort(byId);
  files.sort(byId);
  handlers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // Built in loops, no pair per entity (a review page derives this for the plan and its base, 1,000 CrudApis each).
  const index = new Map<string, number>();
  for (let i = 0; i < crud.length; i++) index.set((crud[i] as RuntimeEntity).componentId, i);
  for (let j = 0; j < files.length; j++)
    index.set((files[j] as RuntimeFileStore).componentId, crud.length + j);
  const entity = (
    e: RuntimeEntity | RuntimeFileStore,
    relations: AccessRelation[],
  ): AccessEntity => {
    const defaults: Record<string, string> = {};
    const schema = 'schema' in e ? e.schema : {};
    for (const f of Object.keys(schema)) {
      const d = schema[f]?.default;
      if (typeof d === 'string') defaults[f] = d;
    }
    const componentId = e.componentId;
    const route = e.route;
    // The partition key's path without its leading "/".
    const key = e.partitionKey.startsWith('/') ? e.partitionKey.slice(1) : e.partitionKey;
    const shared = e.tenancy === 'shared';
    return e.access
      ? { componentId, route, key, shared, access: e.access, relations, defaults }
      : { componentId, route, key, shared, relations, defaults };
  };
  const relationsOf = (e: RuntimeEntity): AccessRelation[] => {
    const relations = e.relations ?? [];
    // Most CrudApis relate to nothing: no flatMap (and its callback) for them.
    if (relations.length === 0) return [];
    return relations.flatMap((r) => {
      const target = index.get(r.target);
      if (target === undefined) return [];
      return [
        {
          name: r.name,
          kind: r.kind === 'hasMany' ? ('hasMany' as const) : ('belongsTo' as const),
          target,
          field: r.field,
          ...(r.kind === 'hasMany' ? { onDelete: r.onDelete ?? ('restrict' as const) } : {}),
        },
      ];
    });
  };
  const entities = [
    ...crud.map((e) => entity(e, relationsOf(e))),
    ...files.map((f) => entity(f, [])),
  ];
  const backend: AccessBackend = {
    entities,
    multi: signIn.multi,
    // Organizations are nobody's home: a membership's role counts on shared data only with `tenants: 'any'`.
    ...(signIn.membership ? {} : { home: signIn.home }),
    ...(signIn.admitted !== undefined ? { admitted: signIn.admitted } : {}),
  };
  return { backend, crud, files, handlers };
}
