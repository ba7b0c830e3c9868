/**
 * `atakora verify` starts the Stripe stand-in itself when a backend sells plans through Stripe and the developer
 * started none (a new user found the billing cells diverged — the stack answered 503 — unless
 * the user exported a stand-in's `STRIPE_API_BASE` and its secrets). With nothing of Stripe in the environment, every
 * billing row's cell holds: the Owners' checkout and portal pass their gate, the Admin's read too, the unsigned
 * webhook 400. A stand-in the developer exported is the stack's instead (checked in process: the stack is dev's with
 * the developer's environment, as under `atakora dev`).
 *
 * The billing fixture's one proof in the suite (docs/performance.md, "A cell proven once"): its billing rows and its
 * own CrudApi's, every principal; its other organization routes, the same 44 rows with the same 9 principals and
 * cells as examples/teams', are proven in full by verify-organization.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessMatrix } from '../../src/access/matrix/types.js';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { VERIFY_STRIPE_KEY, verifyStripe } from '../../src/cli/verify/stack/stripe-stand-in.js';
import billing from '../contract/fixtures/billing/backend.js';
import teams from '../../examples/teams/backend.js';
import { leftTo } from '../support/proven-once.js';

const entry = 'test/contract/fixtures/billing/backend.ts';
const KEPT = (r: AccessMatrix['rows'][number]) =>
  r.kind !== 'organization' || r.operation.startsWith('billing:');
const cell = (m: AccessMatrix, operation: string, who: string) =>
  m.rows.find((r) => r.kind === 'organization' && r.operation === operation)?.cells[who];
/** The fixture and the example load the package's own entry (dist), as a user's project does. */
const backendOf = (b: unknown) => b as Parameters<typeof leftTo>[0];

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
    // The organization routes left out are examples/teams', cell for cell: verify-organization.test.ts's.
    expect(leftTo(backendOf(billing), backendOf(teams), KEPT)).toEqual([]);
    const outcome = await verifyEntry(entry, { file: false, rows: KEPT });
    expect(outcome.proof.divergences).toEqual([]);
    const m = outcome.matrix;
    const rows = m.rows.filter((r) => r.operation.startsWith('billing:'));
    expect(rows.map((r) => [r.operation, r.request])).toEqual([
      ['billing:read', 'GET api/tenant/billing'],
      ['billing:checkout', 'POST api/tenant/billing/checkout'],
      ['billing:portal', 'POST api/tenant/billing/portal'],
      ['billing:webhook', 'POST api/billing/stripe'],
    ]);
    // Owners' checkout and portal, the Admins' read; the webhook is Stripe's, anonymous (its signature decides).
    expect(cell(m, 'billing:checkout', 'home.role.Owner')).toBe('tenant');
    expect(cell(m, 'billing:checkout', 'home.role.Admin')).toBe(403);
    expect(cell(m, 'billing:read', 'home.role.Admin')).toBe('tenant');
    expect(cell(m, 'billing:webhook', 'anonymous')).toBe('allow');
    // Every cell of the rows proven here was exercised by a request.
    for (const row of m.rows.filter(KEPT))
      for (const p of m.principals)
        expect(
          outcome.proof.proven.has(`${row.component} ${row.operation}|${p.key}`),
          `${row.operation} ${p.key}`,
        ).toBe(true);
    // The stand-in lived as long as the proof's stack: nothing of it is left in the environment.
    expect(process.env['STRIPE_API_BASE']).toBeUndefined();
  });

  it("gives the stack the developer's exported stand-in instead, and none to a backend without subscriptions", async () => {
    const { config } = backendOf(billing);
    expect(
      await verifyStripe(config, { STRIPE_API_BASE: 'http://127.0.0.1:12111' }),
    ).toBeUndefined();
    expect(await verifyStripe(backendOf(teams).config, {})).toBeUndefined();
    // Without one: a stand-in of its own, its base and secrets under the names the backend reads.
    const own = await verifyStripe(config, {});
    try {
      expect(own?.env).toMatchObject({
        STRIPE_API_BASE: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+/) as unknown,
        STRIPE_KEY: VERIFY_STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET: expect.stringMatching(/^whsec_/) as unknown,
      });
    } finally {
      await own?.close();
    }
  });
});
