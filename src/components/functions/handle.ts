import type { ComponentHandle } from '../../model/component.js';
import type { ApiAuthInfo } from '../../kit/pure/entra.js';
import type { FunctionsContract } from '../../contract/functions-contract.js';
import type { FunctionDefinition } from './config.js';

/**
 * What `backend.components.<key>` gives for a FunctionsApp, as plain strings: values known from the plan
 * before apply (a global name's target token is the placeholder `tgtxxx`), the deployed names after
 * `addToStack(stack)`.
 *
 * @example
 * ```ts
 * const backend = defineBackend(
 *   {
 *     orderProcessor: FunctionsApp.define('OrderProcessor', {
 *       runtime: 'node',
 *       version: '20',
 *       functions: {
 *         'process-order': {
 *           trigger: 'queue',
 *           queueName: 'orders',
 *           handler: './src/functions/process-order.ts',
 *         },
 *       },
 *     }),
 *   },
 *   { environment: 'prod' },
 * );
 * const h = backend.components.orderProcessor;
 * h.functionAppName; // 'func-backend-prod-node-20-k3x9a1'
 * h.queues; // ['orders']
 * ```
 */
export interface FunctionsAppHandle<
  TFunctions extends Readonly<Record<string, FunctionDefinition>> = Readonly<
    Record<string, FunctionDefinition>
  >,
> extends ComponentHandle {
  readonly componentType: 'FunctionsApp';
  /** The Function App that runs the functions (shared with compatible components). */
  readonly functionAppName: string;
  /** `<app>.azurewebsites.net` */
  readonly defaultHostname: string;
  /** `https://<app>.azurewebsites.net` */
  readonly endpoint: string;
  readonly runtime: string;
  readonly version: string;
  /** Sorted. */
  readonly functionNames: readonly string[];
  /** HTTP functions' routes under `api/`, sorted. */
  readonly httpRoutes: readonly string[];
  /** Storage queues the queue-triggered functions listen on, sorted. */
  readonly queues: readonly string[];
  /** The storage account holding the queues. */
  readonly storageAccountName: string;
  /**
   * What a client needs to call the API with a token (client id, tenant, scope, API base URL): absent with
   * `auth: 'none'` or when no registration is created or named. Unknown ids are Terraform expressions until apply.
   */
  readonly auth?: ApiAuthInfo;
  /**
   * Phantom, never set: the functions' configs as literal types (routes, methods, schemas), which
   * `createClient<typeof backend>()` reads to type each HTTP function's call.
   */
  readonly __functions?: FunctionsContract<TFunctions>;
}
