import { AtakoraError } from '../../model/errors.js';
import { FIELD_NAME } from '../../model/field-names.js';
import { FIELD_TYPES, MANIFEST_SETTING, type FieldSpec } from '../../model/runtime-manifest.js';
import { schemaGuardEntities, type EntitySchema } from '../../plan/schema-guard.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';
import type { TerraformPlanJson } from './plan-guard.js';

/** A resource as the JSON plan's state representation lists it (`prior_state.values.root_module`). */
interface StateResource {
  readonly address?: string;
  readonly values?: { readonly app_settings?: Record<string, unknown> };
}
interface StateModule {
  readonly resources?: readonly StateResource[];
  readonly child_modules?: readonly StateModule[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One entity of a manifest read back from the state, kept only when it has the shape the guard compares (a
 * component id and a schema of known field types under plain field names). The state's writer could be anyone
 * with access to the state backend or to the Function App's settings: a value of another shape is skipped (and
 * said so), never trusted into a message or a crash.
 */
function entityOf(v: unknown): EntitySchema | undefined {
  if (!isObject(v) || typeof v['componentId'] !== 'string' || !FIELD_NAME.test(v['componentId']))
    return undefined;
  if (!isObject(v['schema'])) return undefined;
  for (const [field, spec] of Object.entries(v['schema'])) {
    if (!FIELD_NAME.test(field) || !isObject(spec)) return undefined;
    if (!(FIELD_TYPES as readonly unknown[]).includes(spec['type'])) return undefined;
    if (typeof spec['required'] !== 'boolean') return undefined;
  }
  const version = v['schemaVersion'];
  if (version !== undefined && !(Number.isSafeInteger(version) && (version as number) >= 1))
    return undefined;
  return {
    componentId: v['componentId'],
    schema: v['schema'] as Readonly<Record<string, FieldSpec>>,
    ...(version === undefined ? {} : { schemaVersion: version as number }),
  };
}

function modules(m: StateModule | undefined): StateResource[] {
  if (!m) return [];
  return [...(m.resources ?? []), ...(m.child_modules ?? []).flatMap(modules)];
}

/**
 * The CrudApi entities deployed now, from the `ATAKORA_MANIFEST` app setting of each Function App in the plan's
 * prior state (`terraform show -json` of a saved plan holds the state it was planned against, sensitive values
 * in plain text: https://developer.hashicorp.com/terraform/internals/json-format#plan-representation and
 * https://developer.hashicorp.com/terraform/cli/commands/show). `undefined` on a first deploy (no manifest in
 * the state); `skipped` counts the manifests or entities that could not be read.
 *
 * @example
 * ```ts
 * const { entities } = deployedEntities(JSON.parse(shown.stdout));
 * ```
 */
export function deployedEntities(json: TerraformPlanJson): {
  entities: EntitySchema[] | undefined;
  skipped: number;
} {
  const prior = (json as { prior_state?: { values?: { root_module?: StateModule } } }).prior_state;
  let entities: EntitySchema[] | undefined;
  let skipped = 0;
  for (const r of modules(prior?.values?.root_module)) {
    const text = r.values?.app_settings?.[MANIFEST_SETTING];
    if (typeof text !== 'string') continue;
    entities ??= [];
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch {
      skipped++;
      continue;
    }
    const list =
      isObject(manifest) && Array.isArray(manifest['entities']) ? manifest['entities'] : [];
    if (!isObject(manifest) || !Array.isArray(manifest['entities'])) skipped++;
    for (const e of list as unknown[]) {
      const entity = entityOf(e);
      if (entity) entities.push(entity);
      else skipped++;
    }
  }
  return { entities, skipped };
}

/**
 * The schema guard of `atakora deploy`, between the shown plan and its apply: the new plan's CrudApi schemas
 * against the ones deployed (the prior state's manifests). A change stored items cannot follow without a
 * migration it lacks throws `SCHEMA_MIGRATION_REQUIRED` naming the component and fields, and a `schemaVersion`
 * that goes down `SCHEMA_VERSION_ROLLBACK`, so nothing is applied; `allow` (`--allow-schema-change`) prints the
 * errors as warnings and goes on. Changes that are fine are listed.
 *
 * @example
 * ```ts
 * checkDeployedSchemas(stack, json, { allow: false, err: (s) => process.stderr.write(s) });
 * ```
 */
export function checkDeployedSchemas(
  stack: SynthesizedStack,
  json: TerraformPlanJson,
  o: { readonly allow: boolean; readonly err: (s: string) => void },
): void {
  const { entities, skipped } = deployedEntities(json);
  if (skipped > 0)
    o.err(
      `warning: ${stack.name}: ${String(skipped)} deployed manifest entr${skipped === 1 ? 'y' : 'ies'} could ` +
        `not be read from the Terraform state; their schemas are not compared\n`,
    );
  if (!entities) return;
  const { changes, violations } = schemaGuardEntities(entities, stack.plan);
  for (const c of changes)
    o.err(
      `${stack.name}: schema change: ${c.componentId}.${c.field}: ${c.detail}` +
        `${c.needsMigration ? ' (needs a migration)' : ''}\n`,
    );
  if (violations.length === 0) return;
  if (o.allow) {
    for (const v of violations)
      o.err(`warning: ${v.code} overridden by --allow-schema-change: ${v.message}\n`);
    return;
  }
  // A rollback is the graver refusal (writes to newer items would fail): its code leads when both occur.
  const rollbacks = violations.filter((v) => v.code === 'SCHEMA_VERSION_ROLLBACK');
  const code = rollbacks.length ? 'SCHEMA_VERSION_ROLLBACK' : 'SCHEMA_MIGRATION_REQUIRED';
  throw new AtakoraError(
    code,
    `${violations.map((v) => v.message).join('\n')}\nNothing was applied to ${stack.name}.`,
    {
      path: violations.length === 1 ? violations.flatMap((v) => v.path) : [stack.name],
      details: {
        violations: violations.map((v) => ({
          code: v.code,
          componentId: v.componentId,
          fields: v.fields,
        })),
      },
      resolution: rollbacks.length
        ? 'Deploy a schemaVersion at least the deployed one (roll forward: revert the change but keep the ' +
          'version and its migrations); --allow-schema-change deploys anyway (items written at the newer ' +
          'version are then served as stored and refuse writes until it is deployed again).'
        : 'Raise schemaVersion with a migration module for each step (docs/schema-evolution.md), or give the ' +
          'field a default; --allow-schema-change deploys anyway (items stored under the old schema are then ' +
          'served as they are).',
    },
  );
}
