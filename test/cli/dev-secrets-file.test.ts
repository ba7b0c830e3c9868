import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  devSecretLines,
  LOCAL_SECRETS_FILE,
  localSecretValues,
} from '../../src/cli/dev/host/secrets.js';
import { AtakoraError } from '../../src/model/errors.js';

// `.atakora/secrets.json` holds secret values in clear text: its errors never quote it, and a file other users
// may read is warned about. Real files in a temporary project folder.
const root = mkdtempSync(join(tmpdir(), 'atakora-dev-secrets-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
function project(text: string, mode = 0o600): string {
  const dir = join(root, String(n++));
  mkdirSync(join(dir, '.atakora'), { recursive: true });
  const file = join(dir, LOCAL_SECRETS_FILE);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return dir;
}
const settings = () => ({ STRIPE_KEY: '@Microsoft.KeyVault(VaultName=v;SecretName=STRIPE-KEY)' });

function thrown(f: () => unknown): AtakoraError {
  try {
    f();
  } catch (e) {
    if (e instanceof AtakoraError) return e;
    throw e;
  }
  throw new Error('expected an AtakoraError');
}

describe('.atakora/secrets.json', () => {
  it('property: a malformed file is DEV_SECRETS_INVALID saying where, never quoting the text', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_]{12,40}$/),
        fc.constantFrom(
          (v: string) => `{ "STRIPE_KEY": ${v} }`,
          (v: string) => `{ "STRIPE_KEY": "${v}" `,
          (v: string) => `{ "STRIPE_KEY": "${v}", }`,
          (v: string) => `{\n  "STRIPE_KEY": "${v}"\n  "OTHER": "${v}"\n}`,
          (v: string) => `${v}`,
        ),
        (value, shape) => {
          const shownFor = (v: string) => {
            const e = thrown(() => localSecretValues(settings(), {}, project(shape(v))));
            expect(e.code).toBe('DEV_SECRETS_INVALID');
            return { e, text: `${e.message}\n${e.resolution}\n${e.format()}` };
          };
          const { e, text: shown } = shownFor(value);
          // The same file with the value masked twice over: what both masked answers share is the message's own
          // words ("strings only", the key's name), which a random value may happen to spell.
          const fixed = [
            shownFor('Q'.repeat(value.length)).text,
            shownFor('Z'.repeat(value.length)).text,
          ];
          // No run of 6 characters of the value appears anywhere in what the user sees, but for those words.
          for (let i = 0; i + 6 <= value.length; i++) {
            const run = value.slice(i, i + 6);
            if (fixed.every((t) => t.includes(run))) continue;
            expect(shown).not.toContain(run);
          }
          expect(e.message).toMatch(/line \d+, column \d+|ends early|a syntax error/);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a file group or others may read: the banner warns with chmod 600; mode 600 is quiet', () => {
    const open = localSecretValues(settings(), {}, project('{ "STRIPE_KEY": "sk_test_1" }', 0o644));
    expect(open.fromFile).toEqual(['STRIPE_KEY']);
    expect(devSecretLines(open)[0]).toBe(
      `warning: ${LOCAL_SECRETS_FILE} is readable by other users (mode 644): chmod 600 ${LOCAL_SECRETS_FILE}`,
    );
    const group = localSecretValues(settings(), {}, project('{ "STRIPE_KEY": "x" }', 0o640));
    expect(group.exposedMode! & 0o777).toBe(0o640);
    const closed = localSecretValues(settings(), {}, project('{ "STRIPE_KEY": "x" }', 0o600));
    expect(closed.exposedMode).toBeUndefined();
    expect(devSecretLines(closed).some((l) => l.startsWith('warning'))).toBe(false);
    expect(devSecretLines(open).join('\n')).not.toContain('sk_test_1');
  });
});
