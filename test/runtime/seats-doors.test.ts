/**
 * Seats hold over every door only if every door writes its membership through members/seats/seats.ts `seatMember`: no
 * other file of src/runtime creates a membership in the members store (`api.store.create(`) — but the last-Owner undo,
 * which puts back a membership whose seat was never given up — and no other room of src/runtime creates one through the
 * members API (`members.store.create(`: the Marketplace buyer's Owner is seated too). A new door that creates one by
 * itself fails here. The seat a door reserved for a person barred meanwhile is given back: seats-barred-meanwhile.test.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The members store is the membership code's (`MembersApi.store`): every door lives under src/runtime/members.
const root = join(import.meta.dirname, '../../src/runtime');
const ALLOWED = new Set(['members/seats/seats.ts', 'members/member-operations.ts']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('every door that admits a person takes a seat', () => {
  it('no file but seats.ts creates a membership', () => {
    const creating = files(join(root, 'members'))
      .filter((f) => /\bapi\.store\.create\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f).replaceAll('\\', '/'));
    expect(creating.filter((f) => !ALLOWED.has(f))).toEqual([]);
    // The allowed ones still do (the check would pass vacuously after a rename otherwise).
    expect(creating.sort()).toEqual([...ALLOWED].sort());
  });

  it('no code outside members/ creates a membership through the members API (the Marketplace buyer seats too)', () => {
    // Other rooms reach the members store as `<api>.members.store`: a buyer's organization (marketplace/) once wrote
    // its Owner that way, uncounted; it calls seatMember now.
    const creating = files(root)
      .filter((f) => /\bmembers\.store\.create\(/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f).replaceAll('\\', '/'));
    expect(creating).toEqual([]);
    const buyer = readFileSync(join(root, 'marketplace/buyer-organization.ts'), 'utf8');
    expect(buyer).toMatch(/await seatMember\(api\.members, owner\);/);
  });

  it('the last-Owner undo is the only create left in member-operations.ts', () => {
    const text = readFileSync(join(root, 'members/member-operations.ts'), 'utf8');
    expect(text.match(/\bapi\.store\.create\(/g)).toHaveLength(1);
    expect(text).toMatch(/else await api\.store\.create\(previous\);/);
  });
});
