import { SigningKeyUnavailable } from './token-signer.js';

/** The HTTP status of an error `@azure/keyvault-keys` threw (its `RestError`), if it has one. */
export const statusOf = (e: unknown): number | undefined =>
  typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number'
    ? e.statusCode
    : undefined;

/**
 * A call to the vault, its failure a {@link SigningKeyUnavailable} naming what Key Vault said (its status, its
 * error code, the first line of its message — for a 403 `ForbiddenByRbac`, the data action the role lacks is on a
 * later line and goes to the log with the rest).
 *
 * @example
 * ```ts
 * const key = await vaultCall(keys.getKey(name), name);
 * ```
 */
export async function vaultCall<T>(call: Promise<T>, name: string): Promise<T> {
  try {
    return await call;
  } catch (e) {
    if (e instanceof SigningKeyUnavailable) throw e;
    const status = statusOf(e);
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    const said = e instanceof Error ? e.message.split('\n')[0]?.trim() : String(e);
    throw new SigningKeyUnavailable(
      `Key Vault ${status === undefined ? 'could not be reached' : `answered ${String(status)}${code ? ` ${code}` : ''}`} for the key ${name}: ${said ?? ''}`,
      status,
    );
  }
}
