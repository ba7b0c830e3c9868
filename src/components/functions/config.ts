import type { FunctionAccessRule } from '../../model/runtime-manifest.js';
import type { FunctionRuntime } from '../../model/requirements.js';
import type { FunctionShape } from '../../contract/functions-contract.js';
import type { TenantEventType } from '../../contract/tenant-events.js';

/**
 * What starts a function. Each trigger has its own required option in {@link FunctionDefinition}; a `queue`
 * trigger also makes the planner create its queue in the shared storage account; `tenant-events` delivers the
 * organizations' events (docs/tenants.md, "Tenant events").
 *
 * @example
 * ```ts
 * const trigger: FunctionTrigger = 'queue';
 * const fn: FunctionDefinition = { trigger, queueName: 'orders' };
 * ```
 */
export type FunctionTrigger = 'http' | 'queue' | 'timer' | 'tenant-events';

export type { HttpMethod } from '../../contract/functions-contract.js';
export type {
  TenantEvent,
  TenantEventSubject,
  TenantEventType,
} from '../../contract/tenant-events.js';
import type { TenantEvent } from '../../contract/tenant-events.js';

/**
 * The default export of a `tenant-events` function's handler module: called with each event (at least once; a
 * throw has it delivered again, with the same `id`, up to 5 times).
 *
 * @example
 * ```ts
 * const welcome: TenantEventHandler = async (event) => {
 *   if (event.type === 'member.added') console.log(`welcome ${event.subject.id} to ${event.tenant}`);
 * };
 * export default welcome;
 * ```
 */
export type TenantEventHandler = (event: TenantEvent) => unknown;

/**
 * One function of a FunctionsApp. Each option belongs to its trigger: `route`/`methods` to `http`,
 * `queueName` to `queue` (required), `schedule` to `timer` (required, 6-field NCRONTAB).
 *
 * @example
 * ```ts
 * const fn: FunctionDefinition = { trigger: 'timer', schedule: '0 0 * * * *' }; // hourly
 * ```
 */
export interface FunctionDefinition extends FunctionShape {
  readonly trigger: FunctionTrigger;
  /**
   * HTTP only: route under `api/` (the host adds the prefix: `'hello'` is served at `/api/hello`; a leading
   * `api/` is dropped, so `'api/hello'` is too, never `/api/api/hello`). Default the function name. A route
   * another component of the same Function App serves (a CrudApi's `users`, `users/{id}`, the runtime's
   * `health`) with a common method is a plan error, `ROUTE_CONFLICT`. ASP.NET Core template syntax: `{id}`,
   * `{id?}`, `{*rest}`, constraints `{id:int}`, `{c:length(3)}`. A route that can match `/api/health` (any
   * method: the path is exempt from sign-in) is `ROUTE_HEALTH_EXEMPT`; one that the host, trying routes in
   * function-name order, would answer instead of a CRUD route (or never reach behind one) is `ROUTE_SHADOWED`.
   */
  readonly route?: string;
  /** Queue only: the storage queue to listen on; apply creates it. */
  readonly queueName?: string;
  /** Timer only: `{second} {minute} {hour} {day} {month} {day-of-week}`. */
  readonly schedule?: string;
  /**
   * `tenant-events` only: the events the handler takes (default all of them). The handler gets each as a
   * {@link TenantEvent} `{ id, type, tenant, actor, subject, at, changes? }`, at least once (`id` is the same on a
   * redelivery). Needs tenants by membership (`TENANT_EVENTS_NEED_MEMBERSHIP`); an unknown name is
   * `FUNCTIONS_TENANT_EVENTS_INVALID`.
   *
   * @example
   * ```ts
   * const welcome: FunctionDefinition = {
   *   trigger: 'tenant-events',
   *   events: ['member.added'],
   *   handler: './src/welcome-mail.ts',
   * };
   * ```
   */
  readonly events?: readonly TenantEventType[];
  /**
   * Node apps: the module whose default export handles this function, relative to the working directory
   * (`'./src/functions/process-order.ts'`), or a named export (`'./src/functions/orders.ts#processOrder'`).
   * TypeScript or JavaScript; apply bundles it with the app's package. Required on Node apps at apply.
   */
  readonly handler?: string;
  /**
   * HTTP only, optional: the JSON Schema of the request body, shown in the OpenAPI document (`atakora openapi`,
   * `GET api/openapi.json`). Documentation only: the handler still validates its input.
   *
   * @example
   * ```ts
   * const fn: FunctionDefinition = {
   *   trigger: 'http',
   *   route: 'orders/submit',
   *   methods: ['POST'],
   *   requestSchema: {
   *     type: 'object',
   *     required: ['sku'],
   *     properties: { sku: { type: 'string' } },
   *   },
   * };
   * ```
   */
  readonly requestSchema?: { readonly [keyword: string]: unknown };
  /** HTTP only, optional: the JSON Schema of the response body (200), shown in the OpenAPI document. */
  readonly responseSchema?: { readonly [keyword: string]: unknown };
  /**
   * HTTP only: who may call, checked by the runtime before the handler runs — after the admission every route
   * passes (signed in, a directory `auth.allowedTenants` admits: 401 / 403 `tenant-not-allowed`). Default
   * `[{ allow: 'authenticated' }]`; `{ allow: 'role', role }` needs the app role (403 `access-denied` otherwise);
   * `{ allow: 'anonymous' }` opens the function to everyone, signed in or not (plan warning `FUNCTION_ANONYMOUS`;
   * its route must be literal). The handler reads the admitted caller with `callerOf(request)`.
   *
   * @example
   * ```ts
   * const refund: FunctionDefinition = {
   *   trigger: 'http',
   *   route: 'orders/refund',
   *   methods: ['POST'],
   *   handler: './src/refund.ts',
   *   access: [{ allow: 'role', role: 'OrderAdmin' }],
   * };
   * ```
   */
  readonly access?: readonly FunctionAccessRule[];
  /**
   * HTTP only: the CrudApis this function's handler reaches with `dataOf(request)` (`@atakora/component/runtime`),
   * by component id. Each call runs in-process through that CrudApi's own route — as the caller, under its access
   * rules, tenant, limits and ledger; the FunctionsApp's identity gets the data role on exactly those containers. A
   * CrudApi the backend lacks is plan error `FUNCTIONS_DATA_UNKNOWN`; the function must share the CrudApis'
   * Function App (`FUNCTIONS_DATA_APART`). See docs/functions.md ("Data as the caller").
   *
   * @example
   * ```ts
   * const stats: FunctionDefinition = {
   *   trigger: 'http',
   *   route: 'tickets/stats',
   *   methods: ['GET'],
   *   handler: './src/ticket-stats.ts',
   *   data: ['TicketApi'],
   * };
   * ```
   */
  readonly data?: readonly string[];
  /**
   * HTTP only: make this function a tool of the backend's MCP server (`BackendConfig.mcp`), described to agents by
   * `description`; its `requestSchema` is the tool's input schema, its `access` rules decide who sees it. Without
   * this an HTTP function is never a tool.
   *
   * @example
   * ```ts
   * const stats: FunctionDefinition = {
   *   trigger: 'http',
   *   route: 'tickets/stats',
   *   methods: ['GET'],
   *   mcp: { description: 'Counts of open and closed tickets of your organization.' },
   * };
   * ```
   */
  readonly mcp?: { readonly description: string };
}

/**
 * Configuration of a FunctionsApp (the seeds' shape).
 *
 * @example
 * ```ts
 * const config: FunctionsAppConfig = {
 *   runtime: 'node',
 *   version: '20',
 *   functions: {
 *     'process-order': {
 *       trigger: 'queue',
 *       queueName: 'orders',
 *       handler: './src/functions/process-order.ts',
 *     },
 *   },
 * };
 * ```
 */
export interface FunctionsAppConfig {
  readonly runtime: FunctionRuntime;
  /** Default per runtime (node `22`, python `3.12`, dotnet-isolated `8.0`, java `21`, powershell `7.4`). */
  readonly version?: string;
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  /**
   * App settings under the names written (`{ NOTIFY_URL }` is `process.env.NOTIFY_URL`, in Azure and under
   * `atakora dev`). App-wide: another component of the same Function App may declare a name only with the same
   * value; platform names (`FUNCTIONS_*`, `WEBSITE_*`, `AzureWebJobs*`, …) and names in `secrets` are plan
   * errors; values shaped like credentials a warning — put those in `secrets`.
   */
  readonly environmentVariables?: Readonly<Record<string, string>>;
  /**
   * Hosting plan SKU. Default `FC1` (Flex Consumption); `EP1`–`EP3` (Elastic Premium) and Dedicated plans
   * (`B1`, `S1`, `P0v3`, …) also work; the group takes the highest. `Y1` (Linux Consumption) is a plan error
   * (FUNCTIONS_SKU_UNSUPPORTED).
   */
  readonly sku?: string;
  readonly alwaysOn?: boolean;
  /** Conflict resolution against other components (higher wins). Default 10. */
  readonly priority?: number;
  /**
   * A prebuilt app folder with its own `host.json` (Python, .NET, Java, PowerShell — or a Node app built
   * elsewhere), relative to the working directory and deployed as is. Functions then take no `handler`,
   * and the app gets a Function App of its own: two packages never share one app.
   */
  readonly codePath?: string;
  /**
   * Secrets the app's code reads from its environment (`process.env.STRIPE_KEY`), by name: `^[A-Z][A-Z0-9_]*$`.
   * Never values: the plan creates the backend's Key Vault, an app setting of that name holding a Key Vault
   * reference (the vault's secret is the name with `-` for `_`: `STRIPE-KEY`) and a Key Vault Secrets User role
   * for the identity that resolves it. Set each value with `atakora secret set <entry> STRIPE_KEY` (stdin);
   * `atakora dev` reads it from the environment variable of that name, else `.atakora/secrets.json`.
   *
   * @example
   * ```ts
   * const config: FunctionsAppConfig = {
   *   runtime: 'node',
   *   secrets: ['STRIPE_KEY'],
   *   functions: { pay: { trigger: 'http', handler: './src/pay.ts' } },
   * };
   * ```
   */
  readonly secrets?: readonly string[];
  /**
   * Storage queues the app's code sends to with `queueClient(name)` (`@atakora/component/runtime`), by name: 3-63
   * lowercase letters, digits and single hyphens, like a queue trigger's `queueName`. Each is created in the
   * storage account the app's queue triggers use (a queue trigger's `queueName` declares its queue too), and the
   * app's identity for this component gets Storage Queue Data Contributor on that account. Only declared queues
   * can be sent to: a `queueClient('name')` literal naming another is refused when the package is built
   * (`QUEUE_UNDECLARED`), any other name when it is called.
   *
   * @example
   * ```ts
   * const config: FunctionsAppConfig = {
   *   runtime: 'node',
   *   queues: ['emails'],
   *   functions: { signup: { trigger: 'http', handler: './src/signup.ts' } },
   * };
   * ```
   */
  readonly queues?: readonly string[];
}
