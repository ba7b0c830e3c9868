import type { AgentTokenClaims } from './access-token.js';

/** How many verified tokens one instance keeps: an agent reuses its access token for every call until it expires. */
const CAPACITY = 2000;

/**
 * The access tokens this instance has verified (signature, issuer, audience, type), each with its claims, until its
 * `exp`: an agent sends the same token on every call for up to `accessTokenMinutes`, and its ES256 signature check is
 * the costliest step of its admission (~0.15–0.25 ms with jose). A hit needs the exact token string under the same
 * issuer and audience — a token whose signature was verified — and is never taken at or after its `exp`; the grant,
 * the membership and the organization are still checked on every request (agent-tenants.ts), so a revocation ends
 * it as before. Bounded: the oldest entry goes first.
 *
 * @example
 * ```ts
 * const verified = new VerifiedTokens();
 * const claims = verified.get(`${issuer} ${audience}`, token, nowSeconds) ?? (await verify(token));
 * ```
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, AgentTokenClaims>();

  /** The claims of `token` verified before under `scope` (issuer and audience), unless it has expired by `now`. */
  get(scope: string, token: string, now: number): AgentTokenClaims | undefined {
    const key = `${scope}\n${token}`;
    const claims = this.#entries.get(key);
    if (claims === undefined) return undefined;
    if (claims.exp <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return claims;
  }

  /** Keep `claims` of a token just verified under `scope`. */
  set(scope: string, token: string, claims: AgentTokenClaims): void {
    if (this.#entries.size >= CAPACITY) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(`${scope}\n${token}`, claims);
  }
}
