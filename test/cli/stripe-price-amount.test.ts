/**
 * What a Stripe price charges for a quantity (cli/logs/stripe-price-amount.ts), as Stripe's price object documents
 * its schemes: per unit with decimals, packages (`transform_quantity`), graduated and volume tiers with flat amounts.
 */
import { describe, expect, it } from 'vitest';
import { priceAmount, priceText } from '../../src/cli/logs/stripe-price-amount.js';

const tiers = [
  { up_to: 1000, unit_amount_decimal: '0', flat_amount_decimal: null },
  { up_to: 10_000, unit_amount_decimal: '0.5', flat_amount_decimal: '100' },
  { up_to: null, unit_amount_decimal: '0.25', flat_amount_decimal: null },
];

describe('priceAmount', () => {
  it('per unit, with a decimal unit amount, rounds the line to a whole cent', () => {
    expect(priceAmount({ id: 'p', currency: 'usd', unit_amount_decimal: '0.01' }, 41_230)).toBe(
      412,
    );
    expect(priceAmount({ id: 'p', currency: 'usd', unit_amount: 2900 }, 1)).toBe(2900);
  });

  it('packages: the quantity divided and rounded up or down', () => {
    const pack = (round: string) => ({
      id: 'p',
      currency: 'usd',
      unit_amount_decimal: '100',
      transform_quantity: { divide_by: 1000, round },
    });
    expect(priceAmount(pack('up'), 1001)).toBe(200);
    expect(priceAmount(pack('down'), 1999)).toBe(100);
  });

  it('graduated tiers: each tier’s units at its price, its flat amount once reached', () => {
    const p = {
      id: 'p',
      currency: 'usd',
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers,
    };
    expect(priceAmount(p, 500)).toBe(0);
    // 1000 free, 1000 at 0.5 + 100 flat.
    expect(priceAmount(p, 2000)).toBe(600);
    // 1000 free, 9000 at 0.5 + 100, 2000 at 0.25.
    expect(priceAmount(p, 12_000)).toBe(5100);
  });

  it('volume tiers: every unit at the tier the total falls in', () => {
    const p = { id: 'p', currency: 'usd', billing_scheme: 'tiered', tiers_mode: 'volume', tiers };
    expect(priceAmount(p, 2000)).toBe(1100);
    expect(priceAmount(p, 12_000)).toBe(3000);
    expect(priceAmount(p, 0)).toBe(0);
  });

  it('says the price in words', () => {
    expect(priceText({ id: 'p', currency: 'usd', unit_amount_decimal: '0.5' })).toBe(
      'usd 0.005 / unit',
    );
    expect(
      priceText({
        id: 'p',
        currency: 'eur',
        unit_amount_decimal: '100',
        transform_quantity: { divide_by: 1000, round: 'up' },
      }),
    ).toBe('eur 1 / 1,000 units');
  });
});
