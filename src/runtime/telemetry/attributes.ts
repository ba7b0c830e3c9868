/**
 * The attribute names the runtime's spans carry (DESIGN §2, "Traces"), and nothing else: the route template, never
 * the path (which holds item ids); the caller's `oid`, never a name or e-mail; RU and status codes, never an item
 * field, a query value, a token, a SAS, a key or a secret. `test/runtime/telemetry/no-secrets.test.ts` plants
 * markers in all of those and scans every exported payload.
 */
export const SPAN_ATTRIBUTES = {
  method: 'http.request.method',
  route: 'http.route',
  status: 'http.response.status_code',
  component: 'atakora.component',
  operation: 'atakora.operation',
  tenant: 'atakora.tenant',
  user: 'enduser.id',
  requestCharge: 'db.cosmosdb.request_charge',
  dbSystem: 'db.system',
  dbOperation: 'db.operation.name',
  dbStatus: 'db.cosmosdb.status_code',
  errorType: 'error.type',
  messagingSystem: 'messaging.system',
  messagingOperation: 'messaging.operation.type',
  messagingDestination: 'messaging.destination.name',
} as const;

/** `atakora.tenant` of a request on shared data (a `tenancy: 'shared'` entity or store). */
export const SHARED_TENANT = 'shared';

/**
 * What a span's `atakora.operation` says the request did (DESIGN §2): the CRUD operations, a `hasMany` relation's
 * children, a FileStore's upload, completion and download, realtime's negotiate, a FunctionsApp HTTP handler, a
 * CrudApi's change handler.
 *
 * @example
 * ```ts
 * const op: TracedOperation = 'update'; // PATCH api/<plural>/{id}
 * ```
 */
export type TracedOperation =
  | 'create'
  | 'read'
  | 'list'
  | 'search'
  | 'replace'
  | 'update'
  | 'delete'
  | 'children'
  | 'upload'
  | 'complete'
  | 'download'
  | 'negotiate'
  | 'handler'
  | 'on-change';

/** The tracer's name: every span of the runtime comes from one instrumentation scope. */
export const TRACER_NAME = '@atakora/component';
