/**
 * OrderApi version 1 stored the amount in cents (`amountCents`, an integer); version 2 stores `total` in the
 * currency unit. Reads run version-1 orders through this function; writes store version 2
 * (docs/schema-evolution.md).
 */
export default function orderV2(
  item: Record<string, unknown>,
  _context: { tenant: string | undefined },
): Record<string, unknown> {
  const { amountCents, ...rest } = item;
  // An order written before amounts were recorded has neither field: it keeps no total.
  return typeof amountCents === 'number' ? { ...rest, total: amountCents / 100 } : rest;
}
