/**
 * An Azure naming rule. Each resource type declares its own in its facts (`src/resources/<type>/facts.ts`);
 * the table of all of them is `NAME_RULES` in `src/resources/facts.ts`.
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

/**
 * Rule used for custom resource types: a conservative common subset. Treated as globally unique (most
 * Azure services a provider adds have DNS names), so custom providers' names get the target token too.
 */
export const DEFAULT_NAME_RULE: NameRule = {
  min: 1,
  max: 63,
  chars: /^[a-z0-9-]+$/,
  lowercase: true,
  hyphens: true,
  global: true,
};

/**
 * The rule of a global DNS name of letters, digits and hyphens that starts with a letter (Key Vault, Service Bus
 * and Web PubSub names), with the type's own length bounds; written lowercase.
 *
 * @example
 * ```ts
 * globalDnsName(3, 24); // Microsoft.KeyVault/vaults
 * ```
 */
export function globalDnsName(min: number, max: number): NameRule {
  return {
    min,
    max,
    chars: /^[a-zA-Z0-9-]+$/,
    lowercase: true,
    hyphens: true,
    global: true,
    startsWithLetter: true,
  };
}
