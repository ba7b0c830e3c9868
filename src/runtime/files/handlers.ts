import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import { fileRoutes } from '../../contract/files.js';
import { methodNotAllowed } from '../http/response.js';
import { FILE_OPERATIONS, operationIn } from '../telemetry/route-operations.js';
import type { Caller, CallerRequest, Endpoint } from '../pipeline/context.js';
import { runAs, serve } from '../pipeline/serve.js';
import { runtimeServices } from '../pipeline/services.js';
import type { FileBlobs } from './blobs.js';
import { type FileOperation, OPERATION_RULE } from './file-call.js';
import type { FileHandlerOptions } from './options.js';
import { FileStoreRoutes } from './store-routes.js';

export { tenantFolder } from './layout.js';
export type { FileHandlerOptions } from './options.js';

/**
 * The three HTTP handlers of one FileStore: `api/<route>` (POST create an upload, GET list), `api/<route>/{id}`
 * (GET the metadata and a download URL, DELETE) and `api/<route>/{id}/complete` (POST).
 *
 * @example
 * ```ts
 * const { collection, item, complete } = createFileHandlers(store, blobs, { caller: callerPolicyOf(manifest) });
 * ```
 */
export interface FileHandlers {
  readonly collection: HttpHandler;
  readonly item: HttpHandler;
  readonly complete: HttpHandler;
}

/**
 * Build a FileStore's handlers over its blobs. The same admission as a CrudApi's routes (signed in, allowed
 * directory, the tenant from the token), the same access rules (`create` uploads and completes, `read`, `list`,
 * `delete`), and every blob under the caller's tenant folder (layout.ts): the upload URL reaches
 * `~staging/<tenant>/<id>` only, the runtime records the declaration under `~pending/…`, and what is listed and
 * served (`<tenant>/<id>`) is the runtime's copy, written after its checks. Under an owner rule a file is its
 * uploader's (`ownerid`, set by the runtime): others get 404, or 403 on a delete or completion of one another rule
 * lets them read (a CrudApi's answers, access/scope.ts).
 *
 * @example
 * ```ts
 * app.http('Attachments-collection', {
 *   route: 'attachments',
 *   methods: ['GET', 'POST'],
 *   handler: createFileHandlers(store, blobs).collection,
 * });
 * ```
 */
export function createFileHandlers(
  store: RuntimeFileStore,
  blobs: FileBlobs,
  options: FileHandlerOptions = {},
): FileHandlers & {
  /**
   * `GET api/<route>/{id}` for this request's caller without a route of its own: what a CrudApi's `file` relation
   * reads (runtime/relations) — the same admission, tenant folder, access rules and completed-file check.
   */
  readonly readFile: (call: CallerRequest, id: string) => Promise<HttpResponseInit>;
} {
  const files = new FileStoreRoutes(store, blobs, options);
  const routes = fileRoutes(store.route);
  // Handed by the composition root (routes/file-routes.ts); none → no registry cache and no meter: a registry's
  // directories closed (the home directory only), nothing counted — never what this process bound elsewhere.
  const services = options.services ?? runtimeServices(options.caller, {});
  const framed = (
    endpoint: Endpoint<FileOperation>,
    kind: 'collection' | 'item' | 'complete',
    table: Record<string, string>,
  ): Endpoint<FileOperation> => ({
    ...endpoint,
    log: {
      labels: { component: store.componentId, entity: store.entityName },
      operationOf: (request: HttpRequest) =>
        table[request.method.toUpperCase()] ?? 'method-not-allowed',
      ...(options.logger ? { logger: options.logger } : {}),
    },
    // One server span per request (runtime/telemetry/request-span.ts).
    trace: {
      route: routes[kind],
      component: store.componentId,
      operationOf: operationIn(FILE_OPERATIONS[kind]),
      caller: (caller: Caller) => caller.traced(store),
    },
  });
  const endpoint = (
    table: Readonly<Record<string, FileOperation>>,
    given?: string,
  ): Endpoint<FileOperation> => ({
    policy: options.caller,
    resource: store,
    route: (ctx) => {
      const op = ctx.method ? table[ctx.method] : undefined;
      return op
        ? { ok: true, value: op }
        : methodNotAllowed(Object.keys(table), ctx.request.method);
    },
    operation: (op) => OPERATION_RULE[op],
    handle: (ctx) => files.run(ctx.route, ctx, given),
  });
  return {
    collection: serve(
      framed(endpoint({ GET: 'list', POST: 'create-upload' }), 'collection', {
        POST: 'create-upload',
        GET: 'list',
      }),
      services,
    ),
    item: serve(
      framed(endpoint({ GET: 'read', DELETE: 'delete' }), 'item', {
        GET: 'read',
        DELETE: 'delete',
      }),
      services,
    ),
    complete: serve(
      framed(endpoint({ POST: 'complete' }), 'complete', { POST: 'complete' }),
      services,
    ),
    readFile: (call, id) => runAs(endpoint({ GET: 'read' }, id), call, 'GET', services),
  };
}
