import type { HttpFunctionOptions, HttpMethod, StorageQueueFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { HostedFunction } from '../model/requirements.js';

/**
 * The part of `@azure/functions`' `app` the generated package entry uses (tests pass a recorder).
 *
 * @example
 * ```ts
 * import { app } from '@azure/functions';
 * const registrar: HostedRegistrar = app;
 * ```
 */
export interface HostedRegistrar {
  http(name: string, options: HttpFunctionOptions): void;
  storageQueue(name: string, options: StorageQueueFunctionOptions): void;
  timer(name: string, options: TimerFunctionOptions): void;
}

/** A planned function with the export its handler module gave (whatever the module exports: checked here). */
export interface HostedRegistration extends HostedFunction {
  readonly exported: unknown;
}

/**
 * Register the FunctionsApps' functions with `@azure/functions` v4, as the package entry generated at apply
 * does when the Functions worker loads `main`. HTTP routes are anonymous at the function level, like the
 * CRUD routes: the app's platform authentication guards them. Queue triggers connect by identity through
 * the `<connection>__queueServiceUri` app setting (learn.microsoft.com/azure/azure-functions/
 * functions-reference#connecting-to-host-storage-with-an-identity).
 *
 * @example
 * ```ts
 * registerHostedFunctions(app, [{ name: 'Jobs-tick', componentId: 'Jobs', trigger: 'timer', schedule: '0 0 * * * *', exported: tick }]);
 * ```
 */
export function registerHostedFunctions(app: HostedRegistrar, functions: readonly HostedRegistration[]): string[] {
  for (const f of functions) {
    if (typeof f.exported !== 'function') {
      // A CommonJS module esbuild could not check at bundle time: fail the load loudly, naming the function.
      throw new Error(`FUNCTIONS_HANDLER_EXPORT_MISSING: ${f.handler ?? '(no handler)'} of ${f.name} exports ${typeof f.exported}, not a function.`);
    }
    const handler = f.exported as (...args: unknown[]) => unknown;
    if (f.trigger === 'http') {
      app.http(f.name, { route: f.route ?? f.name, methods: [...(f.methods ?? ['GET', 'POST'])] as HttpMethod[], authLevel: 'anonymous', handler: handler as HttpFunctionOptions['handler'] });
    } else if (f.trigger === 'queue') {
      app.storageQueue(f.name, { queueName: f.queueName ?? '', connection: f.connection ?? 'AzureWebJobsStorage', handler });
    } else {
      app.timer(f.name, { schedule: f.schedule ?? '', handler });
    }
  }
  return functions.map((f) => f.name);
}
