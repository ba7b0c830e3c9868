import type { ComponentHandle } from '../../model/component.js';
import type { ApiAuthInfo } from '../../kit/pure/entra.js';
import type { CrudOperation } from '../../model/runtime-manifest.js';

/**
 * What `backend.components.<key>` gives for a CrudApi: values known from the plan, as plain strings.
 *
 * @example
 * ```ts
 * const url: string = backend.components.userApi.apiEndpoint; // 'https://func-backend-dev-k3x9a1.azurewebsites.net/api/users'
 * ```
 */
export interface CrudApiHandle extends ComponentHandle {
  readonly componentType: 'CrudApi';
  readonly apiEndpoint: string;
  /** `['api/users', 'api/users/{id}']` */
  readonly routes: readonly string[];
  readonly entityName: string;
  readonly partitionKey: string;
  readonly operations: readonly CrudOperation[];
  readonly databaseName: string;
  readonly containerName: string;
  readonly functionAppName: string;
  readonly cosmosAccountName: string;
  readonly cosmosEndpoint: string;
  /**
   * What a client needs to call the API with a token (client id, tenant, scope, API base URL): absent with
   * `auth: 'none'` or when no registration is created or named. Unknown ids are Terraform expressions until apply.
   */
  readonly auth?: ApiAuthInfo;
}
