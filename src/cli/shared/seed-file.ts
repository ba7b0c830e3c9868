import { randomUUID } from 'node:crypto';
import type { Backend } from '../../backend/backend.js';
import { checkSeedOption, readSeedItems, seedFileFor } from '../../components/crud/seed-option.js';
import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import { DEFAULT_OWNER_FIELD, type RuntimeEntity } from '../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../resources/types.js';
import { withVersion } from '../../runtime/crud/versioned-items.js';
import { validateItem } from '../../runtime/http/schema-validator.js';
import { fillDefaults } from '../../runtime/values/item-defaults.js';
import { setOwn, SYSTEM_FIELDS } from '../../runtime/values/system-fields.js';
import { isIsolated, TENANT_FIELD } from '../../runtime/values/tenancy.js';

/** One CrudApi's seed in one environment: where it is, what it holds, and where its items go. */
export interface SeedSet {
  readonly componentId: string;
  /** The path as written in `seed`. */
  readonly file: string;
  /** The CrudApi as the runtime serves it (schema, tenancy, owner field, schema version). */
  readonly entity: RuntimeEntity;
  readonly databaseName: string;
  readonly containerName: string;
  /** The Cosmos DB account's endpoint in the plan (`https://<account>.documents.azure.com:443/`). */
  readonly cosmosEndpoint: string;
  /** The file's items as written (checked: a JSON array of objects). */
  readonly items: readonly Record<string, unknown>[];
}

/**
 * The seeds of a backend's CrudApis in its environment (`seed` as one file, or that environment's file): each
 * file read (relative to `cwd`) and parsed. CRUD_SEED_INVALID when a file is missing, is not JSON or is not an
 * array of objects. `only` keeps one component (`--component`).
 *
 * @example
 * ```ts
 * const sets = seedSets(backend, plan);
 * sets.map((s) => `${s.componentId}: ${String(s.items.length)} items`); // ['OrderApi: 3 items']
 * ```
 */
export function seedSets(
  backend: Backend,
  plan: ResourcePlan,
  cwd: string = process.cwd(),
  only?: string,
): SeedSet[] {
  const out: SeedSet[] = [];
  for (const d of backend.definitions) {
    if (d.componentType !== 'CrudApi' || (only !== undefined && d.componentId !== only)) continue;
    const seed = (d.config as { readonly seed?: unknown }).seed;
    if (seed === undefined) continue;
    const file = seedFileFor(checkSeedOption(d.componentId, seed, cwd), plan.environment);
    if (file === undefined) continue;
    const component = plan.components.find((c) => c.id === d.componentId);
    const entity = plan.resources
      .filter((r) => r.type === 'functions')
      .flatMap((r) => mergedConfigOf('functions', r).crudEntities ?? [])
      .find((e) => e.componentId === d.componentId);
    if (!component || !entity) continue;
    const text = (key: string): string => {
      const value = component.outputs[key];
      return typeof value === 'string' ? value : '';
    };
    out.push({
      componentId: d.componentId,
      file,
      entity,
      databaseName: text('databaseName'),
      containerName: text('containerName'),
      cosmosEndpoint: text('cosmosEndpoint'),
      items: readSeedItems(d.componentId, file, cwd),
    });
  }
  return out;
}

function invalid(componentId: string, file: string, message: string, at: (string | number)[]) {
  return new AtakoraError('CRUD_SEED_INVALID', `CrudApi ${componentId}: seed ${file}: ${message}`, {
    path: ['components', componentId, 'config', 'seed', ...at],
  });
}

/** Who the seeded items belong to. */
export interface SeedStamp {
  /** The tenant every item of an isolated entity is stamped with (`tenantId`). */
  readonly tenant: string;
  /**
   * The creator recorded in the owner field, as the runtime records a create's caller. An item naming another
   * owner is refused, as the API refuses it (403), unless {@link SeedStamp.keepGivenOwner}.
   */
  readonly owner: string | undefined;
  /** `atakora seed`: an item's own owner field is kept (the deployer assigns items to users on purpose). */
  readonly keepGivenOwner?: boolean;
  /** Default randomUUID, as the runtime generates ids. */
  readonly generateId?: () => string;
}

/**
 * The items as a create through the API stores them: the tenant stamped (a different `tenantId` refused), the
 * owner stamped, an id generated when absent, defaults filled, the schema checked with the runtime's own
 * validator, and the current schema version. CRUD_SEED_INVALID names the file, the item's index and the field.
 *
 * @example
 * ```ts
 * const items = stampSeedItems(set, { tenant: 'local-dev', owner: devUser.oid });
 * ```
 */
export function stampSeedItems(set: SeedSet, stamp: SeedStamp): Record<string, unknown>[] {
  const { entity, componentId, file } = set;
  const ownerField = entity.ownerField ?? DEFAULT_OWNER_FIELD;
  const generateId = stamp.generateId ?? randomUUID;
  return set.items.map((given, index) => {
    const fail = (field: string, message: string) =>
      invalid(
        componentId,
        file,
        `item ${String(index)}${field ? `, field "${field}"` : ''}: ${message}`,
        field ? [index, field] : [index],
      );
    const item: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(given)) {
      // The runtime's hidden fields are its own: a seed never sets a version or an operation.
      if (SYSTEM_FIELDS.includes(k)) throw fail(k, 'is a reserved system field; leave it out.');
      setOwn(item, k, v);
    }
    if (!isIsolated(entity)) {
      if (Object.hasOwn(item, TENANT_FIELD))
        throw fail(TENANT_FIELD, `is reserved: ${entity.entityName} is shared by every tenant.`);
    } else if (Object.hasOwn(item, TENANT_FIELD) && item[TENANT_FIELD] !== stamp.tenant) {
      throw fail(
        TENANT_FIELD,
        `names tenant ${JSON.stringify(item[TENANT_FIELD])}, but the seed goes to tenant ` +
          `${JSON.stringify(stamp.tenant)}; leave ${TENANT_FIELD} out (every item is stamped with the tenant).`,
      );
    } else item[TENANT_FIELD] = stamp.tenant;
    const givenOwner = Object.hasOwn(item, ownerField) ? item[ownerField] : undefined;
    if (givenOwner !== undefined && !stamp.keepGivenOwner && givenOwner !== stamp.owner)
      throw fail(
        ownerField,
        `names owner ${JSON.stringify(givenOwner)}, but items are created by ${JSON.stringify(stamp.owner)}; ` +
          `leave ${ownerField} out (the creator is recorded).`,
      );
    if (givenOwner === undefined && stamp.owner !== undefined) item[ownerField] = stamp.owner;
    if (item['id'] === undefined) item['id'] = generateId();
    fillDefaults(entity.schema, item);
    const errors = validateItem(entity, item);
    const first = errors[0];
    if (first) throw fail(first.field, first.message);
    return withVersion({ entity }, item);
  });
}
