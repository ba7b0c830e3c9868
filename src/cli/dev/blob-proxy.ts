import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';

/** A plain-HTTP loopback door to Azurite's HTTPS blob service, for browsers. */
export interface BlobProxy {
  /** `http://127.0.0.1:<port>`: the origin the SAS URLs handed to browsers under `atakora dev` carry. */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Forward plain HTTP on 127.0.0.1 to Azurite's HTTPS blob endpoint. Azurite takes OAuth only over HTTPS, with the
 * self-signed loopback certificate, which a developer's browser refuses (`ERR_CERT_AUTHORITY_INVALID`): a page
 * under `atakora dev` could never PUT its upload. Browsers get this origin instead; the SAS travels unchanged
 * (its signature covers the account, container and blob, not the host — Learn, "Create a user delegation SAS",
 * string-to-sign `canonicalizedResource`) and reaches Azurite over HTTPS, so an `spr=https` SAS still holds.
 * Only this proxy skips the certificate check, and only toward the loopback emulator. CORS is Azurite's own.
 *
 * @example
 * ```ts
 * const proxy = await startBlobProxy(new URL('https://127.0.0.1:10000/'));
 * proxy.origin; // 'http://127.0.0.1:53121'
 * ```
 */
export async function startBlobProxy(target: URL, ca?: string): Promise<BlobProxy> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        // Checked against the session's loopback certificate when there is one; else the package's own.
        ...(ca === undefined ? { rejectUnauthorized: false } : { ca }),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Azurite did not answer: ${e.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
