import type { ResourcePlan } from '../../model/plan.js';
import { AtakoraError } from '../../model/errors.js';
import { schemaGuard } from '../../plan/schema-guard.js';

/**
 * Print each CrudApi schema change between the base and the new plan, a `SCHEMA_MIGRATION_REQUIRED` error for
 * each that needs a migration without a `schemaVersion` rise, and a `SCHEMA_VERSION_ROLLBACK` error for each
 * `schemaVersion` that goes down. Returns whether any blocks (exit code 1); with `allow`
 * (`--allow-schema-change`) the errors are printed as warnings and nothing blocks.
 *
 * @example
 * ```ts
 * const blocked = reportSchemaGuard([[next, deployed]], (s) => process.stderr.write(s));
 * ```
 */
export function reportSchemaGuard(
  pairs: readonly (readonly [ResourcePlan, ResourcePlan | undefined])[],
  err: (s: string) => void,
  allow = false,
): boolean {
  let blocked = false;
  for (const [plan, base] of pairs) {
    if (!base) continue;
    const { changes, violations } = schemaGuard(base, plan);
    for (const c of changes)
      err(
        `Schema change: ${c.componentId}.${c.field}: ${c.detail}${c.needsMigration ? ' (needs a migration)' : ''}\n`,
      );
    for (const v of violations) {
      if (allow) {
        err(`warning: ${v.code} overridden by --allow-schema-change: ${v.message}\n`);
        continue;
      }
      blocked = true;
      err(`Error ${new AtakoraError(v.code, v.message, { path: [...v.path] }).format()}\n`);
    }
  }
  return blocked;
}
