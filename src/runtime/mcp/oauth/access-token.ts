import {
  type CryptoKey,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { MCP_SCOPE } from '../../../contract/mcp/oauth/metadata.js';
import { SigningKeyUnavailable, signedJws, type TokenSigner } from './token-signer.js';

/**
 * The claims of the backend's own access token (DESIGN.md §2, "Tokens"): `iss` the API's base, `aud` the MCP
 * endpoint's URL, `sub` the person, `org` the organization, `client_id` (RFC 9068 §2.2), `grant` (the grant it
 * was issued under, so revoking the grant ends it), `scope` 'mcp', `exp`.
 */
export interface AgentTokenClaims {
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly org: string;
  readonly client_id: string;
  readonly grant: string;
  readonly scope: typeof MCP_SCOPE;
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
}

/** The key the backend signs its tokens with: a P-256 key pair (ES256), its id the `kid`. */
export interface AgentSigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/**
 * What signs and verifies the backend's tokens: a key in this process (`atakora dev`, tests,
 * `ATAKORA_AGENT_SIGNING_KEY`) or Key Vault's key (token-signer.ts, vault-signing-key.ts).
 */
export type AgentTokenKey = AgentSigningKey | TokenSigner;

const isSigner = (key: AgentTokenKey | Pick<AgentSigningKey, 'publicKey'>): key is TokenSigner =>
  typeof key.publicKey === 'function';

/** RFC 9068 §2.1: access tokens are typed `at+jwt`, so an ID token or another JWT is never taken for one. */
const TOKEN_TYPE = 'at+jwt';
const ALG = 'ES256';

/**
 * A new signing key (`atakora dev`'s local key; deployed, the plan keeps one in Key Vault) and its private JWK to
 * keep it.
 *
 * @example
 * ```ts
 * const { key, jwk } = await newSigningKey();
 * const again = await signingKeyOf(jwk); // the same key, from where it was kept
 * ```
 */
export async function newSigningKey(): Promise<{ key: AgentSigningKey; jwk: JWK }> {
  const pair = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(pair.privateKey);
  const kid = `atk-${crypto.randomUUID()}`;
  return {
    key: { kid, privateKey: pair.privateKey, publicKey: pair.publicKey },
    jwk: { ...jwk, kid, alg: ALG },
  };
}

/**
 * The signing key a private JWK (ES256, with its `kid`) holds.
 *
 * @example
 * ```ts
 * const key = await signingKeyOf(JSON.parse(process.env.ATAKORA_AGENT_SIGNING_KEY ?? '{}'));
 * ```
 */
export async function signingKeyOf(jwk: JWK): Promise<AgentSigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d)
    throw new Error('The agent signing key is not a private P-256 JWK.');
  const { d: _private, ...publicJwk } = jwk;
  return {
    kid: jwk.kid ?? 'atk',
    privateKey: (await importJWK({ ...jwk, alg: ALG }, ALG)) as CryptoKey,
    publicKey: (await importJWK({ ...publicJwk, alg: ALG }, ALG)) as CryptoKey,
  };
}

/**
 * Sign an access token for `who` (ES256 through `jose`), valid `minutes` from `now` (seconds).
 *
 * @example
 * ```ts
 * const token = await issueAccessToken(key, { issuer, audience, person: 'alice', organization: 'acme', clientId, grant: 'g1', minutes: 10 });
 * ```
 */
export async function issueAccessToken(
  key: AgentTokenKey,
  who: {
    readonly issuer: string;
    readonly audience: string;
    readonly person: string;
    readonly organization: string;
    readonly clientId: string;
    readonly grant: string;
    readonly minutes: number;
    readonly now?: number;
  },
): Promise<{ readonly token: string; readonly expiresIn: number }> {
  const now = who.now ?? Math.floor(Date.now() / 1000);
  const expiresIn = who.minutes * 60;
  if (isSigner(key)) {
    const token = await signedJws(
      key,
      { alg: ALG, typ: TOKEN_TYPE },
      {
        org: who.organization,
        client_id: who.clientId,
        grant: who.grant,
        scope: MCP_SCOPE,
        iss: who.issuer,
        aud: who.audience,
        sub: who.person,
        iat: now,
        exp: now + expiresIn,
        jti: crypto.randomUUID(),
      },
    );
    return { token, expiresIn };
  }
  const token = await new SignJWT({
    org: who.organization,
    client_id: who.clientId,
    grant: who.grant,
    scope: MCP_SCOPE,
  })
    .setProtectedHeader({ alg: ALG, typ: TOKEN_TYPE, kid: key.kid })
    .setIssuer(who.issuer)
    .setAudience(who.audience)
    .setSubject(who.person)
    .setIssuedAt(now)
    .setExpirationTime(now + expiresIn)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
  return { token, expiresIn };
}

/**
 * The claims of a token of ours for `audience` (the MCP URL), or why it is none: a bad signature, another
 * issuer or audience, another type or algorithm, expired, or a claim missing. Throws only
 * {@link SigningKeyUnavailable} (Key Vault's key could not be read: the service's state, answered 503).
 *
 * @example
 * ```ts
 * const checked = await verifyAccessToken(key, token, { issuer, audience });
 * if (!checked.ok) return unauthorized(checked.why);
 * ```
 */
export async function verifyAccessToken(
  key: Pick<AgentSigningKey, 'publicKey'> | TokenSigner,
  token: string,
  expected: { readonly issuer: string; readonly audience: string; readonly now?: number },
): Promise<{ ok: true; claims: AgentTokenClaims } | { ok: false; why: string }> {
  let payload: JWTPayload;
  try {
    // Key Vault's key: the public key of the version the token names (`kid`), so a rotated key's tokens hold.
    const verifyWith = isSigner(key)
      ? async (header: { kid?: string | undefined }) => {
          const found = await key.publicKey(header.kid);
          if (!found)
            throw new Error(`no signing key of this backend has the kid ${String(header.kid)}`);
          return found;
        }
      : key.publicKey;
    ({ payload } = await jwtVerify(token, verifyWith, {
      issuer: expected.issuer,
      audience: expected.audience,
      algorithms: [ALG],
      typ: TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat'],
      ...(expected.now !== undefined ? { currentDate: new Date(expected.now * 1000) } : {}),
    }));
  } catch (e) {
    // The vault unreachable or refusing is the service's state, not the token's: the caller answers 503.
    if (e instanceof SigningKeyUnavailable) throw e;
    return { ok: false, why: e instanceof Error ? e.message : 'invalid token' };
  }
  const { org, client_id: clientId, grant, scope, iss, aud, sub, exp, iat, jti } = payload;
  if (
    typeof org !== 'string' ||
    typeof clientId !== 'string' ||
    typeof grant !== 'string' ||
    scope !== MCP_SCOPE ||
    typeof iss !== 'string' ||
    typeof aud !== 'string' ||
    typeof sub !== 'string' ||
    typeof exp !== 'number' ||
    typeof iat !== 'number'
  )
    return { ok: false, why: 'The token lacks the org, client_id, grant or scope claim.' };
  return {
    ok: true,
    claims: { iss, aud, sub, org, client_id: clientId, grant, scope, exp, iat, jti: jti ?? '' },
  };
}

/**
 * Whether the key that signed `token` — a token verified before, its claims kept (verified-tokens.ts) — still
 * verifies now: with Key Vault's key, its version (`kid`) is still listed, neither disabled, expired nor rotated out
 * (key-versions.ts), so ending a version in the vault ends the tokens an instance already took too; a key of this
 * process always does.
 *
 * @example
 * ```ts
 * if (cached && !(await signerStillTrusted(signing, token))) cached = undefined; // verify again: refused
 * ```
 */
export async function signerStillTrusted(key: AgentTokenKey, token: string): Promise<boolean> {
  if (!isSigner(key)) return true;
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return false;
  }
  return (await key.publicKey(kid)) !== undefined;
}

/**
 * Where an agent token is taken (DESIGN.md §2): only at `api/mcp`, only in its organization — a request naming
 * another in `X-Atakora-Tenant` is 403, none names the token's.
 *
 * @example
 * ```ts
 * agentTokenConfinement(claims, 'mcp', request.headers.get('x-atakora-tenant')); // { ok: true, organization: 'acme' }
 * ```
 */
export function agentTokenConfinement(
  claims: Pick<AgentTokenClaims, 'org'>,
  route: string,
  tenantHeader: string | null | undefined,
): { ok: true; organization: string } | { ok: false; status: 401 | 403; why: string } {
  if (route.toLowerCase() !== 'mcp')
    return { ok: false, status: 401, why: 'An agent token is taken at api/mcp only.' };
  if (tenantHeader && tenantHeader !== claims.org)
    return {
      ok: false,
      status: 403,
      why: `This agent token is for organization ${claims.org}, not ${tenantHeader}.`,
    };
  return { ok: true, organization: claims.org };
}
