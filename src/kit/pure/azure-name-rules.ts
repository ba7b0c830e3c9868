/**
 * Azure's naming rules for the resource types we create.
 * Source: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 */
export interface NameRule {
  readonly min: number;
  readonly max: number;
  /** Characters allowed anywhere. */
  readonly chars: RegExp;
  readonly lowercase: boolean;
  /** Hyphens allowed (and never leading, trailing or doubled where the rule says so). */
  readonly hyphens: boolean;
  /** Globally unique (DNS name): gets a deterministic token. */
  readonly global: boolean;
  readonly startsWithLetter?: boolean;
}

export const NAME_RULES: Readonly<Record<string, NameRule>> = {
  // Microsoft.DocumentDB/databaseAccounts: 3-44, lowercase letters, numbers, hyphens; global.
  cosmos: { min: 3, max: 44, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
  // Microsoft.Web/sites: 2-60, alphanumerics and hyphens, not starting/ending with hyphen; global.
  functions: { min: 2, max: 60, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
  // Microsoft.Storage/storageAccounts: 3-24, lowercase letters and numbers only; global.
  storage: { min: 3, max: 24, chars: /^[a-z0-9]+$/, lowercase: true, hyphens: false, global: true },
  // Microsoft.KeyVault/vaults: 3-24, alphanumerics and hyphens, start with a letter; global.
  keyvault: { min: 3, max: 24, chars: /^[a-zA-Z0-9-]+$/, lowercase: true, hyphens: true, global: true, startsWithLetter: true },
  // Microsoft.ServiceBus/namespaces: 6-50, alphanumerics and hyphens, start with a letter; global.
  servicebus: { min: 6, max: 50, chars: /^[a-zA-Z0-9-]+$/, lowercase: true, hyphens: true, global: true, startsWithLetter: true },
  // Microsoft.Web/staticSites: 1-40, alphanumerics and hyphens.
  staticsite: { min: 1, max: 40, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  // Microsoft.Insights/components and OperationalInsights/workspaces: 4-63 (workspace), hyphens ok.
  monitoring: { min: 4, max: 63, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  // Microsoft.Network/virtualNetworks: 2-64.
  network: { min: 2, max: 64, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: false },
  // Microsoft.Cdn/profiles: 1-260; endpoints (global) 1-50.
  cdn: { min: 1, max: 50, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true },
};

/**
 * Rule used for custom resource types: a conservative common subset. Treated as globally unique (most
 * Azure services a provider adds have DNS names), so custom providers' names get the target token too.
 */
export const DEFAULT_NAME_RULE: NameRule = { min: 1, max: 63, chars: /^[a-z0-9-]+$/, lowercase: true, hyphens: true, global: true };
