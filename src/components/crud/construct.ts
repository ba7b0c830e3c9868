import type { TerraformStack } from '../../kit/cdktf/engine.js';
import { StandaloneComponent, componentConfigOf, type StandaloneProps } from '../standalone.js';
import type { CrudApiConfig } from './config.js';
import { defineCrudApi } from './define.js';
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
  /** Define a CrudApi for a backend (nothing is created yet): {@link defineCrudApi}. */
  static readonly define = defineCrudApi;

  readonly apiEndpoint: string;

  constructor(scope: TerraformStack, id: string, props: CrudApiProps) {
    super(scope, `crud-${id}`, id, props, defineCrudApi(id, componentConfigOf(props)));
    this.apiEndpoint = this.handle.apiEndpoint;
  }
}
