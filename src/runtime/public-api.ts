/**
 * The runtime's importable surface (no side effects, unlike `index.ts`).
 *
 * @example
 * ```ts
 * import { createCrudHandlers, parseManifest } from './runtime/public-api.js';
 * ```
 */
export {
  createCrudHandlers,
  ROUTE_METHODS,
  type CrudHandlerOptions,
  type CrudHandlers,
  type RouteMethod,
} from './crud/handlers.js';
export {
  createCosmosResolver,
  type CosmosResolver,
  type CosmosResolverOptions,
} from './cosmos-resolver.js';
export {
  createHealthHandler,
  createMisconfiguredHealthHandler,
  type HealthOptions,
  type HealthTarget,
} from './health.js';
export { parseManifest } from './manifest-loader.js';
export {
  registerApp,
  registerCrudRoutes,
  HEALTH_ROUTE,
  type FunctionRegistrar,
  type RegisterDeps,
  type RegisteredRoute,
} from './register-routes.js';
export { startRuntime, type StartResult } from './start-runtime.js';
export { InProcessRoutes } from './in-process/routes.js';
export { validateItem, checkId } from './http/schema-validator.js';
export { MAX_BODY_BYTES, MAX_ITEM_BYTES, isJsonMediaType } from './http/body.js';
export { DEFAULT_JSON_LIMITS, type JsonShapeLimits } from './values/json-shape.js';
export {
  COSMOS_TIMEOUT_SETTING,
  DEFAULT_COSMOS_POLICY,
  CosmosUnavailableError,
  cosmosPolicyFromEnv,
  type CosmosCallPolicy,
} from './data/cosmos-policy.js';
export { DEFAULT_MERGE_RETRY, type MergeRetryPolicy } from './data/merge-retry.js';
export { type ReadCacheLimits } from './data/read-cache.js';
export { parseIfMatch, type IfMatch } from './data/if-match.js';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  CONTINUATION_HEADER,
} from './crud/collection-operations.js';
export { PARTITION_HEADER } from './values/partition.js';
export { TENANT_HEADER } from './caller/tenant-header.js';
export { contextLogger, type RequestLogEntry, type RuntimeLogger } from './http/log.js';
export {
  contextEventLogger,
  type RuntimeEventEntry,
  type RuntimeEventLogger,
} from './http/event-log.js';
export type { FieldError, Problem } from './http/response.js';
export {
  CLIENT_PRINCIPAL_HEADER,
  clientPrincipalOf,
  claimOf,
  identityOf,
  type ClientPrincipal,
} from './caller/client-principal.js';
export { isIsolated, TENANT_FIELD, type Tenant } from './values/tenancy.js';
export { MAX_RETRY_AFTER_SECONDS } from './http/cosmos-errors.js';
export { callerPolicyOf } from './caller/tenant-source.js';
export { resolveTenant } from './caller/resolve-tenant.js';
export { callerOf, type RequestCaller } from './caller/request-caller.js';
export { admitFunctionCall, callerPolicyFromEnv } from './caller/handler-gate.js';
export { gateHandler } from './pipeline/function-gate.js';
export {
  CHANGE_DELIVERY_SETTING,
  dispatchChange,
  type ChangeEvent,
  type ChangeHandler,
} from './events/change-dispatch.js';
export {
  queueClient,
  type QueueClientOptions,
  type QueueMessageBody,
  type QueueSendOptions,
  type QueueSender,
  type SentQueueMessage,
} from './events/queue-client.js';
