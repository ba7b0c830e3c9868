// Blob storage list prices, recorded with PRICE_DATE (kit/pure/resources/prices.ts) from the sources in ./facts.ts.
import { roundUsd } from '../../kit/pure/resources/prices.js';

/** Per GB-month by redundancy, read by any redundancy's name; LRS, the fallback, is always there. */
const STANDARD_PER_GB_MONTH: { readonly LRS: number } & Readonly<Record<string, number>> = {
  LRS: 0.0184,
  ZRS: 0.023,
  GRS: 0.0368,
  RAGRS: 0.046,
  GZRS: 0.0414,
  RAGZRS: 0.0518,
};

/**
 * Blob storage capacity, Standard general-purpose v2, Hot tier, per GB-month by redundancy; Premium block blob
 * is one price for LRS and ZRS.
 *
 * @example
 * ```ts
 * STORAGE_PRICES.standardPerGbMonth.LRS; // 0.0184
 * ```
 */
export const STORAGE_PRICES = {
  standardPerGbMonth: STANDARD_PER_GB_MONTH,
  premiumPerGbMonth: 0.15,
  /**
   * The capacity we assume for an account that mostly holds the Functions host's state: 10 GB. At LRS that is
   * $0.18, the seeds' "~$0.18/month minimum". Transactions are not modelled.
   */
  assumedGb: 10,
} as const;

/**
 * Monthly USD of one storage account at the assumed capacity.
 *
 * @example
 * ```ts
 * storageMonthlyUsd('Standard', 'LRS'); // 0.18
 * storageMonthlyUsd('Standard', 'GRS'); // 0.37
 * ```
 */
export function storageMonthlyUsd(tier: string, replication: string): number {
  const perGb =
    tier === 'Premium'
      ? STORAGE_PRICES.premiumPerGbMonth
      : (STORAGE_PRICES.standardPerGbMonth[
          replication
            .toUpperCase()
            .replace(/[^A-Z]/g, '')
            .replace(/^STANDARD/, '')
        ] ?? STORAGE_PRICES.standardPerGbMonth.LRS);
  return roundUsd(perGb * STORAGE_PRICES.assumedGb);
}
