/**
 * The one rule for the Stripe key (model/billing.ts), shared by the config, the runtime and the CLI: how a key is
 * read from a setting (`stripeKeyIn`: set, not blank, not a Key Vault reference the platform left unresolved), and
 * what a key looks like (`looksLikeStripeKey`, `maskStripeKeys`: `sk_`/`rk_`, live or test).
 */
import { describe, expect, it } from 'vitest';
import { AtakoraError } from '../../src/model/errors.js';
import { looksLikeStripeKey, maskStripeKeys, stripeKeyIn } from '../../src/model/billing.js';
import { normalizeBilling } from '../../src/backend/billing-config.js';
import { scrubKey } from '../../src/runtime/billing/meter-sender.js';
import { cliStripeSender } from '../../src/cli/logs/billing-sender.js';
import { stripeKeyOf } from '../../src/runtime/billing/billing-timer.js';
import type { Backend } from '../../src/backend/backend.js';

const REFERENCE = '@Microsoft.KeyVault(VaultName=kv-saas;SecretName=STRIPE-KEY)';

describe('the Stripe key', () => {
  it('is the trimmed value, or none when unset, blank or an unresolved Key Vault reference', () => {
    expect(stripeKeyIn(' sk_test_51Habc \n')).toBe('sk_test_51Habc');
    expect(stripeKeyIn('rk_live_restricted')).toBe('rk_live_restricted');
    expect(stripeKeyIn(undefined)).toBeUndefined();
    expect(stripeKeyIn('   ')).toBeUndefined();
    expect(stripeKeyIn(REFERENCE)).toBeUndefined();
  });

  it('the runtime and the CLI read it by that rule', async () => {
    const billing = { secret: 'STRIPE_KEY', meters: { requests: 'api_requests' } };
    expect(stripeKeyOf(billing, { STRIPE_KEY: REFERENCE })).toBeUndefined();
    expect(stripeKeyOf(billing, { STRIPE_KEY: ' sk_test_1 ' })).toBe('sk_test_1');
    const backend = { backendId: 'saas' } as Backend;
    const refused = await cliStripeSender(
      backend,
      billing,
      { local: false },
      {
        STRIPE_KEY: REFERENCE,
      },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AtakoraError);
    expect((refused as AtakoraError).code).toBe('BILLING_KEY_MISSING');
  });

  it('looks like sk_ or rk_, live or test: refused in the config, masked in what is logged', () => {
    expect(['sk_live_51H', 'rk_test_9', 'sk_test_'].map(looksLikeStripeKey)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['STRIPE_KEY', 'pk_live_51H', 'ask_live_1'].map(looksLikeStripeKey)).toEqual([
      false,
      false,
      false,
    ]);
    expect(maskStripeKeys('bad key sk_live_51Habc*de, rk_test_XY and pk_live_1')).toBe(
      'bad key [key], [key] and pk_live_1',
    );
    const config = (secret: string) => () =>
      normalizeBilling({ stripe: { secret, meters: { requests: 'r' } } });
    expect(config('rk_live_51Habc')).toThrow(
      expect.objectContaining({ code: 'BILLING_CONFIG_INVALID' }),
    );
    expect(config('STRIPE_KEY')).not.toThrow();
    expect(scrubKey('Invalid API Key provided: rk_live_other', 'sk_test_12345678')).toBe(
      'Invalid API Key provided: [key]',
    );
  });
});
