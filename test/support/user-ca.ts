/**
 * A certificate authority of the user's own (a company's private CA, a TLS-inspecting proxy's) and the server
 * certificates it issues, made with Node's crypto and dev's DER writer (no openssl binary): what a developer's
 * `NODE_EXTRA_CA_CERTS` names.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';
import {
  commonName,
  extension,
  oid,
  pem,
  seq,
  signCertificate,
  tlv,
} from '../../src/cli/dev/loopback/der.js';

export interface UserCa {
  /** The CA's certificate (PEM): CA:TRUE, keyCertSign. */
  readonly cert: string;
  /** A server certificate for `names` (IPv4 addresses and DNS names), issued by the CA. */
  issue(names: readonly string[]): { readonly cert: string; readonly key: string };
}

const validity = () => ({
  from: new Date(Date.now() - 3_600_000),
  to: new Date(Date.now() + 86_400_000),
});

/**
 * A fresh CA named `name`.
 *
 * @example
 * ```ts
 * const ca = userCa('Contoso Root');
 * const { cert, key } = ca.issue(['127.0.0.1', 'localhost']);
 * ```
 */
export function userCa(name: string): UserCa {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const subject = commonName(name);
  const cert = pem(
    'CERTIFICATE',
    signCertificate({
      subject,
      issuer: subject,
      spki: publicKey.export({ type: 'spki', format: 'der' }),
      signer: privateKey,
      ...validity(),
      extensions: [
        // basicConstraints, critical: CA:TRUE.
        extension('2.5.29.19', true, seq(tlv(0x01, Buffer.from([0xff])))),
        // keyUsage, critical: keyCertSign and cRLSign (bits 5 and 6).
        extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x01, 0x06]))),
      ],
    }),
  );
  return { cert, issue: (names) => issued(subject, privateKey, names) };
}

function issued(
  issuer: Buffer,
  signer: KeyObject,
  names: readonly string[],
): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = signCertificate({
    subject: commonName(names[0] ?? 'server'),
    issuer,
    spki: publicKey.export({ type: 'spki', format: 'der' }),
    signer,
    ...validity(),
    extensions: [
      extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
      extension(
        '2.5.29.17',
        false,
        seq(
          ...names.map((n) =>
            isIPv4(n)
              ? tlv(0x87, Buffer.from(n.split('.').map(Number)))
              : tlv(0x82, Buffer.from(n)),
          ),
        ),
      ),
    ],
  });
  return {
    cert: pem('CERTIFICATE', der),
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
