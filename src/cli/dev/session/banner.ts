import type { CrudOperation } from '../../../model/runtime-manifest.js';
import type { OpenApiDocument } from '../../../contract/openapi.js';
import { ROUTE_METHODS, servedMethods } from '../../../contract/routes.js';
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
 * The indexed functions with each runtime route's methods narrowed to those it answers: the runtime registers its
 * routes (CRUD, children, files, negotiate, tenants) for every method so that the others answer 405 with `Allow`
 * rather than the host's 404, and the banner lists what answers — the methods the app's OpenAPI document declares
 * for that route (src/contract/openapi.ts: every route the runtime serves, each with the methods it serves). A
 * function of the user's lists the methods it declared.
 *
 * @example
 * ```ts
 * const shown = withServedMethods(ready.functions, openApiFromManifest(manifest, url));
 * ```
 */
export function withServedMethods(
  functions: readonly DevFunction[],
  document: OpenApiDocument,
): DevFunction[] {
  const paths = (document['paths'] ?? {}) as Record<string, Record<string, unknown>>;
  const documented = new Map<string, string[]>();
  for (const [path, item] of Object.entries(paths))
    documented.set(
      shape(path),
      ROUTE_METHODS.filter((m) => Object.hasOwn(item, m.toLowerCase())),
    );
  return functions.map((f) => {
    const catchAll = ROUTE_METHODS.every((m) => f.methods?.includes(m));
    const served =
      f.type === 'httpTrigger' && catchAll
        ? documented.get(shape(`/api/${f.route ?? f.name}`))
        : undefined;
    return served?.length ? { ...f, methods: served } : f;
  });
}

/** A route with its parameters' names dropped (`/api/notes/{id}` → `/api/notes/{}`), for matching. */
const shape = (route: string) => route.replace(/\{[^}]*\}/g, '{}').toLowerCase();

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
