import type { NormalizedConfig } from '../../../model/config.js';
import type { JsonValue, PlanIssue, PlannedResource } from '../../../model/plan.js';
import { DEFAULT_NAME_RULE, type NameRule } from '../names/azure-name-rules.js';

/** One Private Link target of a resource: the endpoint's subresource and its private DNS zone (fixed by Azure). */
export interface PrivateLinkTarget {
  readonly subresource: string;
  readonly zone: string;
}

/** One diagnostic setting a resource gets when monitoring is on: an optional sub-resource and what it sends. */
export interface DiagnosticFact {
  readonly subResource?: 'blobServices' | 'queueServices' | 'tableServices';
  /** Send the `allLogs` category group (false where the resource has no log categories). */
  readonly allLogs: boolean;
  readonly metrics: readonly string[];
}

/** Azure ceilings no config raises: their violations carry these names (never a key of `limits`). */
export type AzureOnlyLimit = 'lifecycleRulesPerPolicy';

/** One limit of a type: a configured `limits.<limit>` and/or Azure's own ceiling, measured on its planned resources. */
export interface LimitFact {
  readonly limit: keyof NormalizedConfig['limits'] | AzureOnlyLimit;
  /** The violation's solutions when the generic ones (raise it, split, ask for quota) do not apply. */
  readonly solutions?: readonly string[];
  /** What is counted, in the violation's message (`Maximum ${what} exceeded`). */
  readonly what: string;
  /** Azure's own ceiling, applied even when the user sets none (cite the source where it is declared). */
  readonly azure?: number;
  /**
   * With `count`, the other types whose planned resources are the same thing to this limit (the opted-in SCIM app is
   * a Function App: `maxFunctionApps` counts it beside the shared one).
   */
  readonly alsoCounts?: readonly string[];
  /** `count`: the number of planned resources of the type; otherwise one measurement per place. */
  readonly measure:
    | 'count'
    | ((
        resource: PlannedResource,
      ) => readonly { readonly requested: number; readonly where?: string }[]);
}

/**
 * One Azure resource provider a type's resources live in: a fresh subscription must have it registered before
 * Terraform can create them (the deploy preflight reads this, for the types a plan actually deploys).
 */
export interface ResourceProviderFact {
  /** The namespace (Learn, "Resource providers for Azure services"), e.g. `Microsoft.DocumentDB`. */
  readonly namespace: string;
  /** The type's Terraform types in it: exact names, or prefixes ending in `_` (`azurerm_cosmosdb_`). */
  readonly terraformTypes: readonly string[];
  /**
   * The azurerm provider registers it itself at its first call: its default `legacy` set
   * (internal/resourceproviders/required.go@v4.55.0). Otherwise the user must register it before deploying.
   */
  readonly registeredByAzurerm: boolean;
}

/**
 * The smallest use of a type, as data: what the conformance suite plans and synthesizes for it, and what a
 * reader of docs/resource-types.md can copy. Requirements are what a component would return; `backend` is the
 * backend config a type needs switched on (backend-level types: monitoring, networking).
 */
export interface ResourceSample {
  readonly requirements: readonly {
    readonly resourceType: string;
    readonly config: Readonly<Record<string, unknown>>;
  }[];
  readonly backend?: Readonly<Record<string, unknown>>;
}

/**
 * What a resource type *is*, as data — the facts other parts of the library used to keep in tables of their
 * own: whether destroying it loses data (read by `diffPlans`, `prevent_destroy` and the deploy guard), its
 * Azure name rule and global uniqueness (naming, apply's collision check), its Private Link subresources and
 * DNS zones (isolated networking), its diagnostic categories (monitoring), its price model (cost docs), its
 * limits, the Azure resource providers its resources live in (the deploy preflight) and a sample that plans it
 * (the conformance suite, test/resources/conformance.test.ts, which checks every fact of every
 * registered type). Declared in the type's own folder (`src/resources/<type>/facts.ts`), set on the
 * type as
 * `facts`, read through the one registry `src/resources/facts.ts`.
 *
 * @example
 * ```ts
 * export const keyVaultFacts: ResourceFacts = {
 *   dataHolding: true,
 *   terraformTypes: { data: ['azurerm_key_vault'], globalName: ['azurerm_key_vault'] },
 *   name: {
 *     min: 3,
 *     max: 24,
 *     chars: /^[a-zA-Z0-9-]+$/,
 *     lowercase: true,
 *     hyphens: true,
 *     global: true,
 *     startsWithLetter: true,
 *   },
 *   privateLink: { targets: [{ subresource: 'vault', zone: 'privatelink.vaultcore.azure.net' }] },
 *   resourceProviders: [registeredByAzurerm('Microsoft.KeyVault', 'azurerm_key_vault')],
 *   sample: { requirements: [{ resourceType: 'keyvault', config: { secrets: ['api-key'] } }] },
 *   diagnostics: () => [{ allLogs: true, metrics: ['AllMetrics'] }],
 *   price: {
 *     model: 'no monthly fee; operations per 10,000',
 *     sources: ['https://azure.microsoft.com/pricing/details/key-vault/'],
 *   },
 * };
 * ```
 */
export interface ResourceFacts {
  /** Destroying it loses data: a replacement or removal is a `STATEFUL_*` error and apply sets `prevent_destroy`. */
  readonly dataHolding: boolean;
  readonly terraformTypes: {
    /** Terraform types of this resource whose destroy loses data (the account, its databases, containers …). */
    readonly data?: readonly string[];
    /**
     * Terraform types that carry the resource's globally unique Azure name (two backends of one app
     * may not share it).
     */
    readonly globalName?: readonly string[];
  };
  /** Azure's naming rule (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). */
  readonly name: NameRule;
  /** Private endpoints in isolated mode; `when` narrows it to configs that support one (a tier). */
  readonly privateLink?: {
    readonly targets: readonly PrivateLinkTarget[];
    when?(config: PlannedResource['config']): boolean;
  };
  /** Diagnostic settings of one planned resource when monitoring is on (none when absent). */
  diagnostics?(resource: PlannedResource): readonly DiagnosticFact[];
  /**
   * The Azure resource providers of every `azurerm_*` Terraform type its `deploys` lists (the deploy preflight
   * checks they are registered). Role assignments, identities and diagnostic settings are the shared
   * `COMMON_RESOURCE_PROVIDERS` (kit/pure/resources/resource-providers.ts) and need no line here.
   */
  readonly resourceProviders?: readonly ResourceProviderFact[];
  /** The smallest use of the type (see {@link ResourceSample}); the conformance suite plans it. */
  readonly sample?: ResourceSample;
  /** How `monthlyUsd` prices it, and where the numbers come from (docs/cost-model.md). */
  readonly price: { readonly model: string; readonly sources: readonly string[] };
  readonly limits?: readonly LimitFact[];
  /**
   * A config change Terraform cannot apply in place (azurerm ForceNew or a CustomizeDiff that forces new),
   * so the whole resource is replaced. Path is the merged-config path of the change.
   */
  forcesNew?(
    path: readonly (string | number)[],
    before: JsonValue | undefined,
    after: JsonValue | undefined,
  ): boolean;
  /**
   * A warning the diff adds for an in-place change Azure never undoes (Cosmos DB's periodic → continuous backup);
   * `path` is the merged-config path of the change, `resourceKey` the planned resource's key.
   */
  changeIssue?(
    resourceKey: string,
    path: readonly (string | number)[],
    before: JsonValue | undefined,
    after: JsonValue | undefined,
  ): PlanIssue | undefined;
  /**
   * How a planned resource of the type is backed up, in words (Cosmos DB's `backup` block): `value` the mode,
   * `text` the line every plan format shows; undefined when there is nothing to say (an existing account).
   */
  backupLine?(
    resource: Pick<PlannedResource, 'type' | 'config'>,
  ): { readonly value: string; readonly text: string } | undefined;
}

/**
 * The facts of a type the library does not know (a custom provider's): the conservative name rule, treated as
 * globally unique, not data-holding (the provider's own Terraform types are unknown), priced by the provider.
 *
 * @example
 * ```ts
 * CUSTOM_TYPE_FACTS.name.global; // true
 * ```
 */
export const CUSTOM_TYPE_FACTS: ResourceFacts = {
  dataHolding: false,
  terraformTypes: {},
  name: DEFAULT_NAME_RULE,
  resourceProviders: [],
  price: { model: "the provider's estimateMonthlyUsd(), else 0", sources: [] },
};

/**
 * Declare a type's facts with their literal shape checked.
 *
 * @example
 * ```ts
 * export const storageFacts = defineResourceFacts({
 *   dataHolding: true,
 *   terraformTypes: { data: ['azurerm_storage_account'] },
 *   name: rule,
 *   price,
 * });
 * ```
 */
export function defineResourceFacts<T extends ResourceFacts>(facts: T): T {
  return facts;
}
