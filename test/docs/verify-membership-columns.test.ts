// docs/verify.md's table of a membership backend's columns is what verify derives: the keys, in order, for a backend
// whose rules name the role Admin (examples/teams), from the same functions `atakora verify` uses.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  matrixPrincipals,
  signInOf,
  VERIFY_ORGANIZATIONS,
} from '../../src/access/matrix/sign-in.js';
import { DEFAULT_DEV_USER } from '../../src/cli/dev/sign-in/sign-in.js';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/verify.md'), 'utf8');

describe("docs/verify.md: a membership backend's columns", () => {
  it('lists the principals verify derives, in its order, with the seeded organizations', () => {
    const signIn = signInOf({
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      registry: { membership: true, signUp: 'invite', defaultPlan: 'free' },
    } as unknown as Parameters<typeof signInOf>[0]);
    const keys = matrixPrincipals(signIn, ['Admin']).map((p) => p.key);
    // With keys and agents declared, their columns too (one table row for the keys' roles, one for both agents').
    const bearing = signInOf(
      {
        required: true,
        tenantClaim: 'tid',
        trustTenantHeader: false,
        registry: {
          membership: { roles: ['Admin', 'Member'], apiKeys: {} },
          signUp: 'invite',
          defaultPlan: 'free',
        },
      } as unknown as Parameters<typeof signInOf>[0],
      undefined,
      true,
    );
    const all = matrixPrincipals(bearing, ['Admin']).map((p) => p.key);
    expect(all.slice(0, keys.length)).toEqual(keys);
    expect(all.slice(keys.length)).toEqual(['key:Admin', 'key:Member', 'agent', 'agent.elsewhere']);
    const section = doc.slice(doc.indexOf('**With tenants by membership**'));
    expect(section.length).toBeLessThan(doc.length);
    const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| key | who |')));
    const documented = [...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
    // The table writes each role's column once, as `home.role.<Role>`.
    expect(documented).toEqual([
      ...keys
        .filter((k) => !k.startsWith('home.role.'))
        .flatMap((k) => (k === 'other.owner' ? ['home.role.<Role>', k] : [k])),
      'key:<Role>',
      'agent',
    ]);
    expect(section).toContain(keys.map((k) => `\`${k}\``).join(', '));
    for (const id of [VERIFY_ORGANIZATIONS.home, VERIFY_ORGANIZATIONS.other, DEFAULT_DEV_USER.tid])
      expect(section).toContain(`\`${id}\``);
  });
});
