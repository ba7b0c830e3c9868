import type { CrudOperation, RuntimeEntity } from '../../../model/runtime-manifest.js';
import { servedMethods } from '../../../contract/routes.js';
import type { DevFunction } from '../host/hosts.js';
import { DEV_TRACES_SWITCH, TRACE_VIEW_PATH } from '../traces/traces.js';

/**
 * The methods a CrudApi route really serves. The runtime registers both routes for every method so that a
 * disabled operation answers 405 with `Allow` rather than the host's 404; the banner lists what answers.
 *
 * @example
 * ```ts
 * crudServedMethods(['read', 'list'], 'item'); // ['GET']
 * ```
 */
export function crudServedMethods(
  operations: readonly CrudOperation[],
  route: 'collection' | 'item',
): string[] {
  // The CRUD contract's method table, which the runtime dispatches with.
  return servedMethods(operations, route);
}

/**
 * The indexed functions with each CRUD route's methods narrowed to the operations its CrudApi enables
 * (functions `<componentId>-collection` and `<componentId>-item`, as the runtime names them).
 *
 * @example
 * ```ts
 * const shown = withServedMethods(ready.functions, entities);
 * ```
 */
export function withServedMethods(
  functions: readonly DevFunction[],
  entities: readonly RuntimeEntity[],
): DevFunction[] {
  return functions.map((f) => {
    const e = entities.find(
      (x) => f.name === `${x.componentId}-collection` || f.name === `${x.componentId}-item`,
    );
    if (!e || f.type !== 'httpTrigger') return f;
    return {
      ...f,
      methods: crudServedMethods(
        e.operations,
        f.name.endsWith('-collection') ? 'collection' : 'item',
      ),
    };
  });
}

/**
 * The lines `atakora dev` prints once ready: per app its URL, its trace view (or that tracing is off:
 * `traces: false`, from `ATAKORA_DEV_TRACES=off`), then each function with what it serves.
 *
 * @example
 * ```ts
 * for (const line of devBanner(session.apps)) console.log(line);
 * // func-shop-dev-x1: http://127.0.0.1:7071
 * //   trace view                       http://127.0.0.1:7071/_atakora/traces
 * //   CatalogApi-item                  GET http://127.0.0.1:7071/api/products/{id}
 * ```
 */
export function devBanner(
  apps: readonly {
    readonly name: string;
    readonly url: string;
    readonly functions: readonly DevFunction[];
  }[],
  { traces = true }: { readonly traces?: boolean } = {},
): string[] {
  return apps.flatMap((app) => [
    `${app.name}: ${app.url}`,
    `  ${'trace view'.padEnd(32)} ${traces ? app.url + TRACE_VIEW_PATH : `off (${DEV_TRACES_SWITCH}=off)`}`,
    ...app.functions.map((f) => {
      const what =
        f.type === 'httpTrigger'
          ? `${(f.methods ?? []).join(',')} ${app.url}/api/${f.route ?? f.name}`
          : f.type === 'queueTrigger'
            ? `queue ${f.queueName ?? ''} (POST ${app.url}/admin/functions/${f.name})`
            : `timer ${f.schedule ?? ''} (POST ${app.url}/admin/functions/${f.name})`;
      return `  ${f.name.padEnd(32)} ${what}`;
    }),
  ]);
}
