import { isDeepStrictEqual } from 'node:util';
import { at } from '../../model/at.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { ItemMigration } from '../data/context.js';
import { checkItemSize } from '../http/body.js';
import type { FieldError } from '../http/response.js';
import { validateItem } from '../http/schema-validator.js';
import { fillDefaults } from '../values/item-defaults.js';
import { stripSystemFields } from '../values/system-fields.js';
import { TENANT_FIELD } from '../values/tenancy.js';
import type { MigrationBudget } from '../values/migration-budget.js';

// The budget lives with the values (relations pass it along without importing the chain, which reads the context).
export {
  DEFAULT_MIGRATION_BUDGET_MS,
  type MigrationBudget,
  migrationBudget,
} from '../values/migration-budget.js';

/** Why the chain did not give a current item: the step to blame, what went wrong, and the field errors. */
export interface ChainFailure {
  readonly ok: false;
  /** The migration step (the version it produces) that failed or, for a wrong result, last set the field. */
  readonly step: number;
  /** For the client: what happened, naming no value of the item. */
  readonly reason: string;
  /** For the log only: the migration's own error, when it threw. */
  readonly cause?: string;
  /** The result's field errors against the current schema (a wrong result), as a client's write gets them. */
  readonly errors?: readonly FieldError[];
}

/** The item in the current shape, or why not. */
export type ChainResult =
  | { readonly ok: true; readonly item: Record<string, unknown> }
  | ChainFailure;

const TIMED_OUT = Symbol('timed out');

/** `value` settled, or {@link TIMED_OUT} when `deadline` comes first (the migration itself cannot be stopped). */
async function within<T>(value: T | Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  if (!(value instanceof Promise)) return value;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      value,
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(
          () => {
            resolve(TIMED_OUT);
          },
          Math.max(0, deadline - performance.now()),
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const ownField = (item: Readonly<Record<string, unknown>>, field: string): unknown =>
  Object.hasOwn(item, field) ? item[field] : undefined;

/** The last step whose output changed `field` (the one that gave it its wrong value), else the last step. */
function blame(field: string, outputs: readonly Record<string, unknown>[], from: number): number {
  for (let i = outputs.length - 1; i > 0; i--) {
    const now = ownField(at(outputs, i), field);
    const was = ownField(at(outputs, i - 1), field);
    if (now !== was && !isDeepStrictEqual(now, was)) return from + i;
  }
  return from + outputs.length - 1;
}

/**
 * Run the migrations from version `from` up to the entity's `schemaVersion` on a stored item, then check the
 * result against the current schema exactly as a client's write is checked (defaults filled, types, required
 * fields, unknown fields, size). What identifies and confines the item — `id`, tenant, owner, partition key — is
 * the stored one's whatever a migration returns (present or absent as stored). Each migration runs within what is
 * left of `budget`; one that has not settled by then fails its step (the function itself cannot be stopped).
 * Nothing is written.
 *
 * @example
 * ```ts
 * const result = await runChain(entity, { 2: toV2 }, stored, 1, migrationBudget());
 * if (!result.ok) console.error(`step ${result.step}: ${result.reason}`);
 * ```
 */
export async function runChain(
  entity: RuntimeEntity,
  migrations: Readonly<Record<number, ItemMigration>> | undefined,
  stored: Readonly<Record<string, unknown>>,
  from: number,
  budget: MigrationBudget,
): Promise<ChainResult> {
  const current = entity.schemaVersion ?? 1;
  const tenant = typeof stored[TENANT_FIELD] === 'string' ? stored[TENANT_FIELD] : undefined;
  let latest = stripSystemFields(stored);
  const outputs: Record<string, unknown>[] = [latest];
  for (let step = from + 1; step <= current; step++) {
    const migrate = Object.hasOwn(migrations ?? {}, step) ? migrations?.[step] : undefined;
    if (!migrate)
      return { ok: false, step, reason: `no migration for version ${String(step)} is loaded` };
    let next: unknown;
    try {
      next = await within(migrate(latest, { tenant }), budget.deadline);
    } catch (e) {
      const cause = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      return { ok: false, step, reason: 'the migration threw', cause };
    }
    if (next === TIMED_OUT || performance.now() > budget.deadline)
      return {
        ok: false,
        step,
        reason: `the migration did not settle within the request's budget (${String(budget.ms)} ms)`,
      };
    if (!next || typeof next !== 'object' || Array.isArray(next))
      return {
        ok: false,
        step,
        reason: `the migration returned ${next === null ? 'null' : Array.isArray(next) ? 'an array' : typeof next}, not an item`,
      };
    latest = stripSystemFields(next as Record<string, unknown>);
    outputs.push(latest);
  }
  const item = { ...latest };
  const owner = entity.ownerField ?? 'ownerId';
  for (const key of new Set(['id', TENANT_FIELD, owner, entity.partitionKey.slice(1)])) {
    if (Object.hasOwn(stored, key)) item[key] = stored[key];
    else Reflect.deleteProperty(item, key);
  }
  fillDefaults(entity.schema, item);
  const errors = validateItem(entity, item);
  if (errors.length > 0) {
    const step = blame(at(errors, 0).field, outputs, from);
    return {
      ok: false,
      step,
      reason: `the result is not a valid ${entity.entityName}: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    };
  }
  if (checkItemSize(item))
    return {
      ok: false,
      step: current,
      reason: `the result would be larger than Cosmos DB stores`,
    };
  return { ok: true, item };
}
