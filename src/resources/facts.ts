import type { NameRule } from '../kit/pure/names/azure-name-rules.js';
import { compare } from '../kit/pure/resources/merge-strategies.js';
import { CUSTOM_TYPE_FACTS, type ResourceFacts } from '../kit/pure/resources/resource-facts.js';
import { BUILTIN_BACKEND_RESOURCE_TYPES, BUILTIN_RESOURCE_TYPES } from './types.js';

export type {
  DiagnosticFact,
  LimitFact,
  PrivateLinkTarget,
  ResourceFacts,
} from '../kit/pure/resources/resource-facts.js';

/**
 * Every built-in type's facts, by type name — read from the types registered in `types.ts` (each type
 * carries its own `facts`, declared in `src/resources/<type>/facts.ts`), so registering a type there is the
 * one line that makes the planner, apply, diff, the deploy guard and `prevent_destroy` know it.
 *
 * @example
 * ```ts
 * RESOURCE_FACTS['servicebus']?.dataHolding; // true
 * ```
 */
export const RESOURCE_FACTS: Readonly<Record<string, ResourceFacts>> = Object.freeze(
  Object.fromEntries(
    [
      ...Object.values(BUILTIN_RESOURCE_TYPES),
      ...Object.values(BUILTIN_BACKEND_RESOURCE_TYPES),
    ].map((t): [string, ResourceFacts] => [t.type, t.facts]),
  ),
);

/**
 * The facts of a type by name; a type the library does not know (a custom provider's) gets
 * {@link CUSTOM_TYPE_FACTS}.
 *
 * @example
 * ```ts
 * factsOf('storage').privateLink?.targets.map((t) => t.subresource); // ['blob', 'queue', 'table']
 * factsOf('my-custom').name.global; // true
 * ```
 */
export function factsOf(type: string): ResourceFacts {
  return (
    (Object.hasOwn(RESOURCE_FACTS, type) ? RESOURCE_FACTS[type] : undefined) ?? CUSTOM_TYPE_FACTS
  );
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort(compare);
const all = Object.values(RESOURCE_FACTS);

/**
 * Planned resource types whose destroy loses data (their facts say `dataHolding`).
 *
 * @example
 * ```ts
 * STATEFUL_RESOURCE_TYPES.includes('cosmos'); // true
 * ```
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = Object.freeze(
  sorted(
    Object.entries(RESOURCE_FACTS)
      .filter(([, f]) => f.dataHolding)
      .map(([t]) => t),
  ),
);

/**
 * Terraform types whose destroy loses data (role assignments, plans and apps can be recreated freely): the
 * union of every type's `terraformTypes.data`.
 *
 * @example
 * ```ts
 * STATEFUL_TERRAFORM_TYPES.includes('azurerm_cosmosdb_sql_container'); // true
 * ```
 */
export const STATEFUL_TERRAFORM_TYPES: readonly string[] = Object.freeze(
  sorted(all.flatMap((f) => f.terraformTypes.data ?? [])),
);

/**
 * Azure's name rule of every built-in type, by type name (custom types use `factsOf(type).name`).
 *
 * @example
 * ```ts
 * NAME_RULES['storage']?.max; // 24
 * ```
 */
export const NAME_RULES: Readonly<Record<string, NameRule>> = Object.freeze(
  Object.fromEntries(Object.entries(RESOURCE_FACTS).map(([t, f]) => [t, f.name])),
);

// The unit prices of a backend's usage (per RU, GB-month, execution, message), read from a plan: the planner's
// costs per tenant plan and `atakora usage` price with the same ones.
export { type RuPricing, type UsagePrices, usagePrices } from './usage-prices.js';
