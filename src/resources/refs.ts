import { resourceRef, type ResourceRef } from '../kit/pure/resources/resource-ref.js';
import type { BUILTIN_RESOURCE_TYPES, BuiltinTypeName } from './types.js';

/** The attributes a built-in type lets other settings refer to (`endpoint`, `name`, …). */
export type RefAttribute<K extends BuiltinTypeName> = (typeof BUILTIN_RESOURCE_TYPES)[K] extends {
  readonly attributes: infer A;
}
  ? keyof A & string
  : never;

/** The built-in types that have referable attributes. */
export type ReferableType = {
  [K in BuiltinTypeName]: RefAttribute<K> extends never ? never : K;
}[BuiltinTypeName];

/**
 * A typed reference to an attribute of a resource the component uses: `ref('cosmos', 'endpoint')` compiles,
 * `ref('cosmos', 'uri')` does not. The planner resolves it to the planned value.
 *
 * @example
 * ```ts
 * environmentVariables: {
 *   COSMOS_ENDPOINT: ref('cosmos', 'endpoint');
 * } // → https://cosmos-backend-dev-k3x9a1.documents.azure.com:443/
 * ```
 */
export function ref<K extends ReferableType, A extends RefAttribute<K>>(
  type: K,
  attribute: A,
): ResourceRef<K, A> {
  return resourceRef(type, attribute);
}
