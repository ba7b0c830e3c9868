import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtakoraError } from '../../../model/errors.js';

/** The variable Node reads, once as it starts, for certificates trusted beside its bundled roots. */
export const EXTRA_CA_CERTS = 'NODE_EXTRA_CA_CERTS';

/** The file a worker's `NODE_EXTRA_CA_CERTS` names, and the warning to print when the user's file gave nothing. */
export interface WorkerTrust {
  readonly file: string;
  readonly warning?: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates a worker of `atakora dev` trusts beside the system's roots: those of the file the user's own
 * `NODE_EXTRA_CA_CERTS` names (a company's TLS-inspecting proxy, a private CA of their staging services, a
 * stand-in of their own on loopback) and dev's loopback certificate. Node reads the variable once, as a process
 * starts, and takes a single path ("When set, the well known 'root' CAs (like VeriSign) will be extended with the
 * extra certificates in file. The file should consist of one or more trusted certificates in PEM format",
 * https://nodejs.org/api/cli.html#node_extra_ca_certsfile), so dev writes one bundle, `trusted.pem` in `dir` (its
 * session folder, removed when it stops), and names it. The user's certificates are copied as parsed (each block
 * read by `X509Certificate`, written back from its DER): a block Node could not read would make it refuse the
 * whole file, dev's certificate with it. Without the variable the worker names dev's certificate alone.
 *
 * A file that cannot be read, or holds no certificate, is a warning, not a stop: Node itself starts with a warning
 * ("Warning: Ignoring extra certs from …, load failed"), a shell profile often exports a company's path that is
 * absent on this machine, and dev's own services need none of it; but the worker runs with NODE_NO_WARNINGS, so
 * dev says it itself (`DEV_EXTRA_CA_CERTS_UNREADABLE`, docs/troubleshooting.md) rather than leave a handler's
 * certificate error unexplained.
 *
 * @example
 * ```ts
 * const trust = workerTrust(join(work, 'tls'), tls.cert, tls.certFile, process.env['NODE_EXTRA_CA_CERTS']);
 * if (trust.warning) log(trust.warning);
 * spawn(node, [worker], { env: { NODE_EXTRA_CA_CERTS: trust.file } });
 * ```
 */
export function workerTrust(
  dir: string,
  ownCert: string,
  ownFile: string,
  userFile: string | undefined,
): WorkerTrust {
  if (!userFile) return { file: ownFile };
  const read = userCertificates(userFile);
  const file = join(dir, 'trusted.pem');
  writeFileSync(file, [...read.certificates, ownCert.trim()].join('\n') + '\n');
  if (read.certificates.length > 0) return { file };
  const error = new AtakoraError(
    'DEV_EXTRA_CA_CERTS_UNREADABLE',
    `${EXTRA_CA_CERTS} names ${userFile}, which ${read.why}: the handlers trust the system's roots and ` +
      "dev's own certificate only, so a server with a certificate of your own CA will be refused.",
    { path: [EXTRA_CA_CERTS] },
  );
  return { file, warning: `atakora dev: warning: ${error.format()}` };
}

/** The PEM certificates of the user's file, each as Node would trust it, or why there are none. */
function userCertificates(path: string): { certificates: string[]; why: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return {
      certificates: [],
      why: `could not be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    };
  }
  const certificates: string[] = [];
  for (const block of text.match(PEM_BLOCK) ?? []) {
    try {
      certificates.push(new X509Certificate(block).toString().trim());
    } catch {
      // Not a certificate Node can read: left out, the rest kept (Node would have dropped the whole file).
    }
  }
  return { certificates, why: 'holds no PEM certificate' };
}
