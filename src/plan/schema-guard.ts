import type { ResourcePlan } from '../model/plan.js';
import type { FieldSpec, RuntimeEntity } from '../model/runtime-manifest.js';
import { sameData } from '../model/same-data.js';

/** One change of a CrudApi's schema between two plans. */
export interface SchemaChange {
  readonly componentId: string;
  readonly field: string;
  /**
   * `added` (optional or defaulted: safe), `added-required` (required without default), `removed`, `retyped`,
   * `made-required` (without default), `relaxed` (required → optional, or a default added: safe),
   * `default-changed` (the value stored items without the field read with: safe, but what clients see changes),
   * `enum-narrowed` (an `enum` added, or values dropped from it: stored items may hold a value no longer listed).
   */
  readonly kind:
    | 'added'
    | 'added-required'
    | 'removed'
    | 'retyped'
    | 'made-required'
    | 'relaxed'
    | 'default-changed'
    | 'enum-narrowed';
  /** Whether items stored under the old schema need a migration to be valid under the new one. */
  readonly needsMigration: boolean;
  readonly detail: string;
  /** The field as deployed (absent when added). */
  readonly before?: FieldSpec;
  /** The field as planned (absent when removed). */
  readonly after?: FieldSpec;
}

/** What the guard compares of a CrudApi: its id, schema and version (a plan's entity, or a deployed manifest's). */
export type EntitySchema = Pick<RuntimeEntity, 'componentId' | 'schema' | 'schemaVersion'>;

/**
 * A CrudApi whose schema changed in a way stored items cannot follow without a migration it lacks
 * (`SCHEMA_MIGRATION_REQUIRED`), or whose `schemaVersion` goes down (`SCHEMA_VERSION_ROLLBACK`: items the deployed
 * version wrote would be ahead of the code).
 */
export interface SchemaGuardViolation {
  readonly componentId: string;
  /** Error code for the CLI. */
  readonly code: 'SCHEMA_MIGRATION_REQUIRED' | 'SCHEMA_VERSION_ROLLBACK';
  readonly fields: readonly string[];
  readonly message: string;
  readonly path: readonly string[];
}

function entitiesOf(plan: ResourcePlan): Map<string, RuntimeEntity> {
  const out = new Map<string, RuntimeEntity>();
  for (const r of plan.resources) {
    if (r.type !== 'functions') continue;
    const entities = (r.config as { crudEntities?: readonly RuntimeEntity[] }).crudEntities ?? [];
    for (const e of entities) out.set(e.componentId, e);
  }
  return out;
}

const strict = (s: FieldSpec) => s.required && s.default === undefined;

function fieldChanges(id: string, before: EntitySchema, after: EntitySchema): SchemaChange[] {
  // Most CrudApis of a change keep their schema (999 of 1,000 on a review page): alike field by field, every
  // comparison below is of equal values and finds no change.
  if (sameFields(before.schema, after.schema)) return [];
  const out: SchemaChange[] = [];
  const change = (field: string, kind: SchemaChange['kind'], needs: boolean, detail: string) => {
    const was = Object.hasOwn(before.schema, field) ? before.schema[field] : undefined;
    const now = Object.hasOwn(after.schema, field) ? after.schema[field] : undefined;
    out.push({
      componentId: id,
      field,
      kind,
      needsMigration: needs,
      detail,
      ...(was ? { before: was } : {}),
      ...(now ? { after: now } : {}),
    });
  };
  for (const [field, old] of Object.entries(before.schema)) {
    const now = Object.hasOwn(after.schema, field) ? after.schema[field] : undefined;
    if (!now) change(field, 'removed', true, `${field} was removed (stored items still hold it)`);
    else if (now.type !== old.type)
      change(field, 'retyped', true, `${field} changed type from ${old.type} to ${now.type}`);
    else if (strict(now) && !strict(old))
      change(field, 'made-required', true, `${field} became required without a default`);
    else if (dropped(old, now).length > 0)
      change(
        field,
        'enum-narrowed',
        true,
        old.enum === undefined
          ? `${field} became an enum (stored items may hold other values)`
          : `${field}'s enum dropped ${dropped(old, now).join(', ')} (stored items may hold them)`,
      );
    else if (!strict(now) && strict(old))
      change(field, 'relaxed', false, `${field} is no longer required (or gained a default)`);
    else if (JSON.stringify(now.default) !== JSON.stringify(old.default))
      change(
        field,
        'default-changed',
        false,
        `${field}'s default changed from ${showDefault(old.default)} to ${showDefault(now.default)} ` +
          '(stored items without it read with the new one)',
      );
  }
  for (const [field, now] of Object.entries(after.schema)) {
    if (Object.hasOwn(before.schema, field)) continue;
    if (strict(now))
      change(field, 'added-required', true, `${field} was added as required without a default`);
    else change(field, 'added', false, `${field} was added (optional or defaulted)`);
  }
  return out;
}

/**
 * The same fields in the same order, each spec an object alike in every value (model/same-data.ts: `===` leaf by
 * leaf, plain objects and arrays key by key): every comparison {@link fieldChanges} makes is then between equal
 * values. Anything else (NaN, a Date, a spec that is no object) is not alike, and goes the long way.
 */
function sameFields(before: EntitySchema['schema'], after: EntitySchema['schema']): boolean {
  if (!sameData(before, after)) return false;
  for (const k in before) {
    const spec: unknown = before[k];
    if (typeof spec !== 'object' || spec === null) return false;
  }
  return true;
}

/** The values `before` admitted that `after`'s enum does not (`['*']` when an enum was added). */
function dropped(before: FieldSpec, after: FieldSpec): string[] {
  if (after.enum === undefined) return [];
  if (before.enum === undefined) return ['*'];
  const now = after.enum;
  return before.enum.filter((v) => !now.includes(v)).map((v) => JSON.stringify(v));
}

const showDefault = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));

/**
 * The migration steps each CrudApi of a plan ships (the `migration` functions its package hosts): version →
 * module path.
 */
function migrationSteps(plan: ResourcePlan): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const r of plan.resources) {
    if (r.type !== 'functions') continue;
    const hosted = (r.config as { hostedFunctions?: readonly Record<string, unknown>[] })
      .hostedFunctions;
    for (const f of hosted ?? []) {
      if (f['trigger'] !== 'migration' || typeof f['componentId'] !== 'string') continue;
      const steps = out.get(f['componentId']) ?? new Map<number, string>();
      steps.set(Number(f['version']), String(f['handler']));
      out.set(f['componentId'], steps);
    }
  }
  return out;
}

/**
 * Compare the CrudApi schemas of two plans (`before` deployed, `after` about to be). A removed field, a type
 * change, or a field (new or not) required without a default needs a migration: stored items would not fit the
 * new schema. Such a change is a violation unless `schemaVersion` rises with a migration module for each step
 * (the define guarantees one; a plan read from a file is checked again). Adding an optional or defaulted field, or
 * relaxing one, is always fine. A `schemaVersion` that goes down (a rollback of the code) is a violation of its
 * own, `SCHEMA_VERSION_ROLLBACK`, whatever the fields do: the items the newer version wrote cannot be written by
 * the older code.
 *
 * @example
 * ```ts
 * const { changes, violations } = schemaGuard(deployed, next);
 * for (const v of violations) console.error(`${v.code}: ${v.message}`);
 * ```
 */
export function schemaGuard(
  before: ResourcePlan,
  after: ResourcePlan,
): { changes: SchemaChange[]; violations: SchemaGuardViolation[] } {
  return schemaGuardEntities([...entitiesOf(before).values()], after);
}

/**
 * {@link schemaGuard} against the entities deployed now, as a runtime manifest lists them (what `atakora deploy`
 * reads of the Function App's `ATAKORA_MANIFEST` setting in the Terraform state) instead of a base plan.
 *
 * @example
 * ```ts
 * const { violations } = schemaGuardEntities(JSON.parse(deployedManifest).entities, stack.plan);
 * ```
 */
export function schemaGuardEntities(
  deployed: readonly EntitySchema[],
  after: ResourcePlan,
): { changes: SchemaChange[]; violations: SchemaGuardViolation[] } {
  const old = new Map(deployed.map((e) => [e.componentId, e]));
  const shipped = migrationSteps(after);
  const changes: SchemaChange[] = [];
  const violations: SchemaGuardViolation[] = [];
  for (const [id, now] of entitiesOf(after)) {
    const was = old.get(id);
    if (!was) continue;
    const mine = fieldChanges(id, was, now);
    changes.push(...mine);
    const breaking = mine.filter((c) => c.needsMigration);
    const from = was.schemaVersion ?? 1;
    const to = now.schemaVersion ?? 1;
    if (to < from) {
      violations.push(rollback(id, from, to));
      continue;
    }
    const missing: number[] = [];
    for (let step = from + 1; step <= to; step++)
      if (!shipped.get(id)?.has(step)) missing.push(step);
    if (breaking.length === 0 || (to > from && missing.length === 0)) continue;
    const fix =
      to > from
        ? `Add migrations: { ${missing.map((m) => `${String(m)}: './migrations/<entity>-v${String(m)}.ts'`).join(', ')} }.`
        : `Raise schemaVersion to ${String(from + 1)} with migrations: { ${String(from + 1)}: ` +
          `'./migrations/<entity>-v${String(from + 1)}.ts' }, or give the field a default.`;
    violations.push({
      componentId: id,
      code: 'SCHEMA_MIGRATION_REQUIRED',
      fields: breaking.map((c) => c.field),
      message:
        `CrudApi ${id}: ${breaking.map((c) => c.detail).join('; ')}, but ` +
        (to > from
          ? `schemaVersion rises from ${String(from)} to ${String(to)} without a migration for step ` +
            missing.join(', ')
          : `schemaVersion stays ${String(to)}${to < from ? ` (it was ${String(from)})` : ''}`) +
        `: items stored under the old schema would not fit the new one. ${fix}`,
      path: [
        'components',
        id,
        'config',
        'schema',
        ...(breaking.length === 1 ? breaking.map((c) => c.field) : []),
      ],
    });
  }
  return { changes, violations };
}

/** The refusal of a `schemaVersion` that goes down: what happens to the items the deployed version wrote. */
function rollback(id: string, from: number, to: number): SchemaGuardViolation {
  return {
    componentId: id,
    code: 'SCHEMA_VERSION_ROLLBACK',
    fields: [],
    message:
      `CrudApi ${id}: schemaVersion goes down from ${String(from)} to ${String(to)}: items written at version ` +
      `${String(from)} would be ahead of the code — served as stored, never migrated down, and every write to ` +
      `them refused (409 schema-version-ahead) until version ${String(from)} is deployed again. Roll forward ` +
      `instead: revert the change but keep schemaVersion ${String(from)} and its migrations, or pass ` +
      '--allow-schema-change.',
    path: ['components', id, 'config', 'schemaVersion'],
  };
}

/** A CrudApi whose `schemaVersion` rises between two plans: the migrations stored items pass through. */
export interface PendingMigration {
  readonly componentId: string;
  readonly from: number;
  readonly to: number;
  /** Each step from `from + 1` to `to` and its module (absent when the plan ships none for that step). */
  readonly steps: readonly { readonly version: number; readonly module?: string }[];
}

/**
 * The migrations a deploy of `after` over `before` makes pending: per CrudApi in both whose `schemaVersion`
 * rises, the steps and their modules. Items are rewritten lazily on read and by `atakora migrate`.
 *
 * @example
 * ```ts
 * for (const m of pendingMigrations(deployed, next)) console.log(`${m.componentId}: v${m.from} → v${m.to}`);
 * ```
 */
export function pendingMigrations(before: ResourcePlan, after: ResourcePlan): PendingMigration[] {
  const old = entitiesOf(before);
  const shipped = migrationSteps(after);
  const out: PendingMigration[] = [];
  for (const [id, now] of entitiesOf(after)) {
    const was = old.get(id);
    if (!was) continue;
    const from = was.schemaVersion ?? 1;
    const to = now.schemaVersion ?? 1;
    if (to <= from) continue;
    const steps: { version: number; module?: string }[] = [];
    for (let version = from + 1; version <= to; version++) {
      const module = shipped.get(id)?.get(version);
      steps.push(module === undefined ? { version } : { version, module });
    }
    out.push({ componentId: id, from, to, steps });
  }
  return out;
}
