/**
 * A short deterministic token (FNV-1a, base 36) for globally unique Azure names. Pure and portable: the
 * plan must not depend on node:crypto.
 *
 * @example
 * ```ts
 * shortToken('backend|prod|eastus'); // e.g. 'k3x9a1'
 * ```
 */
export function shortToken(input: string, length = 6): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return (h1.toString(36) + h2.toString(36)).padStart(length, '0').slice(0, length);
}
