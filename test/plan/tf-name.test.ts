import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settingName, settingPrefix, tfName } from '../../src/kit/pure/names/terraform-names.js';

// tfName checks parts by character instead of running two regular expressions over every name: the rule is
// the regular expressions', kept here as the reference.
const reference = (...parts: readonly string[]) => {
  const joined = parts.map((p) => p.replace(/[^A-Za-z0-9_-]+/g, '_')).join('_');
  return /^[A-Za-z_]/.test(joined) ? joined : `_${joined}`;
};
const part = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[A-Za-z0-9_:. -]{0,12}$/),
  fc.constantFrom('', '1st', 'cosmos:shared', 'user-db', 'é', '_x', '-y'),
);

describe('terraform names', () => {
  it('tfName: each part with invalid runs as "_", joined by "_", starting with a letter or "_"', () => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), (parts) => {
        expect(tfName(...parts)).toBe(reference(...parts));
      }),
      { numRuns: 2000 },
    );
    expect(tfName()).toBe('_');
    expect(tfName('backend', 'cosmos:shared', 'db', 'user-db')).toBe(
      'backend_cosmos_shared_db_user-db',
    );
  });

  it('settingName: the prefix and the name, the same string every time', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,12}$/),
        fc.stringMatching(/^[A-Z_]{1,12}$/),
        (id, name) => {
          expect(settingName(id, name)).toBe(`${settingPrefix(id)}_${name}`);
          expect(settingName(id, name)).toBe(settingName(id, name));
        },
      ),
    );
  });

  it('settingName stays right past its memo bound (it clears, never serves a stale name)', () => {
    for (let i = 0; i < 250_000; i++) settingName(`Api${i % 5_000}`, `S${i}`);
    expect(settingName('UserApi', 'COSMOS_ENDPOINT')).toBe('USER_API_COSMOS_ENDPOINT');
    expect(settingName('Api7', 'S7')).toBe('API7_S7');
  });
});
