import { createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import { MARKETPLACE_API_APP_ID } from '../model/marketplace.js';

/** A signing key of the stand-in's local key set: its `kid`, the private key, the public JWK it publishes. */
export interface StandInKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

/**
 * A fresh RSA key (2048 bits, as Entra's signing keys) under `kid` — the publisher tenant's key set, or, for a forger,
 * another key published nowhere under the same `kid`.
 *
 * @example
 * ```ts
 * const key = standInKey('standin-1');
 * ```
 */
export function standInKey(kid: string = randomBytes(8).toString('hex')): StandInKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  return { kid, privateKey, jwk };
}

/** The claims of a token Microsoft's webhook call carries, with any of them replaced or removed (`undefined`). */
export type TokenClaims = Readonly<Record<string, unknown>>;

/**
 * An RS256 JWT signed with `key` (Entra's header: `typ`, `alg`, `kid`).
 *
 * @example
 * ```ts
 * signJwt(key, { aud: clientId, tid, appid: '20e940b3-…', exp });
 * ```
 */
export function signJwt(key: StandInKey, claims: TokenClaims): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = part({ typ: 'JWT', alg: 'RS256', kid: key.kid });
  const body = part(Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)));
  const signer = createSign('RSA-SHA256');
  signer.update(`${head}.${body}`);
  return `${head}.${body}.${signer.sign(key.privateKey).toString('base64url')}`;
}

/**
 * The claims of the token Microsoft's Marketplace sends its webhook calls with: a v1 access token of the publisher
 * tenant for the fulfillment app (`aud` its client id), issued to the Marketplace API (`appid`
 * `20e940b3-4c77-4b0b-9a53-9e16a1b010a7`), valid an hour (the claims Learn's "Implementing a webhook on the SaaS
 * service" and the SaaS Accelerator's ValidateJwtToken.cs check).
 *
 * @example
 * ```ts
 * webhookClaims(tenant, clientId, Date.now()).aud; // clientId
 * ```
 */
export function webhookClaims(tenant: string, clientId: string, nowMs: number): TokenClaims {
  const now = Math.floor(nowMs / 1000);
  return {
    aud: clientId,
    iss: `https://sts.windows.net/${tenant}/`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    appid: MARKETPLACE_API_APP_ID,
    appidacr: '2',
    idtyp: 'app',
    oid: '8d44b8a2-6e4f-4a6d-9d0d-5b5b1b5b1b5b',
    sub: '8d44b8a2-6e4f-4a6d-9d0d-5b5b1b5b1b5b',
    tid: tenant,
    ver: '1.0',
  };
}
