import { requirementPath } from '../../kit/pure/resources/requirement-path.js';
import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue, PlannedDeploy } from '../../model/plan.js';
import type { SourcedRequirement } from '../../model/requirements.js';
import { keyVaultFacts } from './facts.js';
import {
  defineResourceType,
  type TypedRequirement,
} from '../../kit/pure/resources/resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { resourceName } from '../../kit/pure/names/naming.js';
import { tfName } from '../../kit/pure/names/terraform-names.js';
import { at } from '../../model/at.js';
import { mergeSigningKeys, type PlannedSigningKey, signingKeyDeploys } from './signing-keys.js';

export type { PlannedSigningKey } from './signing-keys.js';

/**
 * Config of a `keyvault` requirement. Every component's requirement joins the backend's one vault (a
 * separate one only for `sku: 'premium'`). Secret **names** only: values never travel through config or
 * Terraform state; the plan gives the Key Vault reference string to put in app settings instead.
 *
 * @example
 * ```ts
 * const req = {
 *   resourceType: 'keyvault',
 *   requirementKey: 'Billing-kv',
 *   config: { secrets: ['stripe-key'], access: 'read' },
 * };
 * ```
 */
export interface KeyVaultRequirementConfig {
  /** Names of the secrets the component reads (1-127 letters, digits and hyphens). Set their values out of band. */
  readonly secrets?: readonly string[];
  /**
   * Data-plane role of the component's Function App: `read` → Key Vault Secrets User (default),
   * `readwrite` → Secrets Officer.
   */
  readonly access?: 'read' | 'readwrite';
  /** Soft-delete retention, 7-90 days (default 90); the vault takes the highest asked for. */
  readonly softDeleteRetentionDays?: number;
  /** Default `'standard'`; `'premium'` (HSM-backed keys) is a vault of its own. Part of the compatibility key. */
  readonly sku?: 'standard' | 'premium';
  /**
   * For a consumer that is no component (the runtime's billing, `atakora:billing`): the component whose Function App
   * reads the secrets for it — that app's identity gets the role. Absent: the consumer's own app.
   */
  readonly readsIn?: string;
  /**
   * Names of EC P-256 signing keys (ES256) the component signs with: apply creates each in the vault and gives the
   * component's identity Key Vault Crypto User on it (sign, read the public key). A requirement naming keys and no
   * secrets asks for no secrets role.
   */
  readonly signingKeys?: readonly string[];
}

/** The merged `keyvault` config in the plan. */
export interface MergedKeyVaultConfig {
  sku: 'standard' | 'premium';
  softDeleteRetentionDays: number;
  /** Secret names, unioned and sorted. The secrets themselves are not created by apply. */
  secrets: string[];
  /** Component id → the access it asked for (`readwrite` wins over `read`). */
  access: Record<string, 'read' | 'readwrite'>;
  /** `https://<vault>.vault.azure.net/` */
  vaultUri: string;
  /** Secret name → the app-setting value `@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)`. */
  references: Record<string, string>;
  /**
   * A consumer that is no component → the component whose Function App reads for it (`readsIn`); absent when every
   * consumer reads in its own app.
   */
  readsIn?: Record<string, string>;
  /** Signing keys by name; absent when no component signs with one. */
  signingKeys?: Record<string, PlannedSigningKey>;
}

/**
 * The Function App key a consumer's grant goes to: its own component's, or — for a consumer that is no component —
 * that of the component it reads in (`readsIn`).
 *
 * @example
 * ```ts
 * const keyOf = readingApp(config.readsIn, (id) => usage.get(id)?.['functions']);
 * keyOf('atakora:billing'); // the CRUD runtime's functions key
 * ```
 */
export function readingApp(
  readsIn: Readonly<Record<string, string>> | undefined,
  functionsKeyOf: (componentId: string) => string | undefined,
): (consumer: string) => string | undefined {
  return (consumer) => functionsKeyOf(readsIn?.[consumer] ?? consumer);
}

/**
 * The built-in role a signing key's users get on it: "Perform cryptographic operations using keys" — its data
 * actions include `keys/sign/action` and `keys/read` (the public key), never the private key's export
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-crypto-user).
 */
export const KEYVAULT_KEY_USER_ROLE = 'Key Vault Crypto User';

/** Built-in Azure RBAC roles for secrets, by access. */
export const KEYVAULT_SECRET_ROLES = {
  read: 'Key Vault Secrets User',
  readwrite: 'Key Vault Secrets Officer',
} as const;

/**
 * Soft-delete retention Azure accepts, in days
 * (https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview).
 */
export const KEYVAULT_RETENTION = { min: 7, max: 90, default: 90 } as const;

/**
 * Key Vault object names: 1-127 alphanumerics and hyphens
 * (https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates).
 */
const SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;

const cfg = (r: TypedRequirement<KeyVaultRequirementConfig>): KeyVaultRequirementConfig =>
  r.requirement.config;
const skuOf = (r: TypedRequirement<KeyVaultRequirementConfig>): string => cfg(r).sku ?? 'standard';
const path = (r: SourcedRequirement, ...rest: (string | number)[]) =>
  requirementPath(r, 'config', ...rest);

/**
 * The Key Vault reference string for one secret: what a component puts in an app setting (the Function App
 * resolves it with its managed identity).
 *
 * @example
 * ```ts
 * keyVaultReference('kv-backend-dev-k3x9a1', 'stripe-key'); // '@Microsoft.KeyVault(VaultName=kv-backend-dev-k3x9a1;SecretName=stripe-key)'
 * ```
 */
export function keyVaultReference(vaultName: string, secretName: string): string {
  return `@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})`;
}

/**
 * One role assignment per Function App that serves a consumer (not per component: Azure refuses a second
 * assignment of the same role to the same identity at the same scope, and components on one app share its
 * identity anyway). The app gets `readwrite` when any of its components asked for it.
 *
 * @example
 * ```ts
 * keyVaultGrants('backend_keyvault_shared', { Billing: 'read' }, (id) => 'functions:shared');
 * // [{ functionsKey: 'functions:shared', access: 'read', name: 'backend_keyvault_shared_ra_functions_shared' }]
 * ```
 */
export function keyVaultGrants(
  vaultTfName: string,
  access: Readonly<Record<string, 'read' | 'readwrite'>>,
  functionsKeyOf: (componentId: string) => string | undefined,
): { functionsKey: string; access: 'read' | 'readwrite'; name: string }[] {
  const byApp = new Map<string, 'read' | 'readwrite'>();
  for (const [componentId, mode] of Object.entries(access)) {
    const key = functionsKeyOf(componentId);
    if (key) byApp.set(key, byApp.get(key) === 'readwrite' ? 'readwrite' : mode);
  }
  return [...byApp]
    .sort(([a], [b]) => compare(a, b))
    .map(([functionsKey, mode]) => ({
      functionsKey,
      access: mode,
      name: tfName(vaultTfName, 'ra', functionsKey),
    }));
}

/**
 * Key Vault: one vault per backend (per SKU), RBAC-authorised, purge-protected, holding only the secret
 * names components declared. Apply grants each consumer's Function App identity a secrets role on it.
 */
export const keyVaultType = defineResourceType<KeyVaultRequirementConfig, MergedKeyVaultConfig>()({
  type: 'keyvault',
  namePrefix: 'kv',
  facts: keyVaultFacts,
  attributes: { name: (n) => n, uri: (n) => `https://${n}.vault.azure.net/` },
  compatibility(req) {
    const sku = skuOf(req);
    return { key: sku, isDefault: sku === 'standard' };
  },
  merge(reqs, config, planned) {
    const issues: PlanIssue[] = [];
    const invalid = (
      r: TypedRequirement<KeyVaultRequirementConfig>,
      at: (string | number)[],
      message: string,
      code:
        | 'KEYVAULT_INVALID'
        | 'KEYVAULT_RETENTION_INVALID'
        | 'KEYVAULT_SECRET_NAME_INVALID' = 'KEYVAULT_INVALID',
    ) =>
      issues.push({
        severity: 'error',
        code,
        path: path(r, ...at),
        components: [r.componentId],
        message,
      });
    let retention: number = KEYVAULT_RETENTION.min;
    let anyRetention = false;
    const secrets = new Set<string>();
    const access: Record<string, 'read' | 'readwrite'> = {};
    const readsIn: Record<string, string> = {};
    let sku: 'standard' | 'premium' = 'standard';
    for (const r of reqs) {
      const c = cfg(r);
      if (c.sku !== undefined && c.sku !== 'standard' && c.sku !== 'premium')
        invalid(
          r,
          ['sku'],
          `Key Vault sku of ${r.componentId} must be 'standard' or 'premium' (got ${JSON.stringify(c.sku)}).`,
        );
      if (c.sku === 'premium') sku = 'premium';
      if (c.access !== undefined && c.access !== 'read' && c.access !== 'readwrite')
        invalid(
          r,
          ['access'],
          `Key Vault access of ${r.componentId} must be 'read' or 'readwrite' (got ${JSON.stringify(c.access)}).`,
        );
      if (typeof c.readsIn === 'string') readsIn[r.componentId] = c.readsIn;
      const mode = c.access === 'readwrite' ? 'readwrite' : 'read';
      // A requirement for signing keys alone (agent-key-requirements.ts) asks for no secrets role.
      if (c.signingKeys === undefined || c.secrets !== undefined)
        access[r.componentId] = access[r.componentId] === 'readwrite' ? 'readwrite' : mode;
      const days = c.softDeleteRetentionDays;
      if (days !== undefined) {
        if (
          typeof days !== 'number' ||
          !Number.isInteger(days) ||
          days < KEYVAULT_RETENTION.min ||
          days > KEYVAULT_RETENTION.max
        ) {
          invalid(
            r,
            ['softDeleteRetentionDays'],
            `Key Vault softDeleteRetentionDays of ${r.componentId} is ${JSON.stringify(days)}; Azure accepts ` +
              `whole days from ${KEYVAULT_RETENTION.min} to ${KEYVAULT_RETENTION.max}.`,
            'KEYVAULT_RETENTION_INVALID',
          );
        } else {
          retention = Math.max(retention, days);
          anyRetention = true;
        }
      }
      if (c.secrets !== undefined && !Array.isArray(c.secrets)) {
        invalid(
          r,
          ['secrets'],
          `Key Vault secrets of ${r.componentId} must be a list of secret names.`,
        );
        continue;
      }
      (c.secrets ?? []).forEach((s, i) => {
        if (typeof s === 'string' && SECRET_NAME.test(s)) secrets.add(s);
        else
          invalid(
            r,
            ['secrets', i],
            `Key Vault secret name ${JSON.stringify(s)} of ${r.componentId} must be 1-127 letters, digits and hyphens.`,
            'KEYVAULT_SECRET_NAME_INVALID',
          );
      });
    }
    // The planner passes the group's name; a merge outside it (a consumer priced alone) names it the same way.
    const name = planned ?? vaultName(skuOf(at(reqs, 0)), config);
    const sorted = [...secrets].sort(compare);
    const signingKeys = mergeSigningKeys(reqs, name, config, issues);
    const merged: MergedKeyVaultConfig = {
      sku,
      softDeleteRetentionDays: anyRetention ? retention : KEYVAULT_RETENTION.default,
      secrets: sorted,
      access: Object.fromEntries(Object.entries(access).sort(([a], [b]) => compare(a, b))),
      vaultUri: `https://${name}.vault.azure.net/`,
      references: Object.fromEntries(sorted.map((s) => [s, keyVaultReference(name, s)])),
      ...(Object.keys(readsIn).length > 0
        ? { readsIn: Object.fromEntries(Object.entries(readsIn).sort(([a], [b]) => compare(a, b))) }
        : {}),
      ...(signingKeys ? { signingKeys } : {}),
    };
    return { config: merged, issues };
  },
  deploys(group, ctx) {
    const c = group.config;
    const base = tfName(ctx.backendId, group.key);
    const grants = keyVaultGrants(
      base,
      c.access,
      readingApp(c.readsIn, (id) => ctx.usage?.get(id)?.['functions']),
    );
    return [
      { terraformType: 'azurerm_key_vault', name: base },
      ...grants.map(
        (g): PlannedDeploy => ({ terraformType: 'azurerm_role_assignment', name: g.name }),
      ),
      ...signingKeyDeploys(base, c.signingKeys),
    ];
  },
  monthlyUsd() {
    // Key Vault has no monthly fee: secret operations bill per 10,000 (fractions of a cent at this scale) and
    // No Key Vault price is recorded (operations bill per 10,000), so the estimate is 0.
    return 0;
  },
  standaloneMonthlyUsd() {
    return 0;
  },
});

/**
 * The vault's Azure name, as the planner names the group of this compatibility key (the default
 * group has no suffix).
 */
function vaultName(key: string, config: NormalizedConfig): string {
  const suffix =
    key === 'standard'
      ? undefined
      : key
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '');
  return resourceName('keyvault', keyVaultType.namePrefix, suffix, config, keyVaultFacts.name).name;
}
