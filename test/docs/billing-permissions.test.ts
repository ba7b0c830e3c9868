/**
 * docs/billing.md's restricted key is the one the runtime needs (#120: "docs/billing.md's restricted key lists every
 * permission the runtime uses, and `--check` proves them"): its table "The key's permissions" names exactly the
 * permissions of STRIPE_PERMISSIONS — what `atakora usage --billing --check` probes and what the Stripe stand-in's
 * restricted keys are refused without — each row with the calls that need it, and each of those calls is one the
 * row's permission allows at the stand-in (Write implies Read: Stripe, "Restricted API keys"). Round 12's table
 * lacked Subscriptions: Write, so a key made from it could not bill seats added after checkout.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  permissionText,
  STRIPE_PERMISSIONS,
} from '../../src/runtime/billing/stripe-permissions.js';
import { permissionOf } from '../../src/testing/stripe-standin-permissions.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/billing.md'), 'utf8');

/** The table's rows under "## The key's permissions": permission, calls (the backticked method and path). */
function tableRows(): { permission: string; calls: string[] }[] {
  const section = doc.split("\n## The key's permissions\n")[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Permission') && !l.startsWith('| ---'))
    .map((l) => {
      const cells = l.split(' | ');
      return {
        permission: (cells[0] ?? '').replace(/^\| /, '').trim(),
        calls: [...(cells.at(-1) ?? '').matchAll(/`([A-Z]+ v\d\/[^`]+)`/g)].map((m) => m[1] ?? ''),
      };
    });
}

/** Whether the `rak_` permission `granted` allows `needed`: itself, or its write for a read. */
const allows = (granted: string, needed: string | undefined) =>
  needed === granted || needed === granted.replace(/_write$/, '_read');

describe("docs/billing.md's restricted key", () => {
  it('lists exactly the permissions the runtime needs, each with the calls that need it', () => {
    const rows = tableRows();
    expect(rows.map((r) => r.permission)).toEqual(STRIPE_PERMISSIONS.map(permissionText));
    expect(rows.map((r) => [...r.calls].sort())).toEqual(
      STRIPE_PERMISSIONS.map((p) => [...p.calls].sort()),
    );
  });

  it("names calls each row's permission allows at the Stripe stand-in", () => {
    const refused = STRIPE_PERMISSIONS.flatMap((p) =>
      p.calls.flatMap((call) => {
        const [method = '', path = ''] = call.split(' ');
        const needed = permissionOf(method, `/${path.replaceAll('{id}', 'x_1')}`);
        return allows(p.stripe, needed) ? [] : [`${permissionText(p)}: ${call} needs ${needed}`];
      }),
    );
    expect(refused).toEqual([]);
  });
});
