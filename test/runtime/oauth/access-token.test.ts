/**
 * The backend's own access tokens (DESIGN.md §2 "Tokens"): ES256 JWTs signed and verified by `jose` with the
 * contract's claims, refused when forged, expired, for another audience or issuer, or of another type; taken only
 * at api/mcp and only in their organization. PKCE S256 checked against RFC 7636's own example.
 */
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  agentTokenConfinement,
  issueAccessToken,
  newSigningKey,
  signingKeyOf,
  verifyAccessToken,
} from '../../../src/runtime/mcp/oauth/access-token.js';
import { isS256Challenge, pkceVerified } from '../../../src/runtime/mcp/oauth/pkce.js';

const ISSUER = 'http://127.0.0.1:7071/api';
const AUDIENCE = `${ISSUER}/mcp`;
const who = {
  issuer: ISSUER,
  audience: AUDIENCE,
  person: 'alice@contoso.com',
  organization: 'acme-k3x9qa',
  clientId: 'https://claude.ai/oauth/mcp-client.json',
  grant: 'grant-1',
  minutes: 10,
};

describe('an agent access token', () => {
  it('carries the contract’s claims, ES256 and at+jwt, and verifies', async () => {
    const { key } = await newSigningKey();
    const now = 1_800_000_000;
    const { token, expiresIn } = await issueAccessToken(key, { ...who, now });
    expect(expiresIn).toBe(600);
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: key.kid,
    });
    expect(decodeJwt(token)).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: who.person,
      org: who.organization,
      client_id: who.clientId,
      grant: 'grant-1',
      scope: 'mcp',
      iat: now,
      exp: now + 600,
    });
    const checked = await verifyAccessToken(key, token, {
      issuer: ISSUER,
      audience: AUDIENCE,
      now: now + 599,
    });
    expect(checked).toMatchObject({ ok: true, claims: { org: who.organization } });
  });

  it('is refused expired, for another audience or issuer, by another key, or tampered', async () => {
    const { key } = await newSigningKey();
    const other = await newSigningKey();
    const now = 1_800_000_000;
    const { token } = await issueAccessToken(key, { ...who, now });
    const expect401 = async (
      t: string,
      e: { issuer: string; audience: string; now: number },
      k = key,
    ) => expect((await verifyAccessToken(k, t, e)).ok).toBe(false);
    await expect401(token, { issuer: ISSUER, audience: AUDIENCE, now: now + 601 });
    await expect401(token, { issuer: ISSUER, audience: 'https://elsewhere/api/mcp', now });
    await expect401(token, { issuer: 'https://other/api', audience: AUDIENCE, now });
    await expect401(token, { issuer: ISSUER, audience: AUDIENCE, now }, other.key);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), org: 'globex' })).toString(
      'base64url',
    );
    await expect401(`${h}.${forged}.${s}`, { issuer: ISSUER, audience: AUDIENCE, now });
    expect(p).toBeTruthy();
  });

  it('a JWT of the same key that is not typed at+jwt, or lacks org, is no access token', async () => {
    const { key } = await newSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ org: 'acme', client_id: 'c', grant: 'g', scope: 'mcp' })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key.privateKey);
    expect((await verifyAccessToken(key, idToken, { issuer: ISSUER, audience: AUDIENCE })).ok).toBe(
      false,
    );
    const noOrg = await new SignJWT({ client_id: 'c', grant: 'g', scope: 'mcp' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key.privateKey);
    expect((await verifyAccessToken(key, noOrg, { issuer: ISSUER, audience: AUDIENCE })).ok).toBe(
      false,
    );
    for (const garbage of ['', 'a.b.c', 'Bearer x', '..'])
      expect(
        (await verifyAccessToken(key, garbage, { issuer: ISSUER, audience: AUDIENCE })).ok,
      ).toBe(false);
  });

  it('survives being kept as a JWK (the local key under dev)', async () => {
    const { key, jwk } = await newSigningKey();
    const kept = await signingKeyOf(JSON.parse(JSON.stringify(jwk)) as typeof jwk);
    const { token } = await issueAccessToken(kept, who);
    expect((await verifyAccessToken(key, token, { issuer: ISSUER, audience: AUDIENCE })).ok).toBe(
      true,
    );
    await expect(signingKeyOf({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y })).rejects.toThrow(
      /private/,
    );
  });

  it('is taken only at api/mcp and only in its organization', () => {
    expect(agentTokenConfinement({ org: 'acme' }, 'mcp', undefined)).toEqual({
      ok: true,
      organization: 'acme',
    });
    expect(agentTokenConfinement({ org: 'acme' }, 'mcp', 'acme')).toEqual({
      ok: true,
      organization: 'acme',
    });
    expect(agentTokenConfinement({ org: 'acme' }, 'mcp', 'globex')).toMatchObject({
      ok: false,
      status: 403,
    });
    expect(agentTokenConfinement({ org: 'acme' }, 'tickets', undefined)).toMatchObject({
      ok: false,
      status: 401,
    });
  });
});

describe('PKCE S256', () => {
  it('RFC 7636 Appendix B’s example verifies; any other verifier does not', () => {
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(isS256Challenge(challenge)).toBe(true);
    expect(pkceVerified('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge)).toBe(true);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'abcXYZ019-._~'), minLength: 43, maxLength: 128 }),
        (v) => {
          expect(pkceVerified(v, challenge)).toBe(
            v === 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
          );
        },
      ),
    );
    for (const bad of [undefined, 42, '', 'short', 'x'.repeat(129), `${'a'.repeat(43)} `])
      expect(pkceVerified(bad, challenge)).toBe(false);
    for (const bad of ['plain-verifier', `${challenge}=`, 42, undefined])
      expect(isS256Challenge(bad)).toBe(false);
  });
});
