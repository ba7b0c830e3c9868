import { generateKeyPairSync, randomBytes } from 'node:crypto';

/**
 * One version of a stand-in key: its id, public coordinates, private scalar (base64url, JWK `d`), state — `enabled`,
 * and `expires` / `notBefore` when set (`exp` / `nbf`), times in seconds since the epoch as Key Vault answers them.
 */
export interface StandInKeyVersion {
  readonly version: string;
  readonly x: string;
  readonly y: string;
  readonly d: string;
  enabled: boolean;
  expires?: number;
  notBefore?: number;
  updated?: number;
  readonly created: number;
}

/**
 * A new version of an EC P-256 key, as Key Vault makes one on create or rotate: a version of 32 hex digits (the
 * form Key Vault's key identifiers carry, `…/keys/<name>/<version>`), its public `x` and `y` (base64url, JWK).
 *
 * @example
 * ```ts
 * const v = newKeyVersion(Date.now());
 * ```
 */
export function newKeyVersion(now: number): StandInKeyVersion {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    version: randomBytes(16).toString('hex'),
    x: String(jwk.x),
    y: String(jwk.y),
    d: String(jwk.d),
    enabled: true,
    created: Math.floor(now / 1000),
  };
}

// NIST P-256 (FIPS 186-4 §D.1.2.3; SEC 2 secp256r1): the field prime, the curve's a (= p - 3), the base point and
// its order.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const A = P - 3n;
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
};

interface Point {
  readonly x: bigint;
  readonly y: bigint;
}

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

/** a⁻¹ mod m (extended Euclid; m prime, a not a multiple of it). */
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, t0, t1] = [mod(a, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return mod(t0, m);
}

/** The sum of two affine points (undefined: the point at infinity). */
function add(p: Point | undefined, q: Point | undefined): Point | undefined {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y, P) === 0n) return undefined;
  const slope =
    p.x === q.x
      ? mod((3n * p.x * p.x + A) * inverse(2n * p.y, P), P)
      : mod((q.y - p.y) * inverse(q.x - p.x, P), P);
  const x = mod(slope * slope - p.x - q.x, P);
  return { x, y: mod(slope * (p.x - x) - p.y, P) };
}

/** k·G by double-and-add: a test stand-in's signer, not a constant-time one. */
function times(k: bigint): Point | undefined {
  let result: Point | undefined;
  let addend: Point | undefined = G;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

const bigintOf = (bytes: Buffer): bigint => BigInt(`0x${bytes.toString('hex') || '0'}`);
const bytes32 = (v: bigint): Buffer => Buffer.from(v.toString(16).padStart(64, '0'), 'hex');

/**
 * ES256 over a digest as Key Vault's `sign` makes it: the ECDSA signature (FIPS 186-4 §6.4) of the 32-byte SHA-256
 * digest itself, laid out `r || s` (RFC 7518 §3.4). Node's `crypto.sign` always hashes its input and has no
 * pre-hashed mode, so the stand-in computes the signature itself (any JOSE library verifies it against the
 * version's public key: test/runtime/oauth/vault-signing-key.test.ts).
 *
 * @example
 * ```ts
 * const signature = signDigest(version.d, digest); // 64 bytes
 * ```
 */
export function signDigest(d: string, digest: Buffer): Buffer {
  const secret = bigintOf(Buffer.from(d, 'base64url'));
  const z = bigintOf(digest.subarray(0, 32));
  for (;;) {
    const k = mod(bigintOf(randomBytes(40)), N - 1n) + 1n;
    const point = times(k);
    const r = point ? mod(point.x, N) : 0n;
    if (r === 0n) continue;
    const s = mod(inverse(k, N) * (z + r * secret), N);
    if (s !== 0n) return Buffer.concat([bytes32(r), bytes32(s)]);
  }
}
