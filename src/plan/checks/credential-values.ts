import type { PlanIssue } from '../../model/plan.js';
import type { PlanInput } from '../plan-input.js';
import { isSecretShaped } from './secrets.js';

/**
 * Key shapes services give their credentials, by the service's documented prefix: Stripe-style live and test
 * keys (`sk_live_`, `rk_test_`, any `xx_live_`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`,
 * `github_pat_`), Slack (`xoxb-`, `xoxp-`, …), AWS access key ids (`AKIA…`, `ASIA…`), Google API keys
 * (`AIza…`), GitLab (`glpat-`), npm (`npm_`), SendGrid (`SG.`), OpenAI-style `sk-`.
 */
const KEY_PREFIXES: readonly RegExp[] = [
  /^[a-z]{2,4}_(live|test)_[A-Za-z0-9]{8,}/,
  /^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/,
  /^github_pat_[A-Za-z0-9_]{20,}/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}/,
  /^(AKIA|ASIA)[0-9A-Z]{16}$/,
  /^AIza[0-9A-Za-z_-]{30,}/,
  /^glpat-[A-Za-z0-9_-]{16,}/,
  /^npm_[A-Za-z0-9]{30,}/,
  /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/,
  /^sk-[A-Za-z0-9_-]{20,}/,
];

/** Characters a key or token is written with: no spaces, no path or URL structure. */
const TOKEN = /^[A-Za-z0-9+/=_\-.~]+$/;

/** Shannon entropy of a string in bits per character. */
function entropy(v: string): number {
  const counts = new Map<string, number>();
  for (const ch of v) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / v.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * What a value looks like when it looks like a credential, in words that never quote it; undefined otherwise.
 * A long random string counts: 32 or more token characters with letters and digits and over 4.2 bits of entropy
 * per character (English words and slugs stay under it, base64 and mixed-case keys above), or 48 or more hex
 * digits (a key in hex; a 40-digit commit id stays below).
 *
 * @example
 * ```ts
 * credentialShape('ghp_' + 'a1B2'.repeat(9)); // 'a key with a known service prefix'
 * credentialShape('https://hooks.example.com/notify'); // undefined
 * ```
 */
export function credentialShape(v: string): string | undefined {
  if (v.startsWith('@Microsoft.KeyVault(')) return undefined;
  if (KEY_PREFIXES.some((re) => re.test(v))) return 'a key with a known service prefix';
  if (isSecretShaped(v)) return 'a connection string, token or key';
  if (v.length >= 48 && /^[0-9a-fA-F]+$/.test(v)) return 'a long random string';
  if (v.length >= 32 && TOKEN.test(v) && /[A-Za-z]/.test(v) && /[0-9]/.test(v) && entropy(v) > 4.2)
    return 'a long random string';
  return undefined;
}

/**
 * A warning for each environment variable of a component whose value looks like a credential: the value would
 * sit in the plan, the Terraform files and the state in clear text. It names the variable and the component,
 * never the value, and points to `secrets` (a Key Vault reference under the same name). Values findSecrets
 * already reports as errors (connection strings, JWTs) are not repeated.
 *
 * @example
 * ```ts
 * credentialWarnings(input); // [{ severity: 'warning', code: 'CREDENTIAL_IN_ENVIRONMENT', path: [...], … }]
 * ```
 */
export function credentialWarnings(input: PlanInput): PlanIssue[] {
  const issues: PlanIssue[] = [];
  for (const c of input.components) {
    const config = c.definition.config as { readonly environmentVariables?: unknown } | undefined;
    const env = config?.environmentVariables;
    if (env === null || typeof env !== 'object') continue;
    for (const [name, value] of Object.entries(env as Record<string, unknown>)) {
      if (typeof value !== 'string' || isSecretShaped(value)) continue;
      const shape = credentialShape(value);
      if (shape === undefined) continue;
      const id = c.definition.componentId;
      issues.push({
        severity: 'warning',
        code: 'CREDENTIAL_IN_ENVIRONMENT',
        components: [id],
        path: ['components', c.key, 'config', 'environmentVariables', name],
        message:
          `Environment variable ${name} of ${id} looks like ${shape}: its value would sit in the plan, the ` +
          `Terraform files and the state in clear text.`,
        resolution:
          `If it is a credential, move it to secrets: ['${name}'] (the code still reads process.env.${name}) ` +
          `and set its value with atakora secret set <entry> ${name}.`,
      });
    }
  }
  return issues;
}
