import { createHash, randomBytes } from 'node:crypto';

/** The grace a replaced refresh token keeps for a second use (DESIGN.md §2: hosted clients refresh twice). */
export const REFRESH_GRACE_MS = 60_000;

/** A grant's refresh state, as stored: only hashes, never a token. */
export interface RefreshState {
  /** Hashes of the tokens that refresh now (the last one issued; a grace use's second successor beside it). */
  readonly current: readonly string[];
  /** The replaced token's hash and until when it may be used once more. */
  readonly previous?: { readonly hash: string; readonly until: number };
  /** When the refresh tokens of this grant stop working (ms): `refreshTokenDays` after the last rotation. */
  readonly expires: number;
}

/**
 * A new opaque refresh token (`atr_` and 32 random bytes, base64url) and the hash it is stored as.
 *
 * @example
 * ```ts
 * const { token, hash } = newRefreshToken();
 * ```
 */
export function newRefreshToken(): { readonly token: string; readonly hash: string } {
  const token = `atr_${randomBytes(32).toString('base64url')}`;
  return { token, hash: refreshHash(token) };
}

/**
 * The stored form of a refresh token: SHA-256, hex (the token is 256 random bits: no salt or stretching is needed
 * against guessing, and a leaked store holds nothing usable).
 *
 * @example
 * ```ts
 * refreshHash('atr_…').length; // 64
 * ```
 */
export function refreshHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * One use of a refresh token against its grant's state: a current token rotates (its successor current, it the
 * previous for {@link REFRESH_GRACE_MS}); the previous one within its grace gets a second successor, beside the
 * first (both clients of a double refresh keep working); anything else — an unknown token, the previous one after
 * its grace, an expired grant — is refused (`invalid_grant`, RFC 6749 §5.2). RFC 9700 §4.14.2 (refresh token
 * rotation) and OAuth 2.1 §4.3.1 ask public clients' refresh tokens to be sender-constrained or rotated.
 *
 * @example
 * ```ts
 * const used = useRefreshToken(state, token, Date.now(), 30);
 * if (used.ok) save(used.state), answer(used.token);
 * ```
 */
export function useRefreshToken(
  state: RefreshState,
  presented: string,
  now: number,
  refreshTokenDays: number,
): { ok: true; state: RefreshState; token: string } | { ok: false } {
  if (now >= state.expires) return { ok: false };
  const hash = refreshHash(presented);
  const next = newRefreshToken();
  const expires = now + refreshTokenDays * 24 * 60 * 60 * 1000;
  if (state.current.includes(hash))
    return {
      ok: true,
      token: next.token,
      state: { current: [next.hash], previous: { hash, until: now + REFRESH_GRACE_MS }, expires },
    };
  if (state.previous?.hash === hash && now < state.previous.until)
    return {
      ok: true,
      token: next.token,
      // The grace is for one more use: the previous token is spent now.
      state: { current: [...state.current.slice(-1), next.hash], expires },
    };
  return { ok: false };
}
