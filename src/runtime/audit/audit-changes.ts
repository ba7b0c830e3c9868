import { maskStripeKeys } from '../../model/billing.js';

/**
 * Field names whose values never enter the audit log, whatever their level: secrets, keys, passwords, tokens
 * (invitation tokens and their hashes, SCIM bearer tokens, access tokens), as the billing code masks Stripe keys.
 */
const SECRET_NAME =
  /(secret|password|passwd|token|apikey|api_key|accesskey|signature|authorization|credential|^key$)/i;

/** How deep `changes` is walked: deeper values are replaced (an entry is a summary, not a copy of data). */
const MAX_DEPTH = 4;

function masked(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskStripeKeys(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((v) => masked(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>))
    out[k] = SECRET_NAME.test(k) ? '[masked]' : masked(v, depth + 1);
  return out;
}

/**
 * `changes` as the audit log may keep them: the value of every field named like a secret or a token replaced by
 * `[masked]`, anything shaped like a Stripe key by `[key]`, nesting cut at four levels. The audit is read by an
 * organization's Owners and Admins and exported: what it holds must be what they may see (docs/security.md).
 *
 * @example
 * ```ts
 * maskAuditChanges({ token: 'acme.k3x9.…', roles: ['Admin'] }); // { token: '[masked]', roles: ['Admin'] }
 * ```
 */
export function maskAuditChanges(
  changes: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  return masked(changes, 0) as Record<string, unknown>;
}
