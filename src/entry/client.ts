/**
 * `@atakora/component/client`: the typed browser/Node client of a backend's CrudApis (fetch only; no cdktf,
 * planner or runtime). `createClient<typeof backend>({ config | baseUrls, getToken })`.
 * @packageDocumentation
 */
export { createClient, type ClientOptions } from '../client/create-client.js';
export { ProblemError, type ProblemFieldError } from '../client/problem-error.js';
export type {
  MembersOf,
  ProblemMembers,
  QueryProblemMembers,
} from '../contract/problem-members.js';
export { etagOf } from '../client/etags.js';
export type { FileClient, UploadOptions } from '../client/types.js';
export type {
  FunctionCall,
  FunctionCallOptions,
  FunctionMethod,
  FunctionShape,
  FunctionsClient,
  RouteParams,
} from '../client/function-types.js';
export type { SchemaType } from '../client/json-schema-type.js';
export type {
  GroupAggregates,
  GroupByMethod,
  GroupByOptions,
  GroupRow,
  NumericFieldName,
} from '../client/aggregate-types.js';
export type { AggregateSpec } from '../contract/query/format-apply.js';
export type { SearchBody, SearchMode, SearchPage } from '../contract/search.js';
export type { FileMetadata, FileUpload, FileWithUrl } from '../contract/files.js';
export type {
  ActionsOf,
  CallOptions,
  Client,
  CountOptions,
  CrudClient,
  CrudMethods,
  ItemOptions,
  ListOptions,
  SearchOptions,
  ListMethod,
  ListResult,
  PageOptions,
  LiveSnapshot,
  LiveSubscription,
  OrderBy,
  RealtimeEventOf,
  RealtimeMethods,
  RealtimeOptions,
  InvitationsClient,
  DomainsClient,
  JoinRequestsClient,
  JoinResult,
  BillingClient,
  MeClient,
  MembersClient,
  TenantMembers,
  TenantsClient,
  TenantSelfClient,
  AuditListOptions,
  ApiKeysClient,
  WebhooksClient,
  AgentsClient,
  WriteOptions,
} from '../client/types.js';
export type { ApiKey, ApiKeyInput, CreatedApiKey } from '../contract/integrations/api-keys.js';
export type {
  CreatedWebhook,
  Webhook,
  WebhookDelivery,
  WebhookInput,
  WebhookPatch,
  WebhookPayload,
} from '../contract/integrations/webhooks.js';
export type { ConnectedAgent } from '../contract/mcp/oauth/agents.js';
export type { AuditAction, AuditActor, AuditEntry, AuditVia } from '../contract/audit.js';
export type { OrganizationDirectory } from '../contract/enterprise/directory.js';
export type * from '../contract/member-shapes.js';
export type * from '../contract/domains/domain-shapes.js';
export type { JoinableOrganization, JoinRequest } from '../contract/enterprise/joins.js';
export type { SubscriptionState, TenantBillingView } from '../contract/tenant-billing.js';
export type { PlanOffer, PlanOfferList } from '../contract/plans/plan-offers.js';
export { TENANT_SELECT_HEADER } from '../contract/members.js';
export type {
  Tenant,
  TenantLimits,
  TenantPage,
  TenantPatch,
  TenantRecord,
  TenantRegistration,
  TenantStatus,
} from '../contract/tenants.js';
export type { WebSocketConstructor, WebSocketLike } from '../client/realtime/connection.js';
export type {
  ChildrenMap,
  CountedPage,
  ExpandMap,
  RelationOptions,
  WithExpanded,
} from '../client/relation-types.js';
export type {
  EntityFields,
  EntityItem,
  EntityPatch,
  FieldName,
  FieldValue,
} from '../contract/entity-types.js';
export type { ListPage } from '../contract/paging.js';
export { PROBLEMS, type ProblemCode, type ProblemSpec } from '../contract/problems.js';
export type { SiteConfig } from '../contract/site-config.js';
