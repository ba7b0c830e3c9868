import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One version of a stand-in key: its id, public coordinates, private key (PEM, for `openssl`), state. */
export interface StandInKeyVersion {
  readonly version: string;
  readonly x: string;
  readonly y: string;
  readonly pem: string;
  enabled: boolean;
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
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    version: randomBytes(16).toString('hex'),
    x: String(jwk.x),
    y: String(jwk.y),
    pem: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    enabled: true,
    created: Math.floor(now / 1000),
  };
}

/**
 * ES256 over a digest as Key Vault's `sign` makes it: the signature of the 32-byte SHA-256 digest itself, `r || s`
 * (RFC 7518 §3.4). Node's `crypto.sign` always hashes its input, so the digest is signed by OpenSSL's `pkeyutl`,
 * which signs its input as the digest, and its DER `ECDSA-Sig-Value` (RFC 3279 §2.2.3) is laid out as `r || s`.
 * Needs `openssl` on PATH (the stand-in's only outside tool).
 *
 * @example
 * ```ts
 * const signature = await signDigest(version.pem, digest); // 64 bytes
 * ```
 */
export async function signDigest(pem: string, digest: Buffer): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'atakora-kv-'));
  try {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, pem, { mode: 0o600 });
    const der = await new Promise<Buffer>((resolve, reject) => {
      const child = execFile(
        'openssl',
        ['pkeyutl', '-sign', '-inkey', keyFile],
        { encoding: 'buffer' },
        (error, stdout) => {
          if (error) reject(new Error(`openssl pkeyutl failed: ${error.message}`));
          else resolve(stdout);
        },
      );
      child.stdin?.end(digest);
    });
    return rawSignature(der);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `SEQUENCE { INTEGER r, INTEGER s }` (short lengths: P-256's integers are at most 33 bytes) → 32-byte `r || s`. */
function rawSignature(der: Buffer): Buffer {
  let at = 2; // SEQUENCE tag and length
  const integer = (): Buffer => {
    const length = der[at + 1] ?? 0;
    const bytes = der.subarray(at + 2, at + 2 + length);
    at += 2 + length;
    const trimmed = bytes.subarray(Math.max(0, bytes.length - 32));
    return Buffer.concat([Buffer.alloc(32 - trimmed.length), trimmed]);
  };
  return Buffer.concat([integer(), integer()]);
}
