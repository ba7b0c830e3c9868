import { randomUUID } from 'node:crypto';
import type { Backend } from '../../backend/backend.js';
import { checkSeedOption, readSeedFile, seedFileFor } from '../../components/crud/seed-option.js';
import { AtakoraError } from '../../model/errors.js';
import type { ResourcePlan } from '../../model/plan.js';
import { DEFAULT_OWNER_FIELD, type RuntimeEntity } from '../../model/runtime-manifest.js';
import { mergedConfigOf } from '../../resources/types.js';
import { migrationBudget, runChain } from '../../runtime/crud/migration-chain.js';
import { withVersion } from '../../runtime/crud/versioned-items.js';
import type { ItemMigration } from '../../runtime/data/context.js';
import { validateItem } from '../../runtime/http/schema-validator.js';
import { fillDefaults } from '../../runtime/values/item-defaults.js';
import { setOwn, SYSTEM_FIELDS } from '../../runtime/values/system-fields.js';
import { isIsolated, TENANT_FIELD } from '../../runtime/values/tenancy.js';
import { loadMigrations } from './load-migrations.js';

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
  /** The schema version the items are written at: the file's `schemaVersion`, else the CrudApi's current one. */
  readonly schemaVersion: number;
  /** The CrudApi's migration modules by the version each produces (what brings older seed items up). */
  readonly migrations: Readonly<Record<number, string>>;
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
    const apps = plan.resources
      .filter((r) => r.type === 'functions')
      .map((r) => mergedConfigOf('functions', r));
    const entity = apps
      .flatMap((c) => c.crudEntities ?? [])
      .find((e) => e.componentId === d.componentId);
    if (!component || !entity) continue;
    const migrations: Record<number, string> = {};
    for (const f of apps.flatMap((c) => c.hostedFunctions ?? []))
      if (f.trigger === 'migration' && f.componentId === d.componentId && f.handler)
        migrations[f.version ?? 0] = f.handler;
    const read = readSeedFile(d.componentId, file, cwd);
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
      items: read.items,
      schemaVersion: read.schemaVersion ?? entity.schemaVersion ?? 1,
      migrations,
    });
  }
  return out;
}

function invalid(
  componentId: string,
  file: string,
  message: string,
  at: (string | number)[],
  resolution?: string,
) {
  return new AtakoraError('CRUD_SEED_INVALID', `CrudApi ${componentId}: seed ${file}: ${message}`, {
    path: ['components', componentId, 'config', 'seed', ...at],
    ...(resolution === undefined ? {} : { resolution }),
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

/** At most this many bad items are spelled out in one CRUD_SEED_INVALID (the count says how many more). */
const LISTED_FAILURES = 20;

/**
 * The items as a create through the API stores them: the tenant stamped (a different `tenantId` refused), the
 * owner stamped, an id generated when absent; items written at an older version (`{ schemaVersion, items }`)
 * passed through the CrudApi's migrations from that version, exactly as a read brings a stored item up; then
 * defaults filled, the schema checked with the runtime's own validator, and the current schema version.
 * Every bad item is found before anything is returned: CRUD_SEED_INVALID names the file and, for each bad item,
 * its index, the field and (for a migrated one) the step. The migration modules are loaded only when a file
 * declares an older version (relative to `cwd`).
 *
 * @example
 * ```ts
 * const items = await stampSeedItems(set, { tenant: 'local-dev', owner: devUser.oid });
 * ```
 */
export async function stampSeedItems(
  set: SeedSet,
  stamp: SeedStamp,
  cwd: string = process.cwd(),
): Promise<Record<string, unknown>[]> {
  const { entity, componentId, file } = set;
  const current = entity.schemaVersion ?? 1;
  if (set.schemaVersion > current)
    throw invalid(
      componentId,
      file,
      `declares schemaVersion ${String(set.schemaVersion)}, newer than ${componentId}'s ${String(current)}: ` +
        'this code cannot know that shape.',
      ['schemaVersion'],
      `Write the items at version ${String(current)} or lower (older ones pass through the migrations), or ` +
        'deploy the code that declares the newer version.',
    );
  const migrations: Readonly<Record<number, ItemMigration>> =
    set.schemaVersion < current
      ? await loadMigrations({ componentId, modules: set.migrations }, cwd)
      : {};
  const ownerField = entity.ownerField ?? DEFAULT_OWNER_FIELD;
  const generateId = stamp.generateId ?? randomUUID;
  const failures: { readonly text: string; readonly at: (string | number)[] }[] = [];
  const out: Record<string, unknown>[] = [];
  for (const [index, given] of set.items.entries()) {
    const fail = (field: string, message: string) => {
      failures.push({
        text: `item ${String(index)}${field ? `, field "${field}"` : ''}: ${message}`,
        at: field ? [index, field] : [index],
      });
    };
    const item = stampOne(set, given, stamp, ownerField, fail);
    if (!item) continue;
    if (item['id'] === undefined) item['id'] = generateId();
    if (set.schemaVersion < current) {
      const result = await runChain(entity, migrations, item, set.schemaVersion, migrationBudget());
      if (!result.ok) {
        const fields = result.errors?.map((e) => e.field).filter((f) => f !== '') ?? [];
        fail(
          fields[0] ?? '',
          `migration step ${String(result.step)} (from version ${String(set.schemaVersion)}): ${result.reason}` +
            (result.cause ? ` (${result.cause})` : '') +
            '.',
        );
        continue;
      }
      out.push(withVersion({ entity }, result.item));
      continue;
    }
    fillDefaults(entity.schema, item);
    const errors = validateItem(entity, item);
    if (errors.length > 0) {
      for (const e of errors) fail(e.field, e.message);
      continue;
    }
    out.push(withVersion({ entity }, item));
  }
  if (failures.length > 0) {
    const listed = failures.slice(0, LISTED_FAILURES).map((f) => f.text);
    const more = failures.length - listed.length;
    const bad = new Set(failures.map((f) => f.at[0])).size;
    throw invalid(
      componentId,
      file,
      `${String(bad)} of ${String(set.items.length)} item(s) are invalid — ${listed.join('; ')}` +
        (more > 0 ? `; and ${String(more)} more.` : '.'),
      failures[0]?.at ?? [],
      `Fix each item listed (the file is checked against ${entity.entityName}'s schema at version ` +
        `${String(current)}${set.schemaVersion < current ? `, after the migrations from version ${String(set.schemaVersion)}` : ''}); nothing was written.`,
    );
  }
  return out;
}

/** One given item with the tenant and owner stamped as a create stamps them; undefined (and `fail`) when refused. */
function stampOne(
  set: SeedSet,
  given: Readonly<Record<string, unknown>>,
  stamp: SeedStamp,
  ownerField: string,
  fail: (field: string, message: string) => void,
): Record<string, unknown> | undefined {
  const { entity } = set;
  const item: Record<string, unknown> = {};
  let refused = false;
  const refuse = (field: string, message: string) => {
    refused = true;
    fail(field, message);
  };
  for (const [k, v] of Object.entries(given)) {
    // The runtime's hidden fields are its own: a seed never sets a version or an operation.
    if (SYSTEM_FIELDS.includes(k)) refuse(k, 'is a reserved system field; leave it out.');
    else setOwn(item, k, v);
  }
  if (!isIsolated(entity)) {
    if (Object.hasOwn(item, TENANT_FIELD))
      refuse(TENANT_FIELD, `is reserved: ${entity.entityName} is shared by every tenant.`);
  } else if (Object.hasOwn(item, TENANT_FIELD) && item[TENANT_FIELD] !== stamp.tenant) {
    refuse(
      TENANT_FIELD,
      `names tenant ${JSON.stringify(item[TENANT_FIELD])}, but the seed goes to tenant ` +
        `${JSON.stringify(stamp.tenant)}; leave ${TENANT_FIELD} out (every item is stamped with the tenant).`,
    );
  } else item[TENANT_FIELD] = stamp.tenant;
  const givenOwner = Object.hasOwn(item, ownerField) ? item[ownerField] : undefined;
  if (givenOwner !== undefined && !stamp.keepGivenOwner && givenOwner !== stamp.owner)
    refuse(
      ownerField,
      `names owner ${JSON.stringify(givenOwner)}, but items are created by ${JSON.stringify(stamp.owner)}; ` +
        `leave ${ownerField} out (the creator is recorded).`,
    );
  if (givenOwner === undefined && stamp.owner !== undefined) item[ownerField] = stamp.owner;
  return refused ? undefined : item;
}
