import type { TenantPlan } from '../../model/config.js';
import { UsageError } from '../shared/usage-error.js';

/**
 * `--month 2026-11` as its UTC window: from the 1st at 00:00 to the next month's 1st (excluded), as an invoice's
 * calendar month. Anything but `YYYY-MM` is a usage error.
 *
 * @example
 * ```ts
 * monthWindow('2026-11'); // { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1) }
 * ```
 */
export function monthWindow(text: string): { readonly from: number; readonly to: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (!m)
    throw new UsageError(
      `--month takes a calendar month as YYYY-MM (got ${JSON.stringify(text)}).`,
    );
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  return { from: Date.UTC(year, month, 1), to: Date.UTC(year, month + 1, 1) };
}

/**
 * The plans' monthly fees by plan name (only those that declare `monthlyFeeUsd`).
 *
 * @example
 * ```ts
 * planFees({ free: {}, pro: { monthlyFeeUsd: 49 } }); // Map { 'pro' => 49 }
 * ```
 */
export function planFees(
  plans: Readonly<Record<string, TenantPlan>> | undefined,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, plan] of Object.entries(plans ?? {}))
    if (plan.monthlyFeeUsd !== undefined) out.set(name, plan.monthlyFeeUsd);
  return out;
}
