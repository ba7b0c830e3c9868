/**
 * `atakora verify` starts the Stripe stand-in itself when a backend sells plans through Stripe and the developer
 * started none (a new user found the billing cells diverged — the stack answered 503 — unless
 * the user exported a stand-in's `STRIPE_API_BASE` and its secrets). With nothing of Stripe in the environment, every
 * billing row's cell holds: the Owners' checkout and portal pass their gate, the Admin's read too, the unsigned
 * webhook 400.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyEntry } from '../../src/cli/verify/run.js';

const NAMES = ['STRIPE_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_BASE'];
let saved: Record<string, string | undefined> = {};
beforeEach(() => {
  saved = Object.fromEntries(NAMES.map((k) => [k, process.env[k]]));
  for (const k of NAMES) delete process.env[k];
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});

describe('atakora verify: its own Stripe stand-in', () => {
  it('proves the billing rows with no Stripe stand-in or secret of the developer', async () => {
    const outcome = await verifyEntry('test/contract/fixtures/billing/backend.ts', {
      file: false,
      rows: (r) => r.operation.startsWith('billing:'),
    });
    expect(outcome.proof.divergences).toEqual([]);
    const rows = outcome.matrix.rows.filter((r) => r.operation.startsWith('billing:'));
    expect(rows.map((r) => r.operation)).toEqual([
      'billing:read',
      'billing:checkout',
      'billing:portal',
      'billing:webhook',
    ]);
    for (const row of rows)
      for (const p of outcome.matrix.principals)
        expect(
          outcome.proof.proven.has(`${row.component} ${row.operation}|${p.key}`),
          `${row.operation} ${p.key}`,
        ).toBe(true);
    // The stand-in lived as long as the proof's stack: nothing of it is left in the environment.
    expect(process.env['STRIPE_API_BASE']).toBeUndefined();
  });
});
