import type { AppPackageRequest } from '../../kit/cdktf/provision-context.js';
import type { MergedFunctionsConfig } from './type.js';

/**
 * What goes into one Function App's package, from its merged config: the CRUD runtime, every hosted function,
 * the queues a handler may name, a prebuilt `codePath`. Apply builds the package from it
 * (package.ts) and so does `atakora sandbox`'s code-only redeploy: the same request gives the same bytes,
 * hence the same version and the same upload address. Pure.
 *
 * @example
 * ```ts
 * const request = packageRequest(app.name, mergedConfigOf('functions', app), app.consumers);
 * ```
 */
export function packageRequest(
  appName: string,
  c: MergedFunctionsConfig,
  consumers: readonly string[],
): AppPackageRequest {
  return {
    appName,
    crudRuntime: c.crudRuntime,
    functions: c.hostedFunctions ?? [],
    queues: Object.keys(c.queues ?? {}),
    ...(c.codePath !== undefined ? { codePath: c.codePath, codeOwner: consumers[0] ?? '' } : {}),
  };
}
