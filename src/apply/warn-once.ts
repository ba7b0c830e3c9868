/**
 * Warnings already written to stderr in this process, shared by every copy of the package that runs in it
 * (the CLI's and the one an entry loads through tsx): a global keyed by `Symbol.for`.
 */
const printed: Set<string> = ((globalThis as Record<symbol, unknown>)[
  Symbol.for('atakora.warned')
] ??= new Set<string>()) as Set<string>;

/**
 * Write `message` to stderr unless this process already did. For warnings a plain cdktf program would
 * otherwise never show (cdktf's annotations reach the terminal through the cdktf CLI only).
 *
 * @example
 * ```ts
 * warnOnce('atakora: no subscription id at synth …'); // printed
 * warnOnce('atakora: no subscription id at synth …'); // not again
 * ```
 */
export function warnOnce(message: string): void {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`warning: ${message}\n`);
}

/** Whether `message` was already written (the `atakora synth` command prints stack annotations too). */
export function wasWarned(message: string): boolean {
  return printed.has(message);
}
