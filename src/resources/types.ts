import { AtakoraFault } from '../model/fault.js';
import type { PlannedResource } from '../model/plan.js';
import type { BackendResourceType } from '../kit/pure/resources/backend-resource-type.js';
import type { AnyResourceType, MergedConfigOf } from '../kit/pure/resources/resource-type.js';
import { cdnType } from './cdn/type.js';
import { cosmosType } from './cosmos/type.js';
import { emailType, type MergedEmailConfig } from './email/type.js';
import { openaiType, type MergedOpenAiConfig } from './openai/type.js';
import { functionsType } from './functions/type.js';
import { scimAppType, type MergedScimAppConfig } from './functions/scim-app/scim-type.js';
import { keyVaultType } from './keyvault/type.js';
import { monitoringType, type MergedMonitoringConfig } from './monitoring/type.js';
import { networkType, type MergedNetworkConfig } from './network/type.js';
import { serviceBusType } from './servicebus/type.js';
import { staticSiteType } from './staticsite/type.js';
import { storageType } from './storage/type.js';
import { webPubSubType } from './webpubsub/type.js';

/**
 * The pure side's one registry: every built-in resource type the planner knows, by name. The planner imports
 * this file and nothing else under `resources/`; apply's twin is `provisioners.ts`, whose mapped type makes the
 * compiler fail when a name here has no provisioner.
 */
export const BUILTIN_RESOURCE_TYPES = {
  cosmos: cosmosType,
  functions: functionsType,
  storage: storageType,
  staticsite: staticSiteType,
  cdn: cdnType,
  keyvault: keyVaultType,
  servicebus: serviceBusType,
  webpubsub: webPubSubType,
} as const;

/**
 * Backend-level types (monitoring, networking), planned in this order after the component resources, each seeing
 * the ones before it: Azure OpenAI before the network, which plans its private endpoint under isolated networking.
 */
export const BUILTIN_BACKEND_RESOURCE_TYPES = {
  monitoring: monitoringType,
  openai: openaiType,
  network: networkType,
  email: emailType,
  // After the component resources it reads (the CRUD runtime's app, the registry's Cosmos DB account): its own app.
  scim: scimAppType,
} as const satisfies Readonly<Record<string, BackendResourceType>>;

/** The names of the built-in component resource types. */
export type BuiltinTypeName = keyof typeof BUILTIN_RESOURCE_TYPES;
/** The names of the built-in backend-level types. */
export type BuiltinBackendTypeName = keyof typeof BUILTIN_BACKEND_RESOURCE_TYPES;
/** The merged config a built-in type writes into the plan (what its provisioner reads). */
export type BuiltinMergedConfig<K extends BuiltinTypeName> = MergedConfigOf<
  (typeof BUILTIN_RESOURCE_TYPES)[K]
>;

/** The built-in types as the planner iterates them. Custom providers are added to these, never replace them. */
export const BUILTIN_TYPES: ReadonlyMap<string, AnyResourceType> = new Map(
  Object.values(BUILTIN_RESOURCE_TYPES).map((t): [string, AnyResourceType] => [t.type, t]),
);

/** The backend-level types, in the order they run. */
export const BUILTIN_BACKEND_TYPES: readonly BackendResourceType[] = Object.values(
  BUILTIN_BACKEND_RESOURCE_TYPES,
);

/** The merged config of each backend-level type (they build their planned resource themselves). */
export interface BackendMergedConfigs {
  readonly monitoring: MergedMonitoringConfig;
  readonly network: MergedNetworkConfig;
  readonly email: MergedEmailConfig;
  readonly openai: MergedOpenAiConfig;
  readonly scim: MergedScimAppConfig;
}

/**
 * A planned resource's merged config, typed by its type — the one place the plan's JSON config is read back as
 * the shape its type wrote (Amplify's `ConstructFactory<T>` carries the type the same way). The type is
 * checked at run time: asking for another type's config is a bug ({@link AtakoraFault}), not a wrong cast.
 *
 * @example
 * ```ts
 * mergedConfigOf('functions', plan.resources.find((r) => r.key === 'functions:shared')!).hostedFunctions;
 * ```
 */
export function mergedConfigOf<K extends BuiltinTypeName>(
  type: K,
  resource: PlannedResource,
): BuiltinMergedConfig<K>;
export function mergedConfigOf<K extends BuiltinBackendTypeName>(
  type: K,
  resource: PlannedResource,
): BackendMergedConfigs[K];
// Sound by construction: this type's merge (or plan, for backend types) wrote this config, and a JSON round trip
// keeps every merged config's shape (they are JSON data). The overloads state that link, checked here by type.
export function mergedConfigOf(type: string, resource: PlannedResource): object {
  if (resource.type !== type)
    throw new AtakoraFault(
      `mergedConfigOf('${type}') was given planned resource ${resource.key} of type ${resource.type}.`,
    );
  return resource.config;
}
