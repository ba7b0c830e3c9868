/**
 * An app setting App Service has not replaced with the secret's value still holds the reference itself
 * (Learn, "Use Key Vault references as app settings": when a reference cannot be resolved, "the reference string
 * is used instead" — https://learn.microsoft.com/azure/app-service/app-service-key-vault-references#troubleshoot-key-vault-references).
 * Case-insensitive, as App Service reads it.
 */
const KEY_VAULT_REFERENCE = /^\s*@Microsoft\.KeyVault\(/i;

/** Settings already reported in this process: each is logged once, however often the check runs. */
const reported = new Set<string>();

/**
 * Remove from `env` every setting that still holds an unresolved Key Vault reference, so code reading
 * `process.env.STRIPE_KEY` gets `undefined` (as when the secret was never set) rather than the literal
 * `@Microsoft.KeyVault(...)` string it might send to a payment provider as a key. Logs once per setting, naming
 * it (never a value: the reference holds none). Returns the names removed.
 *
 * @example
 * ```ts
 * hideUnresolvedReferences(process.env, (line) => console.warn(line)); // ['STRIPE_KEY'] while it is unresolved
 * ```
 */
export function hideUnresolvedReferences(
  env: Record<string, string | undefined>,
  log: (line: string) => void = (line) => {
    console.warn(line);
  },
): string[] {
  const hidden = Object.keys(env).filter((k) => KEY_VAULT_REFERENCE.test(env[k] ?? ''));
  for (const k of hidden) Reflect.deleteProperty(env, k);
  const fresh = hidden.filter((k) => !reported.has(k));
  for (const k of fresh) reported.add(k);
  if (fresh.length)
    log(
      `atakora: app setting${fresh.length === 1 ? '' : 's'} ${fresh.join(', ')} still hold${fresh.length === 1 ? 's' : ''} an ` +
        'unresolved Key Vault reference: the code reads undefined. Check the reference status (atakora secret ' +
        'set refreshes and waits for it; docs/secrets.md).',
    );
  return hidden;
}
