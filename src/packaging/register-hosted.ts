import type { HttpFunctionOptions, HttpMethod, StorageQueueFunctionOptions, TimerFunctionOptions } from '@azure/functions';
import type { HostedFunction } from '../model/requirements.js';
import { callerPolicyFromEnv, gateHandler } from '../runtime/handler-gate.js';

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
 * CRUD routes, and pass the runtime's gate before their code runs (runtime/handler-gate.ts): signed in, an
 * allowed directory (App Service authentication of a multi-tenant registration admits every directory's
 * token), the function's `access` rules — the policy from the app settings (`env`). Queue triggers connect by identity through
 * the `<connection>__queueServiceUri` app setting (learn.microsoft.com/azure/azure-functions/
 * functions-reference#connecting-to-host-storage-with-an-identity).
 *
 * @example
 * ```ts
 * registerHostedFunctions(app, [{ name: 'Jobs-tick', componentId: 'Jobs', trigger: 'timer', schedule: '0 0 * * * *', exported: tick }]);
 * ```
 */
export function registerHostedFunctions(
  app: HostedRegistrar,
  functions: readonly HostedRegistration[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): string[] {
  const policy = callerPolicyFromEnv(env);
  for (const f of functions) {
    if (typeof f.exported !== 'function') {
      // A CommonJS module esbuild could not check at bundle time: fail the load loudly, naming the function.
      throw new Error(`FUNCTIONS_HANDLER_EXPORT_MISSING: ${f.handler ?? '(no handler)'} of ${f.name} exports ${typeof f.exported}, not a function.`);
    }
    const handler = f.exported as (...args: unknown[]) => unknown;
    if (f.trigger === 'http') {
      const gated = gateHandler(handler as HttpFunctionOptions['handler'], policy, f.access, f.name);
      app.http(f.name, { route: f.route ?? f.name, methods: [...(f.methods ?? ['GET', 'POST'])] as HttpMethod[], authLevel: 'anonymous', handler: gated });
    } else if (f.trigger === 'change') {
      // Called by the CRUD runtime after its writes where no change feed delivers (startRuntime's changeHandlers).
      continue;
    } else if (f.trigger === 'queue') {
      app.storageQueue(f.name, { queueName: f.queueName ?? '', connection: f.connection ?? 'AzureWebJobsStorage', handler });
    } else {
      app.timer(f.name, { schedule: f.schedule ?? '', handler });
    }
  }
  return functions.map((f) => f.name);
}
