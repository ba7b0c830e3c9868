import { createHash } from 'node:crypto';

/**
 * A key that signs the backend's access tokens outside this process — Key Vault's (vault-signing-key.ts) — and gives
 * the public key of each version it signed with, so any instance verifies any instance's tokens.
 */
export interface TokenSigner {
  /**
   * The version new tokens are signed with now (the JWS `kid`) and its signer: the ES256 signature (raw `r || s`,
   * 64 bytes, RFC 7518 §3.4) of a SHA-256 digest.
   */
  current(): Promise<{
    readonly kid: string;
    sign(digest: Uint8Array): Promise<Uint8Array>;
  }>;
  /**
   * The public key of version `kid`, or undefined when there is none (unknown, disabled, expired, rotated out long
   * enough that no token it signed is live, not ours).
   */
  publicKey(kid: string | undefined): Promise<CryptoKey | undefined>;
  /** Every version that verifies now, newest first, each with its `kid`: what the JWKS lists. */
  publicKeys(): Promise<readonly { readonly kid: string; readonly key: CryptoKey }[]>;
}

/**
 * Why the signing key cannot be used now: the vault refused (no role, 403), has no such key (404), the key is
 * disabled, or did not answer. The authorization server answers 503 with `Retry-After` (signing-key-refusal.ts),
 * never an unhandled 500; `why` goes to the log and the answer's description.
 */
export class SigningKeyUnavailable extends Error {
  constructor(
    readonly why: string,
    readonly status: number | undefined,
  ) {
    super(why);
    this.name = 'SigningKeyUnavailable';
  }
}

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64url');

/**
 * A JWS compact serialization (RFC 7515 §7.1) of `payload` signed by `signer`: `BASE64URL(header)`, `.`,
 * `BASE64URL(payload)`, `.`, `BASE64URL(signature)`, the signature over the ASCII of the first two parts (§5.1). ES256
 * signs the SHA-256 digest of that input and the signature is `r || s` (RFC 7518 §3.4) — what Key Vault's `sign`
 * takes (a digest, `value`) and returns (https://learn.microsoft.com/rest/api/keyvault/keys/sign/sign: "Creates a
 * signature from a digest using the specified key"). The signing itself is the vault's: nothing here computes a
 * signature; `jose` verifies the result like any other token (access-token.ts).
 *
 * @example
 * ```ts
 * const token = await signedJws(signer, { alg: 'ES256', typ: 'at+jwt' }, { sub: 'alice' });
 * ```
 */
export async function signedJws(
  signer: TokenSigner,
  header: Readonly<Record<string, unknown>>,
  payload: Readonly<Record<string, unknown>>,
): Promise<string> {
  const current = await signer.current();
  const input = `${b64(JSON.stringify({ ...header, kid: current.kid }))}.${b64(JSON.stringify(payload))}`;
  const signature = await current.sign(createHash('sha256').update(input, 'ascii').digest());
  return `${input}.${b64(signature)}`;
}
