// A minimal meter so realtime can count its messages; the usage ledger's own meter (its writer, its flush)
// replaces this file, keeping these exports.

const messages = new Map<string, number>();

/**
 * Count `n` realtime messages sent to `tenant` for the usage ledger (the hour's `messages`). Kept in memory here
 * until the ledger's writer flushes it.
 *
 * @example
 * ```ts
 * recordMessages('t1', 1);
 * ```
 */
export function recordMessages(tenant: string, n: number): void {
  if (!(n > 0)) return;
  messages.set(tenant, (messages.get(tenant) ?? 0) + n);
}

/**
 * The messages counted per tenant so far, and forgotten (what a flush takes).
 *
 * @example
 * ```ts
 * const counts = takeMessages(); // Map { 't1' => 3 }
 * ```
 */
export function takeMessages(): Map<string, number> {
  const taken = new Map(messages);
  messages.clear();
  return taken;
}
