import { type KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * DER (ITU-T X.690), as much as an X.509 certificate needs: what `loopback-certificate.ts` writes, and what its
 * test forges with, so both speak the same encoding.
 *
 * @example
 * ```ts
 * const name = der.seq(der.set(der.seq(der.oid('2.5.4.3'), der.tlv(0x0c, Buffer.from('x')))));
 * ```
 */
export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

/** SEQUENCE of the parts. */
export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));
/** SET of the parts. */
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts));
/** INTEGER of these big-endian bytes (the caller keeps it positive). */
export const int = (bytes: Buffer): Buffer => tlv(0x02, bytes);
/** BOOLEAN TRUE (DER: 0xff). */
export const TRUE = tlv(0x01, Buffer.from([0xff]));

/** OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime (`YYMMDDHHMMSSZ`). */
export function utcTime(d: Date): Buffer {
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    two(d.getUTCFullYear() % 100) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds()) +
    'Z';
  return tlv(0x17, Buffer.from(text));
}

/** One extension: its id, critical or not, and its value's DER (wrapped in the OCTET STRING here). */
export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [TRUE] : []), tlv(0x04, value));
}

/** PEM armour of DER bytes. */
export function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END ${label}-----\n`;
}

/**
 * An X.509 v3 certificate, ECDSA with SHA-256: the subject's public key (SPKI DER) and extensions, signed with
 * `signer`'s key under the `issuer` name; a random positive serial of 16 bytes (126 random bits).
 *
 * @example
 * ```ts
 * const der = signCertificate({ subject: name, issuer: name, spki, signer: privateKey, extensions, from, to });
 * ```
 */
export function signCertificate(c: {
  readonly subject: Buffer;
  readonly issuer: Buffer;
  readonly spki: Buffer;
  readonly signer: KeyObject;
  readonly extensions: readonly Buffer[];
  readonly from: Date;
  readonly to: Date;
}): Buffer {
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const serial = randomBytes(16);
  // Positive (high bit clear) and minimal: DER allows no leading zero byte before one whose high bit is clear, and
  // OpenSSL refuses such a serial ("illegal padding") — one certificate in 256 with only the high bit cleared.
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(serial),
    ecdsaSha256,
    c.issuer,
    seq(utcTime(c.from), utcTime(c.to)),
    c.subject,
    c.spki,
    tlv(0xa3, seq(...c.extensions)),
  );
  const signature = sign('sha256', tbs, c.signer);
  return seq(tbs, ecdsaSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

/** A name of one common name (`CN=…`). */
export function commonName(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(cn)))));
}
