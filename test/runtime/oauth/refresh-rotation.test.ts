/**
 * Refresh tokens (DESIGN.md §2): opaque, stored hashed, rotated on every use with a 60 s grace for one second use
 * of the previous token (hosted clients refresh twice), refused after the grace, once spent, or when expired.
 * A stateful property: any sequence of uses keeps at most the tokens the rules allow working.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  newRefreshToken,
  REFRESH_GRACE_MS,
  type RefreshState,
  refreshHash,
  useRefreshToken,
} from '../../../src/runtime/mcp/oauth/refresh-rotation.js';

const DAY = 24 * 60 * 60 * 1000;
const start = (now: number) => {
  const first = newRefreshToken();
  return {
    token: first.token,
    state: { current: [first.hash], expires: now + 30 * DAY } as RefreshState,
  };
};

describe('refresh rotation', () => {
  it('stores only hashes', () => {
    const { token, hash } = newRefreshToken();
    expect(token).toMatch(/^atr_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(refreshHash(token));
    expect(hash).not.toContain(token.slice(4));
  });

  it('rotates; the previous token works once more within 60 s, then never', () => {
    const now = 1_000_000;
    const { token: t0, state: s0 } = start(now);
    const r1 = useRefreshToken(s0, t0, now, 30);
    if (!r1.ok) throw new Error('first use refused');
    expect(JSON.stringify(r1.state)).not.toContain(r1.token);
    const grace = useRefreshToken(r1.state, t0, now + REFRESH_GRACE_MS - 1, 30);
    if (!grace.ok) throw new Error('grace use refused');
    // Both successors work: the client that refreshed first is not cut off.
    expect(useRefreshToken(grace.state, r1.token, now + 1000, 30).ok).toBe(true);
    expect(useRefreshToken(grace.state, grace.token, now + 1000, 30).ok).toBe(true);
    // The grace was for one more use only.
    expect(useRefreshToken(grace.state, t0, now + 1000, 30).ok).toBe(false);
    // After the grace, the previous token is dead.
    expect(useRefreshToken(r1.state, t0, now + REFRESH_GRACE_MS, 30).ok).toBe(false);
  });

  it('expires refreshTokenDays after the last rotation', () => {
    const now = 1_000_000;
    const { token, state } = start(now);
    expect(useRefreshToken(state, token, now + 30 * DAY, 30).ok).toBe(false);
    const r = useRefreshToken(state, token, now + 29 * DAY, 7);
    expect(r.ok && r.state.expires).toBe(now + 36 * DAY);
  });

  it('an unknown token never refreshes, whatever happened before', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ which: fc.nat(5), after: fc.integer({ min: 0, max: 2 * REFRESH_GRACE_MS }) }),
          {
            maxLength: 12,
          },
        ),
        fc.string({ minLength: 1 }),
        (uses, stranger) => {
          let now = 0;
          let { token, state } = start(now);
          const issued = [token];
          for (const u of uses) {
            now += u.after;
            const presented = issued[Math.min(u.which, issued.length - 1)] ?? token;
            const r = useRefreshToken(state, presented, now, 30);
            if (r.ok) {
              issued.push(r.token);
              state = r.state;
              token = r.token;
            }
            // Never more than two tokens refresh at once.
            expect(state.current.length).toBeLessThanOrEqual(2);
            expect(useRefreshToken(state, `atr_${stranger}`, now, 30).ok).toBe(false);
          }
          // The newest token always works until expiry.
          expect(useRefreshToken(state, token, now, 30).ok).toBe(true);
        },
      ),
    );
  });
});
