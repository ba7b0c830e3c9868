export { CrudApi, type CrudApiProps } from './construct.js';
export { defineCrudApi, type CrudApiDefinition } from './define.js';
// Every type of the config: CrudApiConfig, FieldDefinition, FieldDefault, RelationDefinition, SortableEntry, SortTerm.
export type * from './config.js';
export type { FieldType } from '../../model/runtime-manifest.js';
export type { CrudApiHandle } from './handle.js';
export type { IndexingPolicy } from './indexing-policy.js';
export type { AccessRule } from '../../model/runtime-manifest.js';
export type { ApiHandle } from '../api-handle.js';
