import type { PlanIssue } from '../../model/plan.js';
import type { PlanInput } from '../plan-input.js';

// Shapes of secrets: connection strings, account keys, SAS tokens, bearer-like JWTs, PEM keys.
const PATTERNS: readonly [RegExp, string][] = [
  [
    /AccountKey=|SharedAccessKey=|SharedAccessSignature=|AccountEndpoint=.*;/i,
    'a connection string',
  ],
  [/[?&]sig=[A-Za-z0-9%+/=]{16,}/, 'a SAS token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, 'a JWT'],
  [/^[A-Za-z0-9+/]{86}==$/, 'an account key'],
  [/^(password|pwd)=/i, 'a password'],
];

/**
 * Every pattern above needs an "=", a PEM header or a JWT's start: most strings are answered here. A Key Vault
 * reference is the way secrets are meant to be written, never one.
 */
function maySecret(v: string): boolean {
  if (v.startsWith('@Microsoft.KeyVault(')) return false;
  return v.includes('=') || v.startsWith('eyJ') || v.includes('-----BEGIN');
}

/**
 * Whether findSecrets reports this string as an error (so a warning about the same value would repeat it).
 *
 * @example
 * ```ts
 * isSecretShaped('BlobEndpoint=https://x;SharedAccessSignature=sv=…'); // true
 * ```
 */
export function isSecretShaped(v: string): boolean {
  return maySecret(v) && PATTERNS.some(([re]) => re.test(v));
}

/** Whether a value holds a text {@link maySecret} cannot rule out. */
function mayHoldSecret(v: unknown): boolean {
  if (typeof v === 'string') return maySecret(v);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (mayHoldSecret(v[i])) return true;
    return false;
  }
  // for…in, no key array per object; own keys only, as the walk below reads them (Object.keys).
  for (const k in v)
    if (Object.hasOwn(v, k) && mayHoldSecret((v as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * Secrets never travel in config: any string in a component's config (or the backend tags) that looks like
 * a key or connection string is an error pointing to Key Vault references and managed identity.
 */
export function findSecrets(input: PlanInput): PlanIssue[] {
  const issues: PlanIssue[] = [];
  // One path, pushed and popped as the walk goes: copied only for a hit (most configs hold none).
  const path: (string | number)[] = [];
  const visit = (v: unknown, component?: string) => {
    if (typeof v === 'string') {
      if (!maySecret(v)) return;
      const hit = PATTERNS.find(([re]) => re.test(v));
      if (hit) {
        issues.push({
          severity: 'error',
          code: 'SECRET_IN_CONFIG',
          path: [...path],
          ...(component ? { components: [component] } : {}),
          message:
            `The value at ${path.join('.')} looks like ${hit[1]}; secrets must not be written into ` +
            `configuration or Terraform state.`,
          ...(path.includes('environmentVariables')
            ? {
                resolution:
                  `Declare it in secrets: ['${String(path.at(-1))}'] instead (the code still reads ` +
                  `process.env.${String(path.at(-1))}) and set it with atakora secret set.`,
              }
            : {}),
        });
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        visit(v[i], component);
        path.pop();
      }
    } else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        path.push(k);
        visit((v as Record<string, unknown>)[k], component);
        path.pop();
      }
    }
  };
  for (const c of input.components) {
    // Most configs hold no text shaped like a secret: a walk without a path says so, and only the rest are
    // walked again for the paths (10,000 configs of a fresh process's first plan, 30 ms with paths).
    if (!mayHoldSecret(c.definition.config)) continue;
    path.push('components', c.key, 'config');
    visit(c.definition.config, c.definition.componentId);
    path.length = 0;
  }
  path.push('config', 'tags');
  visit(input.config.tags);
  return issues;
}
