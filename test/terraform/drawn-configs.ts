import fc from 'fast-check';
import { z } from 'zod';
import { backendConfigJsonSchema } from '../../src/backend/config-schema.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { REALTIME_UNITS } from '../../src/model/config.js';

/**
 * Backend configs drawn from the config schema itself (its JSON Schema, `backendConfigJsonSchema()`), for the
 * property that every value the schema admits is one the real providers admit: test/terraform/drawn-configs.test.ts
 * draws many and plans them; `npm run check:terraform` synthesizes a few (fixed seed) and has azurerm and azuread
 * validate and plan them offline.
 *
 * Drawn: the keys whose values land in the stack without an existing Azure resource to read. Left out, with why:
 * `networking` (names an existing VNet), `cosmosConfig` (`useExisting` reads an existing account), `auth` (a
 * client id of another registration), `naming` / `providers` (functions and objects), `backendId` (fixed, so names
 * stay short and distinct).
 */
export const DRAWN_KEYS = [
  'environment',
  'location',
  'monitoring',
  'tags',
  'enforceHttps',
  'autoScale',
  'corsOrigins',
  'preventDestroy',
  'realtime',
] as const;

/**
 * Regions the offline plan's stand-in lists (tf-plan's server.cjs answers azurerm's location cache with public
 * regions): the schema admits any lower-case word, and azurerm refuses a location it does not know.
 */
const LOCATIONS = ['eastus', 'westeurope', 'northeurope', 'westus2', 'uksouth', 'swedencentral'];

type Schema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  propertyNames?: Schema;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
};

/**
 * Where the JSON Schema does not carry the rule the config checks (a refinement): the values the schema's own check
 * admits (`realtime.units`: REALTIME_UNITS), or what the stand-in world can answer (`location`).
 */
const OVERRIDES: Record<string, fc.Arbitrary<unknown>> = {
  location: fc.constantFrom(...LOCATIONS),
  'realtime.units': fc.constantFrom(...REALTIME_UNITS),
  // Off, the other monitoring values reach no resource: drawn on, so retention, sampling and alerts reach the stack.
  'monitoring.enabled': fc.constant(true),
};

/** An arbitrary for one JSON Schema node (the subset zod's toJSONSchema writes for the drawn keys). */
function arbitraryOf(s: Schema, path: string): fc.Arbitrary<unknown> {
  const override = OVERRIDES[path];
  if (override) return override;
  if (s.anyOf) return fc.oneof(...s.anyOf.map((o) => arbitraryOf(o, path)));
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1e6),
        max: Math.min(s.maximum ?? 1e9, 1e9),
      });
    case 'number':
      return fc.double({
        min: s.minimum ?? -1e6,
        max: s.maximum ?? 1e6,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      if (s.format === 'email')
        return fc.emailAddress().filter((e) => z.email().safeParse(e).success);
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern), { maxLength: 40 });
      return fc.string({
        minLength: s.minLength ?? 0,
        maxLength: Math.min(s.maxLength ?? 40, 300),
      });
    case 'array':
      return fc.array(arbitraryOf(s.items ?? {}, `${path}[]`), {
        maxLength: Math.min(s.maxItems ?? 3, 3),
      });
    case 'object': {
      if (s.properties) {
        const shape = Object.fromEntries(
          Object.entries(s.properties).map(([k, v]) => [
            k,
            arbitraryOf(v, path ? `${path}.${k}` : k),
          ]),
        );
        return fc.record(shape, { requiredKeys: [] });
      }
      const values =
        typeof s.additionalProperties === 'object'
          ? arbitraryOf(s.additionalProperties, `${path}.*`)
          : fc.string();
      return fc.dictionary(
        arbitraryOf(
          s.propertyNames ?? { type: 'string', minLength: 1 },
          `${path}{}`,
        ) as fc.Arbitrary<string>,
        values,
        { maxKeys: 3 },
      );
    }
    default:
      throw new Error(
        `drawn-configs: no arbitrary for ${path} (${JSON.stringify(s).slice(0, 120)})`,
      );
  }
}

/**
 * Configs drawn from the schema's {@link DRAWN_KEYS}, each under its own `backendId`.
 *
 * @example
 * ```ts
 * fc.sample(drawnConfig(), { seed: 74, numRuns: 3 });
 * ```
 */
export function drawnConfig(): fc.Arbitrary<Record<string, unknown>> {
  const properties = backendConfigJsonSchema()['properties'] as Record<string, Schema>;
  const shape = Object.fromEntries(DRAWN_KEYS.map((k) => [k, arbitraryOf(properties[k]!, k)]));
  return fc.record(shape, { requiredKeys: [] });
}

/** The seed `npm run check:terraform` draws its configs with: the same configs on every run. */
export const DRAWN_SEED = 74;

/**
 * The configs check:terraform synthesizes (with one realtime CrudApi, under `backendId: fxdrawn<n>`): the first
 * `count` draws of {@link DRAWN_SEED} that plan without an error. Refused draws are the config checks' business
 * (drawn-configs.test.ts), not the providers'.
 *
 * @example
 * ```ts
 * drawnStackConfigs().length; // 4
 * ```
 */
export function drawnStackConfigs(count = 4): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const config of fc.sample(drawnConfig(), { seed: DRAWN_SEED, numRuns: 200 })) {
    const withId = { ...config, backendId: `fxdrawn${String(out.length)}` };
    try {
      const plan = defineBackend({ notes: drawnApi() }, withId).plan();
      if (plan.issues.some((i) => i.severity === 'error')) continue;
    } catch {
      continue;
    }
    out.push(withId);
    if (out.length === count) break;
  }
  return out;
}

/** The one component of a drawn stack: a CrudApi with realtime, so the Web PubSub settings reach the stack. */
export function drawnApi() {
  return CrudApi.define('NoteApi', {
    entityName: 'Note',
    schema: { id: 'string' },
    realtime: true,
  });
}

/**
 * The entry file `atakora synth` reads for one drawn config: the package's built entry points (`dist/`, by absolute
 * path, since the file lives in a temporary folder), the component of {@link drawnApi}, the config as drawn.
 *
 * @example
 * ```ts
 * writeFileSync(join(work, 'drawn-0.ts'), drawnEntry(drawnStackConfigs()[0]!, join(root, 'dist')));
 * ```
 */
export function drawnEntry(config: Record<string, unknown>, dist: string): string {
  return [
    `// A config drawn from the config schema (test/terraform/drawn-configs.ts, seed ${String(DRAWN_SEED)}).`,
    `import { defineBackend } from ${JSON.stringify(`${dist}/entry/backend.js`)};`,
    `import { CrudApi } from ${JSON.stringify(`${dist}/entry/crud.js`)};`,
    'export default defineBackend(',
    "  { notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' }, realtime: true }) },",
    `  ${JSON.stringify(config)},`,
    ');',
    '',
  ].join('\n');
}
