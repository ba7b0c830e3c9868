/**
 * `atakora verify`'s key columns at realtime's negotiate (DESIGN §2 "Integrations": a key acts on its organization's
 * data "as for a member of that role"; the runtime takes keys only on routes with a resource or that say so —
 * runtime/members/keys/key-tenants.ts — and `POST api/realtime/negotiate` is neither: 403 `api-key-not-allowed`).
 * Found while proving keys per plan: on a realtime backend with keys, verify derived the member's `tenant` for each
 * key column's `events` row (and 402 per plan), so it reported its own honest runtime — `NoteApi events key:Admin:
 * expected 200, answered 403 api-key-not-allowed` on the committed matrix, `expected 402` on both plans. Now the key
 * columns are 403 there, on the committed matrix and on every plan, and every cell holds.
 */
import { describe, expect, it } from 'vitest';
import { verifyEntry } from '../../src/cli/verify/run.js';
import { shareProofStacksInFile } from '../support/shared-proof-stacks.js';

const entry = 'test/cli/fixtures/verify/org-keys-realtime.ts';

shareProofStacksInFile();

describe('atakora verify: API keys and realtime', () => {
  it('derives 403 for a key at negotiate, on the committed matrix and per plan, and the runtime holds every cell', async () => {
    const outcome = await verifyEntry(entry, {
      file: false,
      rows: (r) => r.operation === 'events',
    });
    expect(outcome.proof.divergences).toEqual([]);
    const events = outcome.matrix.rows.find((r) => r.operation === 'events');
    expect([events?.cells['key:Admin'], events?.cells['key:Member']]).toEqual([403, 403]);
    expect(events?.cells['home.role.Admin']).toBe('tenant');
    for (const k of ['key:Admin', 'key:Member'])
      expect(outcome.proof.proven.has(`NoteApi events|${k}`), k).toBe(true);
    expect(outcome.plans.map((p) => p.plans)).toEqual([['free'], ['pro']]);
    for (const p of outcome.plans) {
      expect(p.report.divergences, p.plans.join()).toEqual([]);
      const row = p.rows.find((r) => r.operation === 'events');
      expect([row?.cells['key:Admin'], row?.cells['key:Member']], p.plans.join()).toEqual([
        403, 403,
      ]);
    }
    // On free (no realtime) the members' negotiate is the gate's 402, proven by a request each; the keys' stays 403.
    const free = outcome.plans[0];
    expect(free?.rows.find((r) => r.operation === 'events')?.cells['home.role.Admin']).toBe(402);
    expect(free?.report.proven.has('NoteApi events|key:Member')).toBe(true);
  });
});
