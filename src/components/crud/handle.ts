import type { ApiHandle } from '../api-handle.js';
import type { CrudOperation } from '../../model/runtime-manifest.js';
import type { CrudContract } from '../../contract/entity-types.js';
import type { FieldDefinition } from './config.js';

/**
 * What `backend.components.<key>` gives for a CrudApi, as plain strings: before apply, values known from the
 * plan (a global name's target token is the placeholder `tgtxxx`); after `addToStack(stack)`, the names
 * deployed in that stack. The Function App's host is `<functionAppName>.azurewebsites.net` (the provider
 * never asks Azure for a unique default host name).
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
 * });
 * const url: string = backend.components.userApi.apiEndpoint; // 'https://func-backend-dev-k3x9a1.azurewebsites.net/api/users'
 * ```
 */
export interface CrudApiHandle<
  TSchema extends Readonly<Record<string, FieldDefinition>> = Readonly<
    Record<string, FieldDefinition>
  >,
  TOperations extends readonly CrudOperation[] = readonly CrudOperation[],
  TRelations = unknown,
  TId extends string = string,
  TRealtime extends boolean = boolean,
  TSearch extends boolean = boolean,
> extends ApiHandle {
  readonly componentType: 'CrudApi';
  readonly entityName: string;
  readonly partitionKey: string;
  readonly operations: readonly CrudOperation[];
  /** The reserved item field holding the creator's `oid` (`'ownerId'` unless `ownerField` renames it). */
  readonly ownerField: string;
  readonly databaseName: string;
  readonly cosmosAccountName: string;
  readonly cosmosEndpoint: string;
  /**
   * Phantom, never set: the schema and operations as types, which `createClient<typeof backend>()` reads
   * (src/contract/entity-types.ts).
   */
  readonly __contract?: CrudContract<TSchema, TOperations, TRelations, TId, TRealtime, TSearch>;
}
