/**
 * A grant's life beside the membership's (DESIGN.md §2): every refresh re-checks the grant, the membership, the
 * organization's state and the plan's `mcp` feature; a removed or barred person's grant dies with it; at most
 * `grantsPerPerson` live grants per organization, a re-consent replacing the client's own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AgentGrant,
  grantRefusal,
  roomForGrant,
} from '../../../src/runtime/mcp/oauth/grant-life.js';

const grant: AgentGrant = {
  id: 'g1',
  person: 'alice@contoso.com',
  organization: 'acme',
  clientId: 'https://claude.ai/oauth/mcp-client.json',
  clientName: 'Claude',
  created: '2026-11-29T00:00:00.000Z',
};
const alive = { membership: {}, organizationState: 'active' as const, planHasMcp: true };

describe("a grant's life", () => {
  it('lives exactly while grant, membership, organization and plan all say so', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom('member', 'removed', 'barred'),
        fc.constantFrom('active', 'suspended', 'deleted', 'erased', undefined),
        fc.boolean(),
        (revoked, member, state, mcp) => {
          const why = grantRefusal(revoked ? { ...grant, revoked: 'now' } : grant, {
            membership:
              member === 'removed' ? undefined : member === 'barred' ? { barred: true } : {},
            organizationState: state,
            planHasMcp: mcp,
          });
          const lives = !revoked && member === 'member' && state === 'active' && mcp;
          expect(why === undefined).toBe(lives);
        },
      ),
    );
    expect(grantRefusal(undefined, alive)).toMatch(/does not exist/);
    expect(grantRefusal(grant, { ...alive, membership: undefined })).toMatch(/no longer a member/);
  });

  it('at most grantsPerPerson live grants; re-consenting a client replaces its own', () => {
    const held = Array.from({ length: 20 }, (_, i) => ({
      clientId: `https://c${String(i)}.example/c.json`,
    }));
    expect(roomForGrant(held, 'https://new.example/c.json', 20)).toBe(false);
    expect(roomForGrant(held, 'https://c3.example/c.json', 20)).toBe(true);
    expect(
      roomForGrant(
        [...held.slice(1), { ...held[0]!, revoked: 'x' }],
        'https://new.example/c.json',
        20,
      ),
    ).toBe(true);
  });
});
