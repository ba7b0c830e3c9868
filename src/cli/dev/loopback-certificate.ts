import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A certificate and its key as PEM files, and the certificate's text (for an agent's `ca`). */
export interface LoopbackCertificate {
  /** PEM file of the certificate: what a worker trusts through `NODE_EXTRA_CA_CERTS`. */
  readonly certFile: string;
  /** PEM file of the private key (mode 0600). */
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/**
 * A fresh self-signed certificate for the loopback services `atakora dev` starts (the local Cosmos DB server,
 * Azurite), valid for `127.0.0.1` and `localhost` for a day, written into `dir`. The worker that runs the user's
 * handlers trusts it through `NODE_EXTRA_CA_CERTS` (read by Node at start,
 * https://nodejs.org/api/cli.html#node_extra_ca_certsfile), with certificate checks on: the packages' own
 * certificates (the Cosmos DB server's expired one, CN=cosmosdb) cannot be trusted that way, and turning
 * checks off process-wide would let the code that holds the secrets accept any certificate, anywhere. The key
 * never leaves the session's working folder, which dev removes when it stops.
 *
 * @example
 * ```ts
 * const { certFile } = loopbackCertificate(work);
 * spawn(node, [worker], { env: { NODE_EXTRA_CA_CERTS: certFile } });
 * ```
 */
export function loopbackCertificate(dir: string, now = new Date()): LoopbackCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from('atakora dev loopback')))));
  const ecdsaSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const extensions = seq(
    // CA:TRUE, critical: a self-signed anchor OpenSSL takes from NODE_EXTRA_CA_CERTS.
    seq(
      oid('2.5.29.19'),
      tlv(0x01, Buffer.from([0xff])),
      tlv(0x04, seq(tlv(0x01, Buffer.from([0xff])))),
    ),
    // subjectAltName: IP 127.0.0.1 and DNS localhost, what the endpoints name.
    seq(
      oid('2.5.29.17'),
      tlv(0x04, seq(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost')))),
    ),
  );
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))),
    int(serial),
    ecdsaSha256,
    name,
    seq(
      utcTime(new Date(now.getTime() - 3_600_000)),
      utcTime(new Date(now.getTime() + 86_400_000)),
    ),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, ecdsaSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = pem('CERTIFICATE', der);
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // The names Azurite's --cert and --key are given from a folder (cli/dev/azurite.ts, spawnAzurite).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, cert);
  writeFileSync(keyFile, key, { mode: 0o600 });
  return { certFile, keyFile, cert, key };
}

// DER (ITU-T X.690), as much as a certificate needs.
function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80
      ? Buffer.from([n])
      : n < 0x100
        ? Buffer.from([0x81, n])
        : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const int = (bytes: Buffer) => tlv(0x02, bytes);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
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

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END ${label}-----\n`;
}
