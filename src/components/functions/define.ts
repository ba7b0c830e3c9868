import { checkComponentId } from '../component-id.js';
import { authOutput } from '../../kit/pure/entra.js';
import type { ComponentDefinition } from '../../model/component.js';
import { builtInDefinition } from '../../kit/pure/component-definition.js';
import { frozenPlainData } from '../../kit/pure/plain-data.js';
import type { HostedFunction, ResourceRequirement } from '../../model/requirements.js';
import type { FunctionsRequirementConfig } from '../../resources/functions/requirement.js';
import type { StorageRequirementConfig } from '../../resources/storage/requirement.js';
import { settingPrefix } from '../../kit/pure/names/terraform-names.js';
import { queueConnectionOf } from '../../resources/functions/queue-connections.js';
import { ref } from '../../resources/refs.js';
import type { KeyVaultRequirementConfig } from '../../resources/keyvault/type.js';
import { secretReferenceSetting, vaultSecretName } from '../../kit/pure/names/secret-names.js';
import type { FunctionDefinition, FunctionsAppConfig } from './config.js';
import { tenantEventsFeed, tenantEventsRequirements } from './tenant-events-plan.js';
import type { FunctionsAppHandle } from './handle.js';
import { normalizeFunctionsConfig, type NormalizedFunctionsConfig } from './normalize.js';

/**
 * A FunctionsApp definition; `TId` is the literal id so builder keys are typed.
 *
 * @example
 * ```ts
 * const orders: FunctionsAppDefinition<'OrderProcessor'> = FunctionsApp.define('OrderProcessor', {
 *   runtime: 'node',
 *   functions: {
 *     'process-order': {
 *       trigger: 'queue',
 *       queueName: 'orders',
 *       handler: './src/functions/process-order.ts',
 *     },
 *   },
 * });
 * ```
 */
export type FunctionsAppDefinition<
  TId extends string = string,
  TFunctions extends Readonly<Record<string, FunctionDefinition>> = Readonly<
    Record<string, FunctionDefinition>
  >,
> = ComponentDefinition<TId, 'FunctionsApp', FunctionsAppConfig, FunctionsAppHandle<TFunctions>>;

/**
 * Define a FunctionsApp (phase 1: nothing is created). The config is checked now, so mistakes point here.
 *
 * It asks for a `functions` requirement (runtime, version, SKU, one slot per function) — so a node 22 app
 * shares the CrudApis' Function App while python or node 20 get their own — and a `storage` requirement
 * listing its queues (its queue triggers' and `queues`), which apply creates. Settings it adds
 * (namespaced by the planner):
 * `STORAGE__queueServiceUri` (an identity-based connection, use `connection: '<PREFIX>_STORAGE'`),
 * `QUEUE_<FUNCTION>` and `SCHEDULE_<FUNCTION>` (for `%…%` binding expressions).
 *
 * Code: on a Node app each function names its `handler` module, which apply bundles into the package of the
 * Function App that hosts it (with the CRUD runtime when that app is shared); other runtimes bring a prebuilt
 * `codePath` folder and get an app of their own.
 *
 * @example
 * ```ts
 * const processor = defineFunctionsApp('OrderProcessor', {
 *   runtime: 'node',
 *   version: '20',
 *   functions: {
 *     'process-order': {
 *       trigger: 'queue',
 *       queueName: 'orders',
 *       handler: './src/functions/process-order.ts',
 *     },
 *   },
 * });
 * ```
 */
export function defineFunctionsApp<
  const TId extends string,
  const TFunctions extends Readonly<Record<string, FunctionDefinition>> = Readonly<
    Record<string, FunctionDefinition>
  >,
>(
  id: TId,
  config: FunctionsAppConfig & { readonly functions: TFunctions },
): FunctionsAppDefinition<TId, TFunctions> {
  checkComponentId(id);
  const n = normalizeFunctionsConfig(id, config);
  const priority = config.priority ?? 10;
  const generated: Record<string, string> = {};
  if (n.queues.length > 0) generated['STORAGE__queueServiceUri'] = ref('storage', 'queueEndpoint');
  for (const f of n.functions) {
    if (f.queueName) generated[`QUEUE_${settingPrefix(f.name)}`] = f.queueName;
    if (f.schedule) generated[`SCHEDULE_${settingPrefix(f.name)}`] = f.schedule;
  }
  const events = tenantEventsRequirements(id, n, priority);
  Object.assign(generated, events.settings);
  const functions: FunctionsRequirementConfig = {
    ...code(id, n),
    runtime: n.runtime,
    version: n.version,
    ...(config.sku ? { sku: config.sku } : {}),
    ...(config.alwaysOn !== undefined ? { alwaysOn: config.alwaysOn } : {}),
    functionCount: n.functions.length,
    // Generated settings live under the component's prefix, where the runtime looks for them.
    environmentVariables: generated,
    // The user's own under the names they wrote: `process.env.NOTIFY_URL`, in Azure as under atakora dev.
    ...(Object.keys(n.environmentVariables).length > 0
      ? { declaredSettings: { ...n.environmentVariables } }
      : {}),
    // What queueClient(name) may send to, through this component's connection (the one its triggers use).
    ...(n.queues.length > 0
      ? { queues: Object.fromEntries(n.queues.map((q) => [q, queueConnectionOf(id)])) }
      : {}),
  };
  const storage: StorageRequirementConfig = {
    tier: 'Standard',
    replication: 'LRS',
    ...(n.queues.length ? { queues: n.queues } : {}),
  };
  const requirements: ResourceRequirement[] = [
    {
      resourceType: 'functions',
      requirementKey: `${id}-functions`,
      priority,
      config: { ...functions, ...secretSettings(n.secrets) },
    },
    { resourceType: 'storage', requirementKey: `${id}-storage`, priority, config: { ...storage } },
    ...secretVault(id, n.secrets, priority),
    ...events.requirements,
  ];
  const functionNames = n.functions.map((f) => f.name);
  const httpRoutes = n.functions
    .filter((f) => f.route)
    .map((f) => `api/${f.route}`)
    .sort();
  return builtInDefinition<FunctionsAppDefinition<TId, TFunctions>>({
    componentId: id,
    componentType: 'FunctionsApp' as const,
    config,
    priority,
    requirements,
    outputs: (ctx) => {
      const func = ctx.resource('functions');
      const host = func ? `${func.name}.azurewebsites.net` : '';
      // Keys in code-unit order, the plan's order (the planner keeps an ordered object as it is).
      return {
        ...authOutput(ctx.config, host ? `https://${host}` : ''),
        defaultHostname: host,
        endpoint: host ? `https://${host}` : '',
        functionAppName: func?.name ?? '',
        functionNames,
        httpRoutes,
        queues: [...n.queues],
        runtime: n.runtime,
        storageAccountName: ctx.resource('storage')?.name ?? '',
        version: n.version,
      };
    },
  });
}

/**
 * Each declared secret is an app setting of its own name (the code reads `process.env.STRIPE_KEY`), not
 * namespaced: a shared setting, so two components of one app that declare one secret read the one value.
 */
function secretSettings(
  secrets: readonly string[],
): Pick<FunctionsRequirementConfig, 'sharedSettings'> {
  if (secrets.length === 0) return {};
  return { sharedSettings: Object.fromEntries(secrets.map((s) => [s, secretReferenceSetting(s)])) };
}

/** The backend's vault, holding the declared secrets (by their vault names), read by the app's identity. */
function secretVault(
  id: string,
  secrets: readonly string[],
  priority: number,
): ResourceRequirement[] {
  if (secrets.length === 0) return [];
  const config: KeyVaultRequirementConfig = {
    secrets: secrets.map(vaultSecretName),
    access: 'read',
  };
  return [
    { resourceType: 'keyvault', requirementKey: `${id}-keyvault`, priority, config: { ...config } },
  ];
}

/** What the app's package registers for this component (Node handlers), or the prebuilt folder it deploys. */
function code(
  id: string,
  n: NormalizedFunctionsConfig,
): Pick<FunctionsRequirementConfig, 'hostedFunctions' | 'codePath'> {
  if (n.codePath !== undefined) return { codePath: n.codePath };
  if (n.runtime !== 'node') return {};
  // The same identity-based connection the STORAGE__queueServiceUri setting above defines, namespaced.
  const connection = queueConnectionOf(id);
  const hostedFunctions = n.functions.map(
    (f): HostedFunction => ({
      name: `${id}-${f.name}`,
      componentId: id,
      trigger: f.trigger,
      ...(f.handler ? { handler: f.handler } : {}),
      ...(f.route ? { route: f.route, methods: [...(f.methods ?? [])] } : {}),
      ...(f.queueName ? { queueName: f.queueName, connection } : {}),
      ...(f.schedule ? { schedule: f.schedule } : {}),
      ...(f.events ? { events: [...f.events], ...tenantEventsFeed(id) } : {}),
      ...(f.requestSchema ? { requestSchema: f.requestSchema } : {}),
      ...(f.responseSchema ? { responseSchema: f.responseSchema } : {}),
      ...(f.access ? { access: f.access } : {}),
      ...(f.data ? { data: f.data } : {}),
      ...(f.mcp ? { mcp: f.mcp } : {}),
    }),
  );
  // The Function App's merged config lists these as they are: plain and frozen once here, every plan keeps them.
  return { hostedFunctions: frozenPlainData(hostedFunctions) };
}
