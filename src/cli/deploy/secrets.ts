import { keyVaultClient } from '../azure/keyvault.js';
import {
  declaredSecrets,
  secretMissing,
  type DeclaredSecret,
} from '../shared/secrets/secret-target.js';
import type { SynthesizedStack } from '../entry/synth-stacks.js';

/**
 * Before any Terraform run: every secret the stacks declare has a value in its vault, else SECRET_MISSING
 * naming each (an app would start with unresolved references). A vault that does not exist yet is a first
 * deploy of that environment: nothing can be set before the deploy creates it, so the deploy goes ahead and
 * says which secrets to set afterwards (returned, for the closing reminder).
 *
 * @example
 * ```ts
 * const toSet = await checkDeclaredSecrets(stacks, (l) => process.stderr.write(l + '\n'));
 * ```
 */
export async function checkDeclaredSecrets(
  stacks: readonly SynthesizedStack[],
  log: (line: string) => void,
): Promise<DeclaredSecret[]> {
  const toSetAfter: DeclaredSecret[] = [];
  for (const stack of stacks) {
    const secrets = declaredSecrets(stack.plan);
    if (secrets.length === 0) continue;
    const missing: DeclaredSecret[] = [];
    const checked: DeclaredSecret[] = [];
    for (const vault of [...new Set(secrets.map((s) => s.vault))]) {
      const inVault = secrets.filter((s) => s.vault === vault);
      let present: Set<string>;
      try {
        present = new Set(
          (await keyVaultClient(vault).list())
            .filter((s) => s.enabled)
            .map((s) => s.name.toLowerCase()),
        );
      } catch (e) {
        if ((e as { details?: { network?: boolean } }).details?.network) {
          // An isolated backend's vault answers only inside its VNet: nothing to check from here.
          log(
            `warning: ${stack.name}: Key Vault ${vault} is not reachable from this network (public access ` +
              `off), so its secrets were not checked: make sure ${inVault.map((s) => s.name).join(', ')} ` +
              `${inVault.length === 1 ? 'is' : 'are'} set.`,
          );
          continue;
        }
        if ((e as { code?: string }).code !== 'SECRET_VAULT_NOT_FOUND') throw e;
        log(
          `${stack.name}: Key Vault ${vault} is created by this deploy; then set ` +
            `${inVault.map((s) => s.name).join(', ')} (atakora secret set <entry> <NAME> --environment ` +
            `${stack.plan.environment}): until then the app's references stay unresolved.`,
        );
        toSetAfter.push(...inVault);
        continue;
      }
      missing.push(...inVault.filter((s) => !present.has(s.vaultSecret.toLowerCase())));
      checked.push(...inVault);
    }
    if (missing.length) throw secretMissing(stack.name, stack.plan.environment, missing);
    if (checked.length)
      log(
        `${stack.name}: ${checked.length} secret(s) set in Key Vault (${checked.map((s) => s.name).join(', ')})`,
      );
  }
  return toSetAfter;
}
