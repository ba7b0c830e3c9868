import type { ApiAuthInfo } from '../kit/pure/entra.js';
import type { ComponentHandle } from '../model/component.js';
import type { AccessRule } from '../model/runtime-manifest.js';

/**
 * What every component serving routes of the shared runtime exposes (CrudApi, FileStore): its API, the rules the
 * runtime enforces on it, its container and its Function App.
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   userApi: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
 * });
 * const api: ApiHandle = backend.components.userApi;
 * api.routes; // ['api/users', 'api/users/{id}']
 * ```
 */
export interface ApiHandle extends ComponentHandle {
  readonly apiEndpoint: string;
  /** Its routes under `api/` (`['api/users', 'api/users/{id}']`). */
  readonly routes: readonly string[];
  /** The access rules the runtime enforces (`[{ allow: 'authenticated' }]` unless `access` says otherwise). */
  readonly access: readonly AccessRule[];
  readonly containerName: string;
  readonly functionAppName: string;
  /**
   * What a client needs to call the API with a token (client id, tenant, scope, API base URL): absent with
   * `auth: 'none'` or when no registration is created or named. Unknown ids are Terraform expressions until apply.
   */
  readonly auth?: ApiAuthInfo;
}
