import type { TerraformStack } from '../../kit/cdktf/engine.js';
import { StandaloneComponent, componentConfigOf, type StandaloneProps } from '../standalone.js';
import type { CrudApiConfig, FieldDefinition, RelationDefinition } from './config.js';
import type { CrudOperation } from '../../model/runtime-manifest.js';
import { defineCrudApi, type CrudApiDefinition } from './define.js';
import type { CrudApiHandle } from './handle.js';

/**
 * Props of the stand-alone form: the CrudApi config plus the backend settings of its own resources
 * (`environment`, `location` — default the stack's — and `tags`).
 *
 * @example
 * ```ts
 * const props: CrudApiProps = {
 *   entityName: 'Order',
 *   schema: { id: 'string', total: 'number' },
 *   environment: 'prod',
 *   tags: { team: 'orders' },
 * };
 * new CrudApi(stack, 'OrderApi', props);
 * ```
 */
export interface CrudApiProps extends CrudApiConfig, StandaloneProps {}

/**
 * A CRUD API on Cosmos DB served by the Atakora runtime. Two forms:
 * - `CrudApi.define(id, config)` — a definition for `defineBackend` (shared resources);
 * - `new CrudApi(stack, id, props)` — the stand-alone form, which creates its own Cosmos account, Function
 *   App and Storage account with the same secure defaults (backward compatible with the original).
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
 * });
 * const legacy = new CrudApi(stack, 'OrderApi', { entityName: 'Order', schema: { id: 'string' } });
 * legacy.apiEndpoint; // string
 * ```
 */
export class CrudApi extends StandaloneComponent<CrudApiHandle> {
  /** Define a CrudApi for a backend (nothing is created yet). */
  static define<
    const TId extends string,
    const TSchema extends Readonly<Record<string, FieldDefinition>> = Readonly<
      Record<string, FieldDefinition>
    >,
    const TOperations extends readonly CrudOperation[] = readonly CrudOperation[],
    const TRelations extends Readonly<Record<string, RelationDefinition>> = Readonly<
      Record<string, never>
    >,
    const TRealtime extends boolean = false,
  >(
    id: TId,
    config: CrudApiConfig<TSchema> & {
      readonly schema: TSchema;
      readonly operations?: TOperations;
      readonly relations?: TRelations;
      readonly realtime?: TRealtime;
    },
  ): CrudApiDefinition<TId, TSchema, TOperations, TRelations, TRealtime> {
    return defineCrudApi(id, config);
  }

  readonly apiEndpoint: string;

  constructor(scope: TerraformStack, id: string, props: CrudApiProps) {
    super(scope, `crud-${id}`, id, props, defineCrudApi(id, componentConfigOf(props)));
    this.apiEndpoint = this.handle.apiEndpoint;
  }
}
