import type { PlanIssue } from '../model/plan.js';
import type { PlanInput } from './plan-input.js';

// Shapes of secrets: connection strings, account keys, SAS tokens, bearer-like JWTs, PEM keys.
const PATTERNS: readonly [RegExp, string][] = [
  [/AccountKey=|SharedAccessKey=|AccountEndpoint=.*;/i, 'a connection string'],
  [/[?&]sig=[A-Za-z0-9%+/=]{16,}/, 'a SAS token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./, 'a JWT'],
  [/^[A-Za-z0-9+/]{86}==$/, 'an account key'],
  [/^(password|pwd)=/i, 'a password'],
];

/**
 * Secrets never travel in config: any string in a component's config (or the backend tags) that looks like
 * a key or connection string is an error pointing to Key Vault references and managed identity.
 */
export function findSecrets(input: PlanInput): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const visit = (v: unknown, path: (string | number)[], component?: string) => {
    if (typeof v === 'string') {
      if (v.startsWith('@Microsoft.KeyVault(')) return;
      const hit = PATTERNS.find(([re]) => re.test(v));
      if (hit) {
        issues.push({
          severity: 'error', code: 'SECRET_IN_CONFIG', path, ...(component ? { components: [component] } : {}),
          message: `The value at ${path.join('.')} looks like ${hit[1]}; secrets must not be written into configuration or Terraform state.`,
        });
      }
    } else if (Array.isArray(v)) v.forEach((x: unknown, i) => { visit(x, [...path, i], component); });
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...path, k], component);
  };
  for (const c of input.components) visit(c.definition.config, ['components', c.key, 'config'], c.definition.componentId);
  visit(input.config.tags, ['config', 'tags']);
  return issues;
}
