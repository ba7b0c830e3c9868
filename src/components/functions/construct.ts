import { Construct } from 'constructs';
import type { TerraformStack } from 'cdktf';
import { defineBackend } from '../../backend/define-backend.js';
import type { Backend } from '../../backend/backend.js';
import type { AppliedBackend } from '../../apply/apply-backend.js';
import type { BackendConfig } from '../../model/config.js';
import type { FunctionsAppConfig } from './config.js';
import { defineFunctionsApp, type FunctionsAppDefinition } from './define.js';
import type { FunctionsAppHandle } from './handle.js';

/** Props of the stand-alone form: the FunctionsApp config plus the backend settings of its own resources. */
export interface FunctionsAppProps extends FunctionsAppConfig {
  readonly environment?: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

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
 *   orders: FunctionsApp.define('OrderProcessor', { runtime: 'node', version: '20', functions: { 'process-order': { trigger: 'queue', queueName: 'orders' } } }),
 * });
 * const legacy = new FunctionsApp(stack, 'Reports', { runtime: 'python', functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *' } } });
 * legacy.functionAppName; // string
 * ```
 */
export class FunctionsApp extends Construct {
  /** Define a FunctionsApp for a backend (nothing is created yet). */
  static define<const TId extends string>(id: TId, config: FunctionsAppConfig): FunctionsAppDefinition<TId> {
    return defineFunctionsApp(id, config);
  }

  readonly backend: Backend<{ readonly app: FunctionsAppHandle }>;
  readonly applied: AppliedBackend;
  readonly handle: FunctionsAppHandle;
  readonly functionAppName: string;
  readonly endpoint: string;

  constructor(scope: TerraformStack, id: string, props: FunctionsAppProps) {
    super(scope, `functions-${id}`);
    const { environment, location, tags, ...config } = props;
    const stackLocation = location ?? (scope as { location?: string }).location;
    const backendConfig: BackendConfig = {
      // Its own backend id: two stand-alone apps in one stack never share or collide.
      backendId: id.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      ...(environment ? { environment } : {}),
      ...(stackLocation ? { location: stackLocation } : {}),
      ...(tags ? { tags } : {}),
    };
    this.backend = defineBackend({ app: defineFunctionsApp(id, config) }, backendConfig);
    this.applied = this.backend.apply(scope);
    this.handle = this.backend.components.app;
    this.functionAppName = this.handle.functionAppName;
    this.endpoint = this.handle.endpoint;
  }
}
