import type { RuntimeBilling } from '../../model/runtime-manifest.js';
import type { PermissionOutcome } from '../../runtime/billing/stripe-permission-probes.js';
import {
  BILLING_FEATURES,
  billingFeatures,
  permissionText,
  requiredPermissions,
  type StripePermission,
  type StripePermissionId,
} from '../../runtime/billing/stripe-permissions.js';
import { printable } from '../shared/terminal-text.js';

/** One permission as `--check` found it: which, what needs it, and what Stripe answered its probe. */
export interface PermissionCheck {
  readonly id: StripePermissionId;
  /** As the dashboard's restricted-key form shows it: `Billing meter events: Write`. */
  readonly permission: string;
  /** What needs it, in words (docs/billing.md, "The key's permissions"). */
  readonly neededBy: readonly string[];
  readonly state: PermissionOutcome['state'];
  /** The permission Stripe's refusal names (`rak_…`), when it names one. */
  readonly stripe?: string;
  /** Stripe's message (masked) when the permission is missing or could not be proven. */
  readonly message?: string;
  /**
   * The id of Stripe's answer (its `Request-Id` header, `req_…`) when it refused or could not be proven: what Stripe's
   * support and the dashboard's request logs look it up by (API reference, "Request IDs").
   */
  readonly request?: string;
}

/**
 * Probe each permission this backend's billing needs (its config's features: the export with meters, `--check`,
 * `--month`, and with `webhookSecret` the subscription routes and the webhook) with `probe` (one call each, nothing
 * written: runtime/billing/stripe-permission-probes.ts), in order.
 *
 * @example
 * ```ts
 * const checks = await checkPermissions(billing, stripePermissionProbe({ key }));
 * checks.filter((c) => c.state === 'missing'); // [{ permission: 'Invoices: Read', stripe: 'rak_invoice_read', … }]
 * ```
 */
export async function checkPermissions(
  billing: RuntimeBilling & { readonly webhookSecret?: string },
  probe: (permission: Pick<StripePermission, 'id'>) => Promise<PermissionOutcome>,
): Promise<PermissionCheck[]> {
  const out: PermissionCheck[] = [];
  for (const p of requiredPermissions(billingFeatures(billing))) {
    const outcome = await probe(p);
    out.push({
      id: p.id,
      permission: permissionText(p),
      neededBy: p.features.map((f) => BILLING_FEATURES[f]),
      state: outcome.state,
      ...(outcome.state === 'missing' && outcome.stripe !== undefined
        ? { stripe: outcome.stripe }
        : {}),
      ...(outcome.state === 'granted' ? {} : { message: outcome.message }),
      ...(outcome.state !== 'granted' && outcome.request !== undefined
        ? { request: outcome.request }
        : {}),
    });
  }
  return out;
}

/** Whether `checks` proved `id` missing (an unproven one is tried: its own read then says what fails). */
export const lacks = (checks: readonly PermissionCheck[] | undefined, id: StripePermissionId) =>
  checks?.some((c) => c.id === id && c.state === 'missing') === true;

/**
 * The permissions as text lines: one a permission, `ok`, `MISSING` (with the permission Stripe names) or
 * `unproven` (with Stripe's answer), and what needs it. Every value from Stripe escaped.
 *
 * @example
 * ```ts
 * lines.push(...formatPermissions(checks));
 * ```
 */
export function formatPermissions(checks: readonly PermissionCheck[]): string[] {
  if (checks.length === 0) return [];
  const width = Math.max(...checks.map((c) => c.permission.length));
  return [
    'The key’s permissions (a call each, nothing written; docs/billing.md, "The key’s permissions"):',
    ...checks.map((c) => {
      const state = c.state === 'granted' ? 'ok' : c.state === 'missing' ? 'MISSING' : 'unproven';
      const named =
        c.state === 'missing'
          ? ` — Stripe: ${c.stripe === undefined ? printable(c.message ?? '') : `needs ${printable(c.stripe)}`}`
          : c.state === 'unverified'
            ? ` — Stripe answered: ${printable(c.message ?? '')}`
            : '';
      const request = c.request === undefined ? '' : ` (request ${printable(c.request)})`;
      return `  ${state.padEnd(8)} ${c.permission.padEnd(width)}  for ${c.neededBy.join('; ')}${named}${request}`;
    }),
  ];
}
