// The Stripe stand-in `atakora verify` starts itself (the billing cells diverged unless the user started one): a
// backend with subscriptions (`tenants.billing.stripe.webhookSecret`) has billing rows whose allowed cells
// must pass their gate, which a stack with no Stripe answers 503. Without a stand-in of the developer's
// (`STRIPE_API_BASE` exported), the proof's stack gets the one of `@atakora/component/testing`, with a key and a webhook
// secret of its own — the developer's key (`.atakora/secrets.json`) never goes to a proof, nor anywhere but a stand-in.
import type { BackendConfig } from '../../../model/config.js';
import { STRIPE_API_BASE_SETTING } from '../../../model/billing.js';

/**
 * The stand-in is the public `@atakora/component/testing` one, loaded as a user's test loads it (the package's own
 * entry, by its name): the testing layer stands on the CLI (its `verifyAccess` is verify's), never the other way, so
 * the CLI reaches it at run time through the package, and only when a proof needs it. What verify calls of it:
 */
interface TestingEntry {
  readonly startStripeStandIn: (options: {
    readonly key: string;
    readonly prices?: readonly { readonly id: string; readonly unitAmount?: number }[];
    readonly meters?: readonly string[];
  }) => Promise<{ readonly base: string; close(): Promise<void> }>;
}
const TESTING = '@atakora/component/testing';

/** The key and webhook secret the proof's own stand-in takes (a test-mode key's shape: docs.stripe.com/keys). */
export const VERIFY_STRIPE_KEY = 'sk_test_atakora_verify';
const VERIFY_WEBHOOK_SECRET = 'whsec_atakora_verify';

/** A stand-in started for one proof stack: the variables the stack reads as exported (DevOptions.env), and its stop. */
export interface VerifyStripe {
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The Stripe stand-in a proof stack of `config` needs: undefined when the backend has no subscriptions, or when the
 * developer exported `STRIPE_API_BASE` (their stand-in, with their secrets, is the stack's as under `atakora dev`).
 * Its prices are the plans' (`plans.<n>.stripe.price`), its meters the billing export's.
 *
 * @example
 * ```ts
 * const stripe = await verifyStripe(backend.config, process.env);
 * await startDev(entry, { env: stripe?.env });
 * await stripe?.close();
 * ```
 */
export async function verifyStripe(
  config: Pick<BackendConfig, 'tenants'>,
  environment: NodeJS.ProcessEnv,
): Promise<VerifyStripe | undefined> {
  const stripe = config.tenants?.billing?.stripe;
  if (stripe?.webhookSecret === undefined) return undefined;
  if ((environment[STRIPE_API_BASE_SETTING] ?? '') !== '') return undefined;
  const ids = Object.values(config.tenants?.plans ?? {}).flatMap((p) =>
    p.stripe === undefined ? [] : [p.stripe.price],
  );
  const prices = [...new Set(ids)].map((id) => ({ id, unitAmount: 1000 }));
  const { startStripeStandIn } = (await import(TESTING)) as TestingEntry;
  const standIn = await startStripeStandIn({
    key: VERIFY_STRIPE_KEY,
    prices,
    meters: Object.values(stripe.meters).filter((m): m is string => typeof m === 'string'),
  });
  return {
    env: {
      [STRIPE_API_BASE_SETTING]: standIn.base,
      [stripe.secret]: VERIFY_STRIPE_KEY,
      [stripe.webhookSecret]: VERIFY_WEBHOOK_SECRET,
    },
    close: () => standIn.close(),
  };
}
