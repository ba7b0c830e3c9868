import type { TerraformStack } from '../../kit/cdktf/engine.js';
import { StandaloneComponent, componentConfigOf, type StandaloneProps } from '../standalone.js';
import type { FunctionsAppConfig } from './config.js';
import { defineFunctionsApp } from './define.js';
import type { FunctionsAppHandle } from './handle.js';

/**
 * Props of the stand-alone form: the FunctionsApp config plus the backend settings of its own resources
 * (`environment`, `location` — default the stack's — and `tags`).
 *
 * @example
 * <!-- snippet: no-run (needs a ./reports-app folder of Python functions) -->
 * ```ts
 * new FunctionsApp(stack, 'Reports', {
 *   runtime: 'python',
 *   codePath: './reports-app',
 *   functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
 *   environment: 'prod',
 * });
 * ```
 */
export interface FunctionsAppProps extends FunctionsAppConfig, StandaloneProps {}

/**
 * An Azure Function App for your own functions (HTTP, queue and timer triggers). Two forms:
 * - `FunctionsApp.define(id, config)` — a definition for `defineBackend`: it shares a Function App with
 *   compatible components (same runtime and major version) and the backend's storage account, where its
 *   queue-trigger queues are created;
 * - `new FunctionsApp(stack, id, props)` — the stand-alone form, which creates its own Function App, plan and
 *   storage account with the same secure defaults.
 *
 * @example
 * ```ts
 * const backend = defineBackend({
 *   orders: FunctionsApp.define('OrderProcessor', {
 *     runtime: 'node',
 *     version: '20',
 *     functions: {
 *       'process-order': {
 *         trigger: 'queue',
 *         queueName: 'orders',
 *         handler: './src/functions/process-order.ts',
 *       },
 *     },
 *   }),
 * });
 * const legacy = new FunctionsApp(stack, 'Reports', {
 *   runtime: 'python',
 *   functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } },
 * });
 * legacy.functionAppName; // string
 * ```
 */
export class FunctionsApp extends StandaloneComponent<FunctionsAppHandle> {
  /** Define a FunctionsApp for a backend (nothing is created yet): {@link defineFunctionsApp}. */
  static readonly define = defineFunctionsApp;

  readonly functionAppName: string;
  readonly endpoint: string;

  constructor(scope: TerraformStack, id: string, props: FunctionsAppProps) {
    super(scope, `functions-${id}`, id, props, defineFunctionsApp(id, componentConfigOf(props)));
    this.functionAppName = this.handle.functionAppName;
    this.endpoint = this.handle.endpoint;
  }
}
