import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import { commonName, extension, oid, pem, seq, signCertificate, tlv } from './der.js';

/** A certificate and its key as PEM files, and the certificate's text (for an agent's `ca`). */
export interface LoopbackCertificate {
  /** PEM file of the certificate: what a worker trusts through `NODE_EXTRA_CA_CERTS`. */
  readonly certFile: string;
  /** PEM file of the private key (mode 0600). */
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

/** The names the certificate is for: the loopback services' endpoints, nothing else. */
export const LOOPBACK_NAMES = { ips: ['127.0.0.1', '::1'], dns: ['localhost'] } as const;

/**
 * A fresh self-signed certificate for the loopback services `atakora dev` starts (the local Cosmos DB server,
 * Azurite), valid for `127.0.0.1`, `::1` and `localhost` for a day, written into `dir`. It is a **leaf, not a CA**
 * (basic constraints `CA:FALSE`, key usage `digitalSignature` only, extended key usage `serverAuth`, all critical
 * where RFC 5280 allows): trusted as an anchor, it vouches for its own names and for no certificate its key
 * signs — OpenSSL refuses an issuer without `keyCertSign` or `CA:TRUE` (RFC 5280 §4.2.1.3, §4.2.1.9), so a leaked
 * key cannot mint `login.microsoftonline.com` for the worker that trusts it. The worker that runs the user's
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
  const name = commonName('atakora dev loopback');
  const der = signCertificate({
    subject: name,
    issuer: name,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    signer: privateKey,
    from: new Date(now.getTime() - 3_600_000),
    to: new Date(now.getTime() + 86_400_000),
    extensions: [
      // basicConstraints, critical: CA:FALSE (the default, so an empty SEQUENCE).
      extension('2.5.29.19', true, seq()),
      // keyUsage, critical: digitalSignature only (bit 0; no keyCertSign, no cRLSign).
      extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x07, 0x80]))),
      // extKeyUsage: serverAuth.
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
      // subjectAltName: what the endpoints name, and only that.
      extension(
        '2.5.29.17',
        false,
        seq(
          ...LOOPBACK_NAMES.ips.map((ip) => tlv(0x87, ipBytes(ip))),
          ...LOOPBACK_NAMES.dns.map((dns) => tlv(0x82, Buffer.from(dns))),
        ),
      ),
    ],
  });
  const cert = pem('CERTIFICATE', der);
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // The names Azurite's --cert and --key are given from a folder (cli/dev/storage/azurite.ts, spawnAzurite).
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  writeFileSync(certFile, cert);
  writeFileSync(keyFile, key, { mode: 0o600 });
  return { certFile, keyFile, cert, key };
}

/** An IP address's bytes for a subjectAltName `iPAddress` (4 for IPv4, 16 for IPv6). */
function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand `::` to the missing zero groups.
  const [head = '', tail = ''] = ip.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}
