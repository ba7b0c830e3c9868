import { createHash, randomBytes } from 'node:crypto';
import type { TokenCredential } from '@azure/core-auth';
import type { JWK } from 'jose';
import {
  AGENT_SIGNING_IDENTITY_SETTING,
  AGENT_SIGNING_KEY_ID_SETTING,
} from '../../../contract/mcp/oauth/agent-signing-key.js';
import { type AgentTokenKey, newSigningKey, signingKeyOf } from '../../mcp/oauth/access-token.js';
import { vaultSigningKey } from '../../mcp/oauth/vault-signing-key.js';

/**
 * A setting that may hold the key the backend signs its agents' access tokens with: a private P-256 JWK (ES256) as
 * JSON. Deployed, the plan keeps the key in Key Vault instead ({@link AGENT_SIGNING_KEY_ID_SETTING}); this setting,
 * when set, wins (a key of the operator's own, shared by every instance).
 */
export const AGENT_SIGNING_KEY_SETTING = 'ATAKORA_AGENT_SIGNING_KEY';

/** The keys of the authorization server: the token signing key, and the consent form's HMAC key derived from it. */
export interface AgentKeys {
  readonly signing: AgentTokenKey;
  readonly consent: Buffer;
}

let made: { readonly from: string; readonly keys: Promise<AgentKeys> } | undefined;

/**
 * The authorization server's keys, made once per process: from {@link AGENT_SIGNING_KEY_SETTING} when set; else Key
 * Vault's key the plan keeps ({@link AGENT_SIGNING_KEY_ID_SETTING}: every instance signs through the vault and
 * verifies every instance's tokens, signed as the identity {@link AGENT_SIGNING_IDENTITY_SETTING} names, or
 * `vault.credential`); else a key of this process alone (`atakora dev`, tests: an access token of an earlier process
 * is refused, and its agent refreshes — refresh tokens are opaque and kept in Cosmos DB, so they outlive the
 * process). The consent form's key is the JWK's (derived), else with the vault's key the one every instance shares
 * (`vault.consent`), else this process's own.
 *
 * @example
 * ```ts
 * const { signing, consent } = await agentKeys(process.env);
 * ```
 */
export function agentKeys(
  env: Readonly<Record<string, string | undefined>>,
  vault: {
    readonly credential?: TokenCredential;
    /** The consent form's key all instances share (consent-key.ts); absent → this process's own. */
    readonly consent?: () => Promise<Buffer>;
    /** The clock the vault key's versions are judged by (their `exp`, a rotation's age): the members'. */
    readonly now?: () => number;
  } = {},
): Promise<AgentKeys> {
  const jwkSetting = env[AGENT_SIGNING_KEY_SETTING]?.trim() || undefined;
  const keyId = jwkSetting ? undefined : env[AGENT_SIGNING_KEY_ID_SETTING]?.trim() || undefined;
  const from = jwkSetting ? `jwk|${jwkSetting}` : keyId ? `vault|${keyId}` : 'process';
  if (made && made.from === from) return made.keys;
  const keys = (async (): Promise<AgentKeys> => {
    if (keyId) {
      const clientId = env[env[AGENT_SIGNING_IDENTITY_SETTING] ?? '']?.trim() || undefined;
      const signing = vaultSigningKey(keyId, {
        ...(vault.credential ? { credential: vault.credential } : {}),
        ...(clientId ? { clientId } : {}),
        ...(vault.now ? { now: vault.now } : {}),
      });
      // Every instance verifies every instance's tokens: the consent form must hold across them too.
      return { signing, consent: vault.consent ? await vault.consent() : randomBytes(32) };
    }
    if (!jwkSetting) {
      const { key } = await newSigningKey();
      return { signing: key, consent: randomBytes(32) };
    }
    const jwk = JSON.parse(jwkSetting) as JWK;
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
