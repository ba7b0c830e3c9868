import { createHash, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { type AgentSigningKey, newSigningKey, signingKeyOf } from '../../mcp/oauth/access-token.js';

/**
 * The setting that holds the key the backend signs its agents' access tokens with: a private P-256 JWK (ES256) as
 * JSON, kept in Key Vault and referenced by the app's settings when deployed.
 */
export const AGENT_SIGNING_KEY_SETTING = 'ATAKORA_AGENT_SIGNING_KEY';

/** The keys of the authorization server: the token signing key, and the consent form's HMAC key derived from it. */
export interface AgentKeys {
  readonly signing: AgentSigningKey;
  readonly consent: Buffer;
}

let made: { readonly from: string | undefined; readonly keys: Promise<AgentKeys> } | undefined;

/**
 * The authorization server's keys, made once per process: from {@link AGENT_SIGNING_KEY_SETTING} when set, else a
 * key of this process alone (`atakora dev`, tests: an access token of an earlier process is refused, and its agent
 * refreshes — refresh tokens are opaque and kept in Cosmos DB, so they outlive the process).
 *
 * @example
 * ```ts
 * const { signing, consent } = await agentKeys(process.env);
 * ```
 */
export function agentKeys(env: Readonly<Record<string, string | undefined>>): Promise<AgentKeys> {
  const from = env[AGENT_SIGNING_KEY_SETTING]?.trim() || undefined;
  if (made && made.from === from) return made.keys;
  const keys = (async (): Promise<AgentKeys> => {
    if (!from) {
      const { key } = await newSigningKey();
      return { signing: key, consent: randomBytes(32) };
    }
    const jwk = JSON.parse(from) as JWK;
    const signing = await signingKeyOf(jwk);
    // One secret kept, two keys: the consent HMAC's is the private scalar's hash under its own label.
    const consent = createHash('sha256')
      .update(`atakora-consent|${jwk.d ?? ''}`)
      .digest();
    return { signing, consent };
  })();
  made = { from, keys };
  return keys;
}
