import type {
  HttpRequest,
  CosmosDBv4LatestVersionFunctionOptions,
  HttpFunctionOptions,
  HttpMethod,
  InvocationContext,
  StorageQueueFunctionOptions,
  TimerFunctionOptions,
} from '@azure/functions';
import type { HostedFunction } from '../model/requirements.js';
import { CHANGE_DELIVERY_SETTING, type ChangeHandler } from '../runtime/events/change-dispatch.js';
import { changeFeedSource, deliverChanges } from '../runtime/events/change-feed.js';
import { tenantEventsTrigger } from '../runtime/events/tenant-event-delivery.js';
import { CHANGE_OPERATION_FIELD } from '../runtime/values/system-fields.js';
import { callerPolicyFromEnv } from '../runtime/caller/handler-gate.js';
import { gateHandler } from '../runtime/pipeline/function-gate.js';
import { inInvocation } from '../runtime/telemetry/tracer.js';
import type { InProcessRoutes } from '../runtime/in-process/routes.js';
import type { Caller } from '../runtime/caller/caller-view.js';
import { openDataDoor } from '../runtime/in-process/data-door.js';
import { mcpFunctionOf } from '../kit/pure/http-functions.js';
import { APP_ROLE_SETTING, COMPONENT_KEYS_SETTING } from '../model/runtime-manifest.js';

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
  /** Needed when a CrudApi has `onChange` (outside `atakora dev`); `@azure/functions`' `app` has it. */
  cosmosDB?(name: string, options: CosmosDBv4LatestVersionFunctionOptions): void;
}

/** A planned function with the export its handler module gave (whatever the module exports: checked here). */
export interface HostedRegistration extends HostedFunction {
  readonly exported: unknown;
}

/**
 * Register the FunctionsApps' functions with `@azure/functions` v4, as the package entry generated at apply
 * does when the Functions worker loads `main`. HTTP routes are anonymous at the function level, like the
 * CRUD routes, and pass the runtime's gate before their code runs (runtime/caller/handler-gate.ts): signed in, an
 * allowed directory (App Service authentication of a multi-tenant registration admits every directory's
 * token), the function's `access` rules — the policy from the app settings (`env`). Queue triggers
 * connect by identity through
 * the `<connection>__queueServiceUri` app setting (learn.microsoft.com/azure/azure-functions/
 * functions-reference#connecting-to-host-storage-with-an-identity).
 *
 * @example
 * ```ts
 * registerHostedFunctions(app, [
 *   {
 *     name: 'Jobs-tick',
 *     componentId: 'Jobs',
 *     trigger: 'timer',
 *     schedule: '0 0 * * * *',
 *     exported: tick,
 *   },
 * ]);
 * ```
 */
export function registerHostedFunctions(
  app: HostedRegistrar,
  functions: readonly HostedRegistration[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: { readonly inProcess?: InProcessRoutes } = {},
): string[] {
  // An app with a role (the SCIM app: no App Service authentication in front of it) registers none of the
  // FunctionsApps' functions: the runtime registers what that role serves (runtime/start-runtime.ts).
  if (env[APP_ROLE_SETTING]?.trim()) return [];
  const policy = callerPolicyFromEnv(env);
  const keys = componentKeysFromEnv(env);
  for (const f of functions) {
    if (typeof f.exported !== 'function') {
      // A CommonJS module esbuild could not check at bundle time: fail the load loudly, naming the function.
      throw new Error(
        `FUNCTIONS_HANDLER_EXPORT_MISSING: ${f.handler ?? '(no handler)'} of ${f.name} exports ` +
          `${typeof f.exported}, not a function.`,
      );
    }
    const handler = f.exported as (...args: unknown[]) => unknown;
    // A CrudApi's migration: the runtime calls it on reads (startRuntime's migrations), nothing to register.
    if (f.trigger === 'migration') continue;
    if (f.trigger === 'http') {
      const routes = runtime.inProcess;
      const route = f.route ?? f.name;
      const gated = gateHandler(
        handler as HttpFunctionOptions['handler'],
        policy,
        f.access,
        f.name,
        {
          // One server span per request, admission included (runtime/pipeline/stages/trace.ts).
          trace: {
            route,
            component: f.componentId,
            operationOf: () => 'handler',
            caller: (caller) => caller.tracedFunction(),
            // The user's code: its own spans find the request's span as the active context.
            userCode: true,
          },
          // dataOf(request): the CrudApis the function declared, run in this process as its caller.
          ...(routes
            ? {
                door: (
                  request: HttpRequest,
                  caller: Caller,
                  invocation: InvocationContext | undefined,
                ) => {
                  openDataDoor(request, { caller, invocation }, routes, {
                    name: f.name,
                    data: f.data ?? [],
                    keys,
                  });
                },
              }
            : {}),
        },
      );
      app.http(f.name, {
        route,
        methods: [...(f.methods ?? ['GET', 'POST'])] as HttpMethod[],
        authLevel: 'anonymous',
        handler: gated,
      });
      // A tool of the MCP server (`mcp: { description }`): its calls run this very handler, gate included.
      const tool = mcpFunctionOf(f);
      if (tool && routes) routes.addFunction(tool, gated);
    } else if (f.trigger === 'change') {
      // `atakora dev`: the CRUD runtime calls the handler after its own writes, and dev's worker emulates the
      // trigger for every other writer's (seed, migrate: cli/dev/host/change-feed-triggers.ts).
      const inline = env[CHANGE_DELIVERY_SETTING] === 'inline';
      if (inline && !app.cosmosDB) continue;
      if (!app.cosmosDB)
        throw new Error(
          `FUNCTIONS_CHANGE_TRIGGER_INCOMPLETE: the registrar cannot register ${f.name} (no cosmosDB).`,
        );
      app.cosmosDB(f.name, changeTrigger(f, handler, inline));
    } else if (f.trigger === 'tenant-events') {
      // The organizations' audit log, read as its change feed, in Azure and under `atakora dev` alike (dev's
      // worker emulates the trigger on its local containers: cli/dev/host/change-feed-triggers.ts).
      if (!app.cosmosDB)
        throw new Error(
          `FUNCTIONS_CHANGE_TRIGGER_INCOMPLETE: the registrar cannot register ${f.name} (no cosmosDB).`,
        );
      app.cosmosDB(f.name, tenantEventsTrigger(f, handler));
    } else if (f.trigger === 'queue') {
      app.storageQueue(f.name, {
        queueName: f.queueName ?? '',
        connection: f.connection ?? 'AzureWebJobsStorage',
        handler: inTrace(handler),
      });
    } else {
      app.timer(f.name, { schedule: f.schedule ?? '', handler: inTrace(handler) });
    }
  }
  return functions.filter((f) => f.trigger !== 'migration').map((f) => f.name);
}

/**
 * A queue or timer handler run as users' code in its invocation's trace: the spans it starts (a queue send, its
 * own) join the host's operation, and it has an active context while it runs (runtime/telemetry/user-code.ts).
 */
function inTrace(
  handler: (trigger: unknown, context: InvocationContext) => unknown,
): (trigger: unknown, context: InvocationContext) => Promise<unknown> {
  // Always a promise, even from a synchronous handler: the context manager keeps AsyncLocalStorage on until it
  // settles, and takes a result that is not a promise as work whose end is unknown (on for good).
  return (trigger, context) =>
    inInvocation(context, () => Promise.resolve().then(() => handler(trigger, context)));
}

/**
 * The Cosmos DB trigger of a CrudApi's `onChange` (change feed in latest-version mode), on the planned containers
 * (runtime/events/change-feed.ts `changeFeedSource`: the trigger never creates its lease container). Each batch goes document by document to the
 * handler (runtime/events/change-feed.ts `deliverChanges`); a failing handler is logged and the batch completes — no
 * retry policy is set, so the lease moves on and a poison change cannot stall the partition's later changes.
 */
function changeTrigger(
  f: HostedFunction,
  handler: ChangeHandler,
  ownWritesInline = false,
): CosmosDBv4LatestVersionFunctionOptions {
  return {
    ...changeFeedSource(f),
    handler: async (documents, context) => {
      // The change handlers' spans join the invocation's trace (runtime/telemetry/change-span.ts).
      await inInvocation(context, () =>
        deliverChanges(
          f.componentId,
          handler,
          ownWritesInline ? othersOf(documents) : documents,
          (line) => {
            context.error(line);
          },
        ),
      );
    },
  };
}

/**
 * The documents another writer wrote: under inline delivery the runtime has called the handler for its own writes
 * (stamped create, replace or update), which must not reach it twice; `migrate`'s stamp and no stamp are others'.
 */
function othersOf(documents: readonly unknown[]): unknown[] {
  return documents.filter((d) => {
    const op = (d as Record<string, unknown> | null)?.[CHANGE_OPERATION_FIELD];
    return op !== 'create' && op !== 'replace' && op !== 'update';
  });
}

/**
 * The app's component keys by component id (`ATAKORA_COMPONENT_KEYS`, written by apply and `atakora dev`): what
 * `dataOf<typeof backend>(request).<key>` is looked up by. Absent or malformed → none (ids still work).
 */
function componentKeysFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(env[COMPONENT_KEYS_SETTING] ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}
