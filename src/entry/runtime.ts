/**
 * `@atakora/component/runtime`: the CRUD runtime the shared Function App runs (handlers, manifest parsing),
 * for tests and custom hosts. Importing it registers nothing.
 * @packageDocumentation
 */
export * from '../runtime/public-api.js';
export {
  MANIFEST_SETTING,
  type FunctionAccessRule,
  type RuntimeManifest,
  type RuntimeEntity,
  type FieldSpec,
  type CrudOperation,
  type SortKey,
} from '../model/runtime-manifest.js';
export { QUEUES_SETTING, type DeclaredQueues } from '../model/queue-settings.js';
// Handlers use the data as their caller (docs/functions.md, "Data as the caller").
export { dataOf } from '../client/data-of.js';
export type { CountOptions, DataOf } from '../client/data-of-types.js';
